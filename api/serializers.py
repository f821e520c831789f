"""What the API shows and accepts; the field names are the models'."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coordination.models import AdmissionCandidate, CoordinationPlan, PartyMember, mask_citizen_id
from enterprises.models import Enterprise, IndustrialZone, MassOrganization, PartyOrganization
from reports.models import Report


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustrialZone
        fields = ["id", "code", "name", "commune", "province", "area_ha", "established_on",
                  "is_active", "updated_at"]


class WorkforceSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    total_workers = serializers.IntegerField(min_value=0, max_value=10_000_000)
    female_workers = serializers.IntegerField(min_value=0, max_value=10_000_000,
                                              required=False, allow_null=True)
    union_members = serializers.IntegerField(min_value=0, max_value=10_000_000,
                                             required=False, allow_null=True)
    youth_union_members = serializers.IntegerField(min_value=0, max_value=10_000_000,
                                                   required=False, allow_null=True)


class EnterpriseSerializer(serializers.ModelSerializer):
    zone_code = serializers.CharField(source="zone.code", read_only=True)
    current_workforce = serializers.SerializerMethodField(
        help_text=_("The latest workforce record (null when none was recorded)."))

    class Meta:
        model = Enterprise
        fields = ["id", "tax_code", "name", "short_name", "zone", "zone_code", "address",
                  "legal_form", "capital_source", "investor_country", "sector",
                  "established_on", "status", "status_since", "representative", "phone",
                  "email", "current_workforce", "updated_at"]

    @extend_schema_field(WorkforceSerializer(allow_null=True))
    def get_current_workforce(self, obj):
        record = getattr(obj, "current_workforce", None)
        if record is None:
            return None
        return WorkforceSerializer(record).data


class MassOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = MassOrganization
        fields = ["id", "enterprise", "kind", "established_on", "dissolved_on", "note",
                  "updated_at"]


class PartyOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyOrganization
        fields = ["id", "name", "kind", "parent", "enterprise", "zone", "established_on",
                  "decision_number", "dissolved_on", "updated_at"]


class CitizenIdField(serializers.CharField):
    """The citizen ID, masked to its last four digits unless the view shows it
    whole (one record to an account that sees personal data, as its page)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Masked (••••••••1234) in lists, whole on a "
                                         "record's own page."))
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        if self.context.get("whole_citizen_id"):
            return value
        return mask_citizen_id(value)


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    citizen_id = CitizenIdField()


class MemberSerializer(PersonSerializer):
    status = serializers.SerializerMethodField(
        help_text=_("Today: probationary, official or left."))

    class Meta:
        model = PartyMember
        fields = ["id", "full_name", "family_name", "middle_name", "given_name",
                  "date_of_birth", "gender", "citizen_id", "party_card_number", "enterprise",
                  "party_organization", "admitted_on", "decision_on", "decision_number",
                  "official_on", "is_enterprise_owner", "status", "left_on", "left_reason",
                  "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=PartyMember.Status.choices))
    def get_status(self, obj) -> str:
        if obj.left_on is not None:
            return PartyMember.Status.LEFT
        return PartyMember.Status.OFFICIAL if obj.official_on else PartyMember.Status.PROBATIONARY


class CandidateSerializer(PersonSerializer):
    class Meta:
        model = AdmissionCandidate
        fields = ["id", "full_name", "family_name", "middle_name", "given_name",
                  "date_of_birth", "gender", "citizen_id", "education_grade", "enterprise",
                  "responsible_organization", "proposing_body", "stage", "identified_on",
                  "course_completed_on", "application_on", "sponsorship_on", "verification_on",
                  "assessment_on", "cell_resolution_on", "committee_resolution_on",
                  "decision_on", "decision_number", "ceremony_on", "closed_on",
                  "closed_reason", "member", "updated_at"]


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.id")
    indicator = serializers.CharField(source="target.indicator")
    label = serializers.CharField()
    kind = serializers.CharField(allow_null=True, help_text=_("stock or flow"))
    zone = serializers.IntegerField(source="target.zone_id", allow_null=True,
                                    help_text=_("Null: the whole province."))
    target_value = serializers.IntegerField(source="target.target_value")
    actual = serializers.IntegerField(allow_null=True,
                                      help_text=_("Computed from the data, never typed."))
    baseline = serializers.IntegerField(allow_null=True,
                                        help_text=_("A stock's figure on 1 January."))
    percent = serializers.FloatField(allow_null=True)
    on_track = serializers.BooleanField(allow_null=True)
    state = serializers.ChoiceField(choices=["achieved", "on_track", "behind", "missed",
                                             "unknown"])


class PlanSerializer(serializers.ModelSerializer):
    targets = serializers.SerializerMethodField()

    class Meta:
        model = CoordinationPlan
        fields = ["id", "year", "title", "document_number", "signed_on", "summary", "status",
                  "approved_at", "closed_at", "targets", "updated_at"]

    @extend_schema_field(TargetSerializer(many=True))
    def get_targets(self, obj):
        return TargetSerializer(self.context["progress"].get(obj.pk, []), many=True).data


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["stock", "flow"])
    value = serializers.IntegerField(allow_null=True)


