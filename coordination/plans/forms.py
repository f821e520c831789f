"""Forms of the committee and plan pages.

They parse input only: the rules (draft-only targets, owners of the leading
side, completion dates...) live in ``coordination.plans.services``, whose
ValidationErrors the views attach to these fields.
"""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import AttachmentsField
from enterprises.forms import ServiceModelForm, date_widget
from enterprises.models import IndustrialZone

from ..models import Committee, CommitteeMember, CoordinationPlan, PlanTarget, PlanTask
from .rules import indicator_choices
from .selectors import owner_queryset
from .services import COMMITTEE_FIELDS, PLAN_FIELDS, TARGET_FIELDS, TASK_FIELDS


def _owner_label(user) -> str:
    org = user.get_organization_display()
    return f"{user.get_full_name()} · {org}" if org else user.get_full_name()


class CommitteeForm(ServiceModelForm):
    fieldsets = [
        (_("Decision and term"), [
            ("kind", "col-md-4"), ("name", "col-md-8"),
            ("decision_number", "col-6 col-md-4"), ("decided_on", "col-6 col-md-4"),
            ("term_start", "col-6 col-md-4"), ("term_end", "col-6 col-md-4"),
            ("duties", "col-12"),
        ]),
    ]

    class Meta:
        model = Committee
        fields = COMMITTEE_FIELDS
        widgets = {
            "decided_on": date_widget(), "term_start": date_widget(), "term_end": date_widget(),
            "duties": forms.Textarea(attrs={"rows": 3}),
        }


class CommitteeMemberForm(ServiceModelForm):
    class Meta:
        model = CommitteeMember
        fields = ("full_name", "title", "organization", "position", "body", "serves_from",
                  "serves_until")
        widgets = {"serves_from": date_widget(), "serves_until": date_widget()}


class _MemberFormSet(BaseInlineFormSet):
    def members(self) -> list[dict]:
        """The rows kept, in order, as the service takes them."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("full_name"):
                continue
            row = {name: data[name] for name in CommitteeMemberForm.Meta.fields}
            instance = data.get("id")
            row["pk"] = instance.pk if instance else None
            rows.append(row)
        return rows


CommitteeMemberFormSet = inlineformset_factory(
    Committee, CommitteeMember, form=CommitteeMemberForm, formset=_MemberFormSet,
    fields=CommitteeMemberForm.Meta.fields, extra=2, can_delete=True,
)


class PlanForm(ServiceModelForm):
    fieldsets = [
        (_("Plan"), [
            ("year", "col-6 col-md-3"), ("document_number", "col-6 col-md-5"),
            ("signed_on", "col-md-4"), ("title", "col-12"), ("summary", "col-12"),
        ]),
    ]

    class Meta:
        model = CoordinationPlan
        fields = PLAN_FIELDS
        widgets = {
            "signed_on": date_widget(),
            "year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 2000, "max": 2100}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_draft:
            self.fields["year"].disabled = True
            self.fields["year"].help_text = _("The year of an approved plan cannot change.")


class TargetForm(ServiceModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"))
    target_value = forms.IntegerField(
        label=_("Target"), min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}))
    zone = forms.ModelChoiceField(
        label=_("Industrial zone"), queryset=IndustrialZone.objects.none(), required=False,
        empty_label=_("Whole province"),
    )

    fieldsets = [
        (_("Indicator and target"), [
            ("indicator", "col-12"), ("zone", "col-md-8"), ("target_value", "col-md-4"),
            ("note", "col-12"),
        ]),
    ]

    class Meta:
        model = PlanTarget
        fields = TARGET_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "---------")] + indicator_choices()
        current = self.instance.zone_id
        zones = IndustrialZone.objects.filter(is_active=True)
        if current:
            zones = zones | IndustrialZone.objects.filter(pk=current)
        self.fields["zone"].queryset = zones.order_by("code")
        self.fields["zone"].label_from_instance = lambda z: f"{z.code} · {z.name}"


class TaskForm(ServiceModelForm):
    fieldsets = [
        (_("Task"), [
            ("content", "col-12"), ("lead_side", "col-md-4"),
            ("coordinating_units", "col-md-8"), ("owner", "col-md-8"), ("due_on", "col-md-4"),
        ]),
    ]

    class Meta:
        model = PlanTask
        fields = TASK_FIELDS
        widgets = {"due_on": date_widget(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = owner_queryset()
        owner.label_from_instance = _owner_label
        owner.help_text = _("An account of the body that leads the task.")


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanTask.Status.choices)
    completed_on = forms.DateField(label=_("Completed on"), required=False,
                                   widget=date_widget(),
                                   help_text=_("Only for a done task."))
    result = forms.CharField(label=_("Result"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    attachments = AttachmentsField()


class TaskFilterForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("Plan"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + PlanTask.Status.choices)
    lead_side = forms.ChoiceField(label=_("Lead"), required=False,
                                  choices=[("", _("All"))] + PlanTask.LeadSide.choices)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("My tasks"), required=False)

    def __init__(self, *args, plans_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", _("All plans"))] + [
            (p.pk, f"{p.year} · {p.title}") for p in plans_choices]
