"""Who may open which party development URL: every role × every URL, htmx included.

DESIGN §1: anonymous → login page; personal pages need VIEW_PERSONAL_DATA and
writes EDIT_PARTY_DEVELOPMENT (403 otherwise); an object outside the account's
zones → 404. Party Committee accounts see every zone, so the last rule is
checked with "pc_zone_a": a Party Committee officer whose access the policy
limits to zone A (patched), as a zone-limited personal reader would be.
A refused request changes nothing; an allowed write changes something.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import accounts.policy
from coordination.calendar import add_months
from coordination.dossier import services as dossier
from coordination.models import (
    AdmissionCandidate,
    Correspondence,
    DossierDocument,
    PartyMember,
    Placement,
    Recognition,
    RecognitionVote,
)
from core.models import PersonalDataAccess
from tests.conftest import make_zone_a, make_zone_b, module_data
from tests.enterprises.factories import PartyOrganizationFactory, make_enterprise

from .factories import advance, make_candidate, make_member

Stage = AdmissionCandidate.Stage

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "pc_officer", "pc_leader", "iz_officer", "iz_leader", "administrator",
         "pc_zone_a")
TODAY = timezone.localdate()
ADMITTED = add_months(TODAY, -14)  # the probation of the members ended two months ago


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str  # a url name; its arguments come from the ``world`` fixture
    args: tuple = ()
    data: dict = field(default_factory=dict)
    htmx: bool = False
    query: dict = field(default_factory=dict)
    # Expected status per role, in the order of ROLES.
    expected: tuple = ()


ADVANCE = {"step-course_completed_on": "01/03/2025", "step-certificate_number": "CN-1"}
CLOSE = {"close-closed_on": "01/02/2025", "close-closed_reason": "withdrew"}
LEAVE = {"leave-on": _d(TODAY), "leave-reason": "deceased"}
TRANSFER_OUT = {"transfer_out-on": _d(TODAY), "transfer_out-reason": "transferred",
                "transfer_out-destination": "Đảng bộ phường Hà Đông, Hà Nội"}
MOVE = {"move-on": _d(TODAY), "move-party_organization": "org_a.name"}
CORRECT = {"correct-starts_on": _d(ADMITTED), "correct-enterprise": "ent_a.tax_code",
           "correct-began": "admission", "correct-attendance": "official",
           "correct-note": "Sai ngày"}
BULK = {"move-members": "member_a", "move-on": _d(TODAY),
        "move-party_organization": "org_a.name"}
RECOGNISE = {"action": "vote", "vote-held_on": _d(TODAY - timedelta(days=30)),
             "vote-votes_for": "5", "vote-official_members": "6"}
EXTEND = {"extend-days": "20", "extend-reason": "Chờ kết quả thẩm tra bổ sung"}
CANDIDATE = {"family_name": "Hồ", "middle_name": "Thị", "given_name": "Xuân",
             "date_of_birth": "02/09/1998", "gender": "female", "citizen_id": "036198012345",
             "enterprise": "ent_a", "education_grade": "12", "identified_on": "05/01/2026",
             "proposing_body": "", "responsible_organization": "", "helper_member": ""}
MEMBER = {"family_name": "Tạ", "middle_name": "Quang", "given_name": "Vinh",
          "date_of_birth": "12/12/1985", "gender": "male", "citizen_id": "036085011111",
          "enterprise": "ent_a", "party_card_number": "", "party_organization": "",
          "admitted_on": "19/05/2015", "official_on": "19/05/2016"}

#                anonymous pc_off pc_lead iz_off iz_lead admin  pc_zone_a
COUNTS = (302, 200, 200, 200, 200, 403, 200)
PERSONAL = (302, 200, 200, 403, 403, 403, 200)
PERSONAL_OUT = (302, 200, 200, 403, 403, 403, 404)
UNKNOWN = (302, 404, 404, 403, 403, 403, 404)
EDIT_GET = (302, 200, 403, 403, 403, 403, 200)
EDIT_GET_OUT = (302, 200, 403, 403, 403, 403, 404)
EDIT_POST = (302, 302, 403, 403, 403, 403, 302)
EDIT_POST_OUT = (302, 302, 403, 403, 403, 403, 404)
EDIT_REDIRECT = EDIT_POST
POST_ONLY = (302, 405, 403, 403, 403, 403, 405)
FILE_POST = (302, 200, 403, 403, 403, 403, 200)
DOWNLOAD_GET = (302, 405, 405, 403, 403, 403, 405)
DOCUMENT = {"kind": "application", "issued_on": "01/03/2025", "number": ""}
API_PERSONAL = (401, 200, 200, 403, 403, 403, 200)
API_PERSONAL_OUT = (401, 200, 200, 403, 403, 403, 404)
API_UNKNOWN = (401, 404, 404, 403, 403, 403, 404)
FILE_POST_OUT = (302, 200, 403, 403, 403, 403, 404)
LETTER_OUT = (302, 200, 200, 404, 200, 403, 404)
LETTER_EDIT = (302, 200, 403, 200, 403, 403, 200)
LETTER_EDIT_OUT = (302, 200, 403, 404, 403, 403, 404)
LETTER_WRITE = (302, 302, 403, 302, 403, 403, 302)
LETTER_WRITE_OUT = (302, 302, 403, 404, 403, 403, 404)
REPLY = {"reply-replied_on": _d(TODAY), "reply-reply_number": "58/BQL"}

CASES = [
    Case("board", "get", "coordination:pipeline", expected=COUNTS),
    Case("board htmx", "get", "coordination:pipeline", htmx=True, expected=COUNTS),
    Case("board of a zone", "get", "coordination:pipeline", query={"zone": "zone_b"},
         expected=COUNTS),
    Case("qualifying", "get", "coordination:qualifying", expected=COUNTS),
    Case("qualifying htmx", "get", "coordination:qualifying", htmx=True,
         query={"list": "close"}, expected=COUNTS),
    Case("candidate list", "get", "coordination:candidate_list", expected=PERSONAL),
    Case("candidate list htmx", "get", "coordination:candidate_list", htmx=True,
         query={"zone": "zone_b"}, expected=PERSONAL),
    Case("candidate search", "post", "coordination:candidate_list", data={"q": "Bình"},
         expected=(302, 302, 302, 403, 403, 403, 302)),
    # The REST API (signed in by session; no credentials = 401): the same scope.
    Case("api member list", "get", "api:member_list", expected=API_PERSONAL),
    Case("api member list of zone B", "get", "api:member_list", query={"zone": "zone_b"},
         expected=API_PERSONAL),
    Case("api member", "get", "api:member_detail", ("member_a",), expected=API_PERSONAL),
    Case("api member out of scope", "get", "api:member_detail", ("member_b",),
         expected=API_PERSONAL_OUT),
    Case("api member unknown", "get", "api:member_detail", (999999,), expected=API_UNKNOWN),
    Case("api candidate list", "get", "api:candidate_list", expected=API_PERSONAL),
    Case("api candidate", "get", "api:candidate_detail", ("cand_a",), expected=API_PERSONAL),
    Case("api candidate out of scope", "get", "api:candidate_detail", ("cand_b",),
         expected=API_PERSONAL_OUT),
    Case("member list", "get", "coordination:member_list", expected=PERSONAL),
    Case("member list htmx", "get", "coordination:member_list", htmx=True, expected=PERSONAL),
    Case("member search", "post", "coordination:member_list", data={"q": "An"},
         expected=(302, 302, 302, 403, 403, 403, 302)),
    # Exports are POST (each is logged); the filters stay in the query string.
    Case("candidate export", "post", "coordination:candidate_export", expected=PERSONAL),
    Case("member export", "post", "coordination:member_export", query={"zone": "zone_b"},
         expected=PERSONAL),
    Case("recognition due", "get", "coordination:recognition_due", expected=PERSONAL),
    Case("candidate detail", "get", "coordination:candidate_detail", ("cand_a",),
         expected=PERSONAL),
    Case("candidate detail out of scope", "get", "coordination:candidate_detail", ("cand_b",),
         expected=PERSONAL_OUT),
    Case("candidate detail htmx out of scope", "get", "coordination:candidate_detail",
         ("cand_b",), htmx=True, expected=PERSONAL_OUT),
    Case("candidate unknown", "get", "coordination:candidate_detail", (999999,),
         expected=UNKNOWN),
    Case("candidate create form", "get", "coordination:candidate_create", expected=EDIT_GET),
    Case("candidate create", "post", "coordination:candidate_create", data=CANDIDATE,
         expected=EDIT_POST),
    Case("candidate create in a zone out of scope", "post", "coordination:candidate_create",
         data={**CANDIDATE, "enterprise": "ent_b"},
         expected=(302, 302, 403, 403, 403, 403, 200)),
    Case("helper options", "get", "coordination:helper_options", htmx=True,
         query={"enterprise": "ent_a"}, expected=EDIT_GET),
    Case("helper options out of scope", "get", "coordination:helper_options", htmx=True,
         query={"enterprise": "ent_b"}, expected=EDIT_GET),
    Case("helper options post", "post", "coordination:helper_options", htmx=True,
         expected=POST_ONLY),
    Case("candidate update form", "get", "coordination:candidate_update", ("cand_a",),
         expected=EDIT_GET),
    Case("candidate update form out of scope", "get", "coordination:candidate_update",
         ("cand_b",), expected=EDIT_GET_OUT),
    Case("candidate update", "post", "coordination:candidate_update", ("cand_a",),
         data={**CANDIDATE, "citizen_id": "cand_a.citizen_id"}, expected=EDIT_POST),
    Case("candidate update out of scope", "post", "coordination:candidate_update", ("cand_b",),
         data={**CANDIDATE, "enterprise": "ent_b", "citizen_id": "cand_b.citizen_id"},
         expected=EDIT_POST_OUT),
    Case("step form", "get", "coordination:candidate_advance", ("cand_a",), expected=EDIT_GET),
    Case("step form out of scope", "get", "coordination:candidate_advance", ("cand_b",),
         expected=EDIT_GET_OUT),
    Case("step", "post", "coordination:candidate_advance", ("cand_a",), ADVANCE,
         expected=EDIT_POST),
    Case("step htmx", "post", "coordination:candidate_advance", ("cand_a",), ADVANCE,
         htmx=True, expected=EDIT_POST),
    Case("step out of scope", "post", "coordination:candidate_advance", ("cand_b",), ADVANCE,
         expected=EDIT_POST_OUT),
    Case("step htmx out of scope", "post", "coordination:candidate_advance", ("cand_b",),
         ADVANCE, htmx=True, expected=EDIT_POST_OUT),
    Case("close", "post", "coordination:candidate_close", ("cand_a",), CLOSE,
         expected=EDIT_POST),
    Case("close out of scope", "post", "coordination:candidate_close", ("cand_b",), CLOSE,
         expected=EDIT_POST_OUT),
    Case("close get", "get", "coordination:candidate_close", ("cand_a",), expected=POST_ONLY),
    Case("extend", "post", "coordination:candidate_extend", ("voted_a",), EXTEND,
         expected=EDIT_POST),
    Case("extend out of scope", "post", "coordination:candidate_extend", ("voted_b",), EXTEND,
         expected=EDIT_POST_OUT),
    Case("extend get", "get", "coordination:candidate_extend", ("voted_a",),
         expected=POST_ONLY),
    Case("candidate data file", "post", "coordination:candidate_subject_file", ("cand_a",),
         expected=FILE_POST),
    Case("candidate data file out of scope", "post", "coordination:candidate_subject_file",
         ("cand_b",), expected=FILE_POST_OUT),
    Case("member data file", "post", "coordination:member_subject_file", ("member_a",),
         expected=FILE_POST),
    Case("member data file out of scope", "post", "coordination:member_subject_file",
         ("member_b",), expected=FILE_POST_OUT),
    Case("member data file get", "get", "coordination:member_subject_file", ("member_a",),
         expected=POST_ONLY),
    Case("member detail", "get", "coordination:member_detail", ("member_a",),
         expected=PERSONAL),
    Case("member detail out of scope", "get", "coordination:member_detail", ("member_b",),
         expected=PERSONAL_OUT),
    Case("member unknown", "get", "coordination:member_detail", (999999,), expected=UNKNOWN),
    Case("member create form", "get", "coordination:member_create", expected=EDIT_GET),
    Case("member create", "post", "coordination:member_create", data=MEMBER,
         expected=EDIT_POST),
    Case("member update form", "get", "coordination:member_update", ("member_a",),
         expected=EDIT_GET),
    Case("member update form out of scope", "get", "coordination:member_update",
         ("member_b",), expected=EDIT_GET_OUT),
    Case("member update", "post", "coordination:member_update", ("member_a",),
         data={**MEMBER, "citizen_id": "member_a.citizen_id", "admitted_on": _d(ADMITTED),
               "official_on": ""}, expected=EDIT_POST),
    Case("member update out of scope", "post", "coordination:member_update", ("member_b",),
         data={**MEMBER, "enterprise": "ent_b", "citizen_id": "member_b.citizen_id",
               "admitted_on": _d(ADMITTED), "official_on": ""}, expected=EDIT_POST_OUT),
    Case("leave", "post", "coordination:member_leave", ("member_a",), LEAVE,
         expected=EDIT_POST),
    Case("leave htmx out of scope", "post", "coordination:member_leave", ("member_b",), LEAVE,
         htmx=True, expected=EDIT_POST_OUT),
    Case("leave form", "get", "coordination:member_leave", ("member_a",), expected=EDIT_GET),
    Case("move form", "get", "coordination:member_move", ("member_a",), expected=EDIT_GET),
    Case("move", "post", "coordination:member_move", ("member_a",), MOVE, expected=EDIT_POST),
    Case("move out of scope", "post", "coordination:member_move", ("member_b",), MOVE,
         expected=EDIT_POST_OUT),
    Case("transfer out form", "get", "coordination:member_transfer_out", ("member_a",),
         expected=EDIT_GET),
    Case("transfer out", "post", "coordination:member_transfer_out", ("member_a",),
         TRANSFER_OUT, expected=EDIT_POST),
    Case("transfer out out of scope", "post", "coordination:member_transfer_out",
         ("member_b",), TRANSFER_OUT, expected=EDIT_POST_OUT),
    # A member on the rolls is sent back to the member page.
    Case("return of a member on the rolls", "get", "coordination:member_return",
         ("member_a",), expected=EDIT_REDIRECT),
    Case("return out of scope", "get", "coordination:member_return", ("member_b",),
         expected=EDIT_POST_OUT),
    Case("correct form", "get", "coordination:placement_correct", ("placement_a",),
         expected=EDIT_GET),
    Case("correct form out of scope", "get", "coordination:placement_correct",
         ("placement_b",), expected=EDIT_GET_OUT),
    Case("correct", "post", "coordination:placement_correct", ("placement_a",), CORRECT,
         expected=EDIT_POST),
    Case("correct out of scope", "post", "coordination:placement_correct", ("placement_b",),
         CORRECT, expected=EDIT_POST_OUT),
    Case("transfer in form", "get", "coordination:member_transfer_in", expected=EDIT_GET),
    Case("transfer in", "post", "coordination:member_transfer_in",
         data={**MEMBER, "placed_on": _d(TODAY), "attendance": "official",
               "home_organization": "Chi bộ xã Yên Lạc, Vĩnh Phúc"}, expected=EDIT_POST),
    Case("bulk move page", "get", "coordination:members_move",
         query={"from_enterprise": "ent_a.tax_code"}, expected=EDIT_GET),
    Case("bulk move", "post", "coordination:members_move",
         query={"from_enterprise": "ent_a.tax_code"}, data=BULK, expected=EDIT_POST),
    Case("enterprise options", "get", "coordination:enterprise_options",
         query={"field": "q", "q": "Khu"}, htmx=True, expected=EDIT_GET),
    Case("organization options", "get", "coordination:organization_options",
         query={"field": "q", "q": "Chi"}, htmx=True, expected=EDIT_GET),
    Case("recognise form", "get", "coordination:member_recognise", ("member_a",),
         expected=EDIT_GET),
    Case("recognise form out of scope", "get", "coordination:member_recognise", ("member_b",),
         expected=EDIT_GET_OUT),
    Case("recognise", "post", "coordination:member_recognise", ("member_a",), RECOGNISE,
         expected=EDIT_POST),
    Case("recognise out of scope", "post", "coordination:member_recognise", ("member_b",),
         RECOGNISE, expected=EDIT_POST_OUT),
    # The dossier: recording and correcting documents, their scanned files.
    Case("document form", "get", "coordination:candidate_document_create", ("cand_a",),
         expected=EDIT_GET),
    Case("document form out of scope", "get", "coordination:candidate_document_create",
         ("cand_b",), expected=EDIT_GET_OUT),
    Case("document", "post", "coordination:candidate_document_create", ("cand_a",), DOCUMENT,
         expected=EDIT_POST),
    Case("document out of scope", "post", "coordination:candidate_document_create",
         ("cand_b",), DOCUMENT, expected=EDIT_POST_OUT),
    Case("document correction form", "get", "coordination:dossier_document_update",
         ("doc_a",), expected=EDIT_GET),
    Case("document correction form out of scope", "get",
         "coordination:dossier_document_update", ("doc_b",), expected=EDIT_GET_OUT),
    Case("document correction", "post", "coordination:dossier_document_update", ("doc_a",),
         {**DOCUMENT, "kind": "autobiography", "issued_on": "02/04/2025"}, expected=EDIT_POST),
    Case("document correction out of scope", "post", "coordination:dossier_document_update",
         ("doc_b",), {**DOCUMENT, "kind": "autobiography", "issued_on": "02/04/2025"},
         expected=EDIT_POST_OUT),
    Case("scanned file", "post", "coordination:dossier_document_file", ("doc_a",),
         expected=PERSONAL),
    Case("scanned file out of scope", "post", "coordination:dossier_document_file",
         ("doc_b",), expected=PERSONAL_OUT),
    Case("scanned file get", "get", "coordination:dossier_document_file", ("doc_a",),
         expected=DOWNLOAD_GET),
    # The Word documents: POST, for accounts that see personal data, in scope.
    Case("6-KNĐ", "post", "coordination:partyorg_candidates_document", ("org_a",),
         expected=PERSONAL),
    Case("6-KNĐ out of scope", "post", "coordination:partyorg_candidates_document", ("org_b",),
         expected=PERSONAL_OUT),
    Case("6-KNĐ get", "get", "coordination:partyorg_candidates_document", ("org_a",),
         expected=DOWNLOAD_GET),
    Case("9-KNĐ", "post", "coordination:candidate_decision_document", ("voted_a",),
         expected=PERSONAL),
    Case("9-KNĐ out of scope", "post", "coordination:candidate_decision_document",
         ("voted_b",), expected=PERSONAL_OUT),
    Case("13-KNĐ", "post", "coordination:member_recognition_resolution_document",
         ("member_a",), expected=PERSONAL),
    Case("13-KNĐ out of scope", "post", "coordination:member_recognition_resolution_document",
         ("member_b",), expected=PERSONAL_OUT),
    Case("16-KNĐ", "post", "coordination:member_recognition_decision_document",
         ("member_a",), expected=PERSONAL),
    Case("16-KNĐ out of scope", "post", "coordination:member_recognition_decision_document",
         ("member_b",), expected=PERSONAL_OUT),
    Case("16-KNĐ get", "get", "coordination:member_recognition_decision_document",
         ("member_a",), expected=DOWNLOAD_GET),
    # Letters between the two bodies: about an enterprise of zone A or of zone B. IZ
    # officers record their side's; the other pages of the working cycle are in
    # tests/coordination/cycle/test_views.py.
    Case("letters", "get", "coordination:correspondence_list", expected=COUNTS),
    Case("letter", "get", "coordination:correspondence_detail", ("letter_a",),
         expected=COUNTS),
    Case("letter out of scope", "get", "coordination:correspondence_detail", ("letter_b",),
         expected=LETTER_OUT),
    Case("letter form", "get", "coordination:correspondence_update", ("letter_a",),
         expected=LETTER_EDIT),
    Case("letter form out of scope", "get", "coordination:correspondence_update",
         ("letter_b",), expected=LETTER_EDIT_OUT),
    Case("letter reply", "post", "coordination:correspondence_reply", ("letter_a",), REPLY,
         expected=LETTER_WRITE),
    Case("letter reply out of scope", "post", "coordination:correspondence_reply",
         ("letter_b",), REPLY, expected=LETTER_WRITE_OUT),
]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world of the table's 800-odd requests, written once for the module
    rather than for each (a test's writes are rolled back after it:
    tests/conftest.py's module_data)."""
    with module_data(django_db_blocker):
        yield _build_world(make_zone_a(), make_zone_b())


