"""Separation of duties for accounts: an administrator manages them, but no
account changes its own access, and access to personal data (or taking over
the credentials of an account that has it) applies only once a Party
Committee leader who did not propose it approves."""

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import grants, services
from accounts.grants import AccessNotApproved
from accounts.models import AccessChangeRequest, AccountEvent, User
from core.models import Notification, PersonalDataAccess
from tests.coordination.factories import make_member
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

Org, Role = User.Organization, User.Role
Status, Kind = AccessChangeRequest.Status, AccessChangeRequest.Kind
Event = AccountEvent.Kind
MEMBERS = reverse("coordination:member_list")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Mat-khau-moi-2026!"


def vi(text):
    with translation.override("vi"):
        return translation.gettext(text)


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def decide_url(request):
    return reverse("accounts:access_request_decide", args=[request.pk])


def admin_form(user, **changes) -> dict:
    """What the admin's change page sends back for ``user`` as it is, with ``changes``."""
    data = {"username": user.username, "full_name": user.full_name, "title": user.title,
            "email": user.email, "phone": user.phone, "organization": user.organization,
            "role": user.role, "zones": [z.pk for z in user.zones.all()], "_save": "Save"}
    for flag in ("is_active", "is_staff", "is_superuser", "all_zones"):
        if getattr(user, flag):
            data[flag] = "on"
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = "on" if value is True else value
    return data


def sign_in(user, password=PASSWORD) -> Client | None:
    """A new browser signed in as ``user`` with ``password``, or None when refused."""
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": password})
    return client if response.status_code == 302 else None


@pytest.fixture
def quantri(db):
    """The administrator as in the demo: staff and superuser, no organization."""
    return UserFactory(username="quantri", organization="", role="", is_staff=True,
                       is_superuser=True)


# --- nobody changes their own access ----------------------------------------------------


@pytest.mark.parametrize("changes", [
    {"organization": Org.PARTY_COMMITTEE, "role": Role.OFFICER},
    {"organization": Org.IZ_BOARD, "role": Role.LEADER, "all_zones": True},
    {"zones": "zone"},
    {"is_staff": False},
    {"is_superuser": False},
])
def test_the_service_refuses_a_change_of_ones_own_access(quantri, zone_a, changes):
    if changes.get("zones") == "zone":
        changes = {"zones": [zone_a]}
    with pytest.raises(ValidationError) as refused:
        services.account_update(actor=quantri, user=quantri, reason="Tự cấp", **changes)
    assert refused.value.code == "own_access"
    quantri.refresh_from_db()
    assert (quantri.organization, quantri.role, quantri.is_staff, quantri.is_superuser) == (
        "", "", True, True)
    assert not quantri.zones.exists()
    assert not AccessChangeRequest.objects.exists()


def test_the_admin_page_of_ones_own_account_shows_the_access_read_only(client, quantri):
    client.force_login(quantri)
    page = client.get(change_url(quantri)).content.decode()
    for field in ("organization", "role", "zones", "is_staff", "is_superuser"):
        assert f'name="{field}"' not in page, field
    assert vi("Your own organization, role, zones and administrator rights are changed by "
              "another administrator.") in page
    # Another account's page has them.
    other = UserFactory(organization=Org.IZ_BOARD, role=Role.OFFICER)
    page = client.get(change_url(other)).content.decode()
    assert 'name="organization"' in page and 'name="is_superuser"' in page


def test_the_administrator_posting_its_own_access_changes_nothing(client, quantri):
    client.force_login(quantri)
    response = client.post(change_url(quantri), admin_form(
        quantri, organization=Org.PARTY_COMMITTEE, role=Role.OFFICER, full_name="Quản trị",
        reason="Tự cấp quyền"))
    assert response.status_code == 302
    quantri.refresh_from_db()
    assert quantri.full_name == "Quản trị"  # what it may change, it did
    assert (quantri.organization, quantri.role) == ("", "")
    assert not AccessChangeRequest.objects.exists()
    assert client.get(MEMBERS).status_code == 403


# --- the model-level guard ----------------------------------------------------------------


