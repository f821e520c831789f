"""The access policy: DESIGN §1, organization × role, zone scope."""

import pytest
from django.db import IntegrityError

from accounts.models import User
from accounts.policy import NO_ACCESS, WRITE_PERMS, Perm, access_for
from enterprises.models import IndustrialZone
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_party_committee_officer_does_all_data_entry_and_sees_personal_data(pc_officer):
    access = access_for(pc_officer)
    for perm in (
        Perm.VIEW_PERSONAL_DATA,
        Perm.EDIT_PARTY_ORGS,
        Perm.EDIT_PARTY_DEVELOPMENT,
        Perm.EDIT_PLANS,
        Perm.RECORD_CORRESPONDENCE,
        Perm.RECORD_SURVEYS,
        Perm.GENERATE_REPORTS,
        Perm.EDIT_REGISTRY,
    ):
        assert access.can(perm), perm
    assert not access.can(Perm.APPROVE_PLANS)
    assert not access.can(Perm.ADMINISTER)
    assert access.zone_ids is None


def test_party_committee_leader_reads_everything_and_approves_plans(pc_leader):
    access = access_for(pc_leader)
    assert access.can(Perm.VIEW_PERSONAL_DATA)
    assert access.can(Perm.APPROVE_PLANS)
    assert access.can(Perm.DOWNLOAD_REPORTS)
    for perm in (Perm.EDIT_REGISTRY, Perm.EDIT_PARTY_DEVELOPMENT, Perm.EDIT_PLANS,
                 Perm.GENERATE_REPORTS, Perm.IMPORT_DATA, Perm.RECORD_CORRESPONDENCE):
        assert not access.can(perm), perm


def test_iz_officer_edits_its_zones_and_never_sees_personal_data(iz_officer, zone_a, zone_b):
    access = access_for(iz_officer)
    assert access.can(Perm.EDIT_REGISTRY)
    assert access.can(Perm.RECORD_SURVEYS)
    assert access.can(Perm.WORK_IZ_TASKS)
    # Letters its body sends or receives (coordination.cycle.rules says which).
    assert access.can(Perm.RECORD_CORRESPONDENCE)
    assert not access.can(Perm.VIEW_PERSONAL_DATA)
    assert not access.can(Perm.EDIT_PARTY_ORGS)
    assert not access.can(Perm.EDIT_PARTY_DEVELOPMENT)
    assert access.zone_ids == frozenset({zone_a.pk})
    scoped = access.scope_zones(IndustrialZone.objects.all(), "pk")
    assert list(scoped) == [zone_a]


def test_iz_leader_is_read_only(iz_leader, zone_a, zone_b):
    access = access_for(iz_leader)
    assert access.can(Perm.VIEW_REGISTRY)
    assert access.can(Perm.DOWNLOAD_REPORTS)
    writes = {Perm.EDIT_REGISTRY, Perm.EDIT_PARTY_ORGS, Perm.EDIT_PARTY_DEVELOPMENT,
              Perm.EDIT_PLANS, Perm.APPROVE_PLANS, Perm.WORK_IZ_TASKS, Perm.RECORD_SURVEYS,
              Perm.GENERATE_REPORTS, Perm.IMPORT_DATA, Perm.VIEW_PERSONAL_DATA,
              Perm.RECORD_CORRESPONDENCE}
    assert not (access.perms & writes)
    # Board-wide: every zone.
    assert access.zone_ids is None
    assert set(access.scope_zones(IndustrialZone.objects.all(), "pk")) == {zone_a, zone_b}


@pytest.mark.parametrize("fixture, writes", [("pc_officer", True), ("pc_leader", True),
                                             ("iz_officer", True), ("iz_leader", False),
                                             ("administrator", True)])
def test_every_account_but_the_iz_leader_changes_data(request, fixture, writes):
    """Who changes data must use two-step sign-in where it is required (accounts.mfa):
    approving a plan and administering count as changing data."""
    access = access_for(request.getfixturevalue(fixture))
    assert access.writes is writes
    assert bool(access.perms & WRITE_PERMS) is writes


def test_every_permission_is_either_reading_or_writing():
    reading = {Perm.VIEW_DASHBOARD, Perm.VIEW_REGISTRY, Perm.VIEW_PLANS, Perm.VIEW_SURVEYS,
               Perm.DOWNLOAD_REPORTS, Perm.VIEW_PERSONAL_DATA}
    assert frozenset(Perm) - reading == WRITE_PERMS
    assert {Perm.EDIT_REGISTRY, Perm.WORK_IZ_TASKS, Perm.RECORD_SURVEYS, Perm.IMPORT_DATA,
            Perm.APPROVE_PLANS, Perm.ADMINISTER} <= WRITE_PERMS


def test_iz_account_without_zones_sees_no_zone(zone_a):
    user = UserFactory(organization=User.Organization.IZ_BOARD, role=User.Role.OFFICER)
    access = access_for(user)
    assert access.zone_ids == frozenset()
    assert not access.scope_zones(IndustrialZone.objects.all(), "pk").exists()


def test_administrator_manages_accounts_but_sees_no_personal_data(administrator, zone_a):
    access = access_for(administrator)
    assert access.perms == frozenset({Perm.ADMINISTER})
    assert not access.scope_zones(IndustrialZone.objects.all(), "pk").exists()


def test_inactive_and_anonymous_accounts_have_no_access(pc_officer):
    from django.contrib.auth.models import AnonymousUser

    pc_officer.is_active = False
    assert access_for(pc_officer) is NO_ACCESS
    assert access_for(AnonymousUser()) is NO_ACCESS


def test_access_is_computed_once_per_user_object(iz_officer, django_assert_num_queries):
    user = User.objects.get(pk=iz_officer.pk)
    with django_assert_num_queries(1):
        access_for(user)
        access_for(user)


def test_organization_and_role_go_together_in_the_database():
    with pytest.raises(IntegrityError):
        User.objects.create(username="half", organization=User.Organization.IZ_BOARD, role="")


def test_organization_without_role_is_refused_by_validation():
    from django.core.exceptions import ValidationError

    user = User(username="half", organization=User.Organization.IZ_BOARD, role="")
    user.set_password("x-Strong-Password-1")
    with pytest.raises(ValidationError):
        user.full_clean()


def test_an_htmx_request_after_the_session_ended_sends_the_whole_page_to_login(client):
    from django.urls import reverse

    response = client.get(reverse("enterprises:enterprise_list"), HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/reports/7/")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert "next=/reports/7/" in response["HX-Redirect"]
    plain = client.get(reverse("enterprises:enterprise_list"))
    assert plain.status_code == 302 and "HX-Redirect" not in plain
