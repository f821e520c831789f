"""Every answer that names a party member or a candidate leaves one row in the
personal-data access log.

The URLs come from the resolver, the application's and the Django admin's, as
in test_permission_matrix: a new page, fragment or form that shows a name or a
citizen ID without logging fails here. They are asked for by a Party
Committee officer (a staff one for the admin) over a world where three people
whose names appear nowhere else are reachable from every page that may show
them: their enterprise and its joint cell, a survey visit, a founding case,
the import previews, recognition votes, the admin's recent actions. A 200
answer (plain, htmx, or a form sent back with errors) whose body holds one of
the names, a citizen ID or its masked form must have written exactly one row;
the rows hold ids and page names only.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote_plus, urlencode, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from coordination import services
from coordination.dossier import services as dossier_services
from coordination.founding import services as founding_services
from coordination.models import (
    AdmissionCandidate,
    Committee,
    Conclusion,
    CoordinationPlan,
    Correspondence,
    Meeting,
    PartyMember,
    PlanTarget,
    PlanTask,
    Regulation,
    mask_citizen_id,
)
from coordination.reviews import services as review_services
from core import import_services
from core.models import Attachment, ExportJob, Notification, PersonalDataAccess
from reports.models import Report
from surveys.models import FollowUp, SurveyCampaign, SurveyVisit
from tests.coordination.factories import advance, make_candidate, make_member
from tests.coordination.test_importers import (
    CANDIDATE_HEADER,
    MEMBER_HEADER,
    candidate_row,
    member_row,
    xlsx,
)
from tests.enterprises.factories import make_enterprise, make_massorg, make_partyorg
from tests.factories import UserFactory
from tests.test_permission_matrix import OBJECT_OF, project_urls

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Stage = AdmissionCandidate.Stage

# Names and citizen IDs found nowhere else in the world.
OFFICIAL = {"family_name": "Vừ", "middle_name": "Mí", "given_name": "Chứ",
            "citizen_id": "001190007731"}
PROBATIONER = {"family_name": "Lầu", "middle_name": "Thị", "given_name": "Mỷ",
               "citizen_id": "001290007742", "gender": "female"}
CANDIDATE = {"family_name": "Giàng", "middle_name": "Seo", "given_name": "Páo",
             "citizen_id": "001300007753", "gender": "male"}
PEOPLE = (OFFICIAL, PROBATIONER, CANDIDATE)


def full_name(person: dict) -> str:
    return " ".join((person["family_name"], person["middle_name"], person["given_name"]))


MARKERS = [marker for person in PEOPLE for marker in (
    full_name(person), person["citizen_id"], mask_citizen_id(person["citizen_id"]))]


def shown(response, url: str) -> list[str]:
    """The names and citizen IDs in a text answer (files are not read here),
    but for what the URL itself asked for (a search box shows its term)."""
    if response.streaming or not response.get("Content-Type", "").startswith(
            ("text/", "application/json")):
        return []
    body = response.content.decode(errors="replace")
    asked = unquote_plus(urlsplit(url).query)
    return [marker for marker in MARKERS if marker in body and marker not in asked]


def logged() -> int:
    """Rows of the access log but refusals (counted apart, against probing)."""
    return PersonalDataAccess.objects.exclude(action=PersonalDataAccess.Action.REFUSED).count()


# --- the world ---------------------------------------------------------------------------


@pytest.fixture
def world(zone_a, pc_officer, pc_leader):
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Sổ Truy Cập")
    joint = make_partyorg("Chi bộ ghép KCN An Bình", zone=zone_a, established_on=date(2015, 1, 1))
    # An official member recognised on the application's pages (a vote, then the decision).
    official = make_member(enterprise, party_organization=joint, admitted_on=date(2019, 3, 1),
                           **OFFICIAL)
    services.member_recognition_vote(member=official, held_on=date(2020, 3, 10), votes_for=5,
                                      official_members=6)
    services.member_recognise(member=official, decision_number="7-QĐ/ĐUK",
                              decision_on=date(2020, 3, 20))
    official.refresh_from_db()
    # A probationary member whose months have ended: a vote failed, recognition is due.
    probationer = make_member(enterprise, party_organization=joint,
                              admitted_on=TODAY - timedelta(days=400), probation_helper=official,
                              **PROBATIONER)
    services.member_recognition_vote(member=probationer, held_on=TODAY - timedelta(days=5),
                                     votes_for=2, official_members=6)
    # A candidate helped by the official member, whose next step names sponsors.
    candidate = make_candidate(enterprise, responsible_organization=joint,
                               helper_member=official, date_of_birth=date(1998, 2, 3),
                               **CANDIDATE)
    candidate = advance(candidate, Stage.APPLICATION)
    # The enterprise founds its own organization: the secretary is chosen next.
    founding = founding_services.founding_start(enterprise=enterprise,
                                                on=TODAY - timedelta(days=100))
    founding = founding_services.founding_propose(founding=founding, on=TODAY - timedelta(days=90))
    founding = founding_services.founding_decide(
        founding=founding, on=TODAY - timedelta(days=60), number="9-QĐ/ĐUK", body="Đảng ủy Khối",
        name="Chi bộ Công ty Sổ Truy Cập")
    group = Committee.objects.create(kind=Committee.Kind.WORKING_GROUP, name="Tổ công tác",
                                     decision_number="1-QĐ", decided_on=date(2026, 1, 2),
                                     term_start=date(2026, 1, 2))
    campaign = SurveyCampaign.objects.create(name="Đợt 1", working_group=group,
                                             starts_on=date(2026, 3, 1),
                                             ends_on=date(2026, 6, 30), created_by=pc_officer)
    campaign.enterprises.add(enterprise)
    visit = SurveyVisit.objects.create(
        campaign=campaign, enterprise=enterprise, visited_on=date(2026, 4, 2),
        owner_attitude="neutral", classification="B", recorded_by=pc_officer,
        outstanding_workers=3)
    visit.candidates.add(candidate)
    plan = CoordinationPlan.objects.create(year=2026, title="Kế hoạch 2026",
                                           status=CoordinationPlan.Status.APPROVED,
                                           approved_by=pc_leader, approved_at=timezone.now())
    report = Report.objects.create(
        kind=Report.Kind.ON_DEMAND, period="2026-Q1", zone=None, personal=True,
        status=Report.Status.READY, generated_at=timezone.now(),
        file=ContentFile(b"PK\x03\x04", name="r.xlsx"), size=4)
    meeting = Meeting.objects.create(kind="steering", held_on=TODAY - timedelta(days=20),
                                     place="Phòng họp", agenda="Sơ kết quý")
    letter = Correspondence.objects.create(
        direction="pc_to_iz", number="15-CV/ĐUK", dated=TODAY - timedelta(days=9),
        subject="Đề nghị báo cáo", reply_due_on=TODAY - timedelta(days=2))
    letter.enterprises.add(enterprise)
    objects = {
        "regulation": [Regulation.objects.create(
            number="01-QC/ĐUK-BQL", title="Quy chế phối hợp", signed_on=date(2025, 9, 24),
            effective_from=date(2025, 9, 24), party_signatory_name="Nguyễn Văn Thành",
            party_signatory_title="Bí thư", iz_signatory_name="Lê Quốc Hưng",
            iz_signatory_title="Trưởng ban")],
        "meeting": [meeting],
        "conclusion": [Conclusion.objects.create(
            meeting=meeting, text="Rà soát doanh nghiệp", lead_side="both", owner=pc_officer,
            due_on=TODAY)],
        "letter": [letter],
        "zone": [zone_a],
        "enterprise": [enterprise],
        "partyorg": [joint, founding.organization],
        "massorg": [make_massorg(enterprise)],
        "member": [official, probationer],
        "placement": [official.placements.get()],
        "candidate": [candidate],
        "founding": [founding],
        "plan": [plan],
        "committee": [group],
        "target": [PlanTarget.objects.create(plan=plan, indicator="members_new", zone=zone_a,
                                             target_value=10)],
        "task": [PlanTask.objects.create(plan=plan, content="Rà soát", due_on=date(2026, 9, 1),
                                         lead_side=PlanTask.LeadSide.PARTY_COMMITTEE)],
        "campaign": [campaign],
        "visit": [visit],
        "follow_up": [FollowUp.objects.create(visit=visit, action="Gặp chủ doanh nghiệp",
                                              due_on=date(2026, 5, 1))],
        "report": [report],
        "document": [dossier_services.dossier_document_record(
            candidate=candidate, kind="certificate", issued_on=date(2025, 3, 1),
            upload=SimpleUploadedFile("cn.pdf", b"%PDF-1.4\n%%EOF\n"))],
        "attachment": [Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(visit), object_id=visit.pk,
            file=ContentFile(b"%PDF-1.4\n", name="x.pdf"), original_name="bien-ban.pdf",
            mime_type="application/pdf", size=9, uploaded_by=pc_officer)],
        "notification": [Notification.objects.create(recipient=pc_officer, key="k", title="t",
                                                     day=TODAY)],
        "access_request": [account_services.account_password_set(
            actor=UserFactory(username="quantri", organization="", role="", is_staff=True,
                              is_superuser=True),
            user=pc_leader, password="Mat-khau-moi-2026!")],
        # A member list exported in the background, ready to download.
        "export_job": [ExportJob.objects.create(
            kind="party_members", row_count=300, rows_written=300, requested_by=pc_officer,
            status="done", finished_at=timezone.now(), log_detail="status=official",
            file=ContentFile(b"PK\x03\x04", name="dv.xlsx"), size=4)],
        "import_run": [
            _import_run(pc_officer, "party_members", MEMBER_HEADER, member_row(**{
                "Họ và tên": full_name(OFFICIAL), "Số CCCD": OFFICIAL["citizen_id"],
                "Ngày vào Đảng": "01/03/2019", "Ngày chính thức": "01/03/2020",
                "Mã số thuế doanh nghiệp": enterprise.tax_code,
                "Tổ chức đảng": "Chi bộ ghép KCN An Bình"})),
            _import_run(pc_officer, "candidates", CANDIDATE_HEADER, candidate_row(**{
                "Họ và tên": full_name(CANDIDATE), "Số CCCD": CANDIDATE["citizen_id"],
                "Giới tính": "Nam", "Ngày sinh": "03/02/1998",
                "Mã số thuế doanh nghiệp": enterprise.tax_code})),
            # A row refused: the preview names the person next to the error.
            _import_run(pc_officer, "party_members", MEMBER_HEADER, member_row(**{
                "Họ và tên": full_name(PROBATIONER), "Số CCCD": PROBATIONER["citizen_id"],
                "Mã số thuế doanh nghiệp": "0000000000"})),
        ],
    }
    # A finished review proposing a commendation for the official member, and a
    # draft one.
    reviews = []
    for number, finish in (("15-BC/ĐUK", True), ("", False)):
        review = review_services.review_create(data={
            "kind": "interim", "regulation": objects["regulation"][0],
            "subject": "Sơ kết năm 2025", "period_kind": "year",
            "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31),
            "number": number, "place": "Nam Định", "dated": date(2026, 1, 15), "joint": False,
            "signer_title": "PHÓ BÍ THƯ", "signer_name": "Trần Văn Quang", "results": "Tốt"})
        review_services.review_target_create(review=review, data={
            "indicator": "members_new", "zone": None, "target_value": 5, "note": ""})
        review_services.commendation_create(review=review, data={
            "recipient": "individual", "member": official, "enterprise": None,
            "party_organization": None, "award": "merit", "awarded_by": "Ban Thường vụ",
            "proposed_by": "party_committee", "reason": "Tích cực"})
        reviews.append(review_services.review_finish(review=review) if finish else review)
    objects["review"] = reviews
    objects["review_target"] = [t for r in reviews for t in r.targets.all()]
    objects["commendation"] = [c for r in reviews for c in r.commendations.all()]
    return {"objects": objects, "zone": zone_a, "official": official,
            "probationer": probationer, "candidate": candidate, "enterprise": enterprise,
            "joint": joint}


def _import_run(user, kind, header, row):
    upload = SimpleUploadedFile("ds.xlsx", xlsx(header, [row]))
    return import_services.import_run_create(actor=user, kind=kind, upload=upload, as_of=TODAY)


# --- the application's URLs ----------------------------------------------------------------


# The query strings that make a page or a fragment show people (besides none).
def queries(name: str, world) -> list[dict]:
    enterprise, joint = world["enterprise"], world["joint"]
    return {
        "coordination:helper_options": [{"enterprise": enterprise.pk},
                                        {"responsible_organization": joint.pk}],
        "coordination:members_move": [{"from_enterprise": f"{enterprise.name} · "
                                                          f"{enterprise.tax_code}"}],
        "coordination:pipeline": [{"zone": world["zone"].pk}],
    }.get(name, [])


# What a POST sends (besides nothing) to have a form shown again with its choices.
def post_data(name: str, world) -> list[dict]:
    enterprise, joint = world["enterprise"], world["joint"]
    return {
        "coordination:candidate_create": [{"enterprise": enterprise.pk,
                                           "responsible_organization": joint.pk}],
        "coordination:member_create": [{"enterprise": enterprise.pk,
                                        "party_organization": joint.pk}],
    }.get(name, [])


def app_urls(name: str, pattern: URLPattern, world) -> list[str]:
    """The URLs of ``name`` for every world object that fits it."""
    objects = world["objects"]
    params = set(pattern.pattern.converters)
    if not params:
        return [reverse(name)]
    if name == "enterprises:massorg_dissolve":
        return [reverse(name, kwargs={"pk": objects["enterprise"][0].pk,
                                      "org_pk": objects["massorg"][0].pk})]
    if name == "surveys:visit_mass_organization":
        return [reverse(name, kwargs={"pk": objects["visit"][0].pk, "kind": "trade_union"})]
    if name == "coordination:founding_start":
        return [reverse(name, kwargs={"enterprise_pk": objects["enterprise"][0].pk})]
    if name in ("core:import_upload", "core:import_template"):
        return [reverse(name, kwargs={"kind": kind})
                for kind in ("enterprises", "party_members", "candidates")]
    if name not in OBJECT_OF or params != {"pk"}:
        pytest.fail(f"{name}: say which world objects fill its URL")
    key = OBJECT_OF[name].removeprefix("own:")
    return [reverse(name, kwargs={"pk": obj.pk}) for obj in objects[key]]


def with_query(url: str, query: dict) -> str:
    return f"{url}?{urlencode(query)}" if query else url


class Walk:
    """Asks for URLs as one account; records what was shown without a log row."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        self.client.force_login(user)
        self.problems: list[str] = []
        self.naming: set[str] = set()

    def ask(self, label: str, method: str, url: str, data=None, **headers):
        before = logged()
        if method == "get":
            response = self.client.get(url, headers=headers)
        else:
            response = self.client.post(url, data or {}, headers=headers)
        written = logged() - before
        markers = shown(response, url) if response.status_code == 200 else []
        if markers:
            self.naming.add(label)
            if written != 1:
                self.problems.append(f"{method.upper()} {url} {headers or ''}: shows "
                                     f"{markers[0]!r}, {written} log rows")
        return response


