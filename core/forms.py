"""Form helpers shared by the apps' pages."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .services import renamed_errors


def add_service_errors(form, error: ValidationError, *, models,
                       renamed: dict[str, str] | None = None) -> None:
    """Attach a service's ValidationError to the form fields it concerns
    (``renamed``: a service field shown under another name on this form).

    Constraint messages still arriving as non-field errors are matched to
    their field through the models' ``constraint_fields``. An error on a field
    the form does not show (e.g. the education level checked at the cell
    resolution) goes above the form, prefixed by that field's name.
    """
    if renamed:
        error = renamed_errors(error, renamed)
    by_message = {}
    for model in models:
        fields = getattr(model, "constraint_fields", {})
        for constraint in model._meta.constraints:
            if constraint.name in fields:
                by_message[str(constraint.get_violation_error_message())] = fields[constraint.name]
    if hasattr(error, "error_dict"):
        items = error.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, error.error_list)]
    for field, errors in items:
        for item in errors:
            message = " ".join(item.messages)
            target = field if field in form.fields else by_message.get(message, field)
            if target in form.fields:
                form.add_error(target, item)
            elif target == NON_FIELD_ERRORS:
                form.add_error(None, item)
            else:
                form.add_error(None, f"{_label(models, target)}: {message}")


def _label(models, field: str) -> str:
    for model in models:
        try:
            return capfirst(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            continue
    return field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files in one input; each is checked by core.attachments."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        super().__init__(*args, **kwargs)
        from .attachments import allowed_types_label

        self.help_text = _("Accepted: %(types)s; at most %(size)s MB each.") % {
            "types": allowed_types_label(),
            "size": f"{settings.ATTACHMENT_MAX_BYTES / 1024 / 1024:.0f}",
        }

    def clean(self, data, initial=None):
        from .attachments import check_upload

        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        result = []
        errors = []
        for upload in files:
            upload = single(upload, initial)
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
            result.append(upload)
        if errors:
            raise ValidationError(errors)
        return result


class ShortChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a short list (zones, a committee's members) read in one
    plain query. Django's own iterator reads them through ``.iterator()``,
    which on PostgreSQL outside a transaction opens a server-side cursor: a
    ``DECLARE ... WITH HOLD`` and a ``COMMIT`` more for every select drawn."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)
