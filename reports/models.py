"""Generated periodic reports: immutable, figures frozen at generation time."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.periods import HALF, QUARTER, SPAN, YEAR, Period
from core.text import fold


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
    # Set when the generation task reached the broker; blank while the broker
    # was unreachable, so the periodic re-enqueue job knows what to send again.
    enqueued_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Generations started: a worker killed mid-way leaves a stale claim, which
    # is taken over a bounded number of times.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
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

    def clean(self):
        """The period is a valid code, and a scheduled kind covers its own kind of period."""
        try:
            period = Period.parse(self.period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from exc
        if period.kind == SPAN:
            raise ValidationError({"period": _(
                "A report covers a year, a half-year, a quarter or a month; a span of days "
                "is written by build_report or a review.")})
        self.period = period.code
        expected = SCHEDULED_PERIOD_KINDS.get(self.kind)
        if expected and period.kind != expected:
            raise ValidationError({"period": _(
                "The period %(code)s does not match the kind of report (%(kind)s)."
            ) % {"code": period.code, "kind": self.get_kind_display()}})

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def period_label(self) -> str:
        """The period in words ("quý III năm 2026")."""
        return self.period_obj.label

    @property
    def title(self) -> str:
        label = _("Report %(period)s") % {"period": self.period_label}
        if self.zone_id is not None:
            label = f"{label} – {self.zone.name}"
        return label

    @property
    def download_name(self) -> str:
        """The file name offered on download, e.g. ``bao-cao-2026-Q3.xlsx``."""
        name = f"bao-cao-{self.period}"
        if self.zone_id is not None:
            name += "-" + slugify(fold(self.zone.code))
        if self.kind == self.Kind.ON_DEMAND:
            name += "-theo-yeu-cau"
        return f"{name}.xlsx"


# The period each scheduled kind of report covers.
SCHEDULED_PERIOD_KINDS = {
    Report.Kind.QUARTERLY: QUARTER,
    Report.Kind.HALF_YEARLY: HALF,
    Report.Kind.YEARLY: YEAR,
}