HTMX = {"HX-Request": "true"}


def test_every_page_naming_a_person_writes_one_log_row(client, world, pc_officer):
    walk = Walk(client, pc_officer)
    for name, pattern in sorted(project_urls().items()):
        for url in app_urls(name, pattern, world):
            for query in [{}, *queries(name, world)]:
                if walk.ask(name, "get", with_query(url, query)).status_code == 200:
                    walk.ask(name, "get", with_query(url, query), **HTMX)
    assert not walk.problems, "\n".join(walk.problems)
    # The world reaches the people where they are shown (the walk is not empty).
    assert walk.naming >= {
        "coordination:pipeline", "coordination:candidate_list", "coordination:member_list",
        "coordination:candidate_detail", "coordination:candidate_advance",
        "coordination:member_detail", "coordination:member_recognise",
        "coordination:recognition_due", "coordination:helper_options",
        "coordination:members_move", "coordination:founding_detail",
        "coordination:founding_step", "enterprises:enterprise_detail", "surveys:visit_detail",
        "core:import_preview", "coordination:candidate_document_create",
        "coordination:dossier_document_update",
        "api:member_list", "api:member_detail", "api:candidate_list", "api:candidate_detail",
        "coordination:review_detail",
    }, sorted(walk.naming)


def test_every_form_sent_back_naming_a_person_writes_one_log_row(client, world, pc_officer):
    """A POST with nothing (or a form's first choices) that shows its page again.
    Each URL's POSTs are rolled back, so each finds the world as it was."""
    walk = Walk(client, pc_officer)
    for name, pattern in sorted(project_urls().items()):
        for url in app_urls(name, pattern, world):
            for data in [{}, *post_data(name, world)]:
                for headers in ({}, HTMX):
                    with transaction.atomic():
                        walk.ask(name, "post", url, data, **headers)
                        transaction.set_rollback(True)
                    client.force_login(pc_officer)  # signed out by a POST, or the rollback
    assert not walk.problems, "\n".join(walk.problems)
    assert walk.naming >= {
        "coordination:candidate_advance", "coordination:candidate_close",
        "coordination:candidate_create", "coordination:member_create",
        "coordination:member_recognise", "coordination:founding_step",
        "enterprises:workforce_create", "core:import_confirm",
        "coordination:candidate_document_create", "coordination:dossier_document_update",
    }, sorted(walk.naming)


