"""The one place that decides what an account may see and do.

Every view, export, download, htmx fragment and admin page asks this module:
``access_for(user).can(Perm.X)`` for actions and ``access.scope_zones(qs, ...)``
for rows. Scope is a server-side filter; hiding a link is never enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import User


class Perm(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_REGISTRY = "view_registry"
    EDIT_REGISTRY = "edit_registry"
    EDIT_PARTY_ORGS = "edit_party_orgs"
    # Names, birth dates, citizen IDs of members and candidates.
    VIEW_PERSONAL_DATA = "view_personal_data"
    EDIT_PARTY_DEVELOPMENT = "edit_party_development"
    VIEW_PLANS = "view_plans"
    EDIT_PLANS = "edit_plans"
    APPROVE_PLANS = "approve_plans"
    WORK_IZ_TASKS = "work_iz_tasks"
    # Letters (công văn) between the two bodies: Party Committee officers any,
    # IZ Board officers those their body sends or receives.
    RECORD_CORRESPONDENCE = "record_correspondence"
    VIEW_SURVEYS = "view_surveys"
    RECORD_SURVEYS = "record_surveys"
    GENERATE_REPORTS = "generate_reports"
    DOWNLOAD_REPORTS = "download_reports"
    IMPORT_DATA = "import_data"
    # Approve or reject what an administrator proposes that would give an
    # account access to personal data (accounts.services, separation of duties).
    APPROVE_ACCESS = "approve_access"
    # User accounts, schedules and reference data (Django admin).
    ADMINISTER = "administer"


PERM_LABELS = {
    Perm.VIEW_DASHBOARD: _("See the overview and the indicators"),
    Perm.VIEW_REGISTRY: _("See enterprises, zones and party organizations"),
    Perm.EDIT_REGISTRY: _("Enter and update enterprises, workforce and mass organizations"),
    Perm.EDIT_PARTY_ORGS: _("Enter and update party organizations"),
    Perm.VIEW_PERSONAL_DATA: _("See personal data of party members and candidates"),
    Perm.EDIT_PARTY_DEVELOPMENT: _("Enter party members and admission candidates"),
    Perm.VIEW_PLANS: _("See coordination plans"),
    Perm.EDIT_PLANS: _("Draft coordination plans, targets and tasks"),
    Perm.APPROVE_PLANS: _("Approve coordination plans"),
    Perm.WORK_IZ_TASKS: _("Update the IZ Board's plan tasks"),
    Perm.RECORD_CORRESPONDENCE: _("Record correspondence between the two bodies"),
    Perm.VIEW_SURVEYS: _("See survey campaigns and visits"),
    Perm.RECORD_SURVEYS: _("Record survey visits"),
    Perm.GENERATE_REPORTS: _("Generate periodic reports"),
    Perm.DOWNLOAD_REPORTS: _("Download reports"),
    Perm.IMPORT_DATA: _("Import data from Excel workbooks"),
    Perm.APPROVE_ACCESS: _("Approve access to personal data proposed by an administrator"),
    Perm.ADMINISTER: _("Manage accounts, schedules and reference data"),
}

_READ = {
    Perm.VIEW_DASHBOARD,
    Perm.VIEW_REGISTRY,
    Perm.VIEW_PLANS,
    Perm.VIEW_SURVEYS,
    Perm.DOWNLOAD_REPORTS,
}

# Every permission that enters, changes or approves data, administration
# included: where two-step sign-in is required, an account holding any of them
# must use it (accounts.mfa).
WRITE_PERMS = frozenset(set(Perm) - _READ - {Perm.VIEW_PERSONAL_DATA})

Org = User.Organization
Role = User.Role

# DESIGN §1: organization × role.
MATRIX: dict[tuple[str, str], frozenset[Perm]] = {
    (Org.PARTY_COMMITTEE, Role.OFFICER): frozenset(
        _READ
        | {
            Perm.VIEW_PERSONAL_DATA,
            Perm.EDIT_REGISTRY,
            Perm.EDIT_PARTY_ORGS,
            Perm.EDIT_PARTY_DEVELOPMENT,
            Perm.EDIT_PLANS,
            Perm.RECORD_CORRESPONDENCE,
            Perm.RECORD_SURVEYS,
            Perm.GENERATE_REPORTS,
            Perm.IMPORT_DATA,
        }
    ),
    (Org.PARTY_COMMITTEE, Role.LEADER): frozenset(
        _READ | {Perm.VIEW_PERSONAL_DATA, Perm.APPROVE_PLANS, Perm.APPROVE_ACCESS}
    ),
    (Org.IZ_BOARD, Role.OFFICER): frozenset(
        _READ | {Perm.EDIT_REGISTRY, Perm.WORK_IZ_TASKS, Perm.RECORD_CORRESPONDENCE,
                 Perm.RECORD_SURVEYS, Perm.IMPORT_DATA}
    ),
    (Org.IZ_BOARD, Role.LEADER): frozenset(_READ),
}


@dataclass(frozen=True)
class Access:
    """What one account may do, computed once per request."""

    perms: frozenset[Perm]
    # None: every zone. Otherwise the ids of the zones the account works on.
    zone_ids: frozenset[int] | None
    organization: str = ""
    role: str = ""

    def can(self, perm: Perm) -> bool:
        return perm in self.perms

    @property
    def writes(self) -> bool:
        """Whether the account may change any data (``WRITE_PERMS``)."""
        return not self.perms.isdisjoint(WRITE_PERMS)

    @property
    def all_zones(self) -> bool:
        return self.zone_ids is None

    def sees_zone(self, zone_id: int | None) -> bool:
        return self.zone_ids is None or zone_id in self.zone_ids

    def scope_zones(self, qs: QuerySet, lookup: str = "zone") -> QuerySet:
        """Keep the rows whose zone (reached through ``lookup``) is in scope.

        ``lookup`` is a path to the zone foreign key, e.g. ``"zone"`` for
        enterprises or ``"enterprise__zone"`` for workforce records; ``"pk"``
        filters zones themselves.
        """
        if self.zone_ids is None:
            return qs
        return qs.filter(**{f"{lookup}__in": self.zone_ids})

    @property
    def capabilities(self) -> list[str]:
        """The account's permissions in words, in a stable order."""
        return [PERM_LABELS[p] for p in Perm if p in self.perms]

    @property
    def is_party_committee(self) -> bool:
        return self.organization == Org.PARTY_COMMITTEE

    @property
    def is_iz_board(self) -> bool:
        return self.organization == Org.IZ_BOARD


