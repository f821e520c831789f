"""Forms of the registry pages.

Forms only parse input and validate single fields; the rules live in the
models and services, which the views call with ``actor=request.user``. The
model forms therefore skip Django's model validation (``_post_clean``): it
would change the instance before the service compares old and new values.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access

from .models import Enterprise, IndustrialZone, MassOrganization, PartyOrganization
from .services import ENTERPRISE_FIELDS, PARTY_ORG_FIELDS

DATE_PLACEHOLDER = "dd/mm/yyyy"


def date_widget() -> forms.DateInput:
    """A text input typed and shown as dd/mm/yyyy (never the browser's own
    date picker, which shows the browser's locale format)."""
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": DATE_PLACEHOLDER, "autocomplete": "off"},
    )


def date_field(**kwargs) -> forms.DateField:
    # input_formats: DATE_INPUT_FORMATS of config/formats (dd/mm/yyyy first).
    return forms.DateField(widget=date_widget(), **kwargs)


def count_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=kwargs.pop("required", False),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}), **kwargs,
    )


def _zone_label(zone: IndustrialZone) -> str:
    return f"{zone.code} · {zone.name}"


class FieldsetMixin:
    """``fieldsets``: (legend, [(field name, column classes), ...]) for the
    template, which renders each field with crispy's ``as_crispy_field``."""

    fieldsets: list = []

    def fieldset_rows(self):
        return [
            (legend, [(self[name], cols) for name, cols in fields if name in self.fields])
            for legend, fields in self.fieldsets
        ]