@pytest.fixture
def zone_a(shared_world, db):
    return shared_world["zone_a"]


@pytest.fixture
def zone_b(shared_world, db):
    return shared_world["zone_b"]


@pytest.fixture
def world(shared_world, db):
    return shared_world


def _build_world(zone_a, zone_b):
    ent_a = make_enterprise(zone_a, name="Công ty Khu A")
    ent_b = make_enterprise(zone_b, name="Công ty Khu B")
    world = {
        "zone_a": zone_a,
        "zone_b": zone_b,
        "ent_a": ent_a,
        "ent_b": ent_b,
        "cand_a": make_candidate(ent_a, given_name="Ánh"),
        "cand_b": make_candidate(ent_b, given_name="Bình"),
        "member_a": make_member(ent_a, given_name="An", admitted_on=ADMITTED, official_on=None),
        "member_b": make_member(ent_b, given_name="Bảo", admitted_on=ADMITTED,
                                official_on=None),
        "org_a": PartyOrganizationFactory(enterprise=ent_a, name="Chi bộ Công ty Khu A"),
        "org_b": PartyOrganizationFactory(enterprise=ent_b, name="Chi bộ Công ty Khu B"),
    }
    # Cases awaiting the admission decision (the deadline may be extended), on
    # their cells' 6-KNĐ lists.
    world["voted_a"] = advance(make_candidate(ent_a, given_name="Vân",
                                              responsible_organization=world["org_a"]),
                               Stage.CELL_RESOLUTION)
    world["voted_b"] = advance(make_candidate(ent_b, given_name="Vũ",
                                              responsible_organization=world["org_b"]),
                               Stage.CELL_RESOLUTION)
    for side in ("a", "b"):
        world[f"doc_{side}"] = dossier.dossier_document_record(
            candidate=world[f"cand_{side}"], kind="certificate", issued_on=date(2025, 3, 1),
            upload=SimpleUploadedFile("cn.pdf", b"%PDF-1.4\n%%EOF\n"))
    for side in ("a", "b"):
        world[f"placement_{side}"] = world[f"member_{side}"].placements.get()
        letter = Correspondence.objects.create(
            direction="pc_to_iz", number=f"15-CV/ĐUK-{side}", dated=TODAY - timedelta(days=9),
            subject="Đề nghị báo cáo", reply_due_on=TODAY - timedelta(days=2))
        letter.enterprises.add(world[f"ent_{side}"])
        world[f"letter_{side}"] = letter
    return world


