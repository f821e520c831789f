"""Forms of the party development pages.

As in the registry, forms only parse input; the rules live in the models
and services, which the views call with ``actor=request.user`` and whose
ValidationErrors the views attach to the fields here.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from enterprises.forms import ServiceModelForm, date_field, date_widget
from enterprises.models import Enterprise
from enterprises.selectors import party_organization_queryset

from . import selectors
from .models import AdmissionCandidate, PartyMember
from .services import PERSON_FIELDS

Stage = AdmissionCandidate.Stage

CANDIDATE_FORM_FIELDS = PERSON_FIELDS + (
    "education_grade", "responsible_organization", "proposing_body", "helper_member",
    "identified_on",
)
MEMBER_FORM_FIELDS = PERSON_FIELDS + (
    "party_card_number", "party_organization", "admitted_on", "decision_on", "decision_number",
    "official_on", "is_enterprise_owner", "probation_helper",
)
# Where a recorded member works and attends changes through the moves pages
# (a move keeps earlier figures; a correction of a period rewrites them).
PLACEMENT_FIELDS = ("enterprise", "party_organization")


def education_choices():
    """General education as people say it: THCS = 9/12, THPT = 12/12."""
    named = {
        AdmissionCandidate.LOWER_SECONDARY_GRADE: _("Lower secondary (9/12)"),
        12: _("Upper secondary (12/12)"),
    }
    return [("", _("Not recorded"))] + [
        (grade, named.get(grade, f"{grade}/12")) for grade in range(5, 13)
    ]


def education_label(grade: int | None) -> str:
    return str(dict(education_choices()).get(grade if grade is not None else "", grade))


def _enterprise_label(enterprise: Enterprise) -> str:
    return f"{enterprise.name} · {enterprise.zone.code}"


def _member_label(member: PartyMember) -> str:
    return f"{member.full_name} · {member.enterprise.display_name}"


class CitizenIdField(forms.CharField):
    """Twelve digits; spaces and dots people type between groups are dropped."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Citizen ID (CCCD)"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("12 digits."))
        kwargs.setdefault("widget", forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return re.sub(r"[\s.\-]", "", super().to_python(value))


class PersonForm(ServiceModelForm):
    """Identity fields shared by members and candidates; scoped choices."""

    citizen_id = CitizenIdField()

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        enterprise = self.fields["enterprise"]
        enterprise.queryset = access.scope_zones(
            Enterprise.objects.select_related("zone").only("pk", "name", "zone__code"),
            "zone").order_by("sort_name", "pk")
        enterprise.label_from_instance = _enterprise_label

    def _organizations(self, current_pk):
        """Active party organizations in scope, plus the one already chosen."""
        active = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=timezone.localdate())
        if current_pk:
            active |= Q(pk=current_pk)
        return party_organization_queryset(access=self.access).filter(active).select_related(None) \
            .only("pk", "name").order_by("sort_name", "pk")

    def service_data(self, names=None) -> dict:
        return super().service_data(names or self._meta.fields)

    def _value(self, name):
        """The submitted value of a select, else its initial or stored value."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        value = self.initial.get(name)
        return getattr(value, "pk", value)


class CandidateForm(PersonForm):
    education_grade = forms.TypedChoiceField(
        label=_("General education"), choices=education_choices, coerce=int,
        empty_value=None, required=False,
        help_text=_("At least lower secondary (THCS) is required at the cell resolution."),
    )

    fieldsets = [
        (_("Identity"), [
            ("family_name", "col-md-4"), ("middle_name", "col-md-4"),
            ("given_name", "col-md-4"), ("date_of_birth", "col-6 col-md-4"),
            ("gender", "col-6 col-md-4"), ("citizen_id", "col-md-4"),
        ]),
        (_("Workplace and education"), [
            ("enterprise", "col-md-8"), ("education_grade", "col-md-4"),
        ]),
        (_("Admission case"), [
            ("identified_on", "col-6 col-md-4"), ("proposing_body", "col-6 col-md-4"),
            ("responsible_organization", "col-md-6"), ("helper_member", "col-md-6"),
        ]),
    ]

    class Meta:
        model = AdmissionCandidate
        fields = CANDIDATE_FORM_FIELDS
        widgets = {"date_of_birth": date_widget(), "identified_on": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_on"].initial = timezone.localdate
        organization = self.fields["responsible_organization"]
        organization.queryset = self._organizations(self.instance.responsible_organization_id)
        # The helper is chosen among the official members of the enterprise
        # or of the responsible organization; htmx reloads the choices when
        # either changes (helper_options).
        helper = self.fields["helper_member"]
        helper.label_from_instance = _member_label
        helper.help_text = _("An official member of the enterprise or of the responsible "
                             "party organization.")
        helper.queryset = helper_choices(
            self.access,
            enterprise=self._value("enterprise"),
            organization=self._value("responsible_organization"),
            current=self._value("helper_member"),
        )
        reload = {
            "hx-get": reverse_lazy("coordination:helper_options"),
            "hx-trigger": "change",
            "hx-target": "#id_helper_member",
            "hx-swap": "innerHTML",
            "hx-include": "#id_enterprise, #id_responsible_organization, #id_helper_member",
        }
        for name in ("enterprise", "responsible_organization"):
            self.fields[name].widget.attrs.update(reload)



def helper_choices(access: Access, *, enterprise=None, organization=None, current=None):
    """Official members today working in ``enterprise`` or attending
    ``organization`` (ids), and the one already chosen; none without either."""
    today = timezone.localdate()
    condition = Q(pk__in=[])
    if enterprise and str(enterprise).isdigit():
        condition |= Q(enterprise_id=int(enterprise))
    if organization and str(organization).isdigit():
        condition |= Q(party_organization_id=int(organization))
    condition &= selectors.official_members(today)
    if current and str(current).isdigit():
        condition |= Q(pk=int(current))
    return selectors.member_queryset(access=access).filter(condition) \
        .order_by("sort_key", "pk")


class MemberForm(PersonForm):
    fieldsets = [
        (_("Identity"), [
            ("family_name", "col-md-4"), ("middle_name", "col-md-4"),
            ("given_name", "col-md-4"), ("date_of_birth", "col-6 col-md-4"),
            ("gender", "col-6 col-md-4"), ("citizen_id", "col-md-4"),
        ]),
        (_("Party membership"), [
            ("enterprise", "col-md-8"), ("is_enterprise_owner", "col-md-4 pt-md-4"),
            ("party_organization", "col-md-8"), ("party_card_number", "col-md-4"),
            ("decision_number", "col-6 col-md-4"), ("decision_on", "col-6 col-md-4"),
            ("admitted_on", "col-6 col-md-4"), ("official_on", "col-6 col-md-4"),
            ("probation_helper", "col-md-8"),
        ]),
    ]

    class Meta:
        model = PartyMember
        fields = MEMBER_FORM_FIELDS
        widgets = {"date_of_birth": date_widget(), "admitted_on": date_widget(),
                   "decision_on": date_widget(), "official_on": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Once recorded, the official date comes from a recognition only.
            for name in (*PLACEMENT_FIELDS, "official_on"):
                del self.fields[name]
        else:
            self.fields["official_on"].label = _("Official date (from the member's records)")
            self.fields["official_on"].help_text = _(
                "For a member admitted earlier: the day the 12 probationary months ended. "
                "Empty while probationary; later, recognition on this page sets it.")
            self.fields["party_organization"].queryset = self._organizations(None)
        self.fields["decision_on"].help_text = _(
            "Party seniority runs from the admission decision (the ceremony when unknown).")
        helper = self.fields["probation_helper"]
        helper.label_from_instance = _member_label
        helper.queryset = helper_choices(
            self.access,
            enterprise=self.instance.enterprise_id if self.instance.pk else self._value(
                "enterprise"),
            organization=self.instance.party_organization_id if self.instance.pk
            else self._value("party_organization"),
            current=self._value("probation_helper") or self.instance.probation_helper_id,
        ).exclude(pk=self.instance.pk or 0)



class StepForm(forms.Form):
    """The next milestone of a case: its date and what that step records
    (AdmissionCandidate.STEP_FIELDS), nothing else. A step of old records may
    be recorded as done without its date (not the first step, not the
    ceremony)."""

    # What the rules require with the step's date (the over-60 reference is
    # needed only for a candidate over 60, the second sponsor only for two
    # members: the model says when).
    REQUIRED = {"certificate_number", "votes_for", "cell_official_members", "decision_number",
                "sponsor_kind"}
    SPONSORS = ("sponsor_1", "sponsor_2")

    def __init__(self, *args, candidate: AdmissionCandidate, access: Access, **kwargs):
        kwargs.setdefault("prefix", "step")
        super().__init__(*args, **kwargs)
        self.stage, self.date_name = candidate.next_step()
        model_field = AdmissionCandidate._meta.get_field(self.date_name)
        self.may_be_undated = self.date_name in AdmissionCandidate.UNDATABLE
        self.fields[self.date_name] = date_field(label=capfirst(model_field.verbose_name),
                                                 initial=timezone.localdate,
                                                 required=not self.may_be_undated)
        if self.may_be_undated:
            self.fields["undated"] = forms.BooleanField(
                label=_("Done, date not recorded (old records)"), required=False)
        self.extra_names = list(AdmissionCandidate.STEP_FIELDS.get(self.stage, []))
        sponsor_choices = None
        for name in self.extra_names:
            field = AdmissionCandidate._meta.get_field(name).formfield()
            field.required = name in self.REQUIRED
            if isinstance(field, forms.IntegerField):
                field.widget.attrs.update({"inputmode": "numeric", "min": 0})
            if isinstance(field, forms.DateField):
                field = date_field(label=field.label, required=False,
                                   help_text=field.help_text)
            if name in self.SPONSORS:
                field.queryset = helper_choices(
                    access, enterprise=candidate.enterprise_id,
                    organization=candidate.responsible_organization_id)
                field.label_from_instance = _member_label
                # Both sponsor fields offer the same members: one query draws
                # both (the queryset still checks what is sent).
                if sponsor_choices is None:
                    sponsor_choices = [("", field.empty_label)] + [
                        (member.pk, _member_label(member)) for member in field.queryset]
                field.choices = sponsor_choices
                field.help_text = _("An official member of the enterprise or of the "
                                    "responsible party organization.")
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        undated = cleaned.get("undated")
        if undated:
            # An old step: what the rules require with a date is not asked.
            for name in self.extra_names:
                self.errors.pop(name, None)
        elif not cleaned.get(self.date_name) and self.date_name not in self.errors:
            self.add_error(self.date_name, _("Give the date of this step, or tick "
                                             "“Done, date not recorded”."))
        return cleaned

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    def service_kwargs(self) -> dict:
        undated = bool(self.cleaned_data.get("undated"))
        data = {"on": None if undated else self.cleaned_data[self.date_name],
                "undated": undated}
        for name in self.extra_names:
            data[name] = self.cleaned_data.get(name)
            if data[name] is None and isinstance(self.fields[name], forms.CharField):
                data[name] = ""
        return data

    def layout(self):
        """(bound field, column classes) for the template."""
        wide = {"age_override_reference", "undated", "decision_body"}
        return [(self[name], "col-12" if name in wide else "col-md-6")
                for name in self.fields]


def reason_words_field(**kwargs):
    """The words of a reason: required for 'Other' (the service says so), else a note."""
    return forms.CharField(
        label=_("Reason in words or note"), max_length=255, required=False,
        help_text=_("Required for the reason 'Other': write the reason, which is shown in "
                    "its place. For another reason: an optional note."), **kwargs)


class CloseForm(forms.Form):
    """Stop following a candidate: date, reason, and its words or a note."""

    closed_on = date_field(label=_("Closed on"), initial=timezone.localdate)
    closed_reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "---------"), *AdmissionCandidate.CloseReason.choices])
    closed_note = reason_words_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return {"on": self.cleaned_data["closed_on"],
                "reason": self.cleaned_data["closed_reason"],
                "note": self.cleaned_data["closed_note"]}


class RecognitionVoteForm(forms.Form):
    """One vote of the cell on recognition (13-KNĐ): an attempt, kept."""

    held_on = date_field(label=_("Cell meeting date"))
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    official_members = forms.IntegerField(
        label=_("Official members of the cell"), min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "vote")
        super().__init__(*args, **kwargs)


class RecogniseForm(forms.Form):
    """The competent committee's decision recognising the member (15-KNĐ)."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_on = date_field(label=_("Decision date"))
    deciding_body = forms.CharField(
        label=_("Deciding body"), max_length=200, required=False,
        help_text=_("E.g. the standing committee of the Bloc Party Committee."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "recognise")
        super().__init__(*args, **kwargs)


class ExtensionForm(forms.Form):
    """The one extension of the admission decision's deadline."""

    days = forms.IntegerField(label=_("Extension (working days)"), min_value=1, max_value=30,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(label=_("Reason for the extension"), max_length=255)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "extend")
        super().__init__(*args, **kwargs)


class SearchForm(forms.Form):
    """The name search of a list: POSTed, kept in the session, never in a URL."""

    q = forms.CharField(
        label=_("Search by name"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "placeholder": _("Full name, accents optional")}),
    )

