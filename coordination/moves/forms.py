"""Forms of the moves pages: they parse input; the rules live in
:mod:`coordination.placements`, whose errors the views put on these fields.

An enterprise or a party organization is found by typing part of its name
(or the tax code), as in the lists' filters: the field suggests matches in a
``datalist`` (htmx) and resolves what was typed on submit.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access
from core.text import fold
from enterprises.filters import enterprise_search
from enterprises.forms import date_field

from ..forms import MemberForm, reason_words_field
from ..models import Placement
from . import selectors

Reason = Placement.LeaveReason
Ended = Placement.Ended
Attendance = Placement.Attendance

_TAX_CODE = re.compile(r"(\d{10}(?:-\d{3})?)\s*$")


def enterprise_label(enterprise) -> str:
    return f"{enterprise.name} · {enterprise.tax_code}"


def organization_label(organization) -> str:
    zone = organization.zone.code if organization.zone_id else ""
    return f"{organization.name} · {zone}" if zone else organization.name


class TypedInput(forms.TextInput):
    """A text input with suggestions: htmx fills its ``datalist`` as one types."""

    def __init__(self, url, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.url = url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-options"
        attrs.update({"list": list_id, "hx-get": f"{self.url}?field={name}",
                      "hx-trigger": "input changed delay:250ms", "hx-target": f"#{list_id}",
                      "hx-swap": "innerHTML", "hx-sync": "this:replace"})
        return format_html("{}<datalist id=\"{}\"></datalist>",
                           super().render(name, value, attrs, renderer), list_id)


class TypedRecordField(forms.CharField):
    """A record of ``queryset`` named by typing: its label as suggested, or
    enough of its name to match one record only."""

    kind = "record"

    def __init__(self, *, url, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", TypedInput(url))
        super().__init__(**kwargs)
        self.queryset = None

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return self.label_of(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        matches = self.find(text.strip())
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(self.error_messages["none"], code="none",
                                  params={"text": text})
        raise ValidationError(self.error_messages["several"], code="several",
                              params={"text": text})

    def find(self, text: str) -> list:
        raise NotImplementedError

    def label_of(self, record) -> str:
        raise NotImplementedError


class EnterpriseField(TypedRecordField):
    default_error_messages = {
        "none": _("No enterprise matches “%(text)s”."),
        "several": _("Several enterprises match “%(text)s”: type more of the name, or the "
                     "tax code."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Enterprise"))
        kwargs.setdefault("help_text", _("Type part of the name or the tax code, then pick."))
        super().__init__(url=reverse_lazy("coordination:enterprise_options"), **kwargs)

    def find(self, text):
        tax_code = _TAX_CODE.search(text)
        if tax_code:
            found = list(self.queryset.filter(tax_code=tax_code.group(1))[:2])
            if found:
                return found
        condition = enterprise_search(text)
        found = list(self.queryset.filter(condition)[:50]) if condition is not None else []
        exact = [e for e in found if fold(e.name) == fold(text)]
        return exact if len(exact) == 1 else found

    def label_of(self, record):
        return enterprise_label(record)


class OrganizationField(TypedRecordField):
    default_error_messages = {
        "none": _("No active party organization matches “%(text)s”."),
        "several": _("Several party organizations match “%(text)s”: type more of the "
                     "name."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Party organization"))
        kwargs.setdefault("help_text", _("Type part of the name, then pick. May be a joint "
                                         "cell of several enterprises."))
        super().__init__(url=reverse_lazy("coordination:organization_options"), **kwargs)

    def find(self, text):
        folded = fold(text)
        found = list(self.queryset.filter(search_text__contains=folded)[:50])
        if not found and " · " in text:
            name = fold(text.rsplit(" · ", 1)[0])
            found = list(self.queryset.filter(search_text__contains=name)[:50])
        for key in (organization_label, lambda o: o.name):
            exact = [o for o in found if fold(key(o)) == folded]
            if len(exact) == 1:
                return exact
        return found

    def label_of(self, record):
        return organization_label(record)


class ScopedMixin:
    """Limits the typed fields to the account's scope."""

    def scope(self, access: Access, *, organization_pk=None):
        for field in self.fields.values():
            if isinstance(field, EnterpriseField):
                field.queryset = selectors.enterprise_choices(access)
            elif isinstance(field, OrganizationField):
                field.queryset = selectors.organization_choices(access,
                                                                current_pk=organization_pk)


def _reasons(ended: str):
    return [("", "---------")] + [(r, Reason(r).label) for r in Placement.REASONS[ended]]


def _note_field():
    return forms.CharField(label=_("Note"), max_length=255, required=False)


