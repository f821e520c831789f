"""Founding a party organization (DESIGN §7): the steps in order, the members
moved on the founding date as moves (earlier figures keep their values), the
board by stage with its flag, and who may see and do what."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coordination.founding import selectors, services
from coordination.models import Founding, Placement
from core.indicators import Scope, get
from core.periods import Period
from tests.coordination.factories import make_member
from tests.enterprises.factories import make_enterprise, make_partyorg

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Every date of the case lies in the past, whatever today is.
OPENED = TODAY - timedelta(days=200)
PROPOSED = OPENED + timedelta(days=10)
DECIDED = OPENED + timedelta(days=40)
APPOINTED = OPENED + timedelta(days=45)
Stage = Founding.Stage


@pytest.fixture
def qualifying(zone_a):
    """An operating enterprise of zone A without a party organization: three
    official members (and one probationary) attend the zone's joint cell."""
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Sao Mai")
    joint = make_partyorg("Chi bộ ghép KCN An Bình", zone=zone_a, established_on=date(2015, 1, 1))
    members = [make_member(enterprise, party_organization=joint, admitted_on=date(2019, 3, 1),
                           official_on=date(2020, 3, 1), given_name=name)
               for name in ("An", "Bình", "Cường")]
    members.append(make_member(enterprise, party_organization=joint,
                               admitted_on=OPENED - timedelta(days=30), given_name="Dũng"))
    return {"enterprise": enterprise, "joint": joint, "members": members}


def _to_completion(case, actor=None):
    case = services.founding_propose(actor=actor, founding=case, on=PROPOSED, number="12-TTr")
    case = services.founding_decide(actor=actor, founding=case, on=DECIDED, number="345-QĐ/ĐUK",
                                    body="Đảng ủy Khối", name="Chi bộ Công ty Sao Mai")
    case = services.founding_appoint(actor=actor, founding=case, on=APPOINTED,
                                     secretary=None, committee="")
    return services.founding_move_members(actor=actor, founding=case)


def test_the_steps_found_the_organization_and_move_the_members_on_the_founding_date(qualifying):
    enterprise, joint, members = (qualifying[k] for k in ("enterprise", "joint", "members"))
    case = services.founding_start(enterprise=enterprise, on=OPENED)
    assert case.stage == Stage.QUALIFIES
    case = services.founding_propose(founding=case, on=PROPOSED, number="12-TTr")
    assert case.stage == Stage.PROPOSED
    case = services.founding_decide(founding=case, on=DECIDED, number="345-QĐ/ĐUK",
                                    body="Đảng ủy Khối", name="Chi bộ Công ty Sao Mai")
    organization = case.organization
    assert (case.stage, organization.enterprise, organization.established_on,
            organization.decision_number, organization.kind) == (
        Stage.DECIDED, enterprise, DECIDED, "345-QĐ/ĐUK", "chi_bo_co_so")
    case = services.founding_appoint(founding=case, on=APPOINTED, secretary=members[0],
                                     committee="Phó Bí thư: Nguyễn Văn Bình")
    assert case.stage == Stage.APPOINTED
    case = services.founding_move_members(founding=case)
    assert (case.stage, case.members_moved) == (Stage.COMPLETED, 4)
    for member in members:
        periods = list(member.placements.order_by("starts_on"))
        assert [(p.party_organization, p.starts_on, p.ends_on, p.began, p.ended)
                for p in periods] == [
            (joint, periods[0].starts_on, DECIDED, "admission", "move"),
            (organization, DECIDED, None, "founding", ""),
        ]
        member.refresh_from_db()
        assert member.party_organization == organization


def test_earlier_figures_keep_their_values_and_later_ones_count_the_new_organization(
        qualifying, zone_a):
    eve = DECIDED - timedelta(days=1)
    before = Period.of("year", eve.year).so_far(eve)  # ends the day before the founding
    after = Period.of("year", DECIDED.year).so_far(DECIDED)
    codes = ("enterprises_with_party_org", "enterprises_without_party_org", "party_orgs",
             "enterprises_qualifying", "members")
    scope = Scope.zone(zone_a.pk)
    figures_before = {code: get(code).compute(scope, before) for code in codes}
    # Counted by hand: one enterprise without an organization that qualifies,
    # the joint cell, four members.
    assert figures_before == {"enterprises_with_party_org": 0, "enterprises_without_party_org": 1,
                              "party_orgs": 1, "enterprises_qualifying": 1, "members": 4}
    _to_completion(services.founding_start(enterprise=qualifying["enterprise"], on=OPENED))
    assert {code: get(code).compute(scope, before) for code in codes} == figures_before
    assert {code: get(code).compute(scope, after) for code in codes} == {
        "enterprises_with_party_org": 1, "enterprises_without_party_org": 0, "party_orgs": 2,
        "enterprises_qualifying": 0, "members": 4}


