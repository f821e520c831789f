from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import clean_multiline, clean_text


class CleanTextModel(models.Model):
    """Stores every text field NFC-normalised and trimmed.

    The normalisation runs in ``clean_fields``, i.e. on every ``full_clean``,
    which every service, form and admin save goes through.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        for field in self._meta.concrete_fields:
            if isinstance(field, models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, clean_multiline(value))
            elif isinstance(field, models.CharField) and not field.choices:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, clean_text(value))
        super().clean_fields(exclude=exclude)


class WorkerHeartbeat(models.Model):
    """Last time the Celery worker ran the heartbeat task (one row per name).

    Beat schedules the task every minute, so /healthz can tell whether the
    worker and beat are alive.
    """

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self):
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
