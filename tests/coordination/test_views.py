"""Party development pages: the pipeline board, lists with the session search,
candidate and member pages, every step through its form, recognition,
enterprises that qualify, the personal-data access log.

Labels are read in English (the "lang" cookie) or not at all: assertions look
for names, numbers and data-testid attributes.
"""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.policy import access_for
from coordination import selectors, services, views
from coordination.calendar import add_months, add_working_days
from coordination.models import AdmissionCandidate, PartyMember, Recognition
from core import indicators
from core.indicators import Scope
from core.models import PersonalDataAccess
from core.periods import Period
from enterprises import services as registry
from tests.enterprises.factories import make_enterprise, make_partyorg
from tests.pages import field_feedback, input_value

from .factories import STEPS, advance, make_candidate, make_member

pytestmark = pytest.mark.django_db

Stage = AdmissionCandidate.Stage
TODAY = timezone.localdate()

BOARD = reverse("coordination:pipeline")
CANDIDATES = reverse("coordination:candidate_list")
MEMBERS = reverse("coordination:member_list")
QUALIFYING = reverse("coordination:qualifying")
RECOGNITION_DUE = reverse("coordination:recognition_due")

@pytest.fixture
def as_user(client):
    """Log the test client in with English labels; returns the client."""

    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


def doc(response):
    return lxml.html.fromstring(response.content.decode())


def by_testid(response, name) -> list:
    return doc(response).xpath(f'//*[@data-testid="{name}"]')


def board_cards(response) -> dict[str, list[str]]:
    """Stage → the names on its cards."""
    return {column["stage"]: [c.full_name for c in column["cards"]]
            for column in response.context["columns"]}


# --- The pipeline board --------------------------------------------------------------------


@pytest.fixture
def pipeline_data(zone_a, zone_b):
    ent_a = make_enterprise(zone_a, name="Công ty Dệt An Bình", short_name="DET AB")
    ent_b = make_enterprise(zone_b, name="Công ty Cơ khí Bình Đông")
    fresh = make_candidate(ent_a, family_name="Lê", middle_name="Văn", given_name="Cường")
    course = advance(make_candidate(ent_a, family_name="Phạm", middle_name="Thị",
                                    given_name="Dung"), Stage.COURSE)
    # Cell resolution in July 2025: the decision is long overdue today.
    late = advance(make_candidate(ent_b, family_name="Hoàng", middle_name="Minh",
                                  given_name="Đức"), Stage.CELL_RESOLUTION)
    # A certificate 58 months old: it expires before the cell can vote.
    old_course = TODAY - timedelta(days=58 * 30)
    expiring = make_candidate(ent_a, family_name="Vũ", middle_name="Thị", given_name="Hà",
                              identified_on=old_course - timedelta(days=30))
    services.candidate_advance(candidate=expiring, on=old_course, certificate_number="CN-OLD")
    closed = make_candidate(ent_a, family_name="Đặng", middle_name="", given_name="Khoa")
    services.candidate_close(candidate=closed, on=date(2025, 2, 1), reason="withdrew")
    admitted = advance(make_candidate(ent_a, family_name="Bùi", middle_name="Văn",
                                      given_name="Long"), Stage.CEREMONY)
    return {"fresh": fresh, "course": course, "late": late, "expiring": expiring,
            "closed": closed, "admitted": admitted, "ent_a": ent_a, "ent_b": ent_b}


def test_board_shows_the_open_cases_by_stage(as_user, pc_officer, pipeline_data):
    response = as_user(pc_officer).get(BOARD)
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [c["stage"] for c in columns] == [
        "identified", "course", "application", "sponsorship", "verification", "assessment",
        "cell_resolution", "committee_resolution", "decision"]
    cards = board_cards(response)
    assert cards["identified"] == ["Lê Văn Cường"]
    assert sorted(cards["course"]) == ["Phạm Thị Dung", "Vũ Thị Hà"]
    assert cards["cell_resolution"] == ["Hoàng Minh Đức"]
    assert sum(c["count"] for c in columns) == response.context["total"] == 4
    html = response.content.decode()
    assert "Đặng Khoa" not in html and "Bùi Văn Long" not in html  # closed, admitted

    page = doc(response)
    late_card = page.xpath(f'//*[@data-candidate="{pipeline_data["late"].pk}"]')[0]
    assert late_card.xpath('.//*[@data-testid="overdue"]')
    due = pipeline_data["late"].due_on().strftime("%d/%m/%Y")
    assert due in late_card.xpath('.//*[@data-testid="due"]')[0].text_content()
    assert late_card.xpath('.//*[@data-testid="candidate-name"]')[0].get("href") == \
        pipeline_data["late"].get_absolute_url()
    expiring_card = page.xpath(f'//*[@data-candidate="{pipeline_data["expiring"].pk}"]')[0]
    assert expiring_card.xpath('.//*[@data-testid="certificate-expiring"]')
    assert not expiring_card.xpath('.//*[@data-testid="overdue"]')
    fresh_card = page.xpath(f'//*[@data-candidate="{pipeline_data["fresh"].pk}"]')[0]
    assert not fresh_card.xpath('.//*[@data-testid="certificate-expiring"]')
    assert "DET AB" in fresh_card.text_content()
    move = fresh_card.xpath('.//a[@data-testid="move-forward"]')[0].get("href")
    assert move.startswith(reverse("coordination:candidate_advance",
                                   args=[pipeline_data["fresh"].pk]))
    stage_counts = {col.get("data-stage"): col.xpath('.//*[@data-testid="stage-count"]')[0]
                    .text_content().strip() for col in by_testid(response, "stage-column")}
    assert stage_counts["course"] == "2" and stage_counts["decision"] == "0"


