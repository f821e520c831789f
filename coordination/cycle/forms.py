"""Forms of the working cycle's pages. They parse input only: the rules live
in :mod:`coordination.cycle.services`, whose errors the views put on these
fields."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.policy import Access, Perm
from core.forms import AttachmentsField
from core.periods import Period
from enterprises.forms import ServiceModelForm, date_field, date_widget
from enterprises.models import Enterprise

from ..models import Committee, PlanTask
from ..plans.forms import _owner_label
from ..plans.selectors import owner_queryset, task_queryset
from . import rules, selectors
from .models import Conclusion, Correspondence, Meeting, Regulation
from .services import CONCLUSION_FIELDS, CORRESPONDENCE_FIELDS, MEETING_FIELDS, REGULATION_FIELDS


def _letter_label(letter: Correspondence) -> str:
    return f"{letter.number} · {letter.dated:%d/%m/%Y} · {letter.subject[:80]}"


class RegulationForm(ServiceModelForm):
    replaces = forms.ModelChoiceField(
        label=_("Replaces"), queryset=Regulation.objects.none(), required=False,
        empty_label=_("No earlier regulation"),
        help_text=_("The regulation it replaces ends the day before this one comes into "
                    "force."))
    attachments = AttachmentsField(label=_("Signed file"))

    fieldsets = [
        (_("Regulation"), [
            ("number", "col-md-4"), ("title", "col-md-8"), ("signed_on", "col-6 col-md-4"),
            ("effective_from", "col-6 col-md-4"), ("in_force_until", "col-md-4"),
            ("replaces", "col-12"), ("summary", "col-12"),
        ]),
        (_("Signatories"), [
            ("party_signatory_name", "col-md-6"), ("party_signatory_title", "col-md-6"),
            ("iz_signatory_name", "col-md-6"), ("iz_signatory_title", "col-md-6"),
        ]),
        (_("Signed file"), [("attachments", "col-12")]),
    ]

    class Meta:
        model = Regulation
        fields = REGULATION_FIELDS
        widgets = {"signed_on": date_widget(), "effective_from": date_widget(),
                   "in_force_until": date_widget(),
                   "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["replaces"]
            self.fieldsets = [(legend, [f for f in fields if f[0] != "replaces"])
                              for legend, fields in self.fieldsets]
        else:
            self.fields["replaces"].queryset = Regulation.objects.filter(
                replaced_by__isnull=True).order_by("-effective_from")
            self.fields["replaces"].label_from_instance = str


class MeetingForm(ServiceModelForm):
    """A meeting; the chair and attendees are chosen among the members of the
    compositions in office on its day (reloaded by htmx when the kind or the
    day changes)."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("Members who attended"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    attachments = AttachmentsField(label=_("Minutes"))

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {"held_on": date_widget(), "agenda": forms.Textarea(attrs={"rows": 4}),
                   "guests": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate
        kind = self._value("kind") or self.instance.kind
        day = self._day()
        keep = self._chosen()
        members = selectors.eligible_members(kind=kind, day=day, keep=keep)
        ids = [m.pk for m in members]
        from ..models import CommitteeMember

        queryset = CommitteeMember.objects.filter(pk__in=ids).select_related("committee")
        self.fields["attendees"].queryset = queryset
        self.fields["chair"].queryset = queryset
        self.fields["chair"].required = False
        order = {pk: i for i, pk in enumerate(ids)}
        self.member_choices = sorted(members, key=lambda m: order[m.pk])
        label = _member_label
        self.fields["attendees"].label_from_instance = label
        self.fields["chair"].label_from_instance = label
        if self.instance.pk and not self.is_bound:
            self.initial["attendees"] = [m.pk for m in self.instance.attendees.all()]
        self.committee_kinds = [Committee.Kind(k).label
                                for k in selectors.composition_kinds(kind)] if kind else []

    def attendee_groups(self) -> list[tuple]:
        """The members who may attend, by composition: (composition,
        [(member, checked)])."""
        if self.is_bound:
            chosen = set(self.data.getlist("attendees"))
        else:
            chosen = {str(pk) for pk in self.initial.get("attendees", [])}
        groups: dict = {}
        for member in self.member_choices:
            groups.setdefault(member.committee, []).append((member, str(member.pk) in chosen))
        return list(groups.items())

    def _value(self, name):
        if self.is_bound:
            return self.data.get(name) or None
        return self.initial.get(name)

    def _day(self) -> date | None:
        if self.is_bound:
            return _parse_day(self.data.get("held_on"))
        day = self.initial.get("held_on") or self.instance.held_on
        return day if day else timezone.localdate()

    def _chosen(self) -> list:
        if self.is_bound:
            return [*self.data.getlist("attendees"), self.data.get("chair") or ""]
        if self.instance.pk:
            return [*self.instance.attendees.values_list("pk", flat=True),
                    self.instance.chair_id or ""]
        return []


def _parse_day(text) -> date | None:
    field = date_field(required=False)
    try:
        return field.clean(text)
    except forms.ValidationError:
        return None


def _member_label(member) -> str:
    parts = [member.full_name]
    if member.title:
        parts.append(member.title)
    parts.append(member.organization)
    return " · ".join(parts)


class ConclusionForm(ServiceModelForm):
    make_task = forms.BooleanField(
        label=_("Make it a task of the plan now"), required=False, initial=True,
        help_text=_("A task of the approved plan of the year it is due, with the same "
                    "owner and due date."))

    class Meta:
        model = Conclusion
        fields = CONCLUSION_FIELDS
        widgets = {"due_on": date_widget(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = owner_queryset()
        owner.label_from_instance = _owner_label
        owner.help_text = _("An account of the body that leads it.")
        if self.instance.pk:
            del self.fields["make_task"]


class CorrespondenceForm(ServiceModelForm):
    """A letter: the directions, enterprises and tasks offered are those the
    account may record and sees."""

    in_reply_to = forms.ModelChoiceField(
        label=_("In reply to"), queryset=Correspondence.objects.none(), required=False,
        empty_label=_("Not a reply"),
        help_text=_("The letter this one answers: it is marked answered on this letter's "
                    "date."))
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises concerned"), queryset=Enterprise.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several; none for a letter about no "
                    "enterprise in particular."))
    tasks = forms.ModelMultipleChoiceField(
        label=_("Plan tasks concerned"), queryset=PlanTask.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}))
    attachments = AttachmentsField(label=_("File"))

    class Meta:
        model = Correspondence
        fields = CORRESPONDENCE_FIELDS
        widgets = {"dated": date_widget(), "reply_due_on": date_widget(),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["direction"].choices = [("", "---------")] + rules.recordable_directions(
            access)
        self.fields["dated"].initial = timezone.localdate
        if not access.can(Perm.VIEW_PERSONAL_DATA):
            del self.fields["personal_data"]
        linked = list(self.instance.enterprises.values_list("pk", flat=True)) \
            if self.instance.pk else []
        enterprises = access.scope_zones(Enterprise.objects.exclude(status="dissolved"), "zone")
        if linked:
            enterprises = enterprises | access.scope_zones(
                Enterprise.objects.filter(pk__in=linked), "zone")
        self.fields["enterprises"].queryset = enterprises.select_related("zone").order_by(
            "zone__code", "name")
        self.fields["enterprises"].label_from_instance = \
            lambda e: f"{e.zone.code} · {e.display_name} · {e.tax_code}"
        tasks = task_queryset(access=access).exclude(plan__status="draft")
        self.fields["tasks"].queryset = tasks.order_by("-plan__year", "due_on", "pk")
        self.fields["tasks"].label_from_instance = \
            lambda t: f"{t.plan.year} · {t.due_on:%d/%m/%Y} · {str(t)[:90]}"
        if self.instance.pk:
            del self.fields["in_reply_to"]
            self.initial.setdefault("enterprises", linked)
            self.initial.setdefault("tasks", list(self.instance.tasks.values_list("pk",
                                                                                   flat=True)))
        else:
            self.fields["in_reply_to"].queryset = selectors.correspondence_queryset(
                access=access).filter(replied_on__isnull=True).order_by("-dated", "-pk")
            self.fields["in_reply_to"].label_from_instance = _letter_label


class ReplyForm(forms.Form):
    """The reply's date and number, when the reply is not recorded here."""

    replied_on = date_field(label=_("Replied on"))
    reply_number = forms.CharField(label=_("Reply number"), max_length=50, required=False)


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All"))] + Meeting.Kind.choices)
    period = forms.CharField(label=_("Period"), required=False,
                             widget=forms.TextInput(attrs={"placeholder": "2026, 2026-Q3"}))
    conclusions = forms.ChoiceField(label=_("Conclusions"), required=False, choices=[
        ("", _("All")), ("overdue", _("With overdue conclusions")),
        ("open", _("With conclusions under way")), ("done", _("With conclusions done"))])

    def clean_period(self):
        text = self.cleaned_data.get("period", "").strip()
        if not text:
            return None
        try:
            return Period.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class CorrespondenceFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), required=False,
                                  choices=[("", _("All"))] + Correspondence.Direction.choices)
    status = forms.ChoiceField(label=_("Reply"), required=False,
                               choices=[("", _("All"))] + list(rules.REPLY_STATUSES.items()))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