def test_a_save_that_gives_personal_data_without_approval_is_refused(iz_officer):
    user = User.objects.get(pk=iz_officer.pk)
    user.organization, user.role = Org.PARTY_COMMITTEE, Role.OFFICER
    with pytest.raises(AccessNotApproved):
        user.save()
    with pytest.raises(AccessNotApproved):
        User.objects.filter(pk=user.pk).update(is_superuser=True)
    with pytest.raises(AccessNotApproved):
        User.objects.create(username="moi", organization=Org.PARTY_COMMITTEE,
                            role=Role.LEADER)
    with pytest.raises(AccessNotApproved):
        User.objects.bulk_create([User(username="moi2", is_superuser=True)])
    with pytest.raises(AccessNotApproved):
        services.account_create(username="moi3", password=NEW_PASSWORD,
                                organization=Org.PARTY_COMMITTEE, role=Role.OFFICER)
    iz_officer.refresh_from_db()
    assert (iz_officer.organization, iz_officer.is_superuser) == (Org.IZ_BOARD, False)
    assert not User.objects.filter(username__startswith="moi").exists()


def test_what_gives_no_sensitive_power_saves_as_before(pc_officer, pc_leader, iz_officer):
    pc_leader.role = Role.OFFICER  # less
    pc_leader.save()
    pc_officer.is_active = False
    pc_officer.save()
    User.objects.filter(pk=iz_officer.pk).update(is_staff=True, all_zones=True)
    iz_officer.refresh_from_db()
    assert iz_officer.is_staff and iz_officer.all_zones


def test_an_approved_request_permits_only_its_own_account_and_access(quantri, pc_leader,
                                                                   iz_officer, iz_leader):
    result = services.account_update(actor=quantri, user=iz_officer,
                                     organization=Org.PARTY_COMMITTEE, role=Role.OFFICER,
                                     zones=[], reason="Chuyển công tác")
    request = services.access_request_approve(actor=pc_leader, request=result.request)
    with grants.permitted(request):
        iz_leader.organization = Org.PARTY_COMMITTEE  # another account
        with pytest.raises(AccessNotApproved):
            iz_leader.save()
        officer = User.objects.get(pk=iz_officer.pk)
        officer.is_superuser = True  # beyond what was proposed
        with pytest.raises(AccessNotApproved):
            officer.save()


# --- proposing and approving ------------------------------------------------------------------


def test_proposed_access_waits_for_a_leader_and_the_account_keeps_its_own(
        client, quantri, pc_leader, iz_officer):
    client.force_login(quantri)
    response = client.post(change_url(iz_officer), admin_form(
        iz_officer, organization=Org.PARTY_COMMITTEE, role=Role.OFFICER, zones=[],
        full_name="Phạm Thị Mới", reason="Điều động sang Ban Tổ chức Đảng ủy"))
    assert response.status_code == 302
    request = AccessChangeRequest.objects.get()
    assert (request.kind, request.status, request.target, request.proposed_by) == (
        Kind.ACCESS, Status.PENDING, iz_officer, quantri)
    assert (request.organization, request.role) == (Org.PARTY_COMMITTEE, Role.OFFICER)
    assert request.reason == "Điều động sang Ban Tổ chức Đảng ủy"
    iz_officer.refresh_from_db()
    # The name applies at once; the access waits.
    assert iz_officer.full_name == "Phạm Thị Mới"
    assert (iz_officer.organization, iz_officer.role) == (Org.IZ_BOARD, Role.OFFICER)
    officer = Client()
    officer.force_login(iz_officer)
    assert officer.get(MEMBERS).status_code == 403
    # The admin page says so.
    page = client.get(change_url(iz_officer)).content.decode()
    assert request.get_absolute_url() in page
    assert vi("Waiting for approval") in page

    leader = Client()
    leader.force_login(pc_leader)
    assert leader.get(request.get_absolute_url()).status_code == 200
    response = leader.post(decide_url(request), {"decision": "approve", "note": "Đồng ý"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == (
        Status.APPROVED, pc_leader, "Đồng ý")
    assert request.decided_at is not None
    iz_officer.refresh_from_db()
    assert (iz_officer.organization, iz_officer.role) == (Org.PARTY_COMMITTEE, Role.OFFICER)
    # The change ended the account's session; signed in again, it sees the members.
    assert officer.get(MEMBERS).status_code == 302
    officer.force_login(User.objects.get(pk=iz_officer.pk))
    assert officer.get(MEMBERS).status_code == 200


def test_a_new_account_with_personal_data_is_created_without_it_until_approved(
        client, quantri, pc_leader):
    client.force_login(quantri)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "canbo.moi", "full_name": "Đỗ Văn Mới", "organization": Org.PARTY_COMMITTEE,
        "role": Role.OFFICER, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "reason": "Cán bộ mới của Ban Tổ chức", "_save": "Save"})
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert (user.organization, user.role) == ("", "")
    request = AccessChangeRequest.objects.get(target=user)
    assert (request.organization, request.role, request.status) == (
        Org.PARTY_COMMITTEE, Role.OFFICER, Status.PENDING)
    services.access_request_approve(actor=pc_leader, request=request)
    user.refresh_from_db()
    assert (user.organization, user.role) == (Org.PARTY_COMMITTEE, Role.OFFICER)