# --- the Django admin ----------------------------------------------------------------------


@pytest.fixture
def staff_officer(db):
    return UserFactory(username="pc_staff", organization=User.Organization.PARTY_COMMITTEE,
                       role=User.Role.OFFICER, is_staff=True)


def admin_urls(world) -> list[tuple[str, str]]:
    """(name, URL) of every admin page of the registered models over the world's
    objects, and of the site's own pages."""
    patterns = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "admin":
            patterns = dict(_admin_walk(entry.url_patterns))
    urls = []
    models = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    for name, pattern in sorted(patterns.items()):
        regex = getattr(pattern.pattern, "regex", None)
        params = set(pattern.pattern.converters) or set(regex.groupindex if regex else ())
        positional = not params and regex is not None and regex.groups
        if not params and not positional:
            urls.append((name, reverse(f"admin:{name}")))
            continue
        if params == {"app_label"}:
            urls += [(name, reverse(f"admin:{name}", kwargs={"app_label": label}))
                     for label in sorted({m._meta.app_label for m in admin.site._registry})]
            continue
        prefix = next((p for p in models if name.startswith(p + "_")), None)
        if prefix is None:
            continue  # view_on_site: a redirect
        model = models[prefix]
        for obj in model._default_manager.order_by("pk")[:5]:
            if positional:  # simple_history's view of one version
                record = obj.history.order_by("history_id").first()
                if record is not None:
                    urls.append((name, reverse(f"admin:{name}",
                                               args=[obj.pk, record.history_id])))
                continue
            urls.append((name, reverse(f"admin:{name}", kwargs={"object_id": obj.pk})))
    return urls


