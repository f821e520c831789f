"""List filters of party development (django-filter), over scoped querysets.

The querysets come from ``selectors`` (which refuse accounts without
Perm.VIEW_PERSONAL_DATA); these filters only narrow them. Only non-personal
criteria live here, because they travel in the URL: the name search is kept
in the session by the views, never in a query string.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from core.filters import ListFilterSet, search_widget
from core.quality import IssueFilter
from core.text import fold
from enterprises.filters import (
    YES_NO,
    ZoneChoiceFilter,
    enterprise_search,
    zones_in_scope,
)

from .models import AdmissionCandidate, PartyMember
from .selectors import overdue_condition

Stage = AdmissionCandidate.Stage
OPEN = "open"


# The members on the rolls today: official and probationary together.
ON_ROLLS = "on_rolls"


def member_status_condition(status: str, today: date) -> Q:
    """Members whose derived status at ``today`` is ``status`` (or who are
    on the rolls, official or probationary, for :data:`ON_ROLLS`)."""
    left = Q(left_on__isnull=False, left_on__lte=today)
    official = Q(official_on__isnull=False, official_on__lte=today)
    if status == ON_ROLLS:
        return ~left & Q(admitted_on__lte=today)
    if status == PartyMember.Status.LEFT:
        return left
    if status == PartyMember.Status.OFFICIAL:
        return ~left & official
    return ~left & ~official & Q(admitted_on__lte=today)


class _ScopedFilterSet(ListFilterSet):
    """Zone choices limited to the scope; enterprise and party organization typed.

    An enterprise or organization is found by typing part of its name (or the
    tax code), not picked from a list: on a province's data those lists held
    thousands of options on every page load.
    """

    zone = ZoneChoiceFilter(field_name="enterprise__zone")
    enterprise = django_filters.CharFilter(
        label=_("Enterprise"), method="filter_enterprise",
        widget=search_widget(_("Name or tax code")),
    )
    # The relation from the listed people to their party organization.
    organization_field = ""

    def __init__(self, data=None, queryset=None, *, access: Access, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["zone"].queryset = zones_in_scope(access)

    def filter_enterprise(self, queryset, name, value):
        condition = enterprise_search(value, "enterprise__")
        return queryset if condition is None else queryset.filter(condition)

    def filter_organization(self, queryset, name, value):
        folded = fold(value)
        if not folded:
            return queryset
        return queryset.filter(**{f"{self.organization_field}__search_text__contains": folded})

    @property
    def is_filtered(self) -> bool:
        return any(self.form.data.get(name) for name in self.filters)

    def active_filters(self) -> str:
        """The filters in use, for the access log (never a person's name)."""
        return " ".join(f"{name}={self.form.data.get(name)}" for name in self.filters
                        if self.form.data.get(name))


class CandidateFilter(_ScopedFilterSet):
    organization = django_filters.CharFilter(
        label=_("Responsible party organization"), method="filter_organization",
        widget=search_widget(_("Name of the party organization")),
    )
    organization_field = "responsible_organization"
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=[(OPEN, _("All open cases")), *Stage.choices],
        empty_label=_("All"), method="filter_stage",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), choices=YES_NO, empty_label=_("Any"), method="filter_overdue",
    )
    issue = IssueFilter("coordination:candidate_list")

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
    organization = django_filters.CharFilter(
        label=_("Party organization attended"), method="filter_organization",
        widget=search_widget(_("Name of the party organization")),
    )
    organization_field = "party_organization"
    status = django_filters.ChoiceFilter(
        label=_("Status today"),
        choices=[(ON_ROLLS, _("On the rolls")),
                 *PartyMember.Status.choices],
        empty_label=_("All"),
        method="filter_status",
    )
    issue = IssueFilter("coordination:member_list")

    class Meta:
        model = PartyMember
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(member_status_condition(value, timezone.localdate()))
