"""List filters of party development (django-filter), over scoped querysets.

The querysets come from ``selectors`` (which refuse accounts without
Perm.VIEW_PERSONAL_DATA); these filters only narrow them. Only non-personal
criteria live here, because they travel in the URL: the name search is kept
in the session by the views, never in a query string.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from enterprises.filters import YES_NO, _ZoneChoiceFilter, _zones_in_scope
from enterprises.models import Enterprise
from enterprises.selectors import party_organization_queryset

from .models import AdmissionCandidate, PartyMember
from .selectors import overdue_condition

Stage = AdmissionCandidate.Stage
OPEN = "open"


def member_status_condition(status: str, today: date) -> Q:
    """Members whose derived status at ``today`` is ``status``."""
    left = Q(left_on__isnull=False, left_on__lte=today)
    official = Q(official_on__isnull=False, official_on__lte=today)
    if status == PartyMember.Status.LEFT:
        return left
    if status == PartyMember.Status.OFFICIAL:
        return ~left & official
    return ~left & ~official & Q(admitted_on__lte=today)


class _EnterpriseChoiceFilter(django_filters.ModelChoiceFilter):
    """An enterprise select showing "short name · zone code"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Enterprise"))
        kwargs.setdefault("empty_label", _("All"))
        kwargs.setdefault("queryset", Enterprise.objects.none())
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda e: f"{e.display_name} · {e.zone.code}"
        return field


class _ScopedFilterSet(django_filters.FilterSet):
    """Zone, enterprise and party organization choices limited to the scope.

    The enterprise choices are those with at least one row in the list (and
    in the chosen zone), so the select stays short on large data.
    """

    zone = _ZoneChoiceFilter(field_name="enterprise__zone")
    enterprise = _EnterpriseChoiceFilter()

    def __init__(self, data=None, queryset=None, *, access: Access, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["zone"].queryset = _zones_in_scope(access)
        enterprises = access.scope_zones(Enterprise.objects.all(), "zone").filter(
            Exists(self._meta.model.objects.filter(enterprise=OuterRef("pk")))
        ).select_related("zone").only("pk", "name", "short_name", "zone__code") \
            .order_by("sort_name", "pk")
        zone = (data or {}).get("zone")
        if zone and str(zone).isdigit():
            enterprises = enterprises.filter(zone_id=int(zone))
        self.filters["enterprise"].queryset = enterprises
        self.filters["organization"].queryset = party_organization_queryset(access=access) \
            .select_related(None) \
            .only("pk", "name").order_by("sort_name", "pk")

    @property
    def is_filtered(self) -> bool:
        return any(self.form.data.get(name) for name in self.filters)

    def active_filters(self) -> str:
        """The filters in use, for the access log (never a name)."""
        return " ".join(f"{name}={self.form.data.get(name)}" for name in self.filters
                        if self.form.data.get(name))


class CandidateFilter(_ScopedFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("Responsible party organization"), field_name="responsible_organization",
        queryset=Enterprise.objects.none(), empty_label=_("All"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=[(OPEN, _("All open cases")), *Stage.choices],
        empty_label=_("All"), method="filter_stage",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), choices=YES_NO, empty_label=_("Any"), method="filter_overdue",
    )

    class Meta:
        model = AdmissionCandidate
        fields: list[str] = []

    def filter_stage(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(closed_on__isnull=True, ceremony_on__isnull=True)
        return queryset.filter(stage=value)

    def filter_overdue(self, queryset, name, value):
        condition = overdue_condition(timezone.localdate())
        return queryset.filter(condition if value == "yes" else ~condition)


class MemberFilter(_ScopedFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("Party organization attended"), field_name="party_organization",
        queryset=Enterprise.objects.none(), empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status today"), choices=PartyMember.Status.choices, empty_label=_("All"),
        method="filter_status",
    )

    class Meta:
        model = PartyMember
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(member_status_condition(value, timezone.localdate()))