def test_without_a_reason_the_admin_says_why_and_nothing_changes(client, quantri, iz_officer):
    client.force_login(quantri)
    response = client.post(change_url(iz_officer), admin_form(
        iz_officer, organization=Org.PARTY_COMMITTEE, role=Role.LEADER, zones=[]))
    assert response.status_code == 200
    assert vi("This change gives the account access that a Party Committee leader approves: "
              "say why it needs it.") in response.content.decode()
    assert not AccessChangeRequest.objects.exists()


def test_what_gives_no_personal_data_applies_at_once(client, quantri, iz_officer, zone_b,
                                                    pc_officer):
    client.force_login(quantri)
    response = client.post(change_url(iz_officer), admin_form(
        iz_officer, zones=[z.pk for z in iz_officer.zones.all()] + [zone_b.pk],
        email="moi@example.vn", is_staff=True))
    assert response.status_code == 302
    iz_officer.refresh_from_db()
    assert set(iz_officer.zones.values_list("code", flat=True)) == {"AAA", "BBB"}
    assert iz_officer.email == "moi@example.vn" and iz_officer.is_staff
    response = client.post(change_url(pc_officer), admin_form(pc_officer, is_active=False))
    assert response.status_code == 302
    pc_officer.refresh_from_db()
    assert not pc_officer.is_active
    assert not AccessChangeRequest.objects.exists()


def test_reactivating_an_account_with_personal_data_waits_for_a_leader(quantri, pc_officer,
                                                                       pc_leader):
    services.account_update(actor=quantri, user=pc_officer, is_active=False)
    result = services.account_update(actor=quantri, user=pc_officer, is_active=True,
                                     reason="Trở lại làm việc")
    pc_officer.refresh_from_db()
    assert not pc_officer.is_active
    assert result.request.activate
    services.access_request_approve(actor=pc_leader, request=result.request)
    pc_officer.refresh_from_db()
    assert pc_officer.is_active


def test_a_waiting_request_holds_other_changes_of_access_but_not_the_rest(quantri, iz_officer,
                                                                        zone_b):
    services.account_update(actor=quantri, user=iz_officer, organization=Org.PARTY_COMMITTEE,
                            role=Role.OFFICER, reason="Điều động")
    with pytest.raises(ValidationError) as refused:
        services.account_update(actor=quantri, user=iz_officer, zones=[zone_b])
    assert refused.value.code == "pending"
    services.account_update(actor=quantri, user=iz_officer, phone="0912000111")
    iz_officer.refresh_from_db()
    assert iz_officer.phone == "0912000111"


def test_promoting_an_officer_to_leader_is_approved_too(quantri, pc_officer, pc_leader):
    """A leader approves access: becoming one is approved by another."""
    result = services.account_update(actor=quantri, user=pc_officer, role=Role.LEADER,
                                     reason="Bổ nhiệm Phó Bí thư")
    assert result.request is not None
    pc_officer.refresh_from_db()
    assert pc_officer.role == Role.OFFICER


# --- who decides ----------------------------------------------------------------------------


@pytest.fixture
def proposal(quantri, iz_officer):
    return services.account_update(actor=quantri, user=iz_officer,
                                   organization=Org.PARTY_COMMITTEE, role=Role.OFFICER,
                                   zones=[], reason="Điều động").request


