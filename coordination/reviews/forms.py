"""Forms of the reviews' pages. They parse input only (the period chosen one
of four ways becomes its kind and days); the rules live in
:mod:`coordination.reviews.services`, whose errors the views put on these
fields."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.periods import SPAN, Period
from enterprises.forms import ServiceModelForm, date_field, date_widget
from enterprises.models import Enterprise, IndustrialZone, PartyOrganization

from ..models import Regulation
from ..plans.rules import indicator_choices
from . import rules
from .models import Commendation, Review, ReviewTarget
from .services import REVIEW_FIELDS, TARGET_FIELDS

CALENDAR, DAYS, SINCE_SIGNING, REGULATION_YEAR = ("calendar", "span", "since_signing",
                                                  "regulation_year")
TEXT_FIELDS = ("situation", "results", "shortcomings", "lessons", "next_tasks", "proposals")


class ReviewForm(ServiceModelForm):
    """A review: its period is a calendar period, any span of days, the days
    since the regulation was signed, or year N of the regulation."""

    period_mode = forms.ChoiceField(
        label=_("The period is"), widget=forms.RadioSelect, initial=REGULATION_YEAR,
        choices=[(REGULATION_YEAR, _("One year of the regulation (counted from its signing)")),
                 (SINCE_SIGNING, _("Since the regulation was signed")),
                 (CALENDAR, _("A calendar period: year, half-year, quarter or month")),
                 (DAYS, _("Any span of days"))])
    regulation_year = forms.IntegerField(
        label=_("Year of the regulation"), min_value=1, max_value=5, required=False, initial=1,
        help_text=_("1 for the first year from the signing day, 2 for the second..."))
    since_end = date_field(label=_("Since the signing, up to"), required=False,
                           help_text=_("Blank: up to today."))
    calendar_period = forms.CharField(
        label=_("Calendar period"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2026, 2026-H1, 2026-Q3, 2026-09"}))
    span_start = date_field(label=_("From"), required=False)
    span_end = date_field(label=_("To"), required=False)

    # The inputs of each way of choosing the period (the page shows only the
    # chosen way's, static/js/app.js).
    CHOICE_FIELDS = {"period_mode": {REGULATION_YEAR: ["regulation_year"],
                                     SINCE_SIGNING: ["since_end"],
                                     CALENDAR: ["calendar_period"],
                                     DAYS: ["span_start", "span_end"]}}

    @property
    def choice_fields_json(self) -> str:
        return json.dumps(self.CHOICE_FIELDS)

    fieldsets = [
        (_("Review"), [("kind", "col-md-4"), ("regulation", "col-md-8")]),
        (_("Period"), [
            ("period_mode", "col-12"), ("regulation_year", "col-md-4"),
            ("since_end", "col-md-4"), ("calendar_period", "col-md-4"),
            ("span_start", "col-6 col-md-4"), ("span_end", "col-6 col-md-4"),
        ]),
        (_("Heading"), [
            ("subject", "col-12"), ("number", "col-md-4"), ("place", "col-md-4"),
            ("dated", "col-md-4"), ("joint", "col-12"),
        ]),
        (_("Narrative"), [(name, "col-12") for name in TEXT_FIELDS]),
        (_("Signature and recipients"), [
            ("signer_on_behalf", "col-md-4"), ("signer_title", "col-md-4"),
            ("signer_name", "col-md-4"), ("iz_signer_on_behalf", "col-md-4"),
            ("iz_signer_title", "col-md-4"), ("iz_signer_name", "col-md-4"),
            ("recipients", "col-12"),
        ]),
    ]

    class Meta:
        model = Review
        fields = [f for f in REVIEW_FIELDS if not f.startswith("period_")]
        widgets = {"dated": date_widget(), "recipients": forms.Textarea(attrs={"rows": 4}),
                   **{name: forms.Textarea(attrs={"rows": 5}) for name in TEXT_FIELDS}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulation"].queryset = Regulation.objects.order_by("-effective_from")
        self.fields["regulation"].label_from_instance = str
        self.fields["subject"].required = False
        self.fields["subject"].help_text = _(
            "Blank: written from the kind and the period, for example Sơ kết một năm thực "
            "hiện Quy chế phối hợp số 01-QC/ĐUK-BQL.")
        review = self.instance
        if review.pk:
            period = review.period
            if review.period_kind == SPAN:
                self.initial.update(period_mode=DAYS, span_start=review.period_start,
                                    span_end=review.period_end)
            elif period is not None:
                self.initial.update(period_mode=CALENDAR, calendar_period=period.code)
        else:
            self.fields["place"].initial = settings.PROVINCE_NAME
            current = self.fields["regulation"].queryset.first()
            if current is not None:
                self.fields["regulation"].initial = current.pk

    def clean(self):
        data = super().clean()
        regulation = data.get("regulation")
        mode = data.get("period_mode")
        period = None
        try:
            if mode == CALENDAR:
                code = (data.get("calendar_period") or "").strip()
                if not code:
                    self.add_error("calendar_period", _("Write the period, e.g. 2026-Q3."))
                else:
                    period = Period.parse(code)
                    if period.kind == SPAN:
                        self.add_error("calendar_period", _(
                            "Write a year, a half-year, a quarter or a month here; a span "
                            "of days is the last choice."))
                        period = None
            elif mode == DAYS:
                start, end = data.get("span_start"), data.get("span_end")
                if start is None:
                    self.add_error("span_start", _("Give the first day."))
                if end is None:
                    self.add_error("span_end", _("Give the last day."))
                if start and end:
                    if end < start:
                        self.add_error("span_end", _("A period cannot end before it "
                                                     "starts."))
                    else:
                        period = Period.span(start, end)
            elif mode == SINCE_SIGNING and regulation is not None:
                period = rules.since_signing(regulation.signed_on,
                                             data.get("since_end") or timezone.localdate())
            elif mode == REGULATION_YEAR and regulation is not None:
                number = data.get("regulation_year")
                if not number:
                    self.add_error("regulation_year", _("Give the year of the regulation."))
                else:
                    period = rules.regulation_year(regulation.signed_on, number)
        except ValueError as exc:
            field = {CALENDAR: "calendar_period", SINCE_SIGNING: "since_end"}.get(
                mode, "span_end")
            self.add_error(field, str(exc) if mode == CALENDAR else
                           _("The span ends before the regulation was signed."))
            period = None
        self.period = period
        if period is not None:
            data["period_kind"] = period.kind
            data["period_start"], data["period_end"] = period.start, period.end
            if not data.get("subject") and regulation is not None and data.get("kind"):
                data["subject"] = rules.default_subject(kind=data["kind"], period=period,
                                                        regulation=regulation)
        return data


class ReviewTargetForm(ServiceModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"))
    target_value = forms.IntegerField(
        label=_("Target"), min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}))
    zone = forms.ModelChoiceField(label=_("Industrial zone"), required=False,
                                  queryset=IndustrialZone.objects.none(),
                                  empty_label=_("Whole province"))

    class Meta:
        model = ReviewTarget
        fields = TARGET_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "---------")] + indicator_choices()
        self.fields["zone"].queryset = IndustrialZone.objects.filter(is_active=True) \
            .order_by("code")
        self.fields["zone"].label_from_instance = lambda z: f"{z.code} · {z.name}"


class CommendationForm(forms.Form):
    """A commendation: a collective one names an enterprise (by its tax code)
    or a party organization; an individual one a party member (by citizen
    ID, shown to accounts that see personal data only)."""

    recipient = forms.ChoiceField(label=_("For"), choices=Commendation.Recipient.choices,
                                  widget=forms.RadioSelect,
                                  initial=Commendation.Recipient.COLLECTIVE)
    tax_code = forms.CharField(label=_("Enterprise's tax code"), max_length=20, required=False)
    party_organization = forms.ModelChoiceField(
        label=_("or party organization"), required=False,
        queryset=PartyOrganization.objects.none())
    citizen_id = forms.CharField(label=_("Party member's citizen ID"), max_length=20,
                                 required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                               "autocomplete": "off"}))
    award = forms.ChoiceField(label=_("Form of commendation"),
                              choices=Commendation.Award.choices)
    awarded_by = forms.CharField(label=_("Awarded by"), max_length=255,
                                 help_text=_("For example: Ban Thường vụ Đảng ủy Khối."))
    proposed_by = forms.ChoiceField(label=_("Proposed by"),
                                    choices=Commendation.ProposedBy.choices)
    reason = forms.CharField(label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].queryset = PartyOrganization.objects.filter(
            dissolved_on__isnull=True).order_by("name")
        if not personal:
            del self.fields["citizen_id"]
            self.fields["recipient"].choices = [Commendation.Recipient.choices[0]]

    def clean(self):
        from .services import member_by_citizen_id

        data = super().clean()
        data["enterprise"] = data["member"] = None
        if data.get("recipient") == Commendation.Recipient.INDIVIDUAL:
            data["party_organization"] = None
            member = member_by_citizen_id(data.get("citizen_id", ""))
            if member is None:
                self.add_error("citizen_id", _("No party member has this citizen ID."))
            data["member"] = member
        elif data.get("recipient"):
            tax_code = "".join((data.get("tax_code") or "").split()).replace(".", "")
            if tax_code:
                data["enterprise"] = Enterprise.objects.filter(tax_code=tax_code).first()
                if data["enterprise"] is None:
                    self.add_error("tax_code", _("No enterprise has this tax code."))
                elif data.get("party_organization"):
                    self.add_error("party_organization", _(
                        "Name an enterprise or a party organization, not both."))
            elif not data.get("party_organization"):
                self.add_error("tax_code", _("Give the enterprise's tax code or choose a party "
                                             "organization."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in (
            "recipient", "enterprise", "party_organization", "member", "award", "awarded_by",
            "proposed_by", "reason")}


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is it reopened?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
