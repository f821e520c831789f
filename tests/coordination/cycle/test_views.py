"""The working cycle's pages: who may open each (every role, objects out of
scope), what they show, the forms through the services, and query counts
that do not grow with the data.

Labels are read in English (the "lang" cookie) or not at all: assertions look
for numbers and data-testid attributes.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.cycle import services
from coordination.cycle.models import Conclusion, Correspondence, Meeting, Regulation
from coordination.models import PlanTask
from core.attachments import attachments_of
from core.models import PersonalDataAccess
from tests.enterprises.factories import EnterpriseFactory

from .conftest import (
    add_conclusion,
    by_testid,
    days,
    make_letter,
    make_meeting,
    regulation_data,
    soon,
)

pytestmark = pytest.mark.django_db

ROLES = ("pc_officer", "pc_leader", "iz_officer", "iz_leader", "administrator")
OK, REDIRECT, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 302, 403, 404, 405
EVERYONE = dict.fromkeys(ROLES, OK) | {"administrator": FORBIDDEN}
PC_EDIT = dict.fromkeys(ROLES, FORBIDDEN) | {"pc_officer": OK}
RECORDERS = dict.fromkeys(ROLES, FORBIDDEN) | {"pc_officer": OK, "iz_officer": OK}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _d(day) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def world(compositions, plans, pc_officer, zone_a, zone_b):
    regulation = services.regulation_create(data=regulation_data())
    meeting = make_meeting(compositions)
    conclusion = add_conclusion(meeting, pc_officer)
    task_conclusion = add_conclusion(meeting, pc_officer, make_task=True)
    in_b = EnterpriseFactory(zone=zone_b)
    return {
        "regulation": regulation, "meeting": meeting, "conclusion": conclusion,
        "task_conclusion": task_conclusion,
        "letter": make_letter(number="1", enterprises=[EnterpriseFactory(zone=zone_a)],
                              reply_due_on=days(-2)),
        "letter_b": make_letter(number="2", enterprises=[in_b]),
        "pc_letter": make_letter(number="3", direction="pc_out", counterpart="Tỉnh ủy",
                                 enterprises=[EnterpriseFactory(zone=zone_a)]),
        "personal": make_letter(number="4", personal_data=True),
    }


# (url name, key of the world object or None, expected per role)
CASES = [
    ("regulation", None, EVERYONE),
    ("regulation_detail", "regulation", EVERYONE),
    ("regulation_create", None, PC_EDIT),
    ("regulation_update", "regulation", PC_EDIT),
    ("meeting_list", None, EVERYONE),
    ("meeting_detail", "meeting", EVERYONE),
    ("meeting_create", None, PC_EDIT),
    ("meeting_update", "meeting", PC_EDIT),
    ("conclusion_update", "conclusion", PC_EDIT),
    ("correspondence_list", None, EVERYONE),
    ("correspondence_detail", "letter", EVERYONE),
    ("correspondence_detail", "letter_b", EVERYONE | {"iz_officer": MISSING}),
    ("correspondence_detail", "personal", EVERYONE | {"iz_officer": MISSING,
                                                      "iz_leader": MISSING}),
    ("correspondence_create", None, RECORDERS),
    ("correspondence_update", "letter", RECORDERS),
    ("correspondence_update", "letter_b", RECORDERS | {"iz_officer": MISSING}),
    # A letter of the Party Committee with another body: the IZ officer sees it (its
    # zone's enterprise) but is sent back to it, not given the form.
    ("correspondence_update", "pc_letter", RECORDERS | {"iz_officer": REDIRECT}),
]


@pytest.mark.parametrize(("name", "key", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_who_opens_each_page(request, as_user, world, name, key, expected):
    url = reverse(f"coordination:{name}", args=[world[key].pk] if key else [])
    got = {role: as_user(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert got == expected
    request.getfixturevalue("client").logout()
    assert request.getfixturevalue("client").get(url).status_code == REDIRECT


@pytest.mark.parametrize(("name", "key"), [
    ("conclusion_make_task", "conclusion"), ("conclusion_delete", "conclusion"),
    ("conclusion_create", "meeting"), ("correspondence_reply", "letter")])
def test_actions_are_posts_of_their_writers(request, as_user, world, name, key):
    url = reverse(f"coordination:{name}", args=[world[key].pk])
    before = (Conclusion.objects.count(), PlanTask.objects.count(),
              Correspondence.objects.filter(replied_on__isnull=False).count())
    for role in ("pc_leader", "iz_leader", "administrator"):
        assert as_user(request.getfixturevalue(role)).post(url, {}).status_code == FORBIDDEN
    if name.startswith("conclusion"):
        assert as_user(request.getfixturevalue("iz_officer")).post(url).status_code == FORBIDDEN
    assert (Conclusion.objects.count(), PlanTask.objects.count(),
            Correspondence.objects.filter(replied_on__isnull=False).count()) == before


# --- The regulation's page ------------------------------------------------------------------


def test_the_empty_state_says_what_to_record_first(as_user, pc_officer, pc_leader, iz_officer):
    url = reverse("coordination:regulation")
    officer = as_user(pc_officer).get(url)
    assert by_testid(officer, "empty-state") and by_testid(officer, "record-regulation")
    for reader in (pc_leader, iz_officer):
        page = as_user(reader).get(url)
        assert by_testid(page, "empty-state") and not by_testid(page, "record-regulation")


def test_the_page_shows_the_regulation_with_its_cycle(as_user, world, pc_officer, iz_officer):
    page = as_user(pc_officer).get(reverse("coordination:regulation"))
    assert page.context["regulation"] == world["regulation"]
    assert by_testid(page, "in-force")
    assert by_testid(page, "party-signatory")[0].text_content().strip() == "Nguyễn Văn Thành"
    figures = {f.get("data-code"): f.xpath('.//*[@data-testid="cycle-value"]')[0]
               .text_content().strip() for f in by_testid(page, "cycle-figure")}
    # One meeting; its two conclusions due in ten days; one letter overdue (day -2).
    assert figures == {"meetings_held": "1", "conclusions_done": "0",
                       "conclusions_overdue": "0", "replies_overdue": "1"}
    assert [r.get("data-meeting") for r in by_testid(page, "meeting-row")] == [
        str(world["meeting"].pk)]
    assert by_testid(page, "overdue-letters")
    assert by_testid(page, "regulation-plans")
    # The IZ officer reads the same page without the Party Committee's buttons.
    page = as_user(iz_officer).get(reverse("coordination:regulation"))
    assert not by_testid(page, "edit-regulation") and not by_testid(page, "add-meeting")
    assert by_testid(page, "add-letter")  # it records its side's letters


def test_recording_the_regulation_with_its_file(as_user, pc_officer):
    data = regulation_data(signed_on=_d(days(-10)), effective_from=_d(days(-10)),
                           in_force_until="")
    data["attachments"] = SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf")
    response = as_user(pc_officer).post(reverse("coordination:regulation_create"), data)
    regulation = Regulation.objects.get()
    assert response.status_code == REDIRECT
    assert response["Location"] == regulation.get_absolute_url()
    assert [a.original_name for a in attachments_of(regulation)] == ["quy-che.pdf"]
    # A second one in force the same days is refused next to the date.
    data = regulation_data(number="02", signed_on=_d(days(-5)), effective_from=_d(days(-5)),
                           in_force_until="")
    response = as_user(pc_officer).post(reverse("coordination:regulation_create"), data)
    assert response.status_code == OK
    assert response.context["form"].errors["effective_from"]


# --- Meetings ---------------------------------------------------------------------------------


def test_recording_a_meeting_choosing_attendees_of_the_composition(as_user, compositions,
                                                                   pc_officer):
    members = compositions["members"]
    client = as_user(pc_officer)
    form = client.get(reverse("coordination:meeting_create") + "?kind=steering").context["form"]
    offered = {m.full_name for m in form.member_choices}
    assert offered == {"Trần Văn Quang", "Vũ Đình Khánh"}  # in office today
    response = client.post(reverse("coordination:meeting_create"), {
        "kind": "steering", "title": "Họp Ban Chỉ đạo quý", "held_on": _d(days(-3)),
        "place": "Phòng họp", "chair": members["Trần Văn Quang"].pk,
        "attendees": [members["Vũ Đình Khánh"].pk], "agenda": "Sơ kết", "guests": "",
        "notice_number": "",
        "attachments": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")})
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.attendees.count() == 2 and attachments_of(meeting).count() == 1


def test_the_attendees_follow_the_kind_and_the_day_by_htmx(as_user, compositions, pc_officer):
    url = reverse("coordination:meeting_create")
    response = as_user(pc_officer).get(url, {"kind": "steering", "held_on": _d(days(-11))},
                                       headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == OK and "<html" not in html
    assert "Mai Thị Hoa" in html  # she served until day -10
    html = as_user(pc_officer).get(url, {"kind": "working_group", "held_on": _d(days(0))},
                                   headers={"HX-Request": "true"}).content.decode()
    assert "Lê Thu Hà" in html and "Trần Văn Quang" not in html


def test_a_conclusion_added_and_made_a_task_then_shown_both_ways(as_user, compositions, plans,
                                                                 pc_officer, iz_officer):
    meeting = make_meeting(compositions)
    client = as_user(pc_officer)
    response = client.post(reverse("coordination:conclusion_create", args=[meeting.pk]), {
        "conclusion-text": "Khảo sát doanh nghiệp FDI", "conclusion-lead_side": "iz_board",
        "conclusion-owner": iz_officer.pk, "conclusion-due_on": _d(soon(5)),
        "conclusion-make_task": "on"})
    assert response.status_code == REDIRECT
    conclusion = Conclusion.objects.get()
    task = conclusion.task
    assert task.owner == iz_officer
    page = client.get(meeting.get_absolute_url())
    [row] = by_testid(page, "conclusion-row")
    assert row.get("data-state") == "open"
    assert row.xpath('.//a[@data-testid="conclusion-task"]/@href') == [
        reverse("coordination:task_detail", args=[task.pk])]
    # The task's page says where it came from; the IZ officer works it.
    task_page = as_user(iz_officer).get(reverse("coordination:task_detail", args=[task.pk]))
    assert by_testid(task_page, "task-meeting")[0].get("href").startswith(
        meeting.get_absolute_url())
    assert task_page.context["progress_form"] is not None


def test_a_refused_conclusion_shows_its_errors(as_user, compositions, pc_officer, iz_officer):
    meeting = make_meeting(compositions, held_on=days(-20))
    response = as_user(pc_officer).post(
        reverse("coordination:conclusion_create", args=[meeting.pk]), {
            "conclusion-text": "Khảo sát", "conclusion-lead_side": "party_committee",
            "conclusion-owner": iz_officer.pk, "conclusion-due_on": _d(days(-21))})
    assert response.status_code == OK
    errors = response.context["conclusion_form"].errors
    assert "due_on" in errors and "owner" in errors
    assert not Conclusion.objects.exists()


def test_make_a_task_later_and_edit_through_it(as_user, world, pc_officer):
    conclusion = world["conclusion"]
    client = as_user(pc_officer)
    client.post(reverse("coordination:conclusion_make_task", args=[conclusion.pk]))
    conclusion.refresh_from_db()
    assert conclusion.task is not None
    response = client.get(reverse("coordination:conclusion_update", args=[conclusion.pk]))
    assert response["Location"] == reverse("coordination:task_detail", args=[conclusion.task_id])


def test_the_meeting_list_filters(as_user, world, compositions, pc_officer):
    make_meeting(compositions, kind="working_group", held_on=days(-400),
                 chair="Hoàng Thị Thu Hằng", attendees=())
    client = as_user(pc_officer)
    url = reverse("coordination:meeting_list")
    rows = lambda **q: [r.get("data-meeting") for r in by_testid(client.get(url, q),  # noqa: E731
                                                               "meeting-row")]
    assert len(rows()) == 2
    assert rows(kind="steering") == [str(world["meeting"].pk)]
    # Day -400 is in another year than day -20, whatever today is.
    assert rows(period=str(days(-400).year)) == rows(kind="working_group")
    assert len(rows(kind="working_group")) == 1
    assert rows(conclusions="overdue") == []
    assert rows(conclusions="open") == [str(world["meeting"].pk)]


# --- Correspondence ---------------------------------------------------------------------------


def test_the_list_filters_and_flags_overdue_replies(as_user, world, pc_officer, iz_officer):
    client = as_user(pc_officer)
    url = reverse("coordination:correspondence_list")
    rows = {r.get("data-letter"): r.get("data-status")
            for r in by_testid(client.get(url), "letter-row")}
    assert rows == {str(world[k].pk): s for k, s in (
        ("letter", "overdue"), ("letter_b", "no_reply"), ("pc_letter", "no_reply"),
        ("personal", "no_reply"))}
    overdue = by_testid(client.get(url, {"status": "overdue"}), "letter-row")
    assert [r.get("data-letter") for r in overdue] == [str(world["letter"].pk)]
    assert "table-danger" in overdue[0].get("class")
    by_direction = by_testid(client.get(url, {"direction": "pc_out"}), "letter-row")
    assert [r.get("data-letter") for r in by_direction] == [str(world["pc_letter"].pk)]
    old = make_letter(number="0", dated=days(-400))
    by_year = by_testid(client.get(url, {"year": days(-400).year}), "letter-row")
    assert [r.get("data-letter") for r in by_year] == [str(old.pk)]  # another year than -15
    # Zone A's IZ officer: its zone's letters, none of zone B, none with personal data.
    seen = {r.get("data-letter") for r in by_testid(as_user(iz_officer).get(url), "letter-row")}
    assert seen == {str(world["letter"].pk), str(world["pc_letter"].pk), str(old.pk)}


def test_an_iz_officer_records_a_reply_letter_of_its_side(as_user, world, zone_a, iz_officer):
    asked = world["letter"]
    client = as_user(iz_officer)
    form = client.get(reverse("coordination:correspondence_create"),
                      {"reply_to": asked.pk}).context["form"]
    assert form.initial["direction"] == "iz_to_pc" and form.initial["in_reply_to"] == asked.pk
    assert {value for value, _label in form.fields["direction"].choices if value} == {
        "pc_to_iz", "iz_to_pc", "iz_out", "iz_in"}
    assert "personal_data" not in form.fields
    assert {e.zone_id for e in form.fields["enterprises"].queryset} == {zone_a.pk}
    response = client.post(reverse("coordination:correspondence_create"), {
        "direction": "iz_to_pc", "number": "9/BQL", "dated": _d(days(0)),
        "subject": "Báo cáo kết quả", "summary": "", "counterpart": "",
        "reply_due_on": "", "in_reply_to": asked.pk})
    reply = Correspondence.objects.get(number="9/BQL")
    assert response["Location"] == reply.get_absolute_url()
    asked.refresh_from_db()
    assert asked.reply == reply and asked.replied_on == days(0)
    page = client.get(asked.get_absolute_url())
    assert by_testid(page, "reply-link")[0].get("href") == reply.get_absolute_url()


def test_recording_a_reply_by_date_and_number(as_user, world, pc_officer):
    letter = world["letter"]
    client = as_user(pc_officer)
    response = client.post(reverse("coordination:correspondence_reply", args=[letter.pk]),
                           {"reply-replied_on": _d(days(1)), "reply-reply_number": "7"})
    assert response.status_code == OK
    assert response.context["reply_form"].errors["replied_on"]
    client.post(reverse("coordination:correspondence_reply", args=[letter.pk]),
                {"reply-replied_on": _d(days(0)), "reply-reply_number": "58/BQL"})
    letter.refresh_from_db()
    assert (letter.replied_on, letter.reply_number) == (days(0), "58/BQL")


def test_a_letter_page_names_only_the_enterprises_of_the_readers_zones(as_user, world, zone_b,
                                                                       iz_officer):
    letter = world["letter"]
    letter.enterprises.add(EnterpriseFactory(zone=zone_b, name="Công ty Khu B Bí Mật"))
    page = as_user(iz_officer).get(letter.get_absolute_url())
    assert "Công ty Khu B Bí Mật" not in page.content.decode()
    assert by_testid(page, "hidden-enterprises")


def test_a_letter_naming_people_writes_the_access_log_where_it_is_shown(
        as_user, world, plans, pc_officer, pc_leader):
    personal = world["personal"]
    task = world["task_conclusion"].task
    personal.tasks.add(task)
    for user, url in ((pc_officer, personal.get_absolute_url()),
                      (pc_leader, reverse("coordination:correspondence_list")),
                      (pc_officer, reverse("coordination:regulation")),
                      (pc_officer, reverse("coordination:task_detail", args=[task.pk])),
                      (pc_officer, reverse("coordination:correspondence_update",
                                           args=[personal.pk]))):
        PersonalDataAccess.objects.all().delete()
        assert as_user(user).get(url).status_code == OK
        row = PersonalDataAccess.objects.get()  # one row per answer
        assert row.record_type == "coordination.correspondence"
        assert (row.user, row.action) == (user, "view" if url.endswith(
            (f"/{personal.pk}/", "/edit/")) else "list")
    # A page without such a letter writes none.
    PersonalDataAccess.objects.all().delete()
    as_user(pc_officer).get(world["letter"].get_absolute_url())
    as_user(pc_officer).get(reverse("coordination:correspondence_list"), {"status": "overdue"})
    assert not PersonalDataAccess.objects.exists()


# --- Query counts ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == OK
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(as_user, world, compositions, plans, zone_a,
                                                pc_officer, iz_officer):
    # Without a letter naming people, whose access-log row would come and go with the
    # letters shown.
    Correspondence.objects.filter(personal_data=True).delete()
    urls = [reverse("coordination:regulation"), reverse("coordination:meeting_list"),
            reverse("coordination:correspondence_list"), world["meeting"].get_absolute_url()]
    clients = {"pc": pc_officer, "iz": iz_officer}
    small = {(who, url): _queries(as_user(user), url) for who, user in clients.items()
             for url in urls}
    for i in range(6):
        meeting = make_meeting(compositions, held_on=days(-30 - i))
        add_conclusion(meeting, pc_officer, make_task=True)
        add_conclusion(meeting, pc_officer)
        make_letter(number=f"x{i}", enterprises=[EnterpriseFactory(zone=zone_a)],
                    reply_due_on=days(-1))
    add_conclusion(world["meeting"], pc_officer, make_task=True)
    large = {(who, url): _queries(as_user(user), url) for who, user in clients.items()
             for url in urls}
    assert large == small
    assert max(large.values()) <= 30, large
