"""List filters of the registry (django-filter), always over a scoped queryset.

The querysets come from ``selectors``; these filters only narrow them. The
zone choices are limited to the zones in the account's scope.
"""

from __future__ import annotations

import re

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from core.filters import ListFilterSet, search_widget
from core.forms import ShortChoiceIterator
from core.quality import IssueFilter
from core.text import fold

from .models import Enterprise, IndustrialZone, PartyOrganization
from .selectors import enterprise_flag

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
_TAX_CODE_SEPARATORS = re.compile(r"[\s.\-]")


def zones_in_scope(access: Access):
    """The industrial zones the account works on, by code (for zone selects)."""
    return access.scope_zones(IndustrialZone.objects.order_by("code"), "pk")


class ZoneChoiceFilter(django_filters.ModelChoiceFilter):
    """A zone select showing "code · name"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Industrial zone"))
        kwargs.setdefault("empty_label", _("All zones"))
        kwargs.setdefault("queryset", IndustrialZone.objects.none())
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda zone: f"{zone.code} · {zone.name}"
        field.iterator = ShortChoiceIterator
        return field


def enterprise_search(value: str, prefix: str = "") -> Q | None:
    """Enterprises whose name, short name or tax code contain ``value`` (case and
    diacritics ignored; a branch tax code may be typed without its dash), over the
    relation ``prefix`` ("enterprise__" from a person); None for blank input."""
    folded = fold(value)
    if not folded:
        return None
    condition = Q(**{f"{prefix}search_text__contains": folded})
    # A branch tax code typed without its dash: 0100233488001.
    digits = _TAX_CODE_SEPARATORS.sub("", folded)
    if digits.isdigit() and len(digits) > 10:
        condition |= Q(**{f"{prefix}tax_code__startswith": f"{digits[:10]}-{digits[10:]}"})
    return condition


class EnterpriseFilter(ListFilterSet):
    """Filters of the enterprise list; ``q`` ignores case and diacritics."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=search_widget(_("Name, short name or tax code")),
    )
    zone = ZoneChoiceFilter()
    capital_source = django_filters.ChoiceFilter(
        label=_("Capital source"), choices=Enterprise.CapitalSource.choices, empty_label=_("All"),
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=Enterprise.LegalForm.choices, empty_label=_("All"),
    )
    has_party_org = django_filters.ChoiceFilter(
        label=_("Has a party organization"), choices=YES_NO, empty_label=_("Any"),
        method="filter_flag",
    )
    has_union = django_filters.ChoiceFilter(
        label=_("Has a trade union"), choices=YES_NO, empty_label=_("Any"),
        method="filter_flag",
    )
    has_youth_union = django_filters.ChoiceFilter(
        label=_("Has a youth union"), choices=YES_NO, empty_label=_("Any"),
        method="filter_flag",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Enterprise.Status.choices, empty_label=_("All"),
    )
    issue = IssueFilter("enterprises:enterprise_list")

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, access: Access, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["zone"].queryset = zones_in_scope(access)

    def filter_search(self, queryset, name, value):
        condition = enterprise_search(value)
        return queryset if condition is None else queryset.filter(condition)

    def filter_flag(self, queryset, name, value):
        condition = enterprise_flag(name)
        return queryset.filter(condition if value == "yes" else ~condition)

    @property
    def is_filtered(self) -> bool:
        return any(self.form.data.get(name) for name in self.filters)


class PartyOrganizationFilter(ListFilterSet):
    """Filters of the party organization list."""

    STATE_ACTIVE = "active"
    STATE_DISSOLVED = "dissolved"

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=search_widget(_("Organization or enterprise")),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PartyOrganization.Kind.choices, empty_label=_("All"),
    )
    zone = ZoneChoiceFilter()
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(STATE_ACTIVE, _("Active")), (STATE_DISSOLVED, _("Dissolved"))],
        empty_label=_("All"),
        method="filter_state",
    )
    issue = IssueFilter("enterprises:partyorg_list")

    class Meta:
        model = PartyOrganization
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, access: Access, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["zone"].queryset = zones_in_scope(access)

    def filter_search(self, queryset, name, value):
        folded = fold(value)
        if not folded:
            return queryset
        return queryset.filter(
            Q(search_text__contains=folded) | Q(enterprise__search_text__contains=folded)
        )

    def filter_state(self, queryset, name, value):
        active = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate())
        return queryset.filter(active if value == self.STATE_ACTIVE else ~active)

    @property
    def is_filtered(self) -> bool:
        return any(self.form.data.get(name) for name in self.filters)