def test_a_member_who_arrived_after_the_founding_date_is_corrected_not_moved(qualifying):
    enterprise, joint = qualifying["enterprise"], qualifying["joint"]
    late = make_member(enterprise, party_organization=joint, admitted_on=DECIDED + timedelta(days=5))
    _to_completion(services.founding_start(enterprise=enterprise, on=OPENED))
    periods = list(late.placements.all())
    assert len(periods) == 1
    assert periods[0].party_organization.name == "Chi bộ Công ty Sao Mai"
    assert periods[0].starts_on == DECIDED + timedelta(days=5)


def test_steps_keep_their_order_and_dates(qualifying):
    case = services.founding_start(enterprise=qualifying["enterprise"], on=OPENED)
    with pytest.raises(ValidationError) as error:
        services.founding_propose(founding=case, on=OPENED - timedelta(days=1))
    assert "proposed_on" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.founding_propose(founding=case, on=TODAY + timedelta(days=1))
    assert "proposed_on" in error.value.error_dict
    with pytest.raises(ValidationError):  # the decision is not the next step
        services.founding_decide(founding=case, on=DECIDED, number="1", body="x", name="Chi bộ")
    case = services.founding_propose(founding=case, on=PROPOSED)
    with pytest.raises(ValidationError) as error:
        services.founding_decide(founding=case, on=PROPOSED, number="", body="x", name="Chi bộ")
    assert "decision_number" in error.value.error_dict


def test_one_open_case_per_enterprise_and_none_where_an_organization_exists(qualifying, zone_a):
    enterprise = qualifying["enterprise"]
    services.founding_start(enterprise=enterprise, on=OPENED)
    with pytest.raises(ValidationError) as error:
        services.founding_start(enterprise=enterprise, on=OPENED)
    assert "enterprise" in error.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Founding.objects.create(enterprise=enterprise, started_on=OPENED)
    with_org = make_enterprise(zone_a, party_org=True)
    with pytest.raises(ValidationError) as error:
        services.founding_start(enterprise=with_org, on=TODAY)
    assert "enterprise" in error.value.error_dict


def test_an_abandoned_case_lets_a_new_one_open(qualifying):
    enterprise = qualifying["enterprise"]
    case = services.founding_start(enterprise=enterprise, on=OPENED)
    case = services.founding_abandon(founding=case, on=PROPOSED, reason="Doanh nghiệp tạm ngừng")
    assert case.stage == Stage.ABANDONED
    assert services.founding_start(enterprise=enterprise, on=TODAY).stage == Stage.QUALIFIES


def test_the_secretary_works_in_the_enterprise(qualifying, zone_a):
    case = services.founding_start(enterprise=qualifying["enterprise"], on=OPENED)
    case = services.founding_propose(founding=case, on=PROPOSED)
    case = services.founding_decide(founding=case, on=DECIDED, number="345-QĐ/ĐUK", body="ĐUK",
                                    name="Chi bộ Công ty Sao Mai")
    elsewhere = make_member(make_enterprise(zone_a))
    with pytest.raises(ValidationError) as error:
        services.founding_appoint(founding=case, on=APPOINTED, secretary=elsewhere)
    assert "secretary" in error.value.error_dict


# --- the board -------------------------------------------------------------------------------


def test_the_board_places_each_enterprise_at_its_stage_and_flags_the_waiting(
        qualifying, zone_a, iz_officer, settings):
    from accounts.policy import access_for

    settings.FOUNDING_PROPOSAL_DAYS = 90
    # The three official members count since their official date (2020): the
    # enterprise has qualified for years without a proposal.
    columns = {c.stage: c for c in selectors.board(access=access_for(iz_officer), today=TODAY)}
    card = columns[Stage.QUALIFIES].cards[0]
    assert (columns[Stage.QUALIFIES].count, card.enterprise, card.case, card.since,
            card.overdue) == (1, qualifying["enterprise"], None, date(2020, 3, 1), True)
    case = services.founding_start(enterprise=qualifying["enterprise"], on=TODAY)
    columns = {c.stage: c for c in selectors.board(access=access_for(iz_officer), today=TODAY)}
    card = columns[Stage.QUALIFIES].cards[0]
    assert (card.case, card.since, card.waiting_days, card.overdue) == (case, TODAY, 0, False)
    services.founding_propose(founding=case, on=TODAY)
    columns = {c.stage: c.count for c in selectors.board(access=access_for(iz_officer),
                                                         today=TODAY)}
    assert columns == {Stage.QUALIFIES: 0, Stage.PROPOSED: 1, Stage.DECIDED: 0,
                       Stage.APPOINTED: 0, Stage.COMPLETED: 0}


