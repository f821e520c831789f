"""The statutory forms the application can prefill (DESIGN §7), as Word
documents from the templates of ``templates/docx/`` (``core.documents``):

- ``candidate_list``: the cell's resolution proposing the admission of its
  candidates (Mẫu 6-KNĐ), listing the responsible organization's open cases
  whose cell vote is next or has just been taken;
- ``admission_decision``: the draft decision admitting one candidate (9-KNĐ);
- ``recognition_resolution``: the cell's resolution proposing to recognise a
  probationary member as official (13-KNĐ);
- ``recognition_decision``: the draft decision recognising the member (16-KNĐ).

The contexts hold plain text (dates as dd/mm/yyyy), never model instances,
so a template edited by the province sees only what is listed here. Values
the application does not hold are left as dotted lines to fill in by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from coordination.models import AdmissionCandidate, PartyMember
from coordination.selectors import recognition_state
from core.documents import document_date, render_docx, short_date
from enterprises.models import PartyOrganization

Stage = AdmissionCandidate.Stage
SponsorKind = AdmissionCandidate.SponsorKind
Kind = PartyOrganization.Kind

CANDIDATE_LIST = "mau-6-knd-nghi-quyet-chi-bo.docx"
ADMISSION_DECISION = "mau-9-knd-quyet-dinh-ket-nap.docx"
RECOGNITION_RESOLUTION = "mau-13-knd-nghi-quyet-cong-nhan.docx"
RECOGNITION_DECISION = "mau-16-knd-quyet-dinh-cong-nhan.docx"

# The open cases the 6-KNĐ list holds: the cell votes next, or has just voted.
LIST_STAGES = (Stage.ASSESSMENT, Stage.CELL_RESOLUTION)
GENDER = {"male": "Nam", "female": "Nữ"}
SPONSOR_BODY = {SponsorKind.YOUTH_UNION: "BCH Đoàn cơ sở", SponsorKind.TRADE_UNION:
                "BCH Công đoàn cơ sở"}


def _upper_body(organization: PartyOrganization | None) -> str:
    """Who the cell sends its resolution to: the đảng ủy of its đảng bộ cơ sở,
    else the standing committee of the Party Committee."""
    parent = organization.parent if organization is not None else None
    if parent is not None and parent.kind == Kind.GRASSROOTS_COMMITTEE:
        name = parent.name
        return "Đảng ủy " + name[len("Đảng bộ "):] if name.startswith("Đảng bộ ") else name
    return f"Ban Thường vụ {settings.PARTY_COMMITTEE_NAME}"


def _superior(organization: PartyOrganization | None) -> str:
    parent = organization.parent if organization is not None else None
    return (parent.name if parent is not None else settings.PARTY_COMMITTEE_NAME).upper()


def _share(votes: int | None, members: int | None) -> str:
    if not votes or not members:
        return ""
    percent = f"{votes * 100 / members:.1f}".replace(".", ",").removesuffix(",0")
    return f"{percent}%"


def _person(person) -> dict:
    return {
        "full_name": person.full_name,
        "date_of_birth": short_date(person.date_of_birth),
        "gender": GENDER.get(person.gender, ""),
        "enterprise": person.enterprise.name,
    }


def _sponsors(candidate: AdmissionCandidate) -> str:
    members = [m.full_name for m in (candidate.sponsor_1, candidate.sponsor_2) if m]
    body = SPONSOR_BODY.get(candidate.sponsor_kind)
    return ", ".join(([body] if body else []) + members)


def _candidate(candidate: AdmissionCandidate, index: int = 1) -> dict:
    votes = ""
    if candidate.votes_for is not None and candidate.cell_official_members:
        votes = (f"{candidate.votes_for}/{candidate.cell_official_members} "
                 f"({_share(candidate.votes_for, candidate.cell_official_members)})")
    certificate = " ".join(p for p in (
        candidate.certificate_number,
        f"ngày {short_date(candidate.course_completed_on)}"
        if candidate.course_completed_on else "") if p)
    grade = candidate.education_grade
    return {
        "index": index,
        **_person(candidate),
        "education": f"{grade}/12" if grade is not None else "",
        "certificate": certificate,
        "sponsors": _sponsors(candidate),
        "votes": votes,
        "cell_resolution_on": short_date(candidate.cell_resolution_on),
    }


def _same(values):
    """The value every item shares (a date of one meeting), else None."""
    values = list(values)
    if not values or any(v in (None, "") for v in values) or len(set(values)) != 1:
        return None
    return values[0]


# --- 6-KNĐ ------------------------------------------------------------------------------------


def list_candidates(organization: PartyOrganization,
                    candidates: QuerySet[AdmissionCandidate]) -> list[AdmissionCandidate]:
    """The cases of ``organization`` that the 6-KNĐ list holds, among
    ``candidates`` (already limited to the reader's scope)."""
    return list(candidates.filter(responsible_organization=organization,
                                  closed_on__isnull=True, ceremony_on__isnull=True,
                                  stage__in=LIST_STAGES)
                .select_related("sponsor_1", "sponsor_2").order_by("sort_key", "pk"))


def candidate_list_context(organization: PartyOrganization,
                           candidates: list[AdmissionCandidate]) -> dict:
    meeting = _same(c.cell_resolution_on for c in candidates)
    return {
        "superior": _superior(organization),
        "issuer": organization.name.upper(),
        "number": "",
        "date_text": document_date(meeting),
        "meeting_date": short_date(meeting) or "." * 12,
        "organization": organization.name,
        "upper_body": _upper_body(organization),
        "official_members": _same(c.cell_official_members for c in candidates) or "",
        "candidates": [_candidate(c, i) for i, c in enumerate(candidates, start=1)],
        "count": len(candidates),
    }


def candidate_list(organization, candidates) -> bytes:
    return render_docx(CANDIDATE_LIST, candidate_list_context(organization, candidates))


# --- 9-KNĐ ------------------------------------------------------------------------------------


def _decision_number(number: str) -> str:
    return number or f"        -QĐ/{settings.PARTY_COMMITTEE_ABBR}"


def admission_decision_context(candidate: AdmissionCandidate) -> dict:
    organization = candidate.responsible_organization
    org_name = organization.name if organization is not None else "Chi bộ"
    proposal = org_name
    if candidate.cell_resolution_on:
        proposal += f" (Nghị quyết ngày {short_date(candidate.cell_resolution_on)})"
    if candidate.committee_step_applies:
        proposal += f" và {_upper_body(organization)}"
        if candidate.committee_resolution_on:
            proposal += f" (Nghị quyết ngày {short_date(candidate.committee_resolution_on)})"
    body = candidate.decision_body or f"Ban Thường vụ {settings.PARTY_COMMITTEE_NAME}"
    return {
        "superior": settings.PARTY_COMMITTEE_SUPERIOR.upper(),
        "issuer": settings.PARTY_COMMITTEE_NAME.upper(),
        "number": _decision_number(candidate.decision_number),
        "date_text": document_date(candidate.decision_on),
        "deciding_body_upper": body.upper(),
        "proposal": proposal,
        "organization": org_name,
        "candidate": _candidate(candidate),
        "signer_title": "BÍ THƯ",
    }


def admission_decision(candidate: AdmissionCandidate) -> bytes:
    return render_docx(ADMISSION_DECISION, admission_decision_context(candidate))


# --- recognition ------------------------------------------------------------------------------


def _member(member: PartyMember) -> dict:
    return {
        **_person(member),
        "admitted_on": short_date(member.admitted_on),
        "probation_ends_on": short_date(member.probation_ends_on),
        "decision_number": member.decision_number,
        "decision_on": short_date(member.decision_on),
    }


def _vote(member: PartyMember):
    state = recognition_state(member)
    return state.passed_vote or (state.votes[-1] if state.votes else None)


def recognition_resolution_context(member: PartyMember) -> dict:
    organization = member.party_organization
    vote = _vote(member)
    decision = ""
    if member.decision_number:
        decision = f", theo Quyết định số {member.decision_number}"
        if member.decision_on:
            decision += f" ngày {short_date(member.decision_on)}"
    share = _share(vote.votes_for, vote.official_members) if vote else ""
    return {
        "superior": _superior(organization),
        "issuer": (organization.name if organization else "Chi bộ").upper(),
        "number": "",
        "date_text": document_date(vote.held_on if vote else None),
        "meeting_date": short_date(vote.held_on) if vote else "." * 12,
        "organization": organization.name if organization else "Chi bộ",
        "upper_body": _upper_body(organization),
        "member": _member(member),
        "decision": decision,
        "official_members": vote.official_members if vote else "",
        "votes_for": vote.votes_for if vote else "",
        "share": f" (đạt {share})" if share else "",
    }


def recognition_resolution(member: PartyMember) -> bytes:
    return render_docx(RECOGNITION_RESOLUTION, recognition_resolution_context(member))


def recognition_decision_context(member: PartyMember) -> dict:
    organization = member.party_organization
    recognition = getattr(member, "recognition", None)
    vote = _vote(member)
    org_name = organization.name if organization else "Chi bộ"
    proposal = org_name
    resolution_on = (recognition.cell_resolution_on if recognition else None) or (
        vote.held_on if vote and vote.passed else None)
    if resolution_on:
        proposal += f" (Nghị quyết ngày {short_date(resolution_on)})"
    body = (recognition.deciding_body if recognition else "") or \
        f"Ban Thường vụ {settings.PARTY_COMMITTEE_NAME}"
    return {
        "superior": settings.PARTY_COMMITTEE_SUPERIOR.upper(),
        "issuer": settings.PARTY_COMMITTEE_NAME.upper(),
        "number": _decision_number(recognition.decision_number if recognition else ""),
        "date_text": document_date(recognition.decision_on if recognition else None),
        "deciding_body_upper": body.upper(),
        "proposal": proposal,
        "organization": org_name,
        "member": _member(member),
        "signer_title": "BÍ THƯ",
    }


def recognition_decision(member: PartyMember) -> bytes:
    return render_docx(RECOGNITION_DECISION, recognition_decision_context(member))
