"""Generated periodic reports: immutable, figures frozen at generation time."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _report_path(instance, filename):
    return f"reports/{instance.period}/{uuid.uuid4().hex}.xlsx"


class Report(models.Model):
    """One report per (kind, period, scope, audience), enforced by the database.

    ``zone`` is blank for the province-wide report. ``personal`` reports carry
    the detail sheets with names (masked citizen IDs) for accounts that may see
    personal data; the others carry figures only, for the IZ Board.
    A report is written once: while ``status`` is pending or running it has no
    file; once ready, ``figures`` (the Tổng hợp values) and the file never change.
    """

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")
        ON_DEMAND = "on_demand", _("On demand")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=10)
    zone = models.ForeignKey("enterprises.IndustrialZone", verbose_name=_("industrial zone"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    personal = models.BooleanField(_("with personal detail sheets"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=_report_path, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "zone", "personal"], condition=Q(zone__isnull=False),
                name="reports_report_unique_zone",
            ),
            models.UniqueConstraint(
                fields=["kind", "period", "personal"], condition=Q(zone__isnull=True),
                name="reports_report_unique_province",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(generated_at__isnull=False) & ~Q(file="")),
                name="reports_report_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period}"

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