def test_board_zone_filter_and_readers_without_buttons(as_user, pc_leader, pipeline_data,
                                                       zone_b):
    response = as_user(pc_leader).get(BOARD, {"zone": zone_b.pk})
    assert board_cards(response)["cell_resolution"] == ["Hoàng Minh Đức"]
    assert response.context["total"] == 1
    assert not by_testid(response, "move-forward")
    assert not by_testid(response, "add-candidate")


def at_cell_resolution(enterprise, cell_on: date, **fields):
    """A case whose cell voted on ``cell_on`` (its earlier steps moved with it)."""
    shift = cell_on - date(2025, 7, 1)
    steps = [(stage, on + shift, data) for stage, on, data in STEPS]
    candidate = make_candidate(enterprise, identified_on=date(2025, 1, 10) + shift, **fields)
    return advance(candidate, Stage.CELL_RESOLUTION, steps)


def test_a_column_holds_its_overdue_cases_first_then_the_oldest(pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    # The decision is due 60 working days after the cell's vote, 90 once
    # extended by 30: 110 calendar days are fewer than 80 working days, 100
    # are more than 62 even with the Lunar New Year's holiday among them.
    extended = at_cell_resolution(enterprise, TODAY - timedelta(days=110), given_name="An")
    extended = services.candidate_extend_decision(candidate=extended, days=30,
                                                  reason="Chờ thẩm tra lý lịch")
    late = at_cell_resolution(enterprise, TODAY - timedelta(days=100), given_name="Bình")
    recent = at_cell_resolution(enterprise, TODAY - timedelta(days=10), given_name="Cúc")
    assert late.is_overdue(TODAY) and not extended.is_overdue(TODAY)
    assert not recent.is_overdue(TODAY)
    fresh = make_candidate(enterprise, given_name="Dũng")
    access = access_for(pc_officer)

    columns = selectors.pipeline(access=access, today=TODAY, per_stage=2)
    # Overdue first although its cell voted after the extended case's; then
    # the oldest vote; the third case is left for the list.
    assert [c.pk for c in columns["cell_resolution"]["cards"]] == [late.pk, extended.pk]
    assert (columns["cell_resolution"]["count"], columns["cell_resolution"]["overdue"]) == (3, 1)
    assert [c.pk for c in columns["identified"]["cards"]] == [fresh.pk]
    assert all(not column["cards"] for stage, column in columns.items()
               if stage not in ("cell_resolution", "identified"))
    columns = selectors.pipeline(access=access, today=TODAY, per_stage=3)
    assert [c.pk for c in columns["cell_resolution"]["cards"]] == [late.pk, extended.pk,
                                                                 recent.pk]


def test_an_account_reading_people_in_no_zone_gets_empty_columns(pc_officer, zone_a):
    from dataclasses import replace

    make_candidate(make_enterprise(zone_a), given_name="An")
    nowhere = replace(access_for(pc_officer), zone_ids=frozenset())
    columns = selectors.pipeline(access=nowhere, today=TODAY)
    assert list(columns) == list(selectors.OPEN_STAGES)
    assert all(column == {"count": 0, "overdue": 0, "cards": []} for column in columns.values())
    assert selectors.pipeline(access=access_for(pc_officer), today=TODAY)["identified"]["count"] == 1


def test_the_6_knd_panel_keeps_the_busiest_cells_until_a_zone_is_chosen(
        as_user, pc_officer, zone_a, zone_b, monkeypatch):
    busy = make_partyorg("Chi bộ Công ty Dệt Bắc Hà", enterprise=make_enterprise(zone_a))
    quiet = make_partyorg("Chi bộ Công ty Điện tử Á Châu", enterprise=make_enterprise(zone_b))
    for organization, names in ((busy, ["Hải", "Hạnh"]), (quiet, ["Hoa"])):
        for name in names:
            advance(make_candidate(organization.enterprise, responsible_organization=organization,
                                   given_name=name), Stage.ASSESSMENT)
    monkeypatch.setattr(views, "LIST_CELLS_SHOWN", 1)
    client = as_user(pc_officer)

    def cells(response):
        return [(item.xpath("./span")[0].text_content().split()[-1],
                 " ".join(item.xpath("./span")[0].text_content().split()[:-1]))
                for item in by_testid(response, "list-cell")]

    response = client.get(BOARD)
    assert cells(response) == [("2", "Chi bộ Công ty Dệt Bắc Hà")]
    more = by_testid(response, "list-cells-more")[0].text_content()
    assert " 1 " in more
    response = client.get(BOARD, {"zone": zone_b.pk})
    assert cells(response) == [("1", "Chi bộ Công ty Điện tử Á Châu")]
    assert not by_testid(response, "list-cells-more")
    monkeypatch.setattr(views, "LIST_CELLS_SHOWN", 20)
    assert cells(client.get(BOARD)) == [("2", "Chi bộ Công ty Dệt Bắc Hà"),
                                        ("1", "Chi bộ Công ty Điện tử Á Châu")]


@pytest.mark.parametrize("role", ["iz_officer", "iz_leader"])
def test_iz_accounts_see_counts_only(request, as_user, pipeline_data, zone_a, zone_b, role):
    response = as_user(request.getfixturevalue(role)).get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Lê Văn Cường", "Phạm Thị Dung", "Vũ Thị Hà", "Hoàng Minh Đức", "Cường"):
        assert name not in html
    assert not by_testid(response, "candidate-card")
    counts = {col["stage"]: col["count"] for col in response.context["columns"]}
    zones = [row.get("data-zone") for row in by_testid(response, "zone-row")]
    if role == "iz_officer":  # zone A only
        assert zones == ["AAA"]
        assert counts["identified"] == 1 and counts["course"] == 2
        assert counts["cell_resolution"] == 0
        assert response.context["total"] == 3
    else:
        assert zones == ["AAA", "BBB"]
        assert counts["cell_resolution"] == 1
        overdue = {col["stage"]: col["overdue"] for col in response.context["columns"]}
        assert overdue["cell_resolution"] == 1
        assert response.context["total"] == 4
    # The subnavigation offers no personal page.
    assert reverse("coordination:candidate_list") not in html
    assert reverse("coordination:qualifying") in html


# --- Lists ---------------------------------------------------------------------------------


@pytest.fixture
def people(zone_a, zone_b):
    ent_a = make_enterprise(zone_a, name="Công ty May Đức Thành")
    ent_a2 = make_enterprise(zone_a, name="Công ty Nhựa Hòa Bình")
    ent_b = make_enterprise(zone_b, name="Công ty Điện tử Bình Đông")
    org = registry.party_organization_create(data={
        "name": "Chi bộ May Đức Thành", "kind": "chi_bo_co_so", "enterprise": ent_a,
        "established_on": date(2018, 1, 1)})
    candidates = {
        "duc": make_candidate(ent_a, family_name="Đỗ", middle_name="Văn", given_name="Đức",
                              citizen_id="036095001234", responsible_organization=org),
        "an": make_candidate(ent_a2, family_name="Nguyễn", middle_name="Thị", given_name="An"),
        "binh": advance(make_candidate(ent_b, family_name="Lý", middle_name="Văn",
                                       given_name="Bình"), Stage.CELL_RESOLUTION),
        "ca": advance(make_candidate(ent_a, family_name="Trịnh", middle_name="", given_name="Ca"),
                      Stage.COURSE),
    }
    members = {
        "official": make_member(ent_a, family_name="Phan", middle_name="Văn", given_name="Đạt",
                                citizen_id="036088004321", party_organization=org,
                                official_on=date(2021, 3, 1)),
        "probationary": make_member(ent_b, family_name="Mai", middle_name="Thị",
                                    given_name="Hoa", admitted_on=TODAY - timedelta(days=100),
                                    official_on=None),
        "left": make_member(ent_a2, family_name="Chu", middle_name="Văn", given_name="Khánh",
                            left_on=date(2024, 6, 1), left_reason="transferred",
                            official_on=date(2021, 3, 1)),
    }
    return {"candidates": candidates, "members": members, "ent_a": ent_a, "ent_b": ent_b,
            "org": org}


def names(response) -> list[str]:
    return [row.full_name for row in response.context["page_obj"].object_list]


def test_candidate_list_sorted_the_vietnamese_way_with_masked_ids(as_user, pc_leader, people):
    response = as_user(pc_leader).get(CANDIDATES)
    assert response.status_code == 200
    # Given name first: An < Bình < Ca < Đức.
    assert names(response) == ["Nguyễn Thị An", "Lý Văn Bình", "Trịnh Ca", "Đỗ Văn Đức"]
    html = response.content.decode()
    assert "036095001234" not in html
    masked = [cell.text_content() for cell in by_testid(response, "citizen-id")]
    assert "••••••••1234" in masked
    assert not by_testid(response, "add-candidate")  # a leader does not enter data


def test_candidate_list_filters(as_user, pc_officer, people, zone_a, zone_b):
    client = as_user(pc_officer)
    by_zone = client.get(CANDIDATES, {"zone": zone_b.pk})
    assert names(by_zone) == ["Lý Văn Bình"]
    # An enterprise is typed: part of its name without diacritics, or its tax code.
    by_enterprise = client.get(CANDIDATES, {"enterprise": "may duc THANH"})
    assert names(by_enterprise) == ["Trịnh Ca", "Đỗ Văn Đức"]
    by_tax_code = client.get(CANDIDATES, {"enterprise": people["ent_b"].tax_code})
    assert names(by_tax_code) == ["Lý Văn Bình"]
    assert names(client.get(CANDIDATES, {"enterprise": "không có"})) == []
    by_org = client.get(CANDIDATES, {"organization": "chi bo may"})
    assert names(by_org) == ["Đỗ Văn Đức"]
    # No list of every enterprise or organization in the page.
    page = client.get(CANDIDATES).content.decode()
    assert 'name="enterprise"' in page and 'type="search"' in page
    assert people["ent_b"].name not in page.split('data-testid="filters"', 1)[1].split("</form>")[0]
    by_stage = client.get(CANDIDATES, {"stage": "course"})
    assert names(by_stage) == ["Trịnh Ca"]
    overdue = client.get(CANDIDATES, {"overdue": "yes"})
    assert names(overdue) == ["Lý Văn Bình"]
    assert by_testid(overdue, "overdue")
    assert "Lý Văn Bình" not in names(client.get(CANDIDATES, {"overdue": "no"}))
    combined = client.get(CANDIDATES, {"zone": zone_a.pk, "stage": "identified"})
    assert names(combined) == ["Nguyễn Thị An", "Đỗ Văn Đức"]


def test_overdue_filter_matches_the_model_around_the_deadline(as_user, pc_officer, zone_a):
    """The SQL filter and is_overdue() agree on the days around a deadline."""
    enterprise = make_enterprise(zone_a)
    candidates = []
    for offset in range(80, 110):
        day = TODAY - timedelta(days=offset)
        steps = [(stage, day - timedelta(days=60 - 10 * i) if stage != Stage.CELL_RESOLUTION
                  else day, data) for i, (stage, _on, data) in enumerate(STEPS[:6])]
        candidates.append(advance(make_candidate(enterprise, given_name=f"H{offset}",
                                                 identified_on=day - timedelta(days=100)),
                                  Stage.CELL_RESOLUTION, steps))
    expected = sorted(c.full_name for c in candidates if c.is_overdue(TODAY))
    assert 0 < len(expected) < len(candidates)
    response = as_user(pc_officer).get(CANDIDATES, {"overdue": "yes"})
    assert sorted(names(response)) == expected


def test_member_list_filters_by_status_today(as_user, pc_officer, people, zone_a):
    client = as_user(pc_officer)
    assert names(client.get(MEMBERS)) == ["Phan Văn Đạt", "Mai Thị Hoa", "Chu Văn Khánh"]
    assert names(client.get(MEMBERS, {"status": "official"})) == ["Phan Văn Đạt"]
    assert names(client.get(MEMBERS, {"status": "probationary"})) == ["Mai Thị Hoa"]
    assert names(client.get(MEMBERS, {"status": "left"})) == ["Chu Văn Khánh"]
    assert names(client.get(MEMBERS, {"zone": zone_a.pk})) == ["Phan Văn Đạt", "Chu Văn Khánh"]
    assert names(client.get(MEMBERS, {"organization": "Chi bộ May Đức"})) == ["Phan Văn Đạt"]
    assert names(client.get(MEMBERS, {"enterprise": "nhua hoa binh"})) == ["Chu Văn Khánh"]
    response = client.get(MEMBERS)
    statuses = [b.get("data-status") for b in by_testid(response, "member-status")]
    assert statuses == ["official", "probationary", "left"]
    assert "036088004321" not in response.content.decode()
    assert "••••••••4321" in response.content.decode()


def test_search_is_posted_kept_in_the_session_and_never_in_the_url(as_user, pc_officer,
                                                                   people, zone_a):
    client = as_user(pc_officer)
    response = client.post(f"{CANDIDATES}?zone={zone_a.pk}&page=2", {"q": "  đỨC "})
    assert response.status_code == 302
    assert response["Location"] == f"{CANDIDATES}?zone={zone_a.pk}"
    assert client.session["coordination_search"] == {"candidates": "đỨC"}
    listed = client.get(response["Location"])
    assert names(listed) == ["Đỗ Văn Đức"]
    page = doc(listed)
    assert page.xpath('//input[@name="q"]')[0].get("value") == "đỨC"
    # No link of the page carries the term.
    hrefs = " ".join(page.xpath("//a/@href") + page.xpath("//form/@action"))
    assert "duc" not in hrefs.lower() and "%C4%91" not in hrefs

    # Without diacritics, and only this list: the member list keeps its own search.
    client.post(CANDIDATES, {"q": "binh"})
    assert names(client.get(CANDIDATES)) == ["Lý Văn Bình"]
    assert len(names(client.get(MEMBERS))) == 3
    client.post(MEMBERS, {"q": "dat"})
    assert names(client.get(MEMBERS)) == ["Phan Văn Đạt"]
    assert names(client.get(CANDIDATES)) == ["Lý Văn Bình"]

    # Nothing found: the empty state offers to clear the search.
    client.post(CANDIDATES, {"q": "Không Có Ai"})
    empty = client.get(CANDIDATES)
    assert by_testid(empty, "no-match")
    response = client.post(CANDIDATES, {"clear": "1"})
    assert response["Location"] == CANDIDATES
    assert "candidates" not in client.session["coordination_search"]
    assert len(names(client.get(CANDIDATES))) == 4
    # An empty search clears too.
    client.post(MEMBERS, {"q": "   "})
    assert len(names(client.get(MEMBERS))) == 3


def test_lists_are_logged_without_names(as_user, pc_leader, people, zone_a):
    client = as_user(pc_leader)
    client.post(CANDIDATES, {"q": "Đức"})
    client.get(CANDIDATES, {"zone": zone_a.pk, "stage": "identified"})
    client.get(MEMBERS)
    client.get(RECOGNITION_DUE)
    rows = list(PersonalDataAccess.objects.order_by("at", "pk").values_list(
        "user", "action", "record_type", "detail"))
    assert rows[0] == (pc_leader.pk, "list", "coordination.admissioncandidate",
                       f"zone={zone_a.pk} stage=identified search")
    assert rows[1][:3] == (pc_leader.pk, "list", "coordination.partymember")
    assert rows[2][:3] == (pc_leader.pk, "list", "coordination.partymember")
    assert all("Đức" not in row[3] and "duc" not in row[3].lower() for row in rows)
    assert len(rows) == 3  # the POST of the search lists nothing


# --- Candidate detail -------------------------------------------------------------------


def test_candidate_detail_shows_the_full_citizen_id_and_is_logged(as_user, pc_leader,
                                                                  people):
    candidate = people["candidates"]["duc"]
    response = as_user(pc_leader).get(candidate.get_absolute_url())
    assert response.status_code == 200
    assert by_testid(response, "citizen-id")[0].text_content().strip() == "036095001234"
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.record_type, log.record_id) == (
        pc_leader, "view", "coordination.admissioncandidate", candidate.pk)
    # A leader reads: no form.
    assert not by_testid(response, "step-form")
    assert not by_testid(response, "close-form")
    assert not by_testid(response, "edit")


