"""Survey test data, written through the services like every other path.

- ``make_campaign(actor, zones, enterprises=None, *, group=None, **data)``: a campaign
  (of a new working group unless ``group`` is given) through ``services.campaign_create``.
- ``visit_data(**fields)`` and ``make_visit(actor, campaign, enterprise, follow_ups=(),
  **fields)``: a visit's form data, and a visit through ``services.visit_create``.
- ``candidate_data(**fields)``: the data of a candidate proposed after a visit.

Enterprises come from ``tests.enterprises.factories.make_enterprise``, working
groups from ``tests.coordination.factories.make_working_group``.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from surveys import services
from tests.coordination.factories import make_working_group

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def make_campaign(actor, zones, enterprises=None, *, group=None, **data):
    fields = {"name": "Đợt khảo sát thử nghiệm", "working_group": group or make_working_group(),
              "starts_on": TODAY - timedelta(days=60), "ends_on": TODAY + timedelta(days=30),
              **data}
    return services.campaign_create(actor=actor, data=fields, zones=zones,
                                    enterprises=enterprises)


def visit_data(**fields) -> dict:
    return {"visited_on": TODAY - timedelta(days=10), "participants": "Đ/c Nguyễn Văn An",
            "workers": 320, "female_workers": 180, "party_members_found": 2,
            "trade_union": "present", "trade_union_members": 250, "youth_union": "absent",
            "youth_union_members": None, "owner_attitude": "supportive",
            "outstanding_workers": 2, "findings": "", "classification": "B",
            "recommendations": "Bồi dưỡng quần chúng ưu tú.", **fields}


def make_visit(actor, campaign, enterprise, follow_ups=(), **fields):
    return services.visit_create(actor=actor, campaign=campaign, enterprise=enterprise,
                                 data=visit_data(**fields),
                                 follow_ups=[(None, f) for f in follow_ups])


def candidate_data(**fields) -> dict:
    n = next(_numbers)
    return {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa",
            "date_of_birth": date(1996, 3, 2), "gender": "female",
            "citizen_id": f"036196{n:06d}", "education_grade": 12,
            "responsible_organization": None, "proposing_body": "trade_union", **fields}
