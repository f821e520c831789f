"""Survey pages: every view for every role (anonymous → login, lacking a
permission → 403, out of the account's zones → 404), the forms end to end
(follow-up rows, files, refused files), the apply/register actions, the
enterprise profile's panel, attachment downloads and bounded query counts.

Labels are read in English (the "lang" cookie) or not at all.
"""

from __future__ import annotations

import base64
from datetime import date, timedelta

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coordination.models import AdmissionCandidate, CoordinationPlan
from core import attachments
from core.models import Attachment, PersonalDataAccess
from enterprises.models import MassOrganization
from surveys import services
from surveys.models import FollowUp, SurveyCampaign, SurveyVisit
from tests.coordination.factories import make_working_group
from tests.enterprises.factories import make_enterprise

from .factories import (
    TODAY,
    candidate_data,
    make_campaign,
    make_visit,
)

pytestmark = pytest.mark.django_db

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def png(name="anh.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def doc(response):
    return lxml.html.fromstring(response.content.decode())


def by_testid(response, name) -> list:
    return doc(response).xpath(f'//*[@data-testid="{name}"]')


@pytest.fixture
def as_user(client):
    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


@pytest.fixture
def world(pc_officer, zone_a, zone_b):
    """Campaign ``both`` over zones A and B, ``far`` over zone B only; a visit
    in each zone with a follow-up and a photo."""
    a1 = make_enterprise(zone_a, name="Công ty TNHH An Bình Một")
    a2 = make_enterprise(zone_a, name="Công ty TNHH An Bình Hai")
    b1 = make_enterprise(zone_b, name="Công ty TNHH Bình Đông Một")
    group = make_working_group()
    both = make_campaign(pc_officer, [zone_a, zone_b], [a1, a2, b1], group=group,
                         name="Đợt khảo sát hai khu")
    far = make_campaign(pc_officer, [zone_b], [b1], group=group, name="Đợt khảo sát khu B")
    follow = {"action": "Làm việc với chủ doanh nghiệp", "owner": pc_officer,
              "due_on": TODAY - timedelta(days=2)}
    visit_a = make_visit(pc_officer, both, a1, follow_ups=[follow])
    visit_b = make_visit(pc_officer, far, b1, follow_ups=[follow])
    file_a = attachments.attach(visit_a, [png()], user=pc_officer)[0]
    file_b = attachments.attach(visit_b, [png()], user=pc_officer)[0]
    return {"a1": a1, "a2": a2, "b1": b1, "both": both, "far": far, "group": group,
            "visit_a": visit_a, "visit_b": visit_b, "file_a": file_a, "file_b": file_b,
            "follow_a": visit_a.follow_ups.get(), "follow_b": visit_b.follow_ups.get()}


# --- access for every view ------------------------------------------------------------------

READ = "read"
WRITE = "write"


def urls(world) -> list[tuple[str, str, str, str]]:
    """(name, method, url in scope of the IZ officer, url out of it)."""
    va, vb = world["visit_a"].pk, world["visit_b"].pk
    both, far = world["both"].pk, world["far"].pk
    return [
        (READ, "get", reverse("surveys:campaign_list"), None),
        (READ, "get", reverse("surveys:campaign_detail", args=[both]),
         reverse("surveys:campaign_detail", args=[far])),
        (READ, "get", reverse("surveys:visit_detail", args=[va]),
         reverse("surveys:visit_detail", args=[vb])),
        (WRITE, "get", reverse("surveys:campaign_create"), None),
        (WRITE, "get", reverse("surveys:enterprise_options"), None),
        (WRITE, "get", reverse("surveys:campaign_update", args=[both]),
         reverse("surveys:campaign_update", args=[far])),
        (WRITE, "get", reverse("surveys:visit_create", args=[both]),
         reverse("surveys:visit_create", args=[far])),
        (WRITE, "get", reverse("surveys:visit_update", args=[va]),
         reverse("surveys:visit_update", args=[vb])),
        (WRITE, "post", reverse("surveys:visit_apply_workforce", args=[va]),
         reverse("surveys:visit_apply_workforce", args=[vb])),
        (WRITE, "post", reverse("surveys:visit_mass_organization", args=[va, "trade_union"]),
         reverse("surveys:visit_mass_organization", args=[vb, "trade_union"])),
        (WRITE, "get", reverse("surveys:visit_register_candidate", args=[va]),
         reverse("surveys:visit_register_candidate", args=[vb])),
        (WRITE, "post", reverse("surveys:follow_up_done", args=[world["follow_a"].pk]),
         reverse("surveys:follow_up_done", args=[world["follow_b"].pk])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for _kind, method, url, _out in urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_accounts_without_the_permission_get_403(client, world, administrator, pc_leader,
                                                 iz_leader):
    for _kind, method, url, _out in urls(world):
        client.force_login(administrator)  # no survey permission at all
        assert getattr(client, method)(url).status_code == 403, url
    for user in (pc_leader, iz_leader):  # see surveys, do not record them
        client.force_login(user)
        for kind, method, url, _out in urls(world):
            expected = 200 if kind == READ else 403
            assert getattr(client, method)(url).status_code == expected, (user, url)


def test_iz_officers_get_404_outside_their_zones(client, world, iz_officer):
    client.force_login(iz_officer)
    for _kind, method, _url, out in urls(world):
        if out is not None:
            assert getattr(client, method)(out).status_code == 404, out
    assert world["follow_b"].__class__.objects.get(pk=world["follow_b"].pk).done_on is None


def test_officers_open_every_page_in_scope(client, world, pc_officer, iz_officer):
    for user in (pc_officer, iz_officer):
        client.force_login(user)
        for _kind, method, url, _out in urls(world):
            if method == "get":
                assert client.get(url).status_code == 200, (user, url)


def test_attachment_downloads_follow_the_visit_scope(client, world, iz_officer, pc_leader,
                                                     administrator):
    url_a = reverse("core:attachment_download", args=[world["file_a"].pk])
    url_b = reverse("core:attachment_download", args=[world["file_b"].pk])
    assert client.get(url_a).status_code == 302
    client.force_login(iz_officer)
    response = client.get(url_a)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert client.get(url_b).status_code == 404
    client.force_login(pc_leader)
    assert client.get(url_b).status_code == 200
    client.force_login(administrator)
    assert client.get(url_a).status_code == 404


# --- lists and pages, scoped ---------------------------------------------------------------------


def test_the_campaign_list_counts_what_the_account_sees(as_user, world, pc_officer,
                                                        iz_officer):
    response = as_user(pc_officer).get(reverse("surveys:campaign_list"))
    # The plans area's tabs (or this page's own header while they do not exist).
    tab = doc(response).xpath('//*[@data-testid="survey-campaigns-tab" or '
                              '@data-testid="surveys-tabs"]//@aria-current')
    assert tab == ["page"]
    rows = {int(r.get("data-campaign")): r for r in by_testid(response, "campaign-row")}
    assert set(rows) == {world["both"].pk, world["far"].pk}
    progress = rows[world["both"].pk].xpath('.//*[@data-testid="progress"]')[0]
    assert (progress.get("data-visited"), progress.get("data-planned")) == ("1", "3")
    assert rows[world["both"].pk].xpath('.//*[@data-testid="overdue-follow-ups"]')

    response = as_user(iz_officer).get(reverse("surveys:campaign_list"))
    rows = {int(r.get("data-campaign")): r for r in by_testid(response, "campaign-row")}
    assert set(rows) == {world["both"].pk}
    progress = rows[world["both"].pk].xpath('.//*[@data-testid="progress"]')[0]
    assert (progress.get("data-visited"), progress.get("data-planned")) == ("1", "2")


def test_the_campaign_page_shows_progress_classes_and_follow_ups(as_user, world, pc_officer,
                                                                 iz_officer):
    make_visit(pc_officer, world["both"], world["b1"], classification="A")
    url = reverse("surveys:campaign_detail", args=[world["both"].pk])
    response = as_user(pc_officer).get(url)
    assert by_testid(response, "visited-count")[0].text == "2"
    assert by_testid(response, "planned-count")[0].text == "3"
    counts = {li.get("data-class"): li.xpath('.//*[@data-testid="class-count"]')[0].text
              for li in doc(response).xpath('//*[@data-testid="classification-counts"]/li')}
    assert counts == {"A": "1", "B": "1", "C": "0"}
    states = {int(r.get("data-enterprise")): r.get("data-state")
              for r in by_testid(response, "enterprise-row")}
    assert states == {world["a1"].pk: "visited", world["a2"].pk: "planned",
                      world["b1"].pk: "visited"}
    follow_ups = by_testid(response, "follow-up")
    assert [f.get("data-state") for f in follow_ups] == ["overdue"]

    response = as_user(iz_officer).get(url)
    assert by_testid(response, "planned-count")[0].text == "2"
    assert {int(r.get("data-enterprise")) for r in by_testid(response, "enterprise-row")} == {
        world["a1"].pk, world["a2"].pk}
    assert world["b1"].name not in response.content.decode()


def test_mark_a_follow_up_done_from_the_campaign_page(as_user, world, iz_officer):
    client = as_user(iz_officer)
    campaign_url = reverse("surveys:campaign_detail", args=[world["both"].pk])
    response = client.post(reverse("surveys:follow_up_done", args=[world["follow_a"].pk]),
                           {"done_on": TODAY.strftime("%d/%m/%Y"), "next": campaign_url})
    assert response.status_code == 302
    assert response["Location"] == campaign_url
    world["follow_a"].refresh_from_db()
    assert world["follow_a"].done_on == TODAY
    response = client.get(campaign_url)
    assert by_testid(response, "follow-up") == []
    # A next pointing elsewhere is ignored.
    response = client.post(reverse("surveys:follow_up_done", args=[world["follow_a"].pk]),
                           {"done_on": TODAY.strftime("%d/%m/%Y"),
                            "next": "https://example.com/"})
    assert response["Location"] == world["visit_a"].get_absolute_url()


# --- planning a campaign ------------------------------------------------------------------


def test_plan_a_campaign_with_the_default_enterprises(as_user, pc_officer, zone_a):
    without = make_enterprise(zone_a)
    make_enterprise(zone_a, party_org=True)
    group = make_working_group()
    response = as_user(pc_officer).post(reverse("surveys:campaign_create"), {
        "name": "Khảo sát quý III", "working_group": group.pk,
        "starts_on": TODAY.strftime("%d/%m/%Y"),
        "ends_on": (TODAY + timedelta(days=60)).strftime("%d/%m/%Y"), "zones": [zone_a.pk]})
    campaign = SurveyCampaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url()
    assert list(campaign.enterprises.all()) == [without]


def test_the_campaign_form_offers_no_draft_plan_to_the_iz_board(as_user, iz_officer,
                                                                 pc_officer, zone_a):
    approved = CoordinationPlan.objects.create(
        year=TODAY.year, title="Kế hoạch đã phê duyệt", status=CoordinationPlan.Status.APPROVED,
        approved_by=pc_officer, approved_at=timezone.now())
    draft = CoordinationPlan.objects.create(year=TODAY.year + 1, title="Kế hoạch dự thảo")
    page = as_user(iz_officer).get(reverse("surveys:campaign_create"))
    assert list(page.context["form"].fields["plan"].queryset) == [approved]
    assert "Kế hoạch dự thảo" not in page.content.decode()
    page = as_user(pc_officer).get(reverse("surveys:campaign_create"))
    assert list(page.context["form"].fields["plan"].queryset) == [draft, approved]
    # The service refuses it too, whatever the form offers.
    with pytest.raises(PermissionDenied):
        make_campaign(iz_officer, [zone_a], [make_enterprise(zone_a)], plan=draft,
                      ends_on=date(TODAY.year + 1, 1, 31))
    assert not SurveyCampaign.objects.exists()


def test_campaign_errors_land_on_their_fields(as_user, pc_officer, zone_a):
    make_enterprise(zone_a, party_org=True)
    response = as_user(pc_officer).post(reverse("surveys:campaign_create"), {
        "name": "Khảo sát", "working_group": make_working_group().pk,
        "starts_on": TODAY.strftime("%d/%m/%Y"), "ends_on": TODAY.strftime("%d/%m/%Y"),
        "zones": [zone_a.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["enterprises"]
    assert not SurveyCampaign.objects.exists()


def test_the_enterprise_checkboxes_follow_the_zones_and_the_scope(as_user, iz_officer,
                                                                  zone_a, zone_b):
    suggested = make_enterprise(zone_a)
    with_org = make_enterprise(zone_a, party_org=True)
    make_enterprise(zone_b)
    response = as_user(iz_officer).get(reverse("surveys:enterprise_options"),
                                       {"zones": [zone_a.pk, zone_b.pk],
                                        "enterprises": [with_org.pk]})
    boxes = doc(response).xpath('//input[@name="enterprises"]')
    assert {int(b.get("value")) for b in boxes} == {suggested.pk, with_org.pk}
    by_pk = {int(b.get("value")): b for b in boxes}
    assert by_pk[suggested.pk].get("data-suggested") is not None
    assert by_pk[with_org.pk].get("data-suggested") is None
    assert by_pk[with_org.pk].get("checked") is not None


def test_edit_keeps_the_other_zones_for_an_iz_officer(as_user, world, iz_officer):
    response = as_user(iz_officer).post(
        reverse("surveys:campaign_update", args=[world["both"].pk]), {
            "name": "Đợt khảo sát hai khu", "working_group": world["group"].pk,
            "starts_on": world["both"].starts_on.strftime("%d/%m/%Y"),
            "ends_on": world["both"].ends_on.strftime("%d/%m/%Y"),
            "zones": [world["a1"].zone_id], "enterprises": [world["a1"].pk]})
    assert response.status_code == 302
    assert set(world["both"].enterprises.all()) == {world["a1"], world["b1"]}


# --- recording a visit --------------------------------------------------------------------


def visit_post(enterprise=None, **fields) -> dict:
    data = {
        "visited_on": (TODAY - timedelta(days=1)).strftime("%d/%m/%Y"),
        "participants": "Đ/c Phạm Minh Đức", "workers": "410", "female_workers": "200",
        "party_members_found": "1", "trade_union": "present", "trade_union_members": "300",
        "youth_union": "unknown", "youth_union_members": "", "owner_attitude": "neutral",
        "outstanding_workers": "2", "findings": "Có 1 đảng viên.", "classification": "B",
        "recommendations": "Bồi dưỡng quần chúng ưu tú.",
        "follow_ups-TOTAL_FORMS": "2", "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0", "follow_ups-MAX_NUM_FORMS": "1000",
        "follow_ups-0-action": "Giới thiệu đi học lớp bồi dưỡng",
        "follow_ups-0-owner": "", "follow_ups-0-due_on": TODAY.strftime("%d/%m/%Y"),
        "follow_ups-1-action": "", "follow_ups-1-owner": "", "follow_ups-1-due_on": "",
        **fields,
    }
    if enterprise is not None:
        data["enterprise"] = str(enterprise.pk)
    return data


def test_record_a_visit_with_follow_ups_and_files(as_user, world, iz_officer, pc_officer):
    url = reverse("surveys:visit_create", args=[world["both"].pk])
    client = as_user(iz_officer)
    form = client.get(url, {"enterprise": world["a2"].pk})
    options = doc(form).xpath('//select[@name="enterprise"]//option/@value')
    assert str(world["b1"].pk) not in options and str(world["a2"].pk) in options
    assert doc(form).xpath(f'//option[@value="{world["a2"].pk}"]/@selected')
    data = visit_post(world["a2"], **{"follow_ups-0-owner": str(pc_officer.pk)})
    data["photos"] = [png("anh-1.png"), png("anh-2.png")]
    response = client.post(url, data)
    visit = SurveyVisit.objects.get(enterprise=world["a2"])
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.workers, visit.classification, visit.recorded_by) == (410, "B", iz_officer)
    assert list(visit.follow_ups.values_list("action", "owner")) == [
        ("Giới thiệu đi học lớp bồi dưỡng", pc_officer.pk)]
    assert sorted(a.original_name for a in attachments.attachments_of(visit)) == [
        "anh-1.png", "anh-2.png"]
    assert visit.history.get().history_user == iz_officer


def test_a_refused_file_keeps_what_was_typed(as_user, world, pc_officer):
    url = reverse("surveys:visit_create", args=[world["both"].pk])
    data = visit_post(world["a2"], participants="Đ/c Lê Thu Hà và đ/c Vũ Đình Khánh")
    data["minutes"] = SimpleUploadedFile("bien-ban.pdf", b"not really a pdf",
                                         content_type="application/pdf")
    response = as_user(pc_officer).post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "bien-ban.pdf" in form.errors["minutes"][0]
    assert "not an accepted type" in form.errors["minutes"][0]
    page = doc(response)
    assert page.get_element_by_id("id_participants").text_content().strip() == \
        "Đ/c Lê Thu Hà và đ/c Vũ Đình Khánh"
    assert page.get_element_by_id("id_workers").get("value") == "410"
    assert page.xpath('//input[@name="classification"][@value="B"]/@checked')
    assert page.get_element_by_id("id_follow_ups-0-action").get("value") == \
        "Giới thiệu đi học lớp bồi dưỡng"
    assert not SurveyVisit.objects.filter(enterprise=world["a2"]).exists()
    assert Attachment.objects.count() == 2  # the world's two


def test_the_refusal_is_a_translated_message(client, world, pc_officer):
    client.force_login(pc_officer)  # Vietnamese, the default language
    data = visit_post(world["a2"])
    data["photos"] = SimpleUploadedFile("anh.png", b"plain text", content_type="image/png")
    response = client.post(reverse("surveys:visit_create", args=[world["both"].pk]), data)
    with translation.override("vi"):
        expected = translation.gettext(
            "The file “%(name)s” is not an accepted type. Accepted: %(types)s.") % {
            "name": "anh.png", "types": attachments.allowed_types_label()}
    assert response.context["form"].errors["photos"] == [expected]


def test_service_errors_land_on_the_fields_and_rows(as_user, world, pc_officer):
    url = reverse("surveys:visit_create", args=[world["both"].pk])
    data = visit_post(world["a2"], female_workers="500", **{
        "follow_ups-0-due_on": (TODAY - timedelta(days=30)).strftime("%d/%m/%Y")})
    response = as_user(pc_officer).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["female_workers"]
    data = visit_post(world["a2"], **{
        "follow_ups-0-due_on": (TODAY - timedelta(days=30)).strftime("%d/%m/%Y")})
    response = as_user(pc_officer).post(url, data)
    assert response.context["formset"].forms[0].errors["due_on"]
    assert not SurveyVisit.objects.filter(enterprise=world["a2"]).exists()


def test_a_visit_to_an_unlisted_enterprise_adds_it(as_user, world, pc_officer, zone_a):
    extra = make_enterprise(zone_a, name="Công ty TNHH Ngoài Danh Sách", party_org=True)
    response = as_user(pc_officer).post(
        reverse("surveys:visit_create", args=[world["both"].pk]), visit_post(extra),
        follow=True)
    assert extra in world["both"].enterprises.all()
    assert any("added" in str(m) for m in response.context["messages"])


def test_an_iz_officer_cannot_pick_an_enterprise_of_another_zone(as_user, world, iz_officer):
    response = as_user(iz_officer).post(
        reverse("surveys:visit_create", args=[world["both"].pk]), visit_post(world["b1"]))
    assert response.status_code == 200
    assert response.context["form"].errors["enterprise"]
    assert world["b1"].survey_visits.count() == 1  # the world's visit in campaign "far"


def test_edit_a_visit_and_its_follow_ups(as_user, world, pc_officer):
    visit, follow_up = world["visit_a"], world["follow_a"]
    data = visit_post(recommendations="Kiến nghị mới", **{
        "follow_ups-TOTAL_FORMS": "3", "follow_ups-INITIAL_FORMS": "1",
        "follow_ups-0-id": str(follow_up.pk), "follow_ups-0-action": "Việc đã sửa",
        "follow_ups-0-due_on": TODAY.strftime("%d/%m/%Y"),
        "follow_ups-2-action": "", "follow_ups-2-owner": "", "follow_ups-2-due_on": ""})
    data["visited_on"] = visit.visited_on.strftime("%d/%m/%Y")
    response = as_user(pc_officer).post(reverse("surveys:visit_update", args=[visit.pk]), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    follow_up.refresh_from_db()
    assert visit.recommendations == "Kiến nghị mới"
    assert follow_up.action == "Việc đã sửa"
    assert visit.follow_ups.count() == 1


# --- the visit page and its actions ------------------------------------------------------------


def test_apply_the_workforce_from_the_visit_page(as_user, world, iz_officer):
    visit = world["visit_a"]
    client = as_user(iz_officer)
    assert by_testid(client.get(visit.get_absolute_url()), "apply-workforce")[0].get(
        "data-state") == "todo"
    response = client.post(reverse("surveys:visit_apply_workforce", args=[visit.pk]),
                           follow=True)
    visit.refresh_from_db()
    assert visit.workforce_record.total_workers == 320
    assert by_testid(response, "apply-workforce")[0].get("data-state") == "done"
    profile = client.get(reverse("enterprises:enterprise_detail", args=[world["a1"].pk]))
    assert "320" in by_testid(profile, "latest-workforce")[0].text_content()
    response = client.post(reverse("surveys:visit_apply_workforce", args=[visit.pk]),
                           follow=True)
    assert any("already" in str(m) for m in response.context["messages"])
    assert world["a1"].workforce_records.count() == 1


def test_record_the_union_from_the_visit_page(as_user, world, iz_officer):
    visit = world["visit_a"]
    url = reverse("surveys:visit_mass_organization", args=[visit.pk, "trade_union"])
    client = as_user(iz_officer)
    response = client.post(url, {"trade_union-established_on": "40/01/2020"})
    assert response.status_code == 200
    assert response.context["unions"][0]["form"].errors["established_on"]
    late = (visit.visited_on + timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(url, {"trade_union-established_on": late})
    assert response.context["unions"][0]["form"].errors["established_on"]
    response = client.post(url, {"trade_union-established_on": "01/02/2020"}, follow=True)
    union = MassOrganization.objects.get(enterprise=world["a1"])
    assert union.established_on.strftime("%d/%m/%Y") == "01/02/2020"
    assert by_testid(response, "apply-trade_union")[0].get("data-state") == "recorded"
    response = client.post(url, {"trade_union-established_on": "01/02/2020"})
    assert response.context["unions"][0]["form"].non_field_errors()
    assert client.post(reverse("surveys:visit_mass_organization",
                               args=[visit.pk, "women"])).status_code == 404


def test_an_iz_officer_registers_a_worker_and_sees_only_the_count(as_user, world, iz_officer):
    visit = world["visit_a"]
    client = as_user(iz_officer)
    url = reverse("surveys:visit_register_candidate", args=[visit.pk])
    data = {k: ("" if v is None else v) for k, v in candidate_data(
        family_name="Đỗ", middle_name="Thị", given_name="Quyên").items()}
    data["date_of_birth"] = "02/03/1996"
    response = client.post(url, data, follow=True)
    candidate = AdmissionCandidate.objects.get()
    assert response.redirect_chain[-1][0] == visit.get_absolute_url()
    assert candidate.identified_on == visit.visited_on
    page = response.content.decode()
    assert "Đỗ Thị Quyên" not in page
    assert candidate.citizen_id not in page
    assert by_testid(response, "candidates")[0].get("data-registered") == "1"
    assert any("registered" in str(m) for m in response.context["messages"])
    assert client.get(candidate.get_absolute_url()).status_code == 403


def test_the_party_committee_sees_the_names_and_the_view_is_logged(as_user, world,
                                                                   pc_officer):
    visit = world["visit_a"]
    candidate = services.visit_register_candidate(actor=pc_officer, visit=visit,
                                                  data=candidate_data(given_name="Quyên"))
    response = as_user(pc_officer).get(visit.get_absolute_url())
    names = by_testid(response, "candidate-names")[0].text_content()
    assert candidate.full_name in names
    assert PersonalDataAccess.objects.filter(user=pc_officer, action="list").exists()


def test_registration_errors_land_on_the_fields(as_user, world, pc_officer):
    visit = world["visit_a"]
    data = {k: ("" if v is None else v) for k, v in candidate_data(citizen_id="0361").items()}
    data["date_of_birth"] = "02/03/1996"
    response = as_user(pc_officer).post(
        reverse("surveys:visit_register_candidate", args=[visit.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["citizen_id"]
    assert not AdmissionCandidate.objects.exists()


def test_the_visit_page_shows_findings_files_and_history(as_user, world, pc_leader):
    visit = world["visit_a"]
    response = as_user(pc_leader).get(visit.get_absolute_url())
    assert by_testid(response, "workers")[0].text == "320"
    photos = doc(response).xpath('//*[@data-testid="photos"]//img/@src')
    assert photos == [reverse("core:attachment_download", args=[world["file_a"].pk])]
    assert by_testid(response, "history-entry")
    assert by_testid(response, "apply-workforce-submit") == []  # the leader records nothing
    assert by_testid(response, "register-candidate") == []
    assert by_testid(response, "done-form") == []


# --- the enterprise profile ----------------------------------------------------------------------


def test_the_enterprise_profile_lists_its_visits(as_user, world, iz_officer):
    client = as_user(iz_officer)
    response = client.get(reverse("enterprises:enterprise_detail", args=[world["a1"].pk]))
    rows = by_testid(response, "survey-visit")
    assert len(rows) == 1
    assert world["visit_a"].get_absolute_url() in lxml.html.tostring(rows[0]).decode()
    response = client.get(reverse("enterprises:enterprise_detail", args=[world["a2"].pk]))
    assert by_testid(response, "survey-visit") == []
    planned = by_testid(response, "planned-campaign")
    assert len(planned) == 1 and world["both"].name in planned[0].text_content()


# --- indicator ------------------------------------------------------------------------------------


def test_the_indicator_counts_distinct_enterprises_visited_in_the_period(world, pc_officer):
    from core import indicators
    from core.periods import Period

    make_visit(pc_officer, world["both"], world["b1"], visited_on=TODAY - timedelta(days=3))
    # b1 has two visits in the period (one per campaign): counted once.
    period = Period(code="test", kind="month", start=TODAY - timedelta(days=30), end=TODAY)
    indicator = indicators.get("enterprises_surveyed")
    assert str(indicator.label) == "Doanh nghiệp được khảo sát trong kỳ"
    assert indicator.compute(indicators.Scope.province(), period) == 2
    assert indicator.compute(indicators.Scope.zone(world["a1"].zone_id), period) == 1
    earlier = Period(code="test", kind="month", start=TODAY - timedelta(days=400),
                     end=TODAY - timedelta(days=30))
    assert indicator.compute(indicators.Scope.province(), earlier) == 0


# --- query counts ----------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(world, pc_officer, zone_a, n: int, start: int) -> None:
    for i in range(start, start + n):
        enterprise = make_enterprise(zone_a, name=f"Công ty TNHH Thêm {i}")
        world["both"].enterprises.add(enterprise)
        visit = make_visit(pc_officer, world["both"], enterprise,
                           classification="ABC"[i % 3], follow_ups=[
                               {"action": f"Việc {i}", "owner": pc_officer,
                                "due_on": TODAY + timedelta(days=i % 5 - 2)}])
        attachments.attach(visit, [png()], user=pc_officer)
        services.visit_register_candidate(actor=pc_officer, visit=visit, data=candidate_data())
        services.visit_update(actor=pc_officer, visit=visit, data={"findings": f"Sửa {i}"})
        make_campaign(pc_officer, [zone_a], [enterprise], group=world["group"],
                      name=f"Đợt thêm {i}")


@pytest.mark.parametrize("user_name", ["pc_officer", "iz_officer"])
def test_page_queries_do_not_grow_with_the_data(request, client, world, pc_officer, zone_a,
                                                user_name):
    user = request.getfixturevalue(user_name)
    client.force_login(user)
    visit = world["visit_a"]
    for i in range(3):
        FollowUp.objects.create(visit=visit, action=f"Thêm {i}", due_on=TODAY)
    pages = {
        "list": reverse("surveys:campaign_list"),
        "detail": reverse("surveys:campaign_detail", args=[world["both"].pk]),
        "visit": visit.get_absolute_url(),
        "profile": reverse("enterprises:enterprise_detail", args=[world["a1"].pk]),
    }
    services.visit_register_candidate(actor=pc_officer, visit=visit, data=candidate_data())
    _grow(world, pc_officer, zone_a, 2, 0)
    small = {name: _count_queries(client, url) for name, url in pages.items()}
    _grow(world, pc_officer, zone_a, 8, 2)
    services.visit_register_candidate(actor=pc_officer, visit=visit, data=candidate_data())
    for i in range(6):
        FollowUp.objects.create(visit=visit, action=f"Sau {i}", due_on=TODAY, owner=pc_officer)
        attachments.attach(visit, [png()], user=pc_officer)
        make_visit(pc_officer, world["both"], world["a1"],
                   visited_on=TODAY - timedelta(days=20 + i))
    services.visit_update(actor=pc_officer, visit=visit, data={"findings": "Sửa lần nữa"})
    large = {name: _count_queries(client, url) for name, url in pages.items()}
    assert large == small
    response = client.get(pages["detail"])
    assert len(response.context["progress"].rows) == (13 if user_name == "pc_officer" else 12)


# --- admin -------------------------------------------------------------------------------------


def test_the_admin_is_read_only_and_scoped(client, world, administrator, iz_officer):
    from tests.factories import UserFactory

    client.force_login(administrator)  # no survey permission
    assert client.get(reverse("admin:surveys_surveyvisit_changelist")).status_code == 403
    staff = UserFactory(organization=iz_officer.organization, role=iz_officer.role,
                        zones=[world["a1"].zone], is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:surveys_surveyvisit_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world["visit_a"]]
    assert client.get(reverse("admin:surveys_surveyvisit_add")).status_code == 403
    response = client.get(reverse("admin:surveys_surveycampaign_changelist"))
    assert list(response.context["cl"].result_list) == [world["both"]]


def test_the_edit_form_keeps_a_dissolved_enterprise_already_listed(as_user, world, pc_officer):
    from enterprises import services as registry

    registry.enterprise_dissolve(enterprise=world["a1"], on=TODAY - timedelta(days=1))
    url = reverse("surveys:campaign_update", args=[world["both"].pk])
    client = as_user(pc_officer)
    page = doc(client.get(url))
    assert page.xpath(f'//input[@name="enterprises"][@value="{world["a1"].pk}"]/@checked')
    response = client.post(url, {
        "name": "Đợt khảo sát hai khu (sửa)", "working_group": world["group"].pk,
        "starts_on": world["both"].starts_on.strftime("%d/%m/%Y"),
        "ends_on": world["both"].ends_on.strftime("%d/%m/%Y"),
        "zones": [world["a1"].zone_id, world["b1"].zone_id],
        "enterprises": [world["a1"].pk, world["a2"].pk, world["b1"].pk]})
    assert response.status_code == 302
    world["both"].refresh_from_db()
    assert world["both"].name == "Đợt khảo sát hai khu (sửa)"