@pytest.fixture
def pc_zone_a(pc_officer, zone_a, monkeypatch):
    """A Party Committee officer whose access is limited to zone A."""
    original = accounts.policy.access_for

    def access_for(user):
        access = original(user)
        if getattr(user, "pk", None) == pc_officer.pk:
            return replace(access, zone_ids=frozenset({zone_a.pk}))
        return access

    monkeypatch.setattr(accounts.policy, "access_for", access_for)
    return pc_officer


def _resolve(value, world):
    if isinstance(value, str) and "." in value and value.split(".")[0] in world:
        key, attribute = value.split(".", 1)
        return getattr(world[key], attribute)
    if isinstance(value, str) and value in world:
        return world[value].pk
    return value


def _snapshot():
    return (
        AdmissionCandidate.objects.count(),
        PartyMember.objects.count(),
        Recognition.objects.count(),
        RecognitionVote.objects.count(),
        list(AdmissionCandidate.objects.order_by("pk").values_list(
            "given_name", "stage", "closed_on", "decision_extension_days")),
        list(PartyMember.objects.order_by("pk").values_list(
            "given_name", "official_on", "left_on")),
        list(Placement.objects.order_by("pk").values_list(
            "member__given_name", "party_organization", "starts_on", "ends_on", "note")),
        list(DossierDocument.objects.order_by("pk").values_list(
            "candidate__given_name", "kind", "issued_on", "number")),
        list(Correspondence.objects.order_by("pk").values_list("number", "replied_on")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_access(request, client, world, case, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse(case.url, args=[_resolve(arg, world) for arg in case.args])
    query = {key: _resolve(value, world) for key, value in case.query.items()}
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    data = {key: _resolve(value, world) for key, value in case.data.items()}
    headers = {"HX-Request": "true"} if case.htmx else {}
    before = _snapshot()

    response = getattr(client, case.method)(url, data, headers=headers)

    expected = case.expected[ROLES.index(role)]
    if role == "anonymous" and case.htmx and expected == 302:
        # An htmx request sends the whole page to the login form.
        assert response.status_code == 204, (case.name, response.status_code)
        assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (case.name, role, response.status_code)
    if expected == 302 and role == "anonymous" and not case.htmx:
        assert response["Location"].startswith(reverse("accounts:login"))
    writes = case.method == "post" and not case.url.endswith("_list")
    if role == "anonymous" or expected in (403, 404, 405) or (writes and expected == 200):
        assert _snapshot() == before, "a refused request changed something"
    if writes and expected == 302 and role != "anonymous":
        assert _snapshot() != before, "an allowed write changed nothing"
    if expected in (403, 404) or role == "anonymous":
        assert not PersonalDataAccess.objects.exists(), "a refused request was logged as seen"


def test_every_url_is_covered():
    """A new URL of the app must be added to the table above."""
    from coordination.urls import urlpatterns

    covered = {case.url.split(":")[1] for case in CASES}
    # Plan, task and committee pages are covered by tests/coordination/plans/test_views.py.
    from coordination.plans import views as plan_views

    planning = {p.name for p in urlpatterns if p.callback.__module__ == plan_views.__name__}
    assert planning
    # Founding pages are covered by tests/coordination/test_founding.py.
    from coordination.founding import views as founding_views

    founding = {p.name for p in urlpatterns if p.callback.__module__ == founding_views.__name__}
    assert founding
    # The working cycle's pages by tests/coordination/cycle/test_views.py (its letters,
    # which are zoned, here too).
    from coordination.cycle import views as cycle_views

    cycle = {p.name for p in urlpatterns if p.callback.__module__ == cycle_views.__name__}
    assert cycle
    # Reviews are the province's joint documents, not zoned: their pages by role
    # (drafts, individual commendations) by tests/coordination/reviews/test_views.py.
    from coordination.reviews import views as review_views

    reviews = {p.name for p in urlpatterns if p.callback.__module__ == review_views.__name__}
    assert reviews
    assert {pattern.name for pattern in urlpatterns} - planning - founding - cycle - reviews \
        <= covered


def test_a_zone_limited_reader_sees_only_its_zone(client, world, pc_zone_a, zone_b):
    client.force_login(pc_zone_a)
    candidates = client.get(reverse("coordination:candidate_list"))
    assert [c.given_name for c in candidates.context["page_obj"]] == ["Ánh", "Vân"]
    members = client.get(reverse("coordination:member_list"))
    assert [m.given_name for m in members.context["page_obj"]] == ["An"]
    api_members = client.get(reverse("api:member_list")).json()["results"]
    assert [m["given_name"] for m in api_members] == ["An"]
    api_candidates = client.get(reverse("api:candidate_list")).json()["results"]
    assert sorted(c["given_name"] for c in api_candidates) == ["Vân", "Ánh"]
    due = client.get(reverse("coordination:recognition_due"))
    assert [m.given_name for m in due.context["members"]] == ["An"]
    board = client.get(reverse("coordination:pipeline"))
    assert board.context["total"] == 2  # Ánh and Vân
    assert "Công ty Khu B" not in board.content.decode()
    form = client.get(reverse("coordination:candidate_create")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [world["ent_a"]]
    options = client.get(reverse("coordination:helper_options"),
                         {"enterprise": world["ent_b"].pk, "helper_member":
                          world["member_b"].pk}, headers={"HX-Request": "true"})
    assert "Bảo" not in options.content.decode()


def test_a_background_export_of_a_zone_limited_reader_holds_only_its_zone(
        client, world, pc_zone_a, zone_a, settings, monkeypatch,
        django_capture_on_commit_callbacks):
    import io

    import openpyxl

    import core.exports
    from core.models import ExportJob

    # The worker asks the policy too (the patched one of this account).
    monkeypatch.setattr(core.exports, "access_for", accounts.policy.access_for)
    settings.EXPORT_INLINE_ROWS = 0
    client.force_login(pc_zone_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coordination:member_export"))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.row_count == 1
    assert (job.status, job.rows_written, job.scope) == ("done", 1, [zone_a.pk])
    assert not PersonalDataAccess.objects.filter(action="export").exists()
    download = client.post(reverse("core:export_download", args=[job.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == [world["member_a"].full_name]
    assert PersonalDataAccess.objects.filter(action="export").count() == 1


def test_exports_mask_citizen_ids_respect_scope_and_are_logged(client, world, pc_zone_a):
    import io

    import openpyxl

    client.force_login(pc_zone_a)
    response = client.post(reverse("coordination:member_export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c]
    assert any("An" in c for c in cells)
    assert not any(c.isdigit() and len(c) == 12 for c in cells)
    assert not any("Khu B" in c for c in cells)
    assert PersonalDataAccess.objects.filter(action="export").count() == 1