class MoveForm(ScopedMixin, forms.Form):
    """A move within the province: the date, where the member works and attends from then."""

    on = date_field(label=_("Moved on"), initial=timezone.localdate)
    enterprise = EnterpriseField(required=False, help_text=_(
        "Leave empty to keep the current enterprise."))
    party_organization = OrganizationField(required=False, label=_("New party organization"))
    keep_organization = forms.BooleanField(
        label=_("Keep the current party organization"), required=False)
    note = _note_field()

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope(access)

    def clean(self):
        data = super().clean()
        if data.get("keep_organization") and data.get("party_organization"):
            self.add_error("party_organization", _(
                "Either keep the current party organization or name a new one."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"on": data["on"], "enterprise": data["enterprise"],
                "party_organization": data["party_organization"],
                "keep_organization": data["keep_organization"], "note": data["note"]}


class TransferOutForm(forms.Form):
    """The member's party record leaves the province's zones."""

    on = date_field(label=_("Transferred out on"), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=_reasons(Ended.TRANSFER_OUT))
    destination = forms.CharField(
        label=_("Going to"), max_length=255, required=False,
        help_text=_("The party organization or place the member's record goes to."))
    note = _note_field()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class LeaveRollsForm(forms.Form):
    """The member leaves the party's rolls (deceased, removed, resigned...)."""

    on = date_field(label=_("Left the rolls on"), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=_reasons(Ended.LEFT))
    note = reason_words_field()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AttendanceMixin:
    """Official or temporary attendance; a temporary one names the home organization."""

    def clean(self):
        data = super().clean()
        if data.get("attendance") == Attendance.TEMPORARY and not data.get("home_organization"):
            self.add_error("home_organization", _(
                "Temporary attendance names the party organization that keeps the member's "
                "official record."))
        return data


def _attendance_field():
    return forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices,
                             initial=Attendance.OFFICIAL, widget=forms.RadioSelect)


def _home_field():
    return forms.CharField(
        label=_("Coming from"), max_length=255, required=False,
        help_text=_("The party organization the member comes from; for temporary "
                    "attendance, the one that keeps the official record."))


class TransferInForm(AttendanceMixin, ScopedMixin, forms.Form):
    """A member on record comes (back) to the zones."""

    on = date_field(label=_("Arrived on"), initial=timezone.localdate)
    enterprise = EnterpriseField()
    party_organization = OrganizationField(required=False)
    attendance = _attendance_field()
    home_organization = _home_field()
    note = _note_field()

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope(access)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CorrectForm(ScopedMixin, forms.Form):
    """Every recorded fact of a period, to rewrite one that was wrong."""

    starts_on = date_field(label=_("From"))
    ends_on = date_field(label=_("Until"), required=False, help_text=_(
        "Empty while the period is open (the member's current placement)."))
    enterprise = EnterpriseField()
    party_organization = OrganizationField(required=False)
    began = forms.ChoiceField(label=_("How it began"), choices=Placement.Began.choices)
    attendance = _attendance_field()
    home_organization = _home_field()
    ended = forms.ChoiceField(label=_("How it ended"), required=False,
                              choices=[("", "—"), *Ended.choices])
    leave_reason = forms.ChoiceField(label=_("Reason"), required=False,
                                     choices=[("", "—"), *Reason.choices])
    end_note = reason_words_field()
    destination = forms.CharField(label=_("Going to"), max_length=255, required=False)
    note = _note_field()

    FIELDS = ("starts_on", "ends_on", "enterprise", "party_organization", "began",
              "attendance", "home_organization", "ended", "leave_reason", "end_note",
              "destination", "note")

    def __init__(self, *args, access: Access, placement: Placement, **kwargs):
        kwargs.setdefault("initial", {name: getattr(placement, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.scope(access, organization_pk=placement.party_organization_id)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class MemberTransferInForm(AttendanceMixin, MemberForm):
    """A member never recorded, transferred in from outside the province:
    the member's data, the arrival date and the attendance."""

    placed_on = date_field(label=_("Arrived on"), initial=timezone.localdate)
    attendance = _attendance_field()
    home_organization = _home_field()

    fieldsets = [
        *MemberForm.fieldsets,
        (_("Transfer in"), [
            ("placed_on", "col-6 col-md-4"), ("attendance", "col-md-8"),
            ("home_organization", "col-12"),
        ]),
    ]

    def placement_kwargs(self) -> dict:
        return {"placed_on": self.cleaned_data["placed_on"],
                "attendance": self.cleaned_data["attendance"],
                "home_organization": self.cleaned_data["home_organization"]}


class MemberPickForm(ScopedMixin, forms.Form):
    """Whose members to list for a bulk move: an enterprise or a party organization."""

    from_enterprise = EnterpriseField(required=False, label=_("Members working in"))
    from_organization = OrganizationField(required=False, label=_("Members attending"))

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope(access)


class BulkMoveForm(ScopedMixin, forms.Form):
    """Move the chosen members (all or none) to another organization."""

    members = forms.TypedMultipleChoiceField(coerce=int, label=_("Members"), error_messages={
        "required": _("Tick the members to move.")})
    on = date_field(label=_("Moved on"), initial=timezone.localdate)
    party_organization = OrganizationField(label=_("New party organization"))
    enterprise = EnterpriseField(required=False, label=_("New enterprise"), help_text=_(
        "Leave empty when the members keep their enterprises."))
    note = _note_field()

    def __init__(self, *args, access: Access, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope(access)
        self.member_rows = list(members)
        self.fields["members"].choices = [(m.pk, m.full_name) for m in self.member_rows]

    def chosen(self) -> list:
        wanted = set(self.cleaned_data["members"])
        return [m for m in self.member_rows if m.pk in wanted]