class ZoneIndicatorsSerializer(serializers.Serializer):
    zone = serializers.IntegerField(allow_null=True, help_text=_(
        "Null: what belongs to no zone (joint cells under the IZ Board directly)."))
    values = IndicatorValueSerializer(many=True)


class IndicatorsSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    zone = serializers.IntegerField(allow_null=True,
                                    help_text=_("Null: every zone the account sees."))
    values = IndicatorValueSerializer(many=True)
    by_zone = ZoneIndicatorsSerializer(many=True, required=False, help_text=_(
        "With by_zone=true: the same figures for each zone; they add up to values."))


class ReportSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(
        help_text=_("Where to POST for the workbook once it is ready."))

    class Meta:
        model = Report
        fields = ["id", "kind", "period", "zone", "personal", "status", "requested_at",
                  "generated_at", "size", "download"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download(self, obj):
        if not obj.is_ready:
            return None
        from django.urls import reverse

        return reverse("api:report_download", args=[obj.pk])


# --- the sync ----------------------------------------------------------------------------

TAX_CODE_HELP = _("10 digits, or 10-3 for a branch; items match existing enterprises by it.")


class SyncItemSerializer(serializers.Serializer):
    """One enterprise to create or update; absent fields change nothing."""

    tax_code = serializers.CharField(max_length=20, help_text=TAX_CODE_HELP)
    name = serializers.CharField(max_length=255)
    zone = serializers.CharField(max_length=255, help_text=_("The zone's code (or name)."))
    legal_form = serializers.ChoiceField(choices=Enterprise.LegalForm.choices)
    capital_source = serializers.ChoiceField(choices=Enterprise.CapitalSource.choices)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    established_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Enterprise.Status.choices, required=False,
                                     allow_blank=True)
    dissolved_on = serializers.DateField(required=False, allow_null=True, help_text=_(
        "Alone, it means the enterprise was dissolved that day."))
    investor_country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sector = serializers.CharField(max_length=255, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    representative = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    workforce = WorkforceSerializer(many=True, required=False, max_length=50, help_text=_(
        "Dated workforce records to add; a record on a date already recorded replaces it, "
        "the same figures as the latest earlier record add nothing."))


class SyncRequestSerializer(serializers.Serializer):
    # The schema states the limit configured when the process started; the
    # check below reads the setting itself.
    items = SyncItemSerializer(many=True, allow_empty=False, max_length=settings.API_MAX_ITEMS,
                               help_text=_("At most API_MAX_ITEMS (1,000 by default) per "
                                           "request; send more in several requests."))

    def validate_items(self, items):
        if len(items) > settings.API_MAX_ITEMS:
            raise serializers.ValidationError(
                _("At most %(limit)s items per request.") % {"limit": settings.API_MAX_ITEMS})
        return items


class SyncItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    tax_code = serializers.CharField()
    id = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["new", "updated", "unchanged", "error"])
    changes = serializers.ListField(child=serializers.CharField())


class SyncResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    items = SyncItemResultSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ItemErrorsSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    tax_code = serializers.CharField()
    errors = ErrorSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    errors = ErrorSerializer(many=True, required=False)
    items = ItemErrorsSerializer(many=True, required=False)
    retry_after = serializers.IntegerField(required=False)
