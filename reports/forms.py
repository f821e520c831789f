"""Forms of the report pages: they parse input only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.periods import QUARTER, Period
from enterprises.models import IndustrialZone

from .models import Report


class ReportRequestForm(forms.Form):
    """An on-demand report: a period code and, optionally, one zone."""

    period = forms.CharField(
        label=_("Reporting period"), max_length=10,
        help_text=_("A year (2026), a half-year (2026-H1), a quarter (2026-Q3) or a month (2026-09)."),
        widget=forms.TextInput(attrs={"placeholder": "2026-Q3", "autocomplete": "off",
                                      "autocapitalize": "characters"}),
    )
    zone = forms.ModelChoiceField(
        label=_("Industrial zone"), required=False, empty_label=_("Whole province"),
        queryset=IndustrialZone.objects.filter(is_active=True).order_by("code"),
    )
    personal = forms.BooleanField(
        label=_("Include the detail sheets with personal data"), required=False, initial=True,
        help_text=_("Names of new members and candidates (citizen IDs masked). Leave unticked to "
                    "share the report with the IZ Board."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The quarter just ended: the usual request.
        self.fields["period"].initial = Period.just_ended(QUARTER, timezone.localdate()).code
        self.fields["zone"].label_from_instance = lambda zone: f"{zone.code} · {zone.name}"

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ArchiveFilterForm(forms.Form):
    """Filters of the archive: kind and year."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds"))] + list(Report.Kind.choices))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"kind": self.cleaned_data["kind"], "year": self.cleaned_data["year"]}
