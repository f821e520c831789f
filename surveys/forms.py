"""Forms of the survey pages.

Forms parse input only; the rules are in the models and ``services``, whose
ValidationErrors the views attach to these fields. The visit form is used
on a tablet on site: segmented choices instead of drop-downs, numeric
keyboards for the counts, a camera-friendly photo input.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from coordination.forms import CitizenIdField, education_choices
from coordination.models import AdmissionCandidate, CoordinationPlan
from coordination.plans import selectors as plan_selectors
from core.forms import AttachmentsField
from enterprises.forms import ServiceModelForm, date_field, date_widget
from enterprises.models import Enterprise, IndustrialZone
from enterprises.selectors import party_organization_queryset

from . import selectors
from .models import FollowUp, SurveyCampaign, SurveyVisit
from .services import CAMPAIGN_FIELDS, CANDIDATE_FIELDS, VISIT_FIELDS

LARGE = "form-control-lg"


def _count(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=kwargs.pop("required", False),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "pattern": "[0-9]*",
                                        "class": LARGE}),
        **kwargs)


def _zone_label(zone: IndustrialZone) -> str:
    return f"{zone.code} · {zone.name}"


def _enterprise_label(enterprise: Enterprise) -> str:
    return f"{enterprise.display_name} · {enterprise.zone.code}"


# --- campaigns ------------------------------------------------------------------------------


class CampaignForm(ServiceModelForm):
    """Name, working group, period, plan; zones and the enterprises to visit.

    The enterprises' checkboxes are drawn by the template from
    :meth:`enterprise_groups`; none checked means the default list.
    """

    zones = forms.ModelMultipleChoiceField(
        label=_("Industrial zones"), queryset=IndustrialZone.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises to visit"), queryset=Enterprise.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every box unchecked to visit the operating enterprises of the "
                    "zones that have no party organization."))

    class Meta:
        model = SurveyCampaign
        fields = CAMPAIGN_FIELDS
        widgets = {"starts_on": date_widget(), "ends_on": date_widget(),
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["working_group"].queryset = selectors.working_groups()
        self.fields["working_group"].empty_label = None
        # The plans the account may see (no draft for the IZ Board), and the
        # campaign's own plan, which an edit keeps.
        visible = Q(pk__in=plan_selectors.plan_queryset(access=access).values("pk"))
        if self.instance.plan_id:
            visible |= Q(pk=self.instance.plan_id)
        self.fields["plan"].queryset = CoordinationPlan.objects.filter(visible).order_by("-year")
        zones = self.fields["zones"]
        zones.queryset = access.scope_zones(IndustrialZone.objects.order_by("code"), "pk")
        zones.label_from_instance = _zone_label
        listed = list(self.instance.enterprises.values_list("pk", flat=True)) \
            if self.instance.pk else []
        self.listed = set(listed)
        self.fields["enterprises"].queryset = access.scope_zones(
            Enterprise.objects.filter(~Q(status=Enterprise.Status.DISSOLVED)
                                      | Q(pk__in=listed)), "zone")
        if self.instance.pk and not self.is_bound:
            self.initial["zones"] = [z.pk for z in self.instance.zones.all()
                                     if access.sees_zone(z.pk)]
            self.initial["enterprises"] = [
                e.pk for e in selectors.campaign_enterprises(access=access,
                                                             campaign=self.instance)]

    def _ids(self, name) -> set[int]:
        if self.is_bound:
            values = self.data.getlist(self.add_prefix(name)) \
                if hasattr(self.data, "getlist") else self.data.get(name, [])
        else:
            values = self.initial.get(name) or []
        return {int(v) for v in values if str(v).isdigit()}

    def enterprise_groups(self) -> list[dict]:
        """Enterprises of the chosen zones, by zone, with their checkbox state."""
        return enterprise_groups(self.access, self._ids("zones"), self._ids("enterprises"),
                                 keep=self.listed)

    def service_kwargs(self) -> dict:
        return {
            "data": self.service_data(CAMPAIGN_FIELDS),
            "zones": list(self.cleaned_data["zones"]),
            "enterprises": list(self.cleaned_data["enterprises"]),
        }


def enterprise_groups(access: Access, zone_ids: set[int], checked: set[int],
                      keep=()) -> list[dict]:
    """The enterprise checkboxes of a campaign form, grouped by zone.

    ``suggested`` marks the default choice (operating, no party organization).
    """
    today = timezone.localdate()
    groups: dict[int, dict] = {}
    zones = access.scope_zones(IndustrialZone.objects.filter(pk__in=zone_ids), "pk")
    for zone in zones.order_by("code"):
        groups[zone.pk] = {"zone": zone, "options": []}
    suggested = set(selectors.default_enterprises(access=access, zone_ids=groups.keys(),
                                                  day=today).values_list("pk", flat=True))
    for enterprise in selectors.enterprise_choices(access=access, zone_ids=groups.keys(),
                                                   day=today, keep=keep):
        groups[enterprise.zone_id]["options"].append({
            "enterprise": enterprise,
            "checked": enterprise.pk in checked,
            "suggested": enterprise.pk in suggested,
        })
    for group in groups.values():
        group["checked"] = sum(1 for o in group["options"] if o["checked"])
        group["suggested"] = sum(1 for o in group["options"] if o["suggested"])
    return list(groups.values())


# --- visits ---------------------------------------------------------------------------------


class SegmentedRadio(forms.RadioSelect):
    """Rendered by ``surveys/_segmented.html`` as large toggle buttons."""


class VisitForm(ServiceModelForm):
    """The findings of a visit (the enterprise is chosen on creation only)."""

    enterprise = forms.TypedChoiceField(label=_("Enterprise"), coerce=int)
    workers = _count(_("Workers"))
    female_workers = _count(_("Female workers"))
    party_members_found = _count(_("Party members working there"))
    trade_union_members = _count(_("Trade union members"))
    youth_union_members = _count(_("Youth union members"))
    outstanding_workers = _count(_("Outstanding workers identified"), required=True)
    minutes = AttachmentsField(label=_("Minutes"))
    photos = AttachmentsField(label=_("Photos"))

    class Meta:
        model = SurveyVisit
        fields = VISIT_FIELDS
        widgets = {
            "visited_on": date_widget(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "trade_union": SegmentedRadio,
            "youth_union": SegmentedRadio,
            "owner_attitude": SegmentedRadio,
            "classification": SegmentedRadio,
        }

    def __init__(self, *args, access: Access, campaign: SurveyCampaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].widget.attrs["class"] = LARGE
        self.fields["visited_on"].initial = timezone.localdate
        self.fields["outstanding_workers"].initial = 0
        for name in ("owner_attitude", "classification", "trade_union", "youth_union"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0] != ""]
        self.fields["minutes"].widget.attrs["accept"] = (
            ".pdf,.docx,.xlsx,image/jpeg,image/png,image/webp")
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        self.fields["participants"].help_text = _("Names and units of the working group's "
                                                  "members who went.")
        if self.instance.pk:
            del self.fields["enterprise"]
            return
        self.options = self._enterprise_options(access, campaign)
        field = self.fields["enterprise"]
        field.choices = [("", "---------")] + [
            (str(group), [(e.pk, _enterprise_label(e)) for e in items])
            for group, items in self.options if items]
        field.widget.attrs["class"] = "form-select-lg"

    @staticmethod
    def _enterprise_options(access: Access, campaign: SurveyCampaign):
        listed = list(selectors.campaign_enterprises(access=access, campaign=campaign))
        visited = set(campaign.visits.values_list("enterprise_id", flat=True))
        others = selectors.enterprise_choices(
            access=access, zone_ids=[z.pk for z in campaign.zones.all()],
            day=timezone.localdate()).exclude(pk__in=[e.pk for e in listed])
        return [
            (_("Planned, not visited yet"), [e for e in listed if e.pk not in visited]),
            (_("Planned, already visited"), [e for e in listed if e.pk in visited]),
            (_("Other enterprises of the campaign's zones (added to the campaign)"),
             list(others)),
        ]

    def chosen_enterprise(self) -> Enterprise | None:
        pk = self.cleaned_data.get("enterprise")
        for _group, items in self.options:
            for enterprise in items:
                if enterprise.pk == pk:
                    return enterprise
        return None

    def uploads(self) -> list:
        return list(self.cleaned_data.get("minutes") or []) + list(
            self.cleaned_data.get("photos") or [])


class FollowUpForm(forms.ModelForm):
    """One follow-up action: what, who, by when (a row of a small formset)."""

    class Meta:
        model = FollowUp
        fields = ("action", "owner", "due_on")
        widgets = {"due_on": date_widget(), "action": forms.TextInput(attrs={"class": LARGE})}

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].label = _("What to follow up")
        self.fields["due_on"].label = _("Deadline")
        owner = self.fields["owner"]
        owner.label = _("Person in charge")
        owner.queryset = selectors.follow_up_owner_choices(access)
        owner.label_from_instance = lambda user: user.get_full_name()
        owner.widget.attrs["class"] = "form-select-lg"
        self.fields["due_on"].widget.attrs["class"] = LARGE

    def _post_clean(self):
        """The service validates and saves (with the visit's rules)."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


FollowUpFormSet = forms.modelformset_factory(FollowUp, form=FollowUpForm, extra=2,
                                             can_delete=False)


def follow_up_formset(data=None, *, visit: SurveyVisit | None = None, access=None):
    queryset = visit.follow_ups.select_related("owner") if visit else FollowUp.objects.none()
    return FollowUpFormSet(data, queryset=queryset, prefix="follow_ups",
                           form_kwargs={"access": access})


class DoneForm(forms.Form):
    done_on = date_field(label=_("Done on"), initial=timezone.localdate)


class MassOrganizationForm(forms.Form):
    established_on = date_field(label=_("Established on"))


class CandidateForm(ServiceModelForm):
    """An outstanding worker met on the visit, put on the admission list."""

    citizen_id = CitizenIdField()
    education_grade = forms.TypedChoiceField(
        label=_("General education"), choices=education_choices, coerce=int,
        empty_value=None, required=False,
        help_text=_("At least lower secondary (THCS) is required at the cell resolution."))

    fieldsets = [
        (_("Identity"), [
            ("family_name", "col-md-4"), ("middle_name", "col-md-4"),
            ("given_name", "col-md-4"), ("date_of_birth", "col-6 col-md-4"),
            ("gender", "col-6 col-md-4"), ("citizen_id", "col-md-4"),
        ]),
        (_("Admission case"), [
            ("education_grade", "col-md-4"), ("proposing_body", "col-md-4"),
            ("responsible_organization", "col-md-4"),
        ]),
    ]

    class Meta:
        model = AdmissionCandidate
        fields = CANDIDATE_FIELDS
        widgets = {"date_of_birth": date_widget()}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.fields["responsible_organization"]
        organization.queryset = party_organization_queryset(access=access).filter(
            dissolved_on__isnull=True).select_related(None).only("pk", "name").order_by(
            "sort_name", "pk")
        organization.help_text = _("For an enterprise without one: the cell the upper "
                                   "committee assigned.")
