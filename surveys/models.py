"""On-site surveys by the working group (đợt khảo sát, DESIGN §2).

A campaign plans which enterprises the working group visits over a period;
each visit records what was found, classifies the enterprise (A/B/C) and
lists follow-up actions. Confirmed findings are applied to the registry and
identified workers registered as candidates by services, one step each.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import Committee, CoordinationPlan
from core.models import CleanTextModel
from enterprises.models import Enterprise, IndustrialZone


class SurveyCampaign(CleanTextModel):
    """A survey round of the working group over a period."""

    name = models.CharField(_("name"), max_length=255)
    working_group = models.ForeignKey(
        Committee, verbose_name=_("working group"), on_delete=models.PROTECT,
        related_name="campaigns", limit_choices_to={"kind": Committee.Kind.WORKING_GROUP},
    )
    plan = models.ForeignKey(CoordinationPlan, verbose_name=_("coordination plan"),
                             on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="campaigns")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    zones = models.ManyToManyField(IndustrialZone, verbose_name=_("industrial zones"),
                                   blank=True, related_name="+")
    enterprises = models.ManyToManyField(Enterprise, verbose_name=_("enterprises to visit"),
                                         blank=True, related_name="survey_campaigns")
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[enterprises])

    constraint_fields = {"surveys_campaign_period_order": "ends_on"}

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="surveys_campaign_period_order",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("surveys:campaign_detail", args=[self.pk])


class SurveyVisit(CleanTextModel):
    """One visit of the working group to one enterprise."""

    class Attitude(models.TextChoices):
        SUPPORTIVE = "supportive", _("Supportive")
        NEUTRAL = "neutral", _("Neutral")
        RELUCTANT = "reluctant", _("Reluctant")

    class Classification(models.TextChoices):
        A = "A", _("A: can establish a party organization within the year")
        B = "B", _("B: has members or candidates, needs fostering")
        C = "C", _("C: not yet")

    class UnionStatus(models.TextChoices):
        PRESENT = "present", _("Set up")
        ABSENT = "absent", _("Not established")
        UNKNOWN = "unknown", _("Not checked")

    campaign = models.ForeignKey(SurveyCampaign, verbose_name=_("campaign"),
                                 on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"),
                                   on_delete=models.PROTECT, related_name="survey_visits")
    visited_on = models.DateField(_("visit date"))
    participants = models.TextField(_("participants"), blank=True)
    # Findings
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    female_workers = models.PositiveIntegerField(_("female workers"), null=True, blank=True)
    party_members_found = models.PositiveIntegerField(_("party members working there"),
                                                      null=True, blank=True)
    trade_union = models.CharField(_("trade union"), max_length=10,
                                   choices=UnionStatus.choices, default=UnionStatus.UNKNOWN)
    trade_union_members = models.PositiveIntegerField(_("trade union members"), null=True,
                                                      blank=True)
    youth_union = models.CharField(_("youth union"), max_length=10,
                                   choices=UnionStatus.choices, default=UnionStatus.UNKNOWN)
    youth_union_members = models.PositiveIntegerField(_("youth union members"), null=True,
                                                      blank=True)
    owner_attitude = models.CharField(_("owner's attitude"), max_length=12,
                                      choices=Attitude.choices)
    outstanding_workers = models.PositiveIntegerField(_("outstanding workers identified"),
                                                      default=0)
    findings = models.TextField(_("other findings"), blank=True)
    classification = models.CharField(_("classification"), max_length=1,
                                      choices=Classification.choices)
    recommendations = models.TextField(_("recommendations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # What was applied to the registry from this visit (each once).
    workforce_record = models.ForeignKey(
        "enterprises.WorkforceRecord", verbose_name=_("workforce record applied"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Outstanding workers of this visit registered as admission candidates.
    candidates = models.ManyToManyField(
        "coordination.AdmissionCandidate", verbose_name=_("candidates registered"), blank=True,
        related_name="survey_visits")

    history = HistoricalRecords(m2m_fields=[candidates])

    constraint_fields = {
        "surveys_visit_once_a_day": "visited_on",
        "surveys_visit_female_le_workers": "female_workers",
        "surveys_visit_union_le_workers": "trade_union_members",
        "surveys_visit_youth_le_workers": "youth_union_members",
    }

    class Meta:
        verbose_name = _("survey visit")
        verbose_name_plural = _("survey visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise", "visited_on"], name="surveys_visit_once_a_day",
                violation_error_message=_("This enterprise already has a visit on this day in "
                                          "this campaign."),
            ),
            models.CheckConstraint(
                condition=Q(female_workers__isnull=True) | Q(workers__isnull=True)
                | Q(female_workers__lte=F("workers")),
                name="surveys_visit_female_le_workers",
                violation_error_message=_("Female workers cannot exceed the workers."),
            ),
            models.CheckConstraint(
                condition=Q(trade_union_members__isnull=True) | Q(workers__isnull=True)
                | Q(trade_union_members__lte=F("workers")),
                name="surveys_visit_union_le_workers",
                violation_error_message=_("Trade union members cannot exceed the workers."),
            ),
            models.CheckConstraint(
                condition=Q(youth_union_members__isnull=True) | Q(workers__isnull=True)
                | Q(youth_union_members__lte=F("workers")),
                name="surveys_visit_youth_le_workers",
                violation_error_message=_("Youth union members cannot exceed the workers."),
            ),
        ]
        indexes = [models.Index(fields=["visited_on"])]

    def __str__(self):
        return f"{self.enterprise} · {self.visited_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("surveys:visit_detail", args=[self.pk])


class FollowUp(CleanTextModel):
    """A follow-up action decided at a visit, with its owner and deadline."""

    visit = models.ForeignKey(SurveyVisit, verbose_name=_("visit"), on_delete=models.CASCADE,
                              related_name="follow_ups")
    action = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="survey_follow_ups")
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self):
        return self.action

    def is_overdue_on(self, day: date) -> bool:
        return self.done_on is None and self.due_on < day