def test_candidate_detail_timeline(as_user, pc_officer, people):
    candidate = people["candidates"]["binh"]  # cell resolution in July 2025
    response = as_user(pc_officer).get(candidate.get_absolute_url())
    steps = by_testid(response, "timeline-step")
    # No committee resolution: the case has no đảng bộ cơ sở (nine steps).
    assert [s.get("data-state") for s in steps] == ["done"] * 7 + ["next", "todo"]
    assert "committee_resolution" not in [s.get("data-stage") for s in steps]
    assert by_testid(response, "no-committee-step")
    cell = steps[6]
    assert "01/07/2025" in cell.text_content()
    assert "5" in cell.text_content() and "6" in cell.text_content()
    next_step = steps[7]
    assert candidate.due_on().strftime("%d/%m/%Y") in \
        next_step.xpath('.//*[@data-testid="next-due"]')[0].text_content()
    assert next_step.xpath('.//*[@data-testid="overdue"]')
    form = next_step.xpath('.//form[@data-testid="step-form"]')[0]
    assert form.get("data-stage") == "decision"
    fields = sorted(n for n in form.xpath(".//input/@name|.//select/@name")
                    if n not in ("csrfmiddlewaretoken", "next"))
    assert fields == ["step-decision_body", "step-decision_number", "step-decision_on",
                      "step-decision_received_on", "step-undated"]
    assert "CN-2025-01" in by_testid(response, "case")[0].text_content()


