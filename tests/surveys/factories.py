"""Survey test data, written through the services like every other path."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from coordination.models import Committee
from surveys import services
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def make_working_group(**fields) -> Committee:
    n = next(_numbers)
    data = {"kind": Committee.Kind.WORKING_GROUP, "name": "Tổ công tác phát triển đảng viên",
            "decision_number": f"{100 + n}-QĐ/ĐUK", "decided_on": date(2024, 1, 5),
            "term_start": date(2024, 1, 5), **fields}
    group = Committee(**data)
    group.full_clean()
    group.save()
    return group


def make_enterprise(zone, *, party_org: bool = False, **fields):
    enterprise = EnterpriseFactory(zone=zone, **fields)
    if party_org:
        PartyOrganizationFactory(enterprise=enterprise)
    return enterprise


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
