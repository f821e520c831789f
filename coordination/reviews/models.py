"""Periodic reviews (sơ kết / tổng kết) of the coordination regulation.

A review covers a calendar period (a year, a half-year, a quarter or a
month) or any span of days, e.g. one year of the regulation from its
signing. While a draft, officers write its narrative, the targets agreed
for the next period and the commendations proposed; once finished, the
figures of its period are frozen in ``figures`` and the whole review is
immutable (a Party Committee officer may reopen it, with a reason; the
figures are then computed again when it is finished again). The Word review
report is generated from the frozen figures by a worker and kept in
``document``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CleanTextModel
from core.periods import HALF, MONTH, QUARTER, SPAN, YEAR, Period

# The database's bound on a span (the services count five years to the day).
MAX_SPAN_DAYS = 5 * 365 + 1


def _document_path(instance, filename):
    return f"reviews/{instance.pk}/{filename}"


class Review(CleanTextModel):
    """A periodic review of the regulation and its Word report."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim review (sơ kết)")
        FINAL = "final", _("Final review (tổng kết)")

    class PeriodKind(models.TextChoices):
        YEAR = YEAR, _("Year")
        HALF = HALF, _("Half-year")
        QUARTER = QUARTER, _("Quarter")
        MONTH = MONTH, _("Month")
        SPAN = SPAN, _("Span of days")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINISHED = "finished", _("Finished")

    class DocumentStatus(models.TextChoices):
        NONE = "", _("Not generated")
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.INTERIM)
    regulation = models.ForeignKey("coordination.Regulation", verbose_name=_("regulation"),
                                   on_delete=models.PROTECT, related_name="reviews")
    subject = models.CharField(
        _("subject"), max_length=500,
        help_text=_("The line under BÁO CÁO, for example: Sơ kết một năm thực hiện Quy chế "
                    "phối hợp..."))
    period_kind = models.CharField(_("kind of period"), max_length=10,
                                   choices=PeriodKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    number = models.CharField(_("number"), max_length=50, blank=True,
                              help_text=_("Number and symbol, for example 15-BC/ĐUK. Blank "
                                          "until it is given: the report leaves the space."))
    place = models.CharField(_("place"), max_length=100)
    dated = models.DateField(_("date of the report"), null=True, blank=True)
    joint = models.BooleanField(
        _("joint report of the two bodies"), default=True,
        help_text=_("Both bodies' names in the header and both signatures; otherwise the "
                    "Party Committee issues it alone."))
    signer_on_behalf = models.CharField(_("signs on behalf of"), max_length=100,
                                        default="T/M BAN THƯỜNG VỤ")
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True,
                                    help_text=_("For example PHÓ BÍ THƯ."))
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    iz_signer_on_behalf = models.CharField(_("IZ Board signs on behalf of"), max_length=100,
                                           blank=True, default="BAN QUẢN LÝ CÁC KCN")
    iz_signer_title = models.CharField(_("IZ Board signer's title"), max_length=100,
                                       blank=True, help_text=_("For example TRƯỞNG BAN."))
    iz_signer_name = models.CharField(_("IZ Board signer's name"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True,
                                  help_text=_("One per line, for example: - Thường trực "
                                              "Tỉnh ủy (b/c);"))
    situation = models.TextField(_("situation"), blank=True)
    results = models.TextField(_("results"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("finished by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # The figures of the period, frozen when the review is finished
    # (coordination.reviews.figures): never recomputed afterwards.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    document = models.FileField(_("Word report"), upload_to=_document_path, blank=True,
                                max_length=200)
    document_status = models.CharField(_("Word report"), max_length=10, blank=True,
                                       choices=DocumentStatus.choices, default="")
    document_enqueued_at = models.DateTimeField(null=True, blank=True)
    document_started_at = models.DateTimeField(null=True, blank=True)
    document_generated_at = models.DateTimeField(null=True, blank=True)
    document_error = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=[
        "document", "document_status", "document_enqueued_at", "document_started_at",
        "document_generated_at", "document_error"])

    constraint_fields = {
        "coordination_review_end_after_start": "period_end",
        "coordination_review_span_limit": "period_end",
        "coordination_review_number_unique": "number",
        "coordination_review_finished_recorded": "status",
        "coordination_review_document_when_finished": "status",
    }

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="coordination_review_end_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__lte=F("period_start") + timedelta(days=MAX_SPAN_DAYS)),
                name="coordination_review_span_limit",
                violation_error_message=_("A review covers at most five years."),
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""),
                name="coordination_review_number_unique",
                violation_error_message=_("A review with this number is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finished_at__isnull=False),
                name="coordination_review_finished_recorded",
                violation_error_message=_("A finished review records when it was finished."),
            ),
            models.CheckConstraint(
                condition=Q(document_status="") | Q(status="finished"),
                name="coordination_review_document_when_finished",
                violation_error_message=_("The Word report is generated once the review is "
                                          "finished."),
            ),
            models.CheckConstraint(
                condition=~Q(document_status="ready") | ~Q(document=""),
                name="coordination_review_ready_has_file",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("coordination:review_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def period(self) -> Period | None:
        """The period covered (None while the dates are missing or wrong)."""
        if self.period_start is None or self.period_end is None \
                or self.period_end < self.period_start:
            return None
        if self.period_kind == SPAN:
            return Period.span(self.period_start, self.period_end)
        try:
            return Period.containing(self.period_kind, self.period_start)
        except ValueError:
            return None

    @property
    def next_year(self) -> int:
        """The year of the plan that takes the targets agreed for the next
        period: the one after the year the period ends in."""
        return self.period_end.year + 1

    @property
    def download_name(self) -> str:
        return f"bao-cao-so-ket-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}.docx" \
            if self.kind == self.Kind.INTERIM else \
            f"bao-cao-tong-ket-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}.docx"


class ReviewTarget(CleanTextModel):
    """A target agreed for the next period: an indicator of the catalogue,
    for the province or one zone. One step makes the review's targets the
    draft targets of the next year's plan."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE,
                               related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=50)
    zone = models.ForeignKey("enterprises.IndustrialZone", verbose_name=_("industrial zone"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=_("Blank for the whole province."))
    target_value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_reviewtarget_unique_zone": "indicator",
        "coordination_reviewtarget_unique_province": "indicator",
        "coordination_reviewtarget_positive": "target_value",
    }

    class Meta:
        verbose_name = _("target for the next period")
        verbose_name_plural = _("targets for the next period")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "indicator", "zone"], condition=Q(zone__isnull=False),
                name="coordination_reviewtarget_unique_zone",
                violation_error_message=_("This review already has a target for this "
                                          "indicator and zone."),
            ),
            models.UniqueConstraint(
                fields=["review", "indicator"], condition=Q(zone__isnull=True),
                name="coordination_reviewtarget_unique_province",
                violation_error_message=_("This review already has a province-wide target "
                                          "for this indicator."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__gte=1),
                name="coordination_reviewtarget_positive",
                violation_error_message=_("A target is at least 1."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.target_value}"


class Commendation(CleanTextModel):
    """A commendation the review proposes: for a collective (an enterprise
    or a party organization) or an individual (a party member, whose name
    only accounts that see personal data see)."""

    class Recipient(models.TextChoices):
        COLLECTIVE = "collective", _("Collective")
        INDIVIDUAL = "individual", _("Individual")

    class Award(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate of merit (giấy khen)")
        MERIT = "merit", _("Merit (bằng khen)")

    class ProposedBy(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party Committee")
        IZ_BOARD = "iz_board", _("IZ Board")
        BOTH = "both", _("Both bodies")

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE,
                               related_name="commendations")
    recipient = models.CharField(_("for"), max_length=12, choices=Recipient.choices)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    party_organization = models.ForeignKey("enterprises.PartyOrganization",
                                           verbose_name=_("party organization"),
                                           on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    member = models.ForeignKey("coordination.PartyMember", verbose_name=_("party member"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    award = models.CharField(_("form of commendation"), max_length=12, choices=Award.choices)
    awarded_by = models.CharField(_("awarded by"), max_length=255,
                                  help_text=_("For example: Ban Thường vụ Đảng ủy Khối."))
    proposed_by = models.CharField(_("proposed by"), max_length=20,
                                   choices=ProposedBy.choices)
    reason = models.TextField(_("achievements"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    constraint_fields = {"coordination_commendation_recipient": "recipient"}

    class Meta:
        verbose_name = _("commendation proposed")
        verbose_name_plural = _("commendations proposed")
        ordering = ["recipient", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient="collective", member__isnull=True)
                           & (Q(enterprise__isnull=False, party_organization__isnull=True)
                              | Q(enterprise__isnull=True, party_organization__isnull=False)))
                | Q(recipient="individual", member__isnull=False, enterprise__isnull=True,
                    party_organization__isnull=True),
                name="coordination_commendation_recipient",
                violation_error_message=_("A collective commendation names one enterprise or "
                                          "one party organization; an individual one names a "
                                          "party member."),
            ),
        ]

    def __str__(self):
        return f"{self.get_award_display()} · {self.pk}"

    @property
    def is_individual(self) -> bool:
        return self.recipient == self.Recipient.INDIVIDUAL