def test_the_proposer_cannot_approve_its_own_proposal(iz_officer):
    proposer = UserFactory(username="lanhdao.quantri", organization=Org.PARTY_COMMITTEE,
                           role=Role.LEADER, is_staff=True)
    request = services.account_update(actor=proposer, user=iz_officer,
                                      organization=Org.PARTY_COMMITTEE, role=Role.OFFICER,
                                      zones=[], reason="Điều động").request
    with pytest.raises(PermissionDenied):
        services.access_request_approve(actor=proposer, request=request)
    client = Client()
    client.force_login(proposer)
    assert client.post(decide_url(request), {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == Status.PENDING
    iz_officer.refresh_from_db()
    assert iz_officer.organization == Org.IZ_BOARD
    # Nor in the database.
    request.status, request.decided_by = Status.APPROVED, proposer
    request.decided_at = request.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()


@pytest.mark.parametrize("who", ["iz_leader", "iz_officer_b", "pc_officer"])
def test_nobody_but_a_party_committee_leader_approves(request, proposal, who, zone_b):
    if who == "iz_officer_b":
        decider = UserFactory(organization=Org.IZ_BOARD, role=Role.OFFICER, zones=[zone_b])
    else:
        decider = request.getfixturevalue(who)
    client = Client()
    client.force_login(decider)
    assert client.post(decide_url(proposal), {"decision": "approve"}).status_code == 403
    assert client.get(proposal.get_absolute_url()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.access_request_approve(actor=decider, request=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING


def test_the_account_concerned_cannot_decide(quantri, pc_leader):
    other_leader = UserFactory(organization=Org.PARTY_COMMITTEE, role=Role.LEADER)
    request = services.account_password_set(actor=quantri, user=pc_leader,
                                            password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.access_request_approve(actor=pc_leader, request=request)
    services.access_request_approve(actor=other_leader, request=request)
    pc_leader.refresh_from_db()
    assert pc_leader.check_password(NEW_PASSWORD)


def test_a_rejection_leaves_the_access_as_it_was(client, proposal, pc_leader, iz_officer):
    client.force_login(pc_leader)
    client.post(decide_url(proposal), {"decision": "reject"})  # no reason: refused
    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING
    client.post(decide_url(proposal), {"decision": "reject", "note": "Chưa có quyết định"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decision_note) == (
        Status.REJECTED, pc_leader, "Chưa có quyết định")
    iz_officer.refresh_from_db()
    assert (iz_officer.organization, iz_officer.role) == (Org.IZ_BOARD, Role.OFFICER)
    assert set(iz_officer.zones.values_list("code", flat=True)) == {"AAA"}
    # Decided once: not again.
    with pytest.raises(ValidationError):
        services.access_request_approve(actor=pc_leader, request=proposal)


def test_an_administrator_withdraws_a_waiting_request(client, proposal, quantri, iz_officer):
    client.force_login(quantri)
    client.post(decide_url(proposal), {"decision": "withdraw"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Status.WITHDRAWN, quantri)
    iz_officer.refresh_from_db()
    assert iz_officer.organization == Org.IZ_BOARD


def test_the_leader_sees_what_waits_for_it_in_the_menu(client, proposal, pc_leader, pc_officer):
    client.force_login(pc_leader)
    page = client.get(reverse("accounts:access_request_list")).content.decode()
    assert 'data-testid="nav-badge">1<' in page
    assert f'data-pk="{proposal.pk}"' in page and 'data-testid="yours-to-decide"' in page
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' in detail and "Điều động" in detail
    client.force_login(pc_officer)
    assert 'data-testid="nav-badge"' not in client.get(reverse("core:home")).content.decode()


# --- credentials of an account with personal data ---------------------------------------------


def test_a_password_set_by_an_administrator_waits_then_ends_the_sessions(
        client, quantri, pc_officer, pc_leader):
    session = sign_in(pc_officer)
    client.force_login(quantri)
    response = client.post(reverse("admin:auth_user_password_change", args=[pc_officer.pk]),
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                            "reason": "Quên mật khẩu"})
    assert response.status_code == 302
    request = AccessChangeRequest.objects.get(kind=Kind.PASSWORD)
    # Kept hashed, never as text.
    assert NEW_PASSWORD not in request.password and check_password(NEW_PASSWORD,
                                                                   request.password)
    pc_officer.refresh_from_db()
    assert pc_officer.check_password(PASSWORD)
    assert session.get(MEMBERS).status_code == 200
    services.access_request_approve(actor=pc_leader, request=request)
    request.refresh_from_db()
    assert request.password == ""  # not kept once decided
    pc_officer.refresh_from_db()
    assert pc_officer.check_password(NEW_PASSWORD)
    assert session.get(MEMBERS).status_code == 302  # signed out
    event = AccountEvent.objects.get(account=pc_officer, kind=Event.PASSWORD_SET)
    assert (event.actor, event.request) == (quantri, request)
    assert NEW_PASSWORD not in str(event.changes) and "md5$" not in str(event.changes)


def test_a_two_step_reset_of_an_account_with_personal_data_waits(client, quantri, pc_officer,
                                                                pc_leader):
    TOTPDevice.objects.create(user=pc_officer, name="authenticator", confirmed=True)
    client.force_login(quantri)
    client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_two_step", "_selected_action": [pc_officer.pk]})
    request = AccessChangeRequest.objects.get(kind=Kind.TWO_STEP)
    assert TOTPDevice.objects.filter(user=pc_officer).exists()
    services.access_request_approve(actor=pc_leader, request=request)
    assert not TOTPDevice.objects.filter(user=pc_officer).exists()
    event = AccountEvent.objects.get(account=pc_officer, kind=Event.TWO_STEP_RESET)
    assert (event.actor, event.request) == (quantri, request)


def test_the_attack_replayed_learns_nothing(client, quantri, pc_officer):
    """The administrator tries to give itself personal-data access, then to
    take over a Party Committee officer's account (new password, two-step
    reset) and sign in as them."""
    TOTPDevice.objects.create(user=pc_officer, name="authenticator", confirmed=True)
    make_member(citizen_id="001190009999")
    client.force_login(quantri)
    # 1. Its own organization and role.
    client.post(change_url(quantri), admin_form(
        quantri, organization=Org.PARTY_COMMITTEE, role=Role.OFFICER, reason="x"))
    with pytest.raises(ValidationError):
        services.account_update(actor=quantri, user=quantri, organization=Org.PARTY_COMMITTEE,
                                role=Role.OFFICER, reason="x")
    for url in (MEMBERS, reverse("admin:coordination_partymember_changelist")):
        response = client.get(url)
        assert response.status_code == 403
        assert "001190009999" not in response.content.decode()
    # 2. Another officer's password and two-step sign-in.
    client.post(reverse("admin:auth_user_password_change", args=[pc_officer.pk]),
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_two_step", "_selected_action": [pc_officer.pk]})
    assert sign_in(pc_officer, NEW_PASSWORD) is None
    assert TOTPDevice.objects.filter(user=pc_officer, confirmed=True).exists()
    assert not PersonalDataAccess.objects.exists()
    quantri.refresh_from_db()
    assert (quantri.organization, quantri.role) == ("", "")
    # Both wait for a leader, and the officer hears of them.
    assert set(AccessChangeRequest.objects.values_list("kind", "status")) == {
        (Kind.PASSWORD, Status.PENDING), (Kind.TWO_STEP, Status.PENDING)}
    assert set(AccountEvent.objects.filter(account=pc_officer, actor=quantri)
               .values_list("kind", flat=True)) == {Event.REQUEST_PROPOSED}


# --- the record of changes, told to the holder --------------------------------------------------


def test_changes_are_recorded_with_who_and_when(client, quantri, iz_officer, zone_b):
    client.force_login(quantri)
    before = AccountEvent.objects.count()
    client.post(change_url(iz_officer), admin_form(
        iz_officer, full_name="Phạm Minh Đức", zones=[z.pk for z in iz_officer.zones.all()]
        + [zone_b.pk]))
    client.post(reverse("admin:auth_user_password_change", args=[iz_officer.pk]),
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_two_step", "_selected_action": [iz_officer.pk]})
    events = list(AccountEvent.objects.filter(account=iz_officer).order_by("pk")[:10])
    assert AccountEvent.objects.count() - before == 3
    changed, password, reset = events[-3:]
    assert (changed.kind, changed.actor) == (Event.CHANGED, quantri)
    assert changed.changes == {"full_name": [iz_officer.full_name, "Phạm Minh Đức"],
                               "zones": [["AAA"], ["AAA", "BBB"]]}
    assert (password.kind, password.actor, password.changes) == (Event.PASSWORD_SET, quantri,
                                                                 {})
    assert (reset.kind, reset.actor) == (Event.TWO_STEP_RESET, quantri)
    for event in events[-3:]:
        assert abs((event.at - events[-1].at).total_seconds()) < 60
    # On the account's admin page.
    page = client.get(change_url(iz_officer)).content.decode()
    assert 'data-testid="account-history"' in page and "Phạm Minh Đức" in page
    assert vi("Two-step sign-in reset") in page


def test_the_holder_is_told_in_the_bell_and_by_email(quantri, iz_officer,
                                                     django_capture_on_commit_callbacks):
    iz_officer.email = "bql@example.vn"
    iz_officer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.account_password_set(actor=quantri, user=iz_officer, password=NEW_PASSWORD)
    notification = Notification.objects.get(recipient=iz_officer)
    assert notification.url == reverse("accounts:security")
    assert vi("Password set by someone else") in notification.title
    assert quantri.username in notification.body
    assert [message.to for message in mail.outbox] == [["bql@example.vn"]]
    assert NEW_PASSWORD not in mail.outbox[0].body
    assert vi("A change to your account") == mail.outbox[0].subject


def test_a_proposal_is_told_to_the_account_and_the_leaders(quantri, iz_officer, pc_leader,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.account_update(
            actor=quantri, user=iz_officer, organization=Org.PARTY_COMMITTEE,
            role=Role.OFFICER, zones=[], reason="Điều động").request
    assert Notification.objects.filter(recipient=iz_officer).count() == 1
    leader = Notification.objects.get(recipient=pc_leader)
    assert leader.url == request.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(actor=pc_leader, request=request)
    told = Notification.objects.get(recipient=quantri)
    assert vi("Proposed change approved") in told.title


def test_the_security_page_shows_the_holders_events(client, quantri, iz_officer):
    services.account_update(actor=quantri, user=iz_officer, title="Chuyên viên chính")
    client.force_login(iz_officer)
    page = client.get(reverse("accounts:security")).content.decode()
    assert 'data-kind="changed"' in page and "Chuyên viên chính" in page
    assert quantri.username in page


def test_a_password_changed_by_its_holder_is_recorded_as_theirs(client, iz_officer):
    client.force_login(iz_officer)
    client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    event = AccountEvent.objects.get(account=iz_officer, kind=Event.PASSWORD_CHANGED)
    assert event.actor == iz_officer


def test_a_change_outside_the_application_is_recorded_too(iz_officer):
    call_command_password = User.objects.get(pk=iz_officer.pk)
    call_command_password.set_password(NEW_PASSWORD)  # as `manage.py changepassword` does
    call_command_password.save()
    User.objects.filter(pk=iz_officer.pk).update(phone="0900000000")
    kinds = list(AccountEvent.objects.filter(account=iz_officer).order_by("pk")
                 .values_list("kind", "actor", "changes"))
    assert kinds[-2:] == [(Event.PASSWORD_SET, None, {}),
                          (Event.CHANGED, None, {"phone": ["", "0900000000"]})]


# --- the bootstrap ------------------------------------------------------------------------------


def test_the_first_leader_is_created_by_the_bootstrap_command_only_once(monkeypatch):
    monkeypatch.setenv("BOOTSTRAP_LEADER_PASSWORD", NEW_PASSWORD)
    call_command("bootstrap_leader", "--username", "lanhdao.dau", "--full-name", "Lê Văn Đầu",
                 "--no-input")
    leader = User.objects.get(username="lanhdao.dau")
    assert (leader.organization, leader.role) == (Org.PARTY_COMMITTEE, Role.LEADER)
    assert leader.check_password(NEW_PASSWORD)
    event = AccountEvent.objects.get(account=leader)
    assert (event.kind, event.actor) == (Event.CREATED, None)
    assert event.note == services.BOOTSTRAP_NOTE
    with pytest.raises(CommandError):
        call_command("bootstrap_leader", "--username", "lanhdao.hai", "--no-input")
    assert not User.objects.filter(username="lanhdao.hai").exists()


def test_createsuperuser_works_only_before_the_first_leader(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    call_command("createsuperuser", "--username", "root", "--email", "r@example.vn",
                 "--no-input")
    assert User.objects.get(username="root").is_superuser
    UserFactory(organization=Org.PARTY_COMMITTEE, role=Role.LEADER)
    with pytest.raises(CommandError):
        call_command("createsuperuser", "--username", "root2", "--email", "r2@example.vn",
                     "--no-input")
    assert not User.objects.filter(username="root2").exists()