def _model_of(admin_name: str):
    return next(m for m in admin.site._registry
                if admin_name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_"))


def _admin_walk(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _admin_walk(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name, pattern


@pytest.fixture
def admin_world(world, staff_officer):
    """The admin's own record of changes: the member and the candidate changed there."""
    request = RequestFactory().get("/")
    request.user = staff_officer
    for obj in (world["official"], world["candidate"]):
        admin.site._registry[type(obj)].log_change(request, obj, "Sửa")
    assert LogEntry.objects.filter(user=staff_officer).count() == 2
    return world


def test_every_admin_page_naming_a_person_writes_one_log_row(client, admin_world, staff_officer):
    walk = Walk(client, staff_officer)
    searches = [{"q": OFFICIAL["citizen_id"]}, {"q": CANDIDATE["citizen_id"]},
                {"q": OFFICIAL["given_name"]}, {"_popup": "1", "_to_field": "id"}]
    member = admin_world["official"].pk
    for name, url in admin_urls(admin_world):
        walk.ask(name, "get", url)
        if name.endswith("_changelist"):
            for query in searches:
                walk.ask(name, "get", with_query(url, query))
        if name.endswith("_add"):
            # A member given as an initial value (a raw-id field shows the name).
            fields = {f.name for f in _model_of(name)._meta.get_fields()
                      if getattr(f, "related_model", None) is PartyMember
                      and f.many_to_one}
            if fields:
                walk.ask(name, "get", with_query(url, dict.fromkeys(fields, member)))
        if name.endswith("_change"):
            with transaction.atomic():
                walk.ask(name, "post", url, {})
                transaction.set_rollback(True)
            client.force_login(staff_officer)
    assert not walk.problems, "\n".join(walk.problems)
    assert walk.naming >= {
        "coordination_partymember_changelist", "coordination_partymember_change",
        "coordination_admissioncandidate_changelist", "coordination_admissioncandidate_change",
        "coordination_recognition_changelist", "coordination_recognitionvote_changelist",
        "coordination_partymember_add", "coordination_admissioncandidate_add",
    }, sorted(walk.naming)


def test_admin_lists_mask_the_citizen_id(client, admin_world, staff_officer):
    client.force_login(staff_officer)
    for model in (PartyMember, AdmissionCandidate):
        url = reverse(f"admin:coordination_{model._meta.model_name}_changelist")
        body = client.get(url).content.decode()
        for person in PEOPLE:
            assert person["citizen_id"] not in body
        assert mask_citizen_id(OFFICIAL["citizen_id"] if model is PartyMember
                               else CANDIDATE["citizen_id"]) in body


def test_admin_search_by_citizen_id_is_logged_without_its_term(client, admin_world,
                                                               staff_officer):
    client.force_login(staff_officer)
    url = reverse("admin:coordination_partymember_changelist")
    response = client.get(url, {"q": OFFICIAL["citizen_id"]})
    assert full_name(OFFICIAL) in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.record_type) == (staff_officer, "list",
                                                       "coordination.partymember")
    assert log.detail == "admin changelist search by citizen ID"
    client.get(url, {"q": OFFICIAL["given_name"]})
    assert PersonalDataAccess.objects.latest("pk").detail == "admin changelist search"
    for row in PersonalDataAccess.objects.all():
        assert not any(marker in row.detail for marker in MARKERS)
        assert OFFICIAL["given_name"] not in row.detail


def test_admin_change_and_history_pages_log_the_record(client, admin_world, staff_officer):
    client.force_login(staff_officer)
    member = admin_world["official"]
    for name in ("change", "history"):
        client.get(reverse(f"admin:coordination_partymember_{name}", args=[member.pk]))
    rows = list(PersonalDataAccess.objects.order_by("pk").values_list(
        "action", "record_type", "record_id", "detail"))
    assert rows == [("view", "coordination.partymember", member.pk, "admin change"),
                    ("view", "coordination.partymember", member.pk, "admin history")]


def test_the_admin_recent_actions_name_no_one(client, admin_world, staff_officer):
    client.force_login(staff_officer)
    body = client.get(reverse("admin:index")).content.decode()
    assert f"#{admin_world['official'].pk}" in body
    assert not shown(client.get(reverse("admin:index")), "")


def test_the_log_rows_of_the_walk_hold_no_name_and_no_citizen_id(client, world, pc_officer):
    client.force_login(pc_officer)
    for url in (reverse("coordination:pipeline"),
                reverse("coordination:helper_options") + f"?enterprise={world['enterprise'].pk}",
                world["enterprise"].get_absolute_url(),
                reverse("core:import_preview", args=[world["objects"]["import_run"][0].pk]),
                reverse("coordination:candidate_advance", args=[world["candidate"].pk]),
                reverse("coordination:founding_step",
                        args=[world["objects"]["founding"][0].pk])):
        assert shown(client.get(url), url), url
    rows = list(PersonalDataAccess.objects.order_by("pk").values_list(
        "action", "record_type", "record_id", "detail"))
    founding = world["objects"]["founding"][0]
    assert rows == [
        ("list", "coordination.admissioncandidate", None, "pipeline"),
        ("list", "coordination.partymember", None, "helper_options"),
        ("list", "coordination.partymember", None,
         f"enterprise_profile enterprise={world['enterprise'].pk} members and candidates"),
        ("list", "coordination.partymember", None,
         f"import_preview run={world['objects']['import_run'][0].pk}"),
        ("view", "coordination.admissioncandidate", world["candidate"].pk, ""),
        ("list", "coordination.partymember", None, f"founding_step founding={founding.pk}"),
    ]
    for row in rows:
        assert not any(marker in row[3] for marker in MARKERS)


# --- exports are POST ----------------------------------------------------------------------


def export_names() -> list[str]:
    """Every URL that answers with a file of records: exports and downloads."""
    return sorted(name for name in project_urls()
                  if name.endswith(("_export", "_download", "import_errors", "_subject_file"))
                  and name != "core:attachment_download")


def test_the_exports_are_found():
    assert set(export_names()) == {
        "coordination:candidate_export", "coordination:member_export",
        "coordination:candidate_subject_file", "coordination:member_subject_file",
        "core:import_errors", "enterprises:enterprise_export", "reports:report_download",
        "api:report_download", "core:export_download"}


@pytest.mark.parametrize("name", export_names())
def test_an_export_is_a_post_and_a_get_writes_nothing(client, world, pc_officer, name):
    client.force_login(pc_officer)
    for url in app_urls(name, project_urls()[name], world):
        assert client.get(url).status_code == 405
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("name", ["coordination:candidate_export",
                                  "coordination:member_export"])
def test_a_personal_export_writes_one_row_on_post(client, world, pc_officer, name):
    client.force_login(pc_officer)
    response = client.post(reverse(name) + "?page=2")
    assert response.status_code == 200 and response.streaming
    log = PersonalDataAccess.objects.get()
    assert log.action == "export" and log.user == pc_officer


def test_the_download_of_a_personal_export_job_writes_one_row(client, world, pc_officer):
    client.force_login(pc_officer)
    job = world["objects"]["export_job"][0]
    response = client.post(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200 and response.streaming
    log = PersonalDataAccess.objects.get()
    assert (log.action, log.user, log.record_type, log.record_id, log.detail) == (
        "export", pc_officer, "coordination.partymember", None,
        f"export_job={job.pk} status=official")
    # The page and the row of the job name no one: nothing is logged for them.
    client.get(reverse("core:export_list"))
    client.get(reverse("core:export_status", args=[job.pk]))
    assert PersonalDataAccess.objects.count() == 1


def test_the_errors_workbook_of_a_file_naming_people_is_an_export(client, world, pc_officer):
    client.force_login(pc_officer)
    run = world["objects"]["import_run"][2]  # its row is refused
    response = client.post(reverse("core:import_errors", args=[run.pk]))
    assert response.status_code == 200 and response.streaming
    log = PersonalDataAccess.objects.exclude(action="refused").get()
    assert (log.action, log.record_type, log.detail) == (
        "export", "coordination.partymember", f"import_errors run={run.pk}")


@pytest.mark.parametrize(("list_name", "export_name"), [
    ("coordination:candidate_list", "coordination:candidate_export"),
    ("coordination:member_list", "coordination:member_export"),
    ("enterprises:enterprise_list", "enterprises:enterprise_export"),
])
def test_the_export_buttons_are_forms_with_a_csrf_token_and_the_filters(
        client, world, pc_officer, list_name, export_name):
    import lxml.html

    client.force_login(pc_officer)
    zone = world["zone"].pk
    page = lxml.html.fromstring(client.get(f"{reverse(list_name)}?page=1&zone={zone}").content)
    form = page.xpath('//*[@data-testid="export"]/ancestor::form[1]')[0]
    assert form.get("method") == "post"
    assert form.xpath('.//input[@name="csrfmiddlewaretoken"]')
    assert form.get("action") == f"{reverse(export_name)}?zone={zone}"