class ServiceModelForm(FieldsetMixin, forms.ModelForm):
    def _post_clean(self):
        """The service validates the model (``full_clean``) and saves it."""

    def service_data(self, names) -> dict:
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class EnterpriseForm(ServiceModelForm):
    # The model normalises the tax code (10 digits or 10-3); accept what people
    # type: spaces, dots, a branch code without its dash.
    tax_code = forms.CharField(
        label=_("Tax code"), max_length=20,
        help_text=_("10 digits, or 10-3 digits for a branch (e.g. 0100233488-001)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    fieldsets = [
        (_("Identity"), [
            ("tax_code", "col-md-4"), ("name", "col-md-8"),
            ("short_name", "col-md-4"), ("zone", "col-md-8"),
            ("address", "col-md-8"), ("established_on", "col-md-4"),
        ]),
        (_("Classification"), [
            ("legal_form", "col-md-6"), ("capital_source", "col-md-6"),
            ("investor_country", "col-md-6"), ("sector", "col-md-6"),
        ]),
        (_("Status"), [("status", "col-md-6"), ("status_since", "col-md-6")]),
        (_("Contacts"), [
            ("representative", "col-md-4"), ("phone", "col-md-4"), ("email", "col-md-4"),
        ]),
    ]

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {"established_on": date_widget(), "status_since": date_widget()}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.fields["zone"]
        zone.queryset = access.scope_zones(IndustrialZone.objects.order_by("code"), "pk")
        zone.label_from_instance = _zone_label
        self.fields["status_since"].help_text = _(
            "Left empty when the status changes: today."
        )

    def enterprise_data(self) -> dict:
        """The fields for services.enterprise_create / enterprise_update.

        A status changed without a new date takes effect today (the
        service's rule), rather than keeping the previous status's date.
        """
        data = self.service_data(ENTERPRISE_FIELDS)
        if self.instance.pk and "status" in self.changed_data \
                and "status_since" not in self.changed_data:
            data.pop("status_since", None)
        return data


class EnterpriseCreateForm(EnterpriseForm):
    """The enterprise and, optionally, its first workforce figures."""

    WORKFORCE_FIELDS = ("as_of", "total_workers", "female_workers", "union_members",
                        "youth_union_members")

    as_of = date_field(label=_("Figures as of"), required=False)
    total_workers = count_field(_("Total workers"))
    female_workers = count_field(_("Female workers"))
    union_members = count_field(_("Trade union members"))
    youth_union_members = count_field(_("Youth union members"))

    fieldsets = [
        *EnterpriseForm.fieldsets,
        (_("First workforce figures (optional)"), [
            ("as_of", "col-6 col-md-4 col-xl"), ("total_workers", "col-6 col-md-4 col-xl"),
            ("female_workers", "col-6 col-md-4 col-xl"),
            ("union_members", "col-6 col-md-4 col-xl"),
            ("youth_union_members", "col-6 col-md-4 col-xl"),
        ]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        others = ("female_workers", "union_members", "youth_union_members")
        if cleaned.get("total_workers") is None and "total_workers" not in self.errors \
                and any(cleaned.get(name) is not None for name in others):
            self.add_error("total_workers", _("Enter the total number of workers too."))
        if cleaned.get("total_workers") is not None and not cleaned.get("as_of") \
                and "as_of" not in self.errors:
            self.add_error("as_of", _("Enter the date of the figures."))
        return cleaned

    def workforce_data(self) -> dict | None:
        if self.cleaned_data.get("total_workers") is None:
            return None
        return {name: self.cleaned_data[name] for name in self.WORKFORCE_FIELDS}


class WorkforceForm(forms.Form):
    """New workforce figures of an enterprise (the profile's panel)."""

    as_of = date_field(label=_("As of"), initial=timezone.localdate)
    total_workers = count_field(_("Total workers"), required=True)
    female_workers = count_field(_("Female workers"))
    union_members = count_field(_("Trade union members"))
    youth_union_members = count_field(_("Youth union members"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "workforce")
        super().__init__(*args, **kwargs)


class MassOrganizationForm(forms.Form):
    """A trade union, youth union, ... of an enterprise (the profile's panel)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=MassOrganization.Kind.choices)
    established_on = date_field(label=_("Established on"), required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "massorg")
        super().__init__(*args, **kwargs)


class DissolveForm(forms.Form):
    """The date an organization was dissolved."""

    dissolved_on = date_field(label=_("Dissolved on"), initial=timezone.localdate)


class PartyOrganizationForm(ServiceModelForm):
    fieldsets = [
        (_("Identity"), [("name", "col-md-8"), ("kind", "col-md-4")]),
        (_("Attachment"), [
            ("enterprise", "col-12"), ("zone", "col-md-6"), ("parent", "col-md-6"),
        ]),
        (_("Decision"), [
            ("established_on", "col-md-4"), ("decision_number", "col-md-4"),
            ("dissolved_on", "col-md-4"),
        ]),
    ]

    class Meta:
        model = PartyOrganization
        fields = PARTY_ORG_FIELDS
        widgets = {"established_on": date_widget(), "dissolved_on": date_widget()}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        enterprise.queryset = access.scope_zones(
            Enterprise.objects.only("pk", "name", "tax_code").order_by("sort_name", "pk"), "zone"
        )
        enterprise.label_from_instance = lambda e: f"{e.name} ({e.tax_code})"
        enterprise.empty_label = _("None: a joint party cell")
        enterprise.help_text = _("Leave empty for a joint cell gathering members of "
                                 "several small enterprises.")
        zone = self.fields["zone"]
        zone.queryset = access.scope_zones(IndustrialZone.objects.order_by("code"), "pk")
        zone.label_from_instance = _zone_label
        zone.empty_label = _("None: the IZ Board")
        zone.help_text = _("Joint cells only; an enterprise's organization belongs to the "
                           "enterprise's zone.")
        # Only an active grassroots party committee can have cells under it.
        parents = PartyOrganization.objects.filter(
            kind=PartyOrganization.Kind.GRASSROOTS_COMMITTEE, dissolved_on__isnull=True
        )
        if self.instance.pk:
            parents = (parents | PartyOrganization.objects.filter(pk=self.instance.parent_id))
            parents = parents.exclude(pk=self.instance.pk)
        parent = self.fields["parent"]
        parent.queryset = parents.order_by("sort_name", "pk")
        parent.help_text = _("Required for a subordinate party cell: its grassroots party "
                             "committee.")

    def party_organization_data(self) -> dict:
        data = self.service_data(PARTY_ORG_FIELDS)
        if data.get("enterprise") is not None:
            # The model puts an enterprise's organization in the enterprise's zone.
            data.pop("zone", None)
        return data
