"""The founding case's forms: each parses one step; the services check it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.forms import date_field
from enterprises.models import PartyOrganization

from ..models import Founding, PartyMember

Stage = Founding.Stage


class StepForm(forms.Form):
    """The next step of a case: its date, and what that step records."""

    on = date_field(label=_("Date"))
    proposal_number = forms.CharField(label=_("Proposal number"), max_length=50,
                                      required=False)
    decision_number = forms.CharField(label=_("Founding decision number"), max_length=50)
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=255)
    name = forms.CharField(label=_("Name of the new organization"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyOrganization.Kind.choices,
                             initial=PartyOrganization.Kind.GRASSROOTS_CELL)
    secretary = forms.ModelChoiceField(label=_("Secretary"), queryset=PartyMember.objects.none(),
                                       required=False)
    committee = forms.CharField(label=_("Cell committee"), max_length=500, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = {
        Stage.PROPOSED: ("on", "proposal_number"),
        Stage.DECIDED: ("on", "decision_number", "deciding_body", "name", "kind"),
        Stage.APPOINTED: ("on", "secretary", "committee"),
        Stage.COMPLETED: (),
    }

    def __init__(self, *args, founding: Founding, members=None, body: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = founding.next_step()[0]
        for name in list(self.fields):
            if name not in self.FIELDS[self.stage]:
                del self.fields[name]
        if "on" in self.fields:
            self.fields["on"].initial = timezone.localdate()
        if "name" in self.fields:
            enterprise = founding.enterprise
            self.fields["name"].initial = _("Party cell of %(name)s") % {
                "name": enterprise.short_name or enterprise.name}
            self.fields["deciding_body"].initial = body
        if "secretary" in self.fields:
            self.fields["secretary"].queryset = members if members is not None else \
                PartyMember.objects.none()
            self.fields["secretary"].label_from_instance = lambda m: m.full_name

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


class StartForm(forms.Form):
    on = date_field(label=_("Case opened on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AbandonForm(forms.Form):
    on = date_field(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=255)
