"""schemathesis fuzzes every operation of the committed schema against a live
test server on PostgreSQL, with a Party Committee officer's token and with an
IZ officer's: no answer is a server error, and every answer matches the schema
(its status documented, its body of the documented shape).

Kept fast and repeatable: at most 10 examples per operation and role, from a
derandomised (seeded) generator.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import services
from reports.models import Report
from tests.coordination.factories import make_candidate, make_member, make_plan
from tests.enterprises.factories import make_enterprise, make_massorg, make_partyorg, make_workforce

pytestmark = [pytest.mark.django_db(transaction=True)]

schema = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "openapi.yaml")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def fuzz_world(zone_a, zone_b, pc_officer, iz_officer):
    """Something of every kind in both zones (ids 1, 2, ... are then real objects)."""
    for zone in (zone_a, zone_b):
        enterprise = make_enterprise(zone, established_on=date(2020, 1, 1))
        make_workforce(enterprise, 100, as_of=date(2025, 6, 30), female_workers=40)
        make_massorg(enterprise)
        make_partyorg(enterprise=enterprise)
        make_member(enterprise)
        make_candidate(enterprise)
        Report.objects.create(
            kind=Report.Kind.ON_DEMAND, period="2025", zone=zone, personal=False,
            status=Report.Status.READY, generated_at=timezone.now(),
            file=ContentFile(b"PK\x03\x04", name="r.xlsx"), size=4)
    make_plan(2025, targets=[("enterprises", None, 10)])
    return {"pc_officer": pc_officer, "iz_officer": iz_officer}


@pytest.mark.parametrize("role", ["pc_officer", "iz_officer"])
@schema.parametrize()
@hypothesis_settings(max_examples=10, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(HealthCheck))
def test_every_operation(case, live_server, fuzz_world, role):
    secret = services.token_create(actor=None, account=fuzz_world[role], name="fuzz").secret \
        if not hasattr(fuzz_world[role], "_fuzz_secret") else fuzz_world[role]._fuzz_secret
    fuzz_world[role]._fuzz_secret = secret
    case.call_and_validate(base_url=live_server.url,
                           headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
