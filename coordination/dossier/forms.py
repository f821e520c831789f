"""The form of a dossier document: it parses input; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coordination.models import DossierDocument
from core.attachments import allowed_types_label
from enterprises.forms import date_field


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"))
    issued_on = date_field(label=_("Document date"))
    number = forms.CharField(label=_("Number"), max_length=50, required=False,
                             help_text=_("As written on the document, if it has one."))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    file = forms.FileField(label=_("Scanned file"), required=False)
    remove_file = forms.BooleanField(label=_("Remove the scanned file"), required=False)

    def __init__(self, *args, kinds, document: DossierDocument | None = None, **kwargs):
        if document is not None:
            kwargs.setdefault("initial", {
                "kind": document.kind, "issued_on": document.issued_on,
                "number": document.number, "note": document.note})
        super().__init__(*args, **kwargs)
        labels = dict(DossierDocument.Kind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        self.fields["file"].help_text = _(
            "Optional. Accepted: %(types)s; at most %(size)s MB.") % {
            "types": allowed_types_label(),
            "size": f"{settings.ATTACHMENT_MAX_BYTES / 1024 / 1024:.0f}"}
        if document is None or not document.file:
            del self.fields["remove_file"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "issued_on": data["issued_on"],
                "number": data["number"], "note": data["note"]}