NO_ACCESS = Access(perms=frozenset(), zone_ids=frozenset())

# What only a Party Committee leader's approval gives an account
# (accounts.grants): seeing personal data, approving such access, and the
# superuser flag (every Django permission).
SENSITIVE_PERMS = frozenset({Perm.VIEW_PERSONAL_DATA, Perm.APPROVE_ACCESS})
SUPERUSER = "superuser"


def sensitive_powers(*, is_active: bool, organization: str, role: str,
                     is_superuser: bool) -> frozenset[str]:
    """The powers an account in this state holds that need a Party Committee
    leader's approval: ``SENSITIVE_PERMS`` its organization and role give, and
    ``SUPERUSER``. An inactive account holds none (``access_for``)."""
    if not is_active:
        return frozenset()
    powers = set(MATRIX.get((organization, role), frozenset()) & SENSITIVE_PERMS)
    if is_superuser:
        powers.add(SUPERUSER)
    return frozenset(str(power) for power in powers)


def access_for(user) -> Access:
    """Compute (and cache on the user object) what ``user`` may do."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_access_cache", None)
    if cached is not None:
        return cached
    perms = set(MATRIX.get((user.organization, user.role), frozenset()))
    if user.is_staff:
        perms.add(Perm.ADMINISTER)
    if user.organization == Org.PARTY_COMMITTEE or (
        user.organization == Org.IZ_BOARD and user.all_zones
    ):
        zone_ids = None
    elif user.organization == Org.IZ_BOARD:
        zone_ids = frozenset(user.zones.values_list("pk", flat=True))
    else:
        zone_ids = frozenset()
    access = Access(
        perms=frozenset(perms),
        zone_ids=zone_ids,
        organization=user.organization,
        role=user.role,
    )
    user._access_cache = access
    return access


def _to_login(request):
    """The login page; for an htmx request (a poll, a fragment) the whole page
    goes there instead of the login form being swapped into a fragment."""
    response = redirect_to_login(request.get_full_path())
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = page.path + (f"?{page.query}" if page.query else "") if page.path else None
        response["HX-Redirect"] = redirect_to_login(back or request.get_full_path())["Location"]
    return response


def require(*perms: Perm):
    """View decorator: anonymous → login page; lacking a permission → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _to_login(request)
            access = access_for(request.user)
            if not all(access.can(p) for p in perms):
                raise PermissionDenied
            request.access = access
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_any(*perms: Perm):
    """View decorator: anonymous → login page; holding none of ``perms`` → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _to_login(request)
            access = access_for(request.user)
            if not any(access.can(p) for p in perms):
                raise PermissionDenied
            request.access = access
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RequireMixin:
    """Class-based view counterpart of :func:`require`."""

    required_perms: tuple[Perm, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        return require(*self.required_perms)(super().dispatch)(request, *args, **kwargs)


class PolicyAdminMixin:
    """Django admin integration: the policy, not Django's permission table,
    decides who sees and changes a model, and rows are scoped by zone.

    Nothing with history is deleted from the admin either.
    """

    view_perm: Perm = Perm.ADMINISTER
    change_perm: Perm = Perm.ADMINISTER
    zone_lookup: str | None = None

    def _can(self, request, perm) -> bool:
        return access_for(request.user).can(perm)

    def has_module_permission(self, request):
        return self._can(request, self.view_perm)

    def has_view_permission(self, request, obj=None):
        return self._can(request, self.view_perm) or self._can(request, self.change_perm)

    def has_change_permission(self, request, obj=None):
        return self._can(request, self.change_perm)

    def has_add_permission(self, request):
        return self._can(request, self.change_perm)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.zone_lookup:
            qs = access_for(request.user).scope_zones(qs, self.zone_lookup)
        return qs


def require_perm(actor, *perms: Perm) -> None:
    """For services: PermissionDenied unless ``actor`` holds one of ``perms``.

    ``actor=None`` is the system (seed data, imports, tests): no check.
    """
    if actor is None:
        return
    access = access_for(actor)
    if not any(access.can(perm) for perm in perms):
        raise PermissionDenied