def test_candidate_history_shows_who_changed_what(as_user, pc_officer, people):
    candidate = people["candidates"]["an"]
    client = as_user(pc_officer)
    url = reverse("coordination:candidate_update", args=[candidate.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else ""
            for name in form.fields}
    data.update(education_grade="9", date_of_birth="15/07/1995", identified_on="10/01/2025")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.education_grade == 9
    entry = client.get(candidate.get_absolute_url()).context["history"][0]
    assert entry["who"] == pc_officer.full_name
    changes = {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}
    assert changes["General education (grade of 12)"] == ("12", "9")


# --- Every step through the form ------------------------------------------------------------


def step_post(client, candidate, on, **extras):
    data = {"step-" + candidate.next_step()[1]: on}
    data.update({f"step-{name}": value for name, value in extras.items()})
    return client.post(reverse("coordination:candidate_advance", args=[candidate.pk]), data)


def test_a_candidate_goes_through_every_step_to_the_ceremony(as_user, pc_officer, zone_a):
    candidate = make_candidate(make_enterprise(zone_a), family_name="Lương",
                               middle_name="Văn", given_name="Tâm")
    client = as_user(pc_officer)
    sponsors = [make_member(candidate.enterprise, given_name="Giới",
                            admitted_on=date(2019, 3, 1), official_on=date(2020, 3, 1))
                for _i in range(2)]
    for stage, on, extras in STEPS:
        if stage == Stage.COMMITTEE_RESOLUTION:
            continue  # no đảng bộ cơ sở: the cell's resolution goes to the upper committee
        if stage == Stage.SPONSORSHIP:
            extras = {"sponsor_kind": "members", "sponsor_1": sponsors[0].pk,
                      "sponsor_2": sponsors[1].pk}
        candidate.refresh_from_db()
        form_page = client.get(reverse("coordination:candidate_advance", args=[candidate.pk]))
        form = form_page.context["form"]
        assert form.stage == stage
        date_field = candidate.next_step()[1]
        undated = ["undated"] if date_field in AdmissionCandidate.UNDATABLE else []
        assert sorted(form.fields) == sorted(
            [date_field, *undated, *AdmissionCandidate.STEP_FIELDS.get(stage, [])])
        response = step_post(client, candidate, on.strftime("%d/%m/%Y"), **extras)
        assert response.status_code == 302, form_page.context
        if stage != Stage.CEREMONY:
            assert response["Location"] == candidate.get_absolute_url()
            assert AdmissionCandidate.objects.get(pk=candidate.pk).stage == stage
    candidate.refresh_from_db()
    member = candidate.member
    assert response["Location"] == member.get_absolute_url()
    assert member.admitted_on == date(2025, 9, 3)
    assert member.status_on(date(2025, 9, 3)) == "probationary"
    assert candidate.decision_number == "125-QĐ/ĐUK"
    assert (candidate.votes_for, candidate.cell_official_members) == (5, 6)
    assert (candidate.sponsor_kind, candidate.sponsor_1, candidate.sponsor_2) == (
        "members", sponsors[0], sponsors[1])
    assert candidate.history.first().history_user == pc_officer
    landing = client.get(response["Location"])
    assert by_testid(landing, "member-name")[0].text_content() == "Lương Văn Tâm"
    assert "Lương Văn Tâm" in " ".join(str(m) for m in landing.context["messages"])
    assert by_testid(landing, "case-link")[0].get("href") == candidate.get_absolute_url()
    # Nothing more to record.
    again = client.get(reverse("coordination:candidate_advance", args=[candidate.pk]))
    assert by_testid(again, "no-next-step")


def test_the_board_button_comes_back_to_the_board(as_user, pc_officer, zone_a):
    candidate = make_candidate(make_enterprise(zone_a))
    client = as_user(pc_officer)
    board = client.get(BOARD, {"zone": zone_a.pk})
    href = by_testid(board, "move-forward")[0].get("href")
    page = client.get(href)
    next_url = doc(page).xpath('//form[@data-testid="step-form"]//input[@name="next"]')[0]
    assert next_url.get("value") == f"{BOARD}?zone={zone_a.pk}"
    response = client.post(href, {"step-course_completed_on": "01/03/2025",
                                  "step-certificate_number": "CN-1",
                                  "next": next_url.get("value")})
    assert response["Location"] == f"{BOARD}?zone={zone_a.pk}"
    # Another site is never a destination.
    candidate.refresh_from_db()
    response = client.post(href, {"step-application_on": "01/04/2025",
                                  "next": "https://example.com/"})
    assert response["Location"] == candidate.get_absolute_url()


def _ready_for_cell_resolution(zone, **fields):
    candidate = make_candidate(make_enterprise(zone), **fields)
    return advance(candidate, Stage.ASSESSMENT)


def test_votes_below_two_thirds_show_on_the_field(as_user, pc_officer, zone_a):
    candidate = _ready_for_cell_resolution(zone_a)
    response = step_post(as_user(pc_officer), candidate, "01/07/2025", votes_for="3",
                         cell_official_members="6")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 of 6" in field_feedback(html, "step-votes_for")
    assert field_feedback(html, "step-cell_resolution_on") == ""
    assert input_value(html, "id_step-votes_for") == "3"
    assert input_value(html, "id_step-cell_official_members") == "6"
    assert input_value(html, "id_step-cell_resolution_on") == "01/07/2025"
    candidate.refresh_from_db()
    assert candidate.cell_resolution_on is None and candidate.stage == "assessment"


def test_under_18_at_the_cell_resolution_shows_on_the_date(as_user, pc_officer, zone_a):
    candidate = _ready_for_cell_resolution(zone_a, date_of_birth=date(2008, 1, 1))
    response = step_post(as_user(pc_officer), candidate, "01/07/2025", votes_for="6",
                         cell_official_members="6")
    html = response.content.decode()
    assert "17" in field_feedback(html, "step-cell_resolution_on")
    assert AdmissionCandidate.objects.get(pk=candidate.pk).cell_resolution_on is None


def test_a_certificate_older_than_60_months_shows_on_the_date(as_user, pc_officer, zone_a):
    candidate = make_candidate(make_enterprise(zone_a), identified_on=date(2020, 1, 10))
    steps = [(Stage.COURSE, date(2020, 3, 1), {"certificate_number": "CN-2020"}),
             *STEPS[1:5]]
    candidate = advance(candidate, Stage.ASSESSMENT, steps)
    response = step_post(as_user(pc_officer), candidate, "01/07/2025", votes_for="6",
                         cell_official_members="6")
    feedback = field_feedback(response.content.decode(), "step-cell_resolution_on")
    assert "01/03/2025" in feedback  # the day it expired


def test_missing_education_is_shown_above_the_form(as_user, pc_officer, zone_a):
    candidate = _ready_for_cell_resolution(zone_a, education_grade=None)
    response = step_post(as_user(pc_officer), candidate, "01/07/2025", votes_for="6",
                         cell_official_members="6")
    assert response.status_code == 200
    errors = by_testid(response, "form-errors")[0]
    assert "THCS" in errors.text_content()
    edit = reverse("coordination:candidate_update", args=[candidate.pk])
    assert errors.xpath(f'.//a[@href="{edit}"]')


def test_step_form_errors_of_its_own(as_user, pc_officer, zone_a):
    candidate = make_candidate(make_enterprise(zone_a))
    client = as_user(pc_officer)
    missing = step_post(client, candidate, "", certificate_number="CN")
    assert field_feedback(missing.content.decode(), "step-course_completed_on")
    no_number = step_post(client, candidate, "01/03/2025")
    assert field_feedback(no_number.content.decode(), "step-certificate_number")
    before = step_post(client, candidate, "01/01/2025", certificate_number="CN")
    assert "10/01/2025" in field_feedback(before.content.decode(),
                                          "step-course_completed_on")
    assert AdmissionCandidate.objects.get(pk=candidate.pk).stage == "identified"


def test_a_ceremony_refused_for_an_existing_member(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    existing = make_member(enterprise, official_on=date(2021, 3, 1))
    candidate = advance(make_candidate(enterprise, citizen_id=existing.citizen_id),
                        Stage.DECISION)
    response = step_post(as_user(pc_officer), candidate, "03/09/2025")
    assert existing.full_name in field_feedback(response.content.decode(), "step-ceremony_on")
    assert PartyMember.objects.count() == 1


def test_close_a_case(as_user, pc_officer, zone_a):
    candidate = make_candidate(make_enterprise(zone_a))
    client = as_user(pc_officer)
    url = reverse("coordination:candidate_close", args=[candidate.pk])
    response = client.post(url, {"close-closed_on": "01/02/2025", "close-closed_reason": ""})
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "close-closed_reason")
    early = client.post(url, {"close-closed_on": "01/01/2024",
                              "close-closed_reason": "withdrew"})
    assert field_feedback(early.content.decode(), "close-closed_on")
    assert input_value(early.content.decode(), "id_close-closed_on") == "01/01/2024"
    response = client.post(url, {"close-closed_on": "01/02/2025",
                                 "close-closed_reason": "left_enterprise",
                                 "close-closed_note": "Chuyển công tác"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.closed_on, candidate.closed_note) == (
        "closed", date(2025, 2, 1), "Chuyển công tác")
    page = client.get(candidate.get_absolute_url())
    assert by_testid(page, "closed") and not by_testid(page, "step-form")
    # A closed case cannot be closed again.
    client.post(url, {"close-closed_on": "01/03/2025", "close-closed_reason": "withdrew"})
    candidate.refresh_from_db()
    assert candidate.closed_on == date(2025, 2, 1)


# --- Candidate create / update --------------------------------------------------------------


def candidate_post(enterprise, **fields):
    data = {
        "family_name": "Hồ", "middle_name": "Thị", "given_name": "Xuân",
        "date_of_birth": "02/09/1998", "gender": "female", "citizen_id": "036 198 012 345",
        "enterprise": enterprise.pk, "education_grade": "12", "identified_on": "05/01/2026",
        "proposing_body": "youth_union", "responsible_organization": "", "helper_member": "",
    }
    data.update(fields)
    return data


def test_create_a_candidate(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    org = registry.party_organization_create(data={
        "name": "Chi bộ Ghép", "kind": "chi_bo_co_so", "zone": zone_a,
        "established_on": date(2018, 1, 1)})
    helper = make_member(make_enterprise(zone_a), party_organization=org,
                         official_on=date(2021, 3, 1))
    client = as_user(pc_officer)
    page = client.get(reverse("coordination:candidate_create"))
    grades = dict(page.context["form"].fields["education_grade"].choices)
    assert grades[""] == "Not recorded" and grades[9] == "Lower secondary (9/12)"
    assert list(grades)[1:] == list(range(5, 13))
    response = client.post(reverse("coordination:candidate_create"), candidate_post(
        enterprise, responsible_organization=org.pk, helper_member=helper.pk))
    assert response.status_code == 302
    candidate = AdmissionCandidate.objects.get()
    assert response["Location"] == candidate.get_absolute_url()
    assert (candidate.citizen_id, candidate.education_grade, candidate.stage) == (
        "036198012345", 12, "identified")
    assert candidate.helper_member == helper and candidate.responsible_organization == org
    assert candidate.history.get().history_user == pc_officer


def test_create_errors_land_on_the_fields(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    client = as_user(pc_officer)
    url = reverse("coordination:candidate_create")
    bad_id = client.post(url, candidate_post(enterprise, citizen_id="12345"))
    html = bad_id.content.decode()
    assert "12" in field_feedback(html, "citizen_id")
    assert input_value(html, "id_citizen_id") == "12345"
    assert input_value(html, "id_family_name") == "Hồ"
    assert input_value(html, "id_date_of_birth") == "02/09/1998"
    early = client.post(url, candidate_post(enterprise, identified_on="01/01/1990"))
    assert field_feedback(early.content.decode(), "identified_on")
    make_candidate(enterprise, citizen_id="036198012345")
    duplicate = client.post(url, candidate_post(enterprise))
    assert field_feedback(duplicate.content.decode(), "citizen_id")
    assert AdmissionCandidate.objects.count() == 1


def test_helper_choices_follow_the_enterprise_and_organization(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    other = make_enterprise(zone_a)
    official = make_member(enterprise, given_name="Chính", official_on=date(2021, 3, 1))
    make_member(enterprise, given_name="Dự", admitted_on=TODAY - timedelta(days=30),
                official_on=None)
    make_member(other, given_name="Khác", official_on=date(2021, 3, 1))
    client = as_user(pc_officer)
    url = reverse("coordination:helper_options")
    response = client.get(url, {"enterprise": enterprise.pk}, headers={"HX-Request": "true"})
    options = doc(response).xpath("//option")
    assert [o.text_content() for o in options if o.get("value")] == [
        f"Nguyễn Văn Chính · {enterprise.display_name}"]
    assert client.get(url).content.decode().count("<option") == 1
    form = client.get(reverse("coordination:candidate_create")).context["form"]
    assert list(form.fields["helper_member"].queryset) == []
    assert form.fields["enterprise"].widget.attrs["hx-get"] == url
    bound = client.post(reverse("coordination:candidate_create"), candidate_post(
        enterprise, helper_member=official.pk))
    assert bound.status_code == 302


# --- Members --------------------------------------------------------------------------------


def member_post(enterprise, **fields):
    data = {
        "family_name": "Tạ", "middle_name": "Quang", "given_name": "Vinh",
        "date_of_birth": "12/12/1985", "gender": "male", "citizen_id": "036085011111",
        "enterprise": enterprise.pk, "party_card_number": "12.345678",
        "party_organization": "", "admitted_on": "19/05/2015", "official_on": "19/05/2016",
    }
    data.update(fields)
    return data


def test_create_and_update_a_member(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    client = as_user(pc_officer)
    url = reverse("coordination:member_create")
    early = client.post(url, member_post(enterprise, official_on="01/01/2016"))
    assert "19/05/2016" in field_feedback(early.content.decode(), "official_on")
    response = client.post(url, member_post(enterprise))
    member = PartyMember.objects.get()
    assert response["Location"] == member.get_absolute_url()
    update = reverse("coordination:member_update", args=[member.pk])
    response = client.post(update, member_post(enterprise, party_card_number="12.999999",
                                               is_enterprise_owner="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.party_card_number == "12.999999" and member.is_enterprise_owner
    history = client.get(member.get_absolute_url()).context["history"]
    assert history[0]["who"] == pc_officer.full_name


def test_member_detail_shows_the_full_citizen_id_and_is_logged(as_user, pc_officer, people):
    member = people["members"]["official"]
    response = as_user(pc_officer).get(member.get_absolute_url())
    assert by_testid(response, "citizen-id")[0].text_content().strip() == "036088004321"
    assert by_testid(response, "member-status")[0].get("data-status") == "official"
    assert PartyMember.objects.filter(pk=member.pk).exists()
    log = PersonalDataAccess.objects.get()
    assert (log.action, log.record_type, log.record_id) == (
        "view", "coordination.partymember", member.pk)
    assert not by_testid(response, "recognise-form")  # already official
    assert by_testid(response, "action-leave") and by_testid(response, "action-move")


def test_member_leaves_the_list(as_user, pc_officer, people):
    member = people["members"]["official"]
    client = as_user(pc_officer)
    url = reverse("coordination:member_leave", args=[member.pk])
    early = client.post(url, {"leave-on": "01/01/2010", "leave-reason": "deceased"})
    assert early.status_code == 200
    assert field_feedback(early.content.decode(), "leave-on")
    response = client.post(url, {"leave-on": "01/10/2026", "leave-reason": "resigned",
                                 "leave-note": "Đơn ngày 20/09"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.left_reason, member.status_on(TODAY)) == (
        date(2026, 10, 1), "resigned", "left")
    page = client.get(member.get_absolute_url())
    assert by_testid(page, "left") and not by_testid(page, "action-leave")
    assert by_testid(page, "action-return")


def test_recognise_a_probationary_member(as_user, pc_officer, zone_a):
    admitted = add_months(TODAY, -13)
    member = make_member(make_enterprise(zone_a), admitted_on=admitted, official_on=None)
    ends = member.probation_ends_on
    client = as_user(pc_officer)
    detail = client.get(member.get_absolute_url())
    assert by_testid(detail, "vote-form") and not by_testid(detail, "recognise-form")
    url = reverse("coordination:member_recognise", args=[member.pk])

    def vote(day, votes_for, members):
        return client.post(url, {"action": "vote", "vote-held_on": day.strftime("%d/%m/%Y"),
                                 "vote-votes_for": votes_for,
                                 "vote-official_members": members})

    early = vote(admitted + timedelta(days=200), 5, 6)
    assert ends.strftime("%d/%m/%Y") in field_feedback(early.content.decode(), "vote-held_on")
    first, meeting = ends + timedelta(days=3), ends + timedelta(days=10)
    assert vote(first, 3, 6).status_code == 302  # 3 of 6 is less than two thirds
    page = client.get(url)
    assert [r.xpath("string(td[3])") for r in by_testid(page, "recognition-vote")] == ["3/6"]
    assert by_testid(page, "vote-form") and not by_testid(page, "recognise-form")
    assert vote(meeting, 4, 6).status_code == 302  # 4 of 6 is two thirds
    page = client.get(url)
    assert by_testid(page, "recognise-form") and not by_testid(page, "vote-form")
    assert ends.strftime("%d/%m/%Y") in by_testid(page, "official-date")[0].text_content()
    due = by_testid(page, "decision-due")[0].text_content()
    assert add_working_days(meeting, 30).strftime("%d/%m/%Y") in due

    backwards = client.post(url, {"action": "decide", "recognise-decision_number": "15-QĐ/ĐUK",
                                  "recognise-decision_on": first.strftime("%d/%m/%Y")})
    assert field_feedback(backwards.content.decode(), "recognise-decision_on")
    response = client.post(url, {
        "action": "decide", "recognise-decision_number": "15-QĐ/ĐUK",
        "recognise-decision_on": (meeting + timedelta(days=5)).strftime("%d/%m/%Y"),
        "recognise-deciding_body": "Ban Thường vụ Đảng ủy Khối"})
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert member.official_on == ends  # the day the 12 months end, not the meeting
    recognition = Recognition.objects.get()
    assert (recognition.decision_number, recognition.cell_resolution_on,
            recognition.deciding_body) == ("15-QĐ/ĐUK", meeting, "Ban Thường vụ Đảng ủy Khối")
    page = client.get(member.get_absolute_url())
    assert by_testid(page, "member-status")[0].get("data-status") == "official"
    assert len(by_testid(page, "recognition-vote")) == 2
    again = client.get(url)
    assert by_testid(again, "recognition-decision")
    assert not by_testid(again, "vote-form") and not by_testid(again, "recognise-form")


def test_recognition_due_list(as_user, pc_officer, pc_leader, zone_a):
    enterprise = make_enterprise(zone_a)
    overdue = make_member(enterprise, given_name="Quá", admitted_on=add_months(TODAY, -15),
                          official_on=None)
    soon = make_member(enterprise, given_name="Sắp",
                       admitted_on=add_months(TODAY, -12) + timedelta(days=10),
                       official_on=None)
    make_member(enterprise, given_name="Mới", admitted_on=add_months(TODAY, -6),
                official_on=None)
    make_member(enterprise, given_name="Chính", official_on=date(2021, 3, 1))
    response = as_user(pc_officer).get(RECOGNITION_DUE)
    rows = by_testid(response, "recognition-row")
    assert [r.get("data-member") for r in rows] == [str(overdue.pk), str(soon.pk)]
    assert rows[0].xpath('.//*[@data-testid="overdue"]')
    assert not rows[1].xpath('.//*[@data-testid="overdue"]')
    assert rows[0].xpath('.//a[@data-testid="recognise"]')[0].get("href") == reverse(
        "coordination:member_recognise", args=[overdue.pk])
    assert not rows[1].xpath('.//a[@data-testid="recognise"]')  # 12 months not ended
    assert not by_testid(as_user(pc_leader).get(RECOGNITION_DUE), "recognise")


# --- Enterprises that qualify ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["pc_officer", "iz_officer", "iz_leader"])
def test_qualifying_enterprises(request, as_user, zone_a, zone_b, role):
    ready = make_enterprise(zone_a, name="Công ty Đủ Điều Kiện")
    for i in range(3):
        make_member(ready, given_name=f"Chính{i}", official_on=date(2021, 3, 1))
    make_member(ready, given_name="Dựbị", admitted_on=TODAY - timedelta(days=50),
                official_on=None)
    close = make_enterprise(zone_a, name="Công ty Gần Đủ")
    make_member(close, given_name="Một", official_on=date(2021, 3, 1))
    make_candidate(close)
    other_zone = make_enterprise(zone_b, name="Công ty Khu B Đủ")
    for i in range(3):
        make_member(other_zone, given_name=f"B{i}", official_on=date(2021, 3, 1))
    with_org = make_enterprise(zone_a, name="Công ty Có Chi Bộ")
    registry.party_organization_create(data={
        "name": "Chi bộ Có", "kind": "chi_bo_co_so", "enterprise": with_org,
        "established_on": date(2018, 1, 1)})
    for i in range(3):
        make_member(with_org, given_name=f"C{i}", official_on=date(2021, 3, 1))

    client = as_user(request.getfixturevalue(role))
    response = client.get(QUALIFYING)
    assert response.status_code == 200
    rows = by_testid(response, "qualifying-row")
    expected = [ready.pk] + ([] if role == "iz_officer" else [other_zone.pk])
    assert sorted(int(r.get("data-enterprise")) for r in rows) == sorted(expected)
    ready_row = next(r for r in rows if r.get("data-enterprise") == str(ready.pk))
    counts = [ready_row.xpath(f'.//*[@data-testid="{name}"]')[0].text_content()
              for name in ("official-count", "probationary-count", "candidate-count")]
    assert counts == ["3", "1", "0"]
    assert ready_row.xpath(".//a")[0].get("href") == ready.get_absolute_url()
    html = response.content.decode()
    for name in ("Chính0", "Dựbị", "Một", "Trần Thị Bình"):  # counts only, never a name
        assert name not in html
    close_list = client.get(QUALIFYING, {"list": "close"})
    assert [int(r.get("data-enterprise")) for r in by_testid(close_list, "qualifying-row")] == [
        close.pk]
    filtered = client.get(QUALIFYING, {"zone": zone_a.pk})
    assert [int(r.get("data-enterprise")) for r in by_testid(filtered, "qualifying-row")] == [
        ready.pk]
    # The dashboard's figure counts the same rows as the page.
    scope = Scope.for_access(access_for(request.getfixturevalue(role)))
    assert indicators.get("enterprises_qualifying").compute(
        scope, Period.of("year", TODAY.year).so_far(TODAY)) == len(rows)
