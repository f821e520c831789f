from datetime import date

from coordination import placements
from coordination.models import AdmissionCandidate, PartyMember
from tests.enterprises.factories import EnterpriseFactory

_counter = {"n": 0}


def citizen_id() -> str:
    _counter["n"] += 1
    return f"036{_counter['n']:09d}"


def make_member(**fields) -> PartyMember:
    data = {
        "family_name": "Nguyễn", "middle_name": "Văn", "given_name": "An",
        "date_of_birth": date(1990, 5, 1), "gender": "male", "citizen_id": citizen_id(),
        "admitted_on": date(2020, 3, 1), **fields,
    }
    if "enterprise" not in data:
        data["enterprise"] = EnterpriseFactory()
    member = PartyMember(**data)
    member.full_clean()
    member.save()
    # Where the record says the member works, from the admission date.
    placement = placements.initial_placement(member)
    placement.full_clean()
    placement.save()
    return member


def make_candidate(**fields) -> AdmissionCandidate:
    data = {
        "family_name": "Trần", "middle_name": "Thị", "given_name": "Bình",
        "date_of_birth": date(1995, 7, 15), "gender": "female", "citizen_id": citizen_id(),
        "education_grade": 12, "identified_on": date(2025, 1, 10), **fields,
    }
    if "enterprise" not in data:
        data["enterprise"] = EnterpriseFactory()
    candidate = AdmissionCandidate(**data)
    candidate.full_clean()
    candidate.save()
    return candidate