def test_the_board_shows_only_the_accounts_zones(qualifying, zone_b, iz_officer, client):
    other = make_enterprise(zone_b, name="Công ty Ngoài Vùng")
    joint = make_partyorg("Chi bộ ghép KCN B", zone=zone_b, established_on=date(2015, 1, 1))
    for name in ("E", "G", "H"):
        make_member(other, party_organization=joint, official_on=date(2021, 3, 1), given_name=name)
    client.force_login(iz_officer)
    page = lxml.html.fromstring(client.get(reverse("coordination:founding_board")).content)
    shown = {int(c.get("data-enterprise")) for c in page.xpath('//*[@data-testid="founding-card"]')}
    assert shown == {qualifying["enterprise"].pk}
    assert not page.xpath('//*[@data-testid="founding-start"]')  # IZ officers do not record steps


# --- the pages -------------------------------------------------------------------------------


def test_an_officer_records_each_step_through_the_pages(qualifying, pc_officer, client):
    client.force_login(pc_officer)
    response = client.post(reverse("coordination:founding_start",
                                    args=[qualifying["enterprise"].pk]),
                           {"on": OPENED.strftime("%d/%m/%Y")})
    case = Founding.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    step = reverse("coordination:founding_step", args=[case.pk])
    # A decision dated before the proposal is refused on its field, input kept.
    client.post(step, {"on": PROPOSED.strftime("%d/%m/%Y"), "proposal_number": "12-TTr"})
    response = client.post(step, {"on": OPENED.strftime("%d/%m/%Y"),
                                  "decision_number": "345-QĐ/ĐUK", "deciding_body": "ĐUK",
                                  "name": "Chi bộ Sao Mai", "kind": "chi_bo_co_so"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert 'value="345-QĐ/ĐUK"' in response.content.decode()
    client.post(step, {"on": DECIDED.strftime("%d/%m/%Y"), "decision_number": "345-QĐ/ĐUK",
                       "deciding_body": "ĐUK", "name": "Chi bộ Sao Mai", "kind": "chi_bo_co_so"})
    secretary = qualifying["members"][0]
    client.post(step, {"on": APPOINTED.strftime("%d/%m/%Y"), "secretary": secretary.pk})
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "4" in lxml.html.fromstring(detail).xpath(
        '//*[@data-testid="move-summary"]')[0].text_content()
    client.post(step, {})
    case.refresh_from_db()
    assert (case.stage, case.members_moved, case.secretary) == (Stage.COMPLETED, 4, secretary)
    assert Placement.objects.filter(began="founding", party_organization=case.organization,
                                    starts_on=DECIDED).count() == 4


def test_the_case_page_hides_names_from_iz_accounts(qualifying, iz_officer, pc_leader, client):
    case = _to_completion(services.founding_start(enterprise=qualifying["enterprise"],
                                                  on=OPENED))
    case.secretary = qualifying["members"][0]
    case.save()
    client.force_login(iz_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Chi bộ Công ty Sao Mai" in page and "An" not in lxml.html.fromstring(page).xpath(
        'string(//*[@data-testid="founding-facts"])').split()
    client.force_login(pc_leader)
    page = client.get(case.get_absolute_url()).content.decode()
    assert qualifying["members"][0].full_name in page


def test_pages_answer_in_constant_queries(qualifying, zone_a, pc_officer, client,
                                          django_assert_max_num_queries):
    client.force_login(pc_officer)
    url = reverse("coordination:founding_board")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for i in range(5):
        enterprise = make_enterprise(zone_a)
        for name in ("K", "L", "M"):
            make_member(enterprise, official_on=date(2021, 3, 1), given_name=f"{name}{i}")
        services.founding_start(enterprise=enterprise, on=OPENED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- the data review -------------------------------------------------------------------------


def test_the_data_review_flags_waiting_enterprises_small_cells_and_misfit_kinds(
        qualifying, zone_a, settings):
    from coordination.founding import checks
    from enterprises.models import Enterprise, PartyOrganization

    settings.FOUNDING_PROPOSAL_DAYS = 90
    waiting = Enterprise.objects.filter(checks.waiting_for_a_proposal(TODAY))
    assert list(waiting) == [qualifying["enterprise"]]  # qualified since 2020
    case = services.founding_start(enterprise=qualifying["enterprise"], on=OPENED)
    assert list(Enterprise.objects.filter(checks.waiting_for_a_proposal(TODAY))) == [
        qualifying["enterprise"]]  # a case without its proposal still waits
    services.founding_propose(founding=case, on=PROPOSED)
    assert not Enterprise.objects.filter(checks.waiting_for_a_proposal(TODAY)).exists()

    # The joint cell has three official members (and one probationary): enough.
    small = make_partyorg("Chi bộ Nhỏ", zone=zone_a, established_on=date(2015, 1, 1))
    for name in ("X", "Y"):
        make_member(make_enterprise(zone_a), party_organization=small,
                    official_on=date(2021, 3, 1), given_name=name)
    make_member(make_enterprise(zone_a), party_organization=small, given_name="Z")  # probationary
    below = PartyOrganization.objects.filter(checks.cells_below_three(TODAY))
    assert list(below) == [small]

    committee = make_partyorg("Đảng bộ Nhỏ", kind="dang_bo_co_so",
                              enterprise=make_enterprise(zone_a), established_on=date(2015, 1, 1))
    misfit = PartyOrganization.objects.filter(checks.size_mismatch(TODAY))
    assert list(misfit) == [committee]  # a grassroots committee of no members


def test_the_enterprise_profile_shows_where_its_founding_stands(qualifying, pc_officer,
                                                                 iz_officer, client):
    enterprise = qualifying["enterprise"]
    client.force_login(pc_officer)
    page = lxml.html.fromstring(client.get(enterprise.get_absolute_url()).content)
    assert page.xpath('//*[@data-testid="founding-qualifies"]')
    assert page.xpath('//*[@data-testid="panel-founding"]//*[@data-testid="founding-start"]')
    case = services.founding_start(enterprise=enterprise, on=OPENED)
    services.founding_propose(founding=case, on=PROPOSED)
    client.force_login(iz_officer)
    page = lxml.html.fromstring(client.get(enterprise.get_absolute_url()).content)
    stage = page.xpath('//*[@data-testid="panel-founding"]//*[@data-testid="founding-stage"]')
    assert stage[0].text_content().strip() == str(Stage.PROPOSED.label)
    assert not page.xpath('//*[@data-testid="founding-start"]')


def test_the_qualifying_list_shows_each_enterprises_founding_stage(qualifying, pc_officer,
                                                                  client):
    client.force_login(pc_officer)
    url = reverse("coordination:qualifying")
    page = lxml.html.fromstring(client.get(url).content)
    assert not page.xpath('//*[@data-testid="founding-cell"]//*[@data-testid="founding-stage"]')
    case = services.founding_start(enterprise=qualifying["enterprise"], on=OPENED)
    page = lxml.html.fromstring(client.get(url).content)
    link = page.xpath('//*[@data-testid="founding-cell"]//*[@data-testid="founding-stage"]')[0]
    assert link.get("href") == case.get_absolute_url()


def test_only_party_committee_officers_record_steps_and_nothing_changes_otherwise(
        qualifying, iz_officer, iz_leader, pc_leader, zone_b, client):
    enterprise = qualifying["enterprise"]
    case = services.founding_start(enterprise=enterprise, on=OPENED)
    step = reverse("coordination:founding_step", args=[case.pk])
    data = {"on": PROPOSED.strftime("%d/%m/%Y"), "proposal_number": "1"}
    for user in (iz_officer, iz_leader, pc_leader):
        client.force_login(user)
        assert client.post(step, data).status_code == 403
        assert client.post(reverse("coordination:founding_start", args=[enterprise.pk]),
                           {"on": TODAY.strftime("%d/%m/%Y")}).status_code == 403
        assert client.post(reverse("coordination:founding_abandon", args=[case.pk]),
                           {"on": TODAY.strftime("%d/%m/%Y"), "reason": "x"}).status_code == 403
    case.refresh_from_db()
    assert (case.stage, Founding.objects.count()) == (Stage.QUALIFIES, 1)
    # Outside an IZ officer's zones the case does not exist for it.
    other = services.founding_start(enterprise=make_enterprise(zone_b), on=OPENED)
    client.force_login(iz_officer)
    assert client.get(other.get_absolute_url()).status_code == 404
