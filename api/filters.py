"""The filters of each list (django-filter); every list takes ``updated_since``."""

from __future__ import annotations

import datetime

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from coordination.models import AdmissionCandidate, CoordinationPlan, PartyMember
from enterprises.models import Enterprise, IndustrialZone, MassOrganization, PartyOrganization
from reports.models import Report

UPDATED_SINCE = _("Only the rows changed at or after this moment (ISO 8601), for "
                  "incremental sync: pass the largest updated_at of the last sync.")


# The largest id a database column holds (bigint).
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An id: a whole number the database can hold (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class MomentField(filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, taken in UTC (any offset the database cannot hold,
    or a moment outside years 1-9999 once in UTC, is refused)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") \
                from exc


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


class UpdatedSince(filters.FilterSet):
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte",
                                 label=UPDATED_SINCE)


class ZoneFilter(UpdatedSince):
    is_active = filters.BooleanFilter()

    class Meta:
        model = IndustrialZone
        fields = []


class EnterpriseFilter(UpdatedSince):
    zone = IdFilter(field_name="zone_id", label=_("Zone id."))
    zone_code = filters.CharFilter(field_name="zone__code", lookup_expr="iexact")
    status = filters.ChoiceFilter(choices=Enterprise.Status.choices)
    tax_code = filters.CharFilter()
    capital_source = filters.ChoiceFilter(choices=Enterprise.CapitalSource.choices)
    established_after = filters.DateFilter(field_name="established_on", lookup_expr="gte")
    established_before = filters.DateFilter(field_name="established_on", lookup_expr="lte")

    class Meta:
        model = Enterprise
        fields = []


def _active(queryset, name, value):
    condition = Q(dissolved_on__isnull=True)
    return queryset.filter(condition) if value else queryset.exclude(condition)


class MassOrganizationFilter(UpdatedSince):
    zone = IdFilter(field_name="enterprise__zone_id", label=_("Zone id."))
    enterprise = IdFilter(field_name="enterprise_id")
    kind = filters.ChoiceFilter(choices=MassOrganization.Kind.choices)
    active = filters.BooleanFilter(method=_active, label=_("Not dissolved."))

    class Meta:
        model = MassOrganization
        fields = []


class PartyOrganizationFilter(UpdatedSince):
    zone = IdFilter(field_name="zone_id", label=_("Zone id."))
    enterprise = IdFilter(field_name="enterprise_id")
    kind = filters.ChoiceFilter(choices=PartyOrganization.Kind.choices)
    active = filters.BooleanFilter(method=_active, label=_("Not dissolved."))

    class Meta:
        model = PartyOrganization
        fields = []


def _member_status(queryset, name, value):
    if value == PartyMember.Status.LEFT:
        return queryset.filter(left_on__isnull=False)
    queryset = queryset.filter(left_on__isnull=True)
    return queryset.filter(official_on__isnull=value == PartyMember.Status.PROBATIONARY)


class MemberFilter(UpdatedSince):
    zone = IdFilter(field_name="enterprise__zone_id", label=_("Zone id."))
    enterprise = IdFilter(field_name="enterprise_id")
    party_organization = IdFilter(field_name="party_organization_id")
    status = filters.ChoiceFilter(choices=PartyMember.Status.choices, method=_member_status)
    admitted_after = filters.DateFilter(field_name="admitted_on", lookup_expr="gte")
    admitted_before = filters.DateFilter(field_name="admitted_on", lookup_expr="lte")

    class Meta:
        model = PartyMember
        fields = []


class CandidateFilter(UpdatedSince):
    zone = IdFilter(field_name="enterprise__zone_id", label=_("Zone id."))
    enterprise = IdFilter(field_name="enterprise_id")
    stage = filters.ChoiceFilter(choices=AdmissionCandidate.Stage.choices)
    identified_after = filters.DateFilter(field_name="identified_on", lookup_expr="gte")
    identified_before = filters.DateFilter(field_name="identified_on", lookup_expr="lte")

    class Meta:
        model = AdmissionCandidate
        fields = []


class PlanFilter(UpdatedSince):
    year = IdFilter(max_value=9999)
    status = filters.ChoiceFilter(choices=CoordinationPlan.Status.choices)

    class Meta:
        model = CoordinationPlan
        fields = []


class ReportFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Report.Kind.choices)
    status = filters.ChoiceFilter(choices=Report.Status.choices)
    period = filters.CharFilter()
    zone = IdFilter(field_name="zone_id", label=_("Zone id."))
    generated_since = MomentFilter(field_name="generated_at", lookup_expr="gte")

    class Meta:
        model = Report
        fields = []
