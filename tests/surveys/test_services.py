"""Survey services: who may plan and record, what a campaign lists by default,
the rules of a visit, and what a visit carries into the registry and the
admission pipeline (through those apps' own services and rules)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.policy import access_for
from coordination.models import AdmissionCandidate
from core.models import PersonalDataAccess
from core.services import OUT_OF_SCOPE_MESSAGE, TOO_MANY_REFUSALS
from enterprises.models import Enterprise, MassOrganization, WorkforceRecord
from surveys import services
from surveys.models import FollowUp, SurveyCampaign, SurveyVisit
from tests.coordination.factories import make_candidate, make_working_group
from tests.enterprises.factories import MassOrganizationFactory, WorkforceFactory, make_enterprise

from .factories import (
    TODAY,
    candidate_data,
    make_campaign,
    make_visit,
    visit_data,
)

pytestmark = pytest.mark.django_db


def messages_of(exc) -> dict:
    return {field: " ".join(str(m) for m in msgs)
            for field, msgs in exc.value.message_dict.items()}


# --- campaigns ------------------------------------------------------------------------------


def test_left_empty_a_campaign_lists_operating_enterprises_without_a_party_organization(
        pc_officer, zone_a, zone_b):
    without = make_enterprise(zone_a)
    make_enterprise(zone_a, party_org=True)
    make_enterprise(zone_a, status=Enterprise.Status.SUSPENDED,
                    status_since=date(2025, 1, 1))
    make_enterprise(zone_a, status=Enterprise.Status.DISSOLVED, status_since=date(2024, 1, 1))
    other_zone = make_enterprise(zone_b)
    campaign = make_campaign(pc_officer, [zone_a])
    assert list(campaign.enterprises.all()) == [without]
    assert other_zone not in campaign.enterprises.all()
    assert campaign.created_by == pc_officer
    assert campaign.history.count() >= 1


def test_the_user_chooses_the_enterprises_instead(pc_officer, zone_a):
    with_org = make_enterprise(zone_a, party_org=True)
    make_enterprise(zone_a)
    campaign = make_campaign(pc_officer, [zone_a], [with_org])
    assert list(campaign.enterprises.all()) == [with_org]


def test_a_campaign_needs_a_working_group_zones_and_something_to_visit(pc_officer, zone_a):
    steering = make_working_group(kind="steering")
    with pytest.raises(ValidationError) as exc:
        make_campaign(pc_officer, [], group=steering)
    errors = messages_of(exc)
    assert "working_group" in errors and "zones" in errors
    make_enterprise(zone_a, party_org=True)
    with pytest.raises(ValidationError) as exc:
        make_campaign(pc_officer, [zone_a])
    assert "enterprises" in messages_of(exc)
    assert not SurveyCampaign.objects.exists()


def test_period_order_and_enterprises_outside_the_zones_are_refused(pc_officer, zone_a,
                                                                   zone_b):
    elsewhere = make_enterprise(zone_b)
    with pytest.raises(ValidationError) as exc:
        make_campaign(pc_officer, [zone_a], [elsewhere], starts_on=TODAY,
                      ends_on=TODAY - timedelta(days=1))
    errors = messages_of(exc)
    assert "ends_on" in errors
    assert elsewhere.name in errors["enterprises"]


def test_iz_officers_plan_only_in_their_zones(iz_officer, zone_a, zone_b):
    mine, theirs = make_enterprise(zone_a), make_enterprise(zone_b)
    campaign = make_campaign(iz_officer, [zone_a])
    assert list(campaign.enterprises.all()) == [mine]
    with pytest.raises(PermissionDenied):
        make_campaign(iz_officer, [zone_b])
    with pytest.raises(PermissionDenied):
        make_campaign(iz_officer, [zone_a], [mine, theirs])


@pytest.mark.parametrize("user", ["pc_leader", "iz_leader", "administrator"])
def test_accounts_that_do_not_record_surveys_cannot_plan(request, user, zone_a):
    make_enterprise(zone_a)
    with pytest.raises(PermissionDenied):
        make_campaign(request.getfixturevalue(user), [zone_a])


def test_an_iz_officer_changes_only_the_enterprises_of_its_zones(pc_officer, iz_officer,
                                                                 zone_a, zone_b):
    a1, a2, b1 = make_enterprise(zone_a), make_enterprise(zone_a), make_enterprise(zone_b)
    campaign = make_campaign(pc_officer, [zone_a, zone_b], [a1, b1])
    services.campaign_update(actor=iz_officer, campaign=campaign,
                             data={"name": "Đợt khảo sát (sửa)"}, zones=[zone_a],
                             enterprises=[a2])
    campaign.refresh_from_db()
    assert set(campaign.enterprises.all()) == {a2, b1}
    assert set(campaign.zones.all()) == {zone_a, zone_b}
    assert campaign.name == "Đợt khảo sát (sửa)"


def test_a_visited_enterprise_stays_and_the_period_keeps_its_visits(pc_officer, zone_a):
    visited, other = make_enterprise(zone_a), make_enterprise(zone_a)
    campaign = make_campaign(pc_officer, [zone_a], [visited, other])
    make_visit(pc_officer, campaign, visited, visited_on=TODAY - timedelta(days=20))
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(actor=pc_officer, campaign=campaign, data={},
                                 zones=[zone_a], enterprises=[other])
    assert visited.name in messages_of(exc)["enterprises"]
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(actor=pc_officer, campaign=campaign,
                                 data={"starts_on": TODAY - timedelta(days=5)},
                                 zones=[zone_a], enterprises=[visited, other])
    assert "starts_on" in messages_of(exc)
    campaign.refresh_from_db()
    assert campaign.starts_on == TODAY - timedelta(days=60)
    assert campaign.enterprises.count() == 2


def test_a_shared_campaign_does_not_name_another_zones_visit(pc_officer, iz_officer,
                                                             zone_a, zone_b):
    mine = make_enterprise(zone_a, name="Công ty TNHH Vùng Mình")
    theirs = make_enterprise(zone_b, name="Công ty TNHH Vùng Khác Bí Mật")
    campaign = make_campaign(pc_officer, [zone_a, zone_b], [mine, theirs])
    make_visit(pc_officer, campaign, theirs, visited_on=TODAY - timedelta(days=20))
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(actor=iz_officer, campaign=campaign,
                                 data={"starts_on": TODAY - timedelta(days=5)},
                                 zones=[zone_a], enterprises=[mine])
    message = messages_of(exc)["starts_on"]
    assert theirs.name not in message and "Bí Mật" not in message
    with pytest.raises(ValidationError) as exc:  # the Party Committee sees every zone
        services.campaign_update(actor=pc_officer, campaign=campaign,
                                 data={"starts_on": TODAY - timedelta(days=5)},
                                 zones=[zone_a, zone_b], enterprises=[mine, theirs])
    assert theirs.display_name in messages_of(exc)["starts_on"]


def test_follow_up_owners_work_on_the_zone(pc_officer, iz_officer, zone_a, zone_b):
    from surveys.selectors import follow_up_owner_choices
    from tests.factories import UserFactory
    other = UserFactory(username="bql_khac", organization="iz_board", role="officer",
                        zones=[zone_b])
    accounts = set(follow_up_owner_choices(access_for(iz_officer)))
    assert other not in accounts and {iz_officer, pc_officer} <= accounts
    assert other in set(follow_up_owner_choices(access_for(pc_officer)))
    enterprise = make_enterprise(zone_a)
    campaign = make_campaign(pc_officer, [zone_a], [enterprise])
    with pytest.raises(ValidationError) as exc:
        make_visit(pc_officer, campaign, enterprise, follow_ups=[{
            "action": "Gặp chủ doanh nghiệp", "owner": other,
            "due_on": TODAY + timedelta(days=10)}])
    assert "follow_ups-0-owner" in messages_of(exc)


# --- visits -------------------------------------------------------------------------------


@pytest.fixture
def setting(pc_officer, zone_a, zone_b):
    listed = make_enterprise(zone_a, name="Công ty TNHH Khảo sát Một")
    unlisted = make_enterprise(zone_a, name="Công ty TNHH Khảo sát Hai", party_org=True)
    far = make_enterprise(zone_b, name="Công ty TNHH Vùng Khác")
    campaign = make_campaign(pc_officer, [zone_a], [listed])
    return {"campaign": campaign, "listed": listed, "unlisted": unlisted, "far": far}


def test_a_visit_records_findings_and_follow_ups(pc_officer, iz_officer, setting):
    visit = make_visit(iz_officer, setting["campaign"], setting["listed"], follow_ups=[
        {"action": "Làm việc với chủ doanh nghiệp", "owner": pc_officer,
         "due_on": TODAY + timedelta(days=10)}])
    assert visit.recorded_by == iz_officer
    assert visit.follow_ups.get().owner == pc_officer
    assert visit.added_to_campaign is False
    assert visit.history.count() == 1


def test_an_unlisted_enterprise_of_the_zones_is_added_to_the_campaign(pc_officer, setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["unlisted"])
    assert visit.added_to_campaign is True
    assert setting["unlisted"] in setting["campaign"].enterprises.all()


def test_an_enterprise_outside_the_campaign_zones_is_refused(pc_officer, setting):
    with pytest.raises(ValidationError) as exc:
        make_visit(pc_officer, setting["campaign"], setting["far"])
    assert "enterprise" in messages_of(exc)
    assert not SurveyVisit.objects.exists()


def test_an_iz_officer_cannot_record_outside_its_zones(iz_officer, pc_officer, zone_b,
                                                       setting):
    campaign = make_campaign(pc_officer, [zone_b], [setting["far"]])
    with pytest.raises(PermissionDenied):
        make_visit(iz_officer, campaign, setting["far"])


@pytest.mark.parametrize(("fields", "field"), [
    ({"visited_on": TODAY + timedelta(days=1)}, "visited_on"),
    ({"visited_on": TODAY - timedelta(days=90)}, "visited_on"),
    ({"female_workers": 400}, "female_workers"),
    ({"trade_union_members": 321}, "trade_union_members"),
])
def test_visit_rules_answer_on_their_field(pc_officer, setting, fields, field):
    with pytest.raises(ValidationError) as exc:
        make_visit(pc_officer, setting["campaign"], setting["listed"], **fields)
    assert field in messages_of(exc)


def test_one_visit_a_day_per_enterprise_and_campaign(pc_officer, setting):
    make_visit(pc_officer, setting["campaign"], setting["listed"])
    with pytest.raises(ValidationError) as exc:
        make_visit(pc_officer, setting["campaign"], setting["listed"])
    assert "visited_on" in messages_of(exc)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyVisit.objects.create(campaign=setting["campaign"], enterprise=setting["listed"],
                                   recorded_by=pc_officer, **visit_data())


def test_a_dissolved_enterprise_cannot_be_visited_after_its_dissolution(pc_officer, zone_a,
                                                                        setting):
    gone = make_enterprise(zone_a, status=Enterprise.Status.DISSOLVED,
                           status_since=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError) as exc:
        make_visit(pc_officer, setting["campaign"], gone)
    assert gone.name in messages_of(exc)["visited_on"]


def test_a_follow_up_deadline_cannot_precede_the_visit(pc_officer, setting):
    with pytest.raises(ValidationError) as exc:
        make_visit(pc_officer, setting["campaign"], setting["listed"], follow_ups=[
            {"action": "Việc A", "owner": None, "due_on": TODAY - timedelta(days=30)}])
    assert "follow_ups-0-due_on" in messages_of(exc)
    assert not SurveyVisit.objects.exists()


def test_follow_up_done_once_between_the_visit_and_today(pc_officer, iz_leader, setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"], follow_ups=[
        {"action": "Việc A", "owner": None, "due_on": TODAY}])
    follow_up = visit.follow_ups.get()
    for on in (TODAY + timedelta(days=1), visit.visited_on - timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.follow_up_done(actor=pc_officer, follow_up=follow_up, on=on)
    with pytest.raises(PermissionDenied):
        services.follow_up_done(actor=iz_leader, follow_up=follow_up, on=TODAY)
    services.follow_up_done(actor=pc_officer, follow_up=follow_up, on=TODAY)
    follow_up.refresh_from_db()
    assert follow_up.done_on == TODAY
    assert follow_up.history.count() == 2
    with pytest.raises(ValidationError):
        services.follow_up_done(actor=pc_officer, follow_up=follow_up, on=TODAY)


# --- applying findings -------------------------------------------------------------------------


def test_apply_the_workforce_once(iz_officer, setting):
    enterprise = setting["listed"]
    WorkforceFactory(enterprise=enterprise, as_of=date(2024, 1, 1), total_workers=280,
                     female_workers=150)
    visit = make_visit(iz_officer, setting["campaign"], enterprise)
    services.visit_apply_workforce(actor=iz_officer, visit=visit)
    visit.refresh_from_db()
    record = visit.workforce_record
    assert (record.as_of, record.total_workers, record.female_workers, record.union_members,
            record.youth_union_members) == (visit.visited_on, 320, 180, 250, None)
    assert enterprise.workforce_records.count() == 2
    with pytest.raises(ValidationError):
        services.visit_apply_workforce(actor=iz_officer, visit=visit)
    assert enterprise.workforce_records.count() == 2


def test_applying_figures_the_registry_already_has_links_the_record(pc_officer, setting):
    enterprise = setting["listed"]
    existing = WorkforceRecord.objects.create(
        enterprise=enterprise, as_of=date(2025, 12, 31), total_workers=320, female_workers=180,
        union_members=250)
    visit = make_visit(pc_officer, setting["campaign"], enterprise)
    result = services.visit_apply_workforce(actor=pc_officer, visit=visit)
    assert result.workforce_created is False
    visit.refresh_from_db()
    assert visit.workforce_record == existing
    assert enterprise.workforce_records.count() == 1


def test_nothing_to_apply_without_workers_and_only_for_registry_editors(pc_leader, pc_officer,
                                                                        setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"], workers=None,
                       female_workers=None, trade_union_members=None)
    with pytest.raises(ValidationError):
        services.visit_apply_workforce(actor=pc_officer, visit=visit)
    with pytest.raises(PermissionDenied):
        services.visit_apply_workforce(actor=pc_leader, visit=visit)


def test_applied_figures_are_locked_on_the_visit(pc_officer, setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"])
    services.visit_apply_workforce(actor=pc_officer, visit=visit)
    visit.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.visit_update(actor=pc_officer, visit=visit, data={"workers": 330})
    assert "workers" in messages_of(exc)
    changed = services.visit_update(actor=pc_officer, visit=visit,
                                    data={"recommendations": "Sửa kiến nghị"})
    assert changed == ["recommendations"]


def test_record_the_trade_union_found(iz_officer, setting):
    visit = make_visit(iz_officer, setting["campaign"], setting["listed"])
    on = visit.visited_on - timedelta(days=400)
    union = services.visit_record_mass_organization(
        actor=iz_officer, visit=visit, kind=MassOrganization.Kind.TRADE_UNION,
        established_on=on)
    assert (union.enterprise, union.kind, union.established_on) == (
        setting["listed"], "trade_union", on)
    with pytest.raises(ValidationError) as exc:
        services.visit_record_mass_organization(
            actor=iz_officer, visit=visit, kind=MassOrganization.Kind.TRADE_UNION,
            established_on=on)
    assert "kind" in messages_of(exc)
    assert MassOrganization.objects.count() == 1


def test_a_mass_organization_needs_the_finding_and_a_date_not_after_the_visit(pc_officer,
                                                                             setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"])
    with pytest.raises(ValidationError) as exc:  # the visit found no youth union
        services.visit_record_mass_organization(
            actor=pc_officer, visit=visit, kind=MassOrganization.Kind.YOUTH_UNION,
            established_on=date(2020, 1, 1))
    assert "kind" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.visit_record_mass_organization(
            actor=pc_officer, visit=visit, kind=MassOrganization.Kind.TRADE_UNION,
            established_on=visit.visited_on + timedelta(days=1))
    assert "established_on" in messages_of(exc)
    MassOrganizationFactory(enterprise=setting["listed"], established_on=date(2019, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.visit_record_mass_organization(
            actor=pc_officer, visit=visit, kind=MassOrganization.Kind.TRADE_UNION,
            established_on=date(2020, 1, 1))
    assert "01/05/2019" in messages_of(exc)["kind"]


# --- registering candidates ------------------------------------------------------------------


def test_an_iz_officer_registers_an_identified_worker(iz_officer, setting):
    visit = make_visit(iz_officer, setting["campaign"], setting["listed"])
    candidate = services.visit_register_candidate(actor=iz_officer, visit=visit,
                                                  data=candidate_data())
    assert candidate.enterprise == setting["listed"]
    assert candidate.identified_on == visit.visited_on
    assert candidate.stage == AdmissionCandidate.Stage.IDENTIFIED
    assert list(visit.candidates.all()) == [candidate]
    assert candidate.history.count() == 1


def test_every_candidate_rule_applies(pc_officer, setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"])
    with pytest.raises(ValidationError) as exc:
        services.visit_register_candidate(actor=pc_officer, visit=visit,
                                          data=candidate_data(citizen_id="12345"))
    assert "citizen_id" in messages_of(exc)
    first = services.visit_register_candidate(actor=pc_officer, visit=visit,
                                              data=candidate_data())
    with pytest.raises(ValidationError) as exc:  # one open case per person
        services.visit_register_candidate(actor=pc_officer, visit=visit,
                                          data=candidate_data(citizen_id=first.citizen_id))
    assert "citizen_id" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:  # born after the visit
        services.visit_register_candidate(
            actor=pc_officer, visit=visit,
            data=candidate_data(date_of_birth=visit.visited_on + timedelta(days=1)))
    assert "identified_on" in messages_of(exc)


def test_an_iz_officer_learns_nothing_of_a_case_in_another_zone(iz_officer, pc_officer,
                                                                 setting, zone_b, settings):
    """A person with an open case in another zone: one neutral message, only
    once every other rule holds; logged without the citizen ID; after
    OUT_OF_SCOPE_REFUSALS_PER_HOUR refusals every registration is refused."""
    settings.OUT_OF_SCOPE_REFUSALS_PER_HOUR = 2
    elsewhere = make_candidate(make_enterprise(zone_b), citizen_id="036095000777")
    visit = make_visit(iz_officer, setting["campaign"], setting["listed"],
                       outstanding_workers=5)
    with pytest.raises(ValidationError) as exc:  # another rule fails: no word on the case
        services.visit_register_candidate(actor=iz_officer, visit=visit, data=candidate_data(
            citizen_id=elsewhere.citizen_id,
            date_of_birth=visit.visited_on + timedelta(days=1)))
    assert "citizen_id" not in messages_of(exc)
    assert not PersonalDataAccess.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.visit_register_candidate(actor=iz_officer, visit=visit,
                                          data=candidate_data(citizen_id=elsewhere.citizen_id))
    neutral = messages_of(exc)["citizen_id"]
    assert neutral == str(OUT_OF_SCOPE_MESSAGE)
    assert "open admission case" not in neutral and zone_b.name not in neutral
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.record_id) == (iz_officer, "refused", None)
    assert elsewhere.citizen_id not in log.detail
    # A Party Committee officer (who sees personal data) is told plainly.
    with pytest.raises(ValidationError) as exc:
        services.visit_register_candidate(actor=pc_officer, visit=visit,
                                          data=candidate_data(citizen_id=elsewhere.citizen_id))
    assert messages_of(exc)["citizen_id"] != neutral
    with pytest.raises(ValidationError):
        services.visit_register_candidate(actor=iz_officer, visit=visit,
                                          data=candidate_data(citizen_id=elsewhere.citizen_id))
    # Two refusals in the hour: even a new person is refused now, nothing written.
    with pytest.raises(ValidationError) as exc:
        services.visit_register_candidate(actor=iz_officer, visit=visit, data=candidate_data())
    assert str(TOO_MANY_REFUSALS) in " ".join(exc.value.messages)
    assert visit.candidates.count() == 0


def test_no_more_candidates_than_workers_identified(pc_officer, iz_leader, setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"],
                       outstanding_workers=1)
    with pytest.raises(PermissionDenied):
        services.visit_register_candidate(actor=iz_leader, visit=visit, data=candidate_data())
    services.visit_register_candidate(actor=pc_officer, visit=visit, data=candidate_data())
    with pytest.raises(ValidationError):
        services.visit_register_candidate(actor=pc_officer, visit=visit,
                                          data=candidate_data())
    with pytest.raises(ValidationError) as exc:
        services.visit_update(actor=pc_officer, visit=visit, data={"outstanding_workers": 0})
    assert "outstanding_workers" in messages_of(exc)
    assert AdmissionCandidate.objects.count() == 1


def test_visit_updates_add_and_change_follow_ups(pc_officer, setting):
    visit = make_visit(pc_officer, setting["campaign"], setting["listed"], follow_ups=[
        {"action": "Việc A", "owner": None, "due_on": TODAY}])
    existing = visit.follow_ups.get()
    services.visit_update(actor=pc_officer, visit=visit, data={}, follow_ups=[
        (existing, {"action": "Việc A (sửa)", "owner": pc_officer, "due_on": TODAY}),
        (None, {"action": "Việc B", "owner": None, "due_on": TODAY + timedelta(days=3)}),
    ])
    assert list(FollowUp.objects.filter(visit=visit).values_list("action", "owner")) == [
        ("Việc A (sửa)", pc_officer.pk), ("Việc B", None)]


def test_a_dissolved_enterprise_already_listed_does_not_block_edits(pc_officer, zone_a):
    from enterprises import services as registry

    closing, other = make_enterprise(zone_a), make_enterprise(zone_a)
    campaign = make_campaign(pc_officer, [zone_a], [closing, other])
    make_visit(pc_officer, campaign, closing, visited_on=TODAY - timedelta(days=20))
    registry.enterprise_dissolve(enterprise=closing, on=TODAY - timedelta(days=5))
    closing.refresh_from_db()
    services.campaign_update(actor=pc_officer, campaign=campaign, data={"name": "Đổi tên"},
                             zones=[zone_a], enterprises=[closing, other])
    campaign.refresh_from_db()
    assert campaign.name == "Đổi tên"
    assert set(campaign.enterprises.all()) == {closing, other}
    late = make_enterprise(zone_a, status=Enterprise.Status.DISSOLVED,
                           status_since=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(actor=pc_officer, campaign=campaign, data={},
                                 zones=[zone_a], enterprises=[closing, other, late])
    assert late.name in messages_of(exc)["enterprises"]
