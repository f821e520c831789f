"""The regulation's working cycle (DESIGN §7): the signed regulation, the
meetings of the steering committee, the working group and the joint
conferences with their conclusions, and the correspondence (công văn)
between the two bodies.

These models belong to the ``coordination`` app (``coordination.models``
imports them); their rules are in :mod:`coordination.cycle.services` and
:mod:`coordination.cycle.rules`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CleanTextModel


def lead_side_choices():
    """A plan task's lead sides (the task a conclusion becomes has the same)."""
    from coordination.models import PlanTask  # that module imports this one

    return PlanTask.LeadSide.choices


class Regulation(CleanTextModel):
    """The coordination regulation (quy chế phối hợp) the two bodies signed.

    In force from ``effective_from`` to ``in_force_until`` (blank while it
    is); a new regulation that replaces it ends it the day before its own
    start. Usually one is in force at a time: the services refuse periods
    that overlap. The signed file is an attachment.
    """

    number = models.CharField(_("number"), max_length=50,
                              help_text=_("For example 01-QC/ĐUK-BQL."))
    title = models.CharField(_("title"), max_length=255)
    signed_on = models.DateField(_("signed on"))
    party_signatory_name = models.CharField(_("Party Committee signatory"), max_length=150)
    party_signatory_title = models.CharField(_("title of the Party Committee signatory"),
                                             max_length=150)
    iz_signatory_name = models.CharField(_("IZ Board signatory"), max_length=150)
    iz_signatory_title = models.CharField(_("title of the IZ Board signatory"),
                                          max_length=150)
    effective_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True,
                                      help_text=_("Blank while the regulation is in force."))
    replaced_by = models.ForeignKey("self", verbose_name=_("replaced by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaces")
    summary = models.TextField(_("main contents"), blank=True)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_regulation_number_unique": "number",
        "coordination_regulation_effective_after_signing": "effective_from",
        "coordination_regulation_end_after_start": "in_force_until",
    }

    class Meta:
        verbose_name = _("coordination regulation")
        verbose_name_plural = _("coordination regulations")
        ordering = ["-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], name="coordination_regulation_number_unique",
                violation_error_message=_("A regulation with this number is already "
                                          "recorded."),
            ),
            models.CheckConstraint(
                condition=Q(effective_from__gte=F("signed_on")),
                name="coordination_regulation_effective_after_signing",
                violation_error_message=_("A regulation comes into force on or after the "
                                          "day it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=F("effective_from")),
                name="coordination_regulation_end_after_start",
                violation_error_message=_("A regulation cannot end before it comes into "
                                          "force."),
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.title}"

    def get_absolute_url(self):
        return reverse("coordination:regulation_detail", args=[self.pk])

    def is_in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.in_force_until is None
                                               or self.in_force_until >= day)


class Meeting(CleanTextModel):
    """A meeting of the steering committee or the working group, or a joint
    conference of the two bodies: who attended (members of the compositions
    in office that day, and guests in words), the agenda, and the minutes
    (attachments). Its conclusions become plan tasks."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee meeting")
        WORKING_GROUP = "working_group", _("Working group meeting")
        JOINT = "joint", _("Joint conference")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True,
                             help_text=_("For example: Meeting of the fourth quarter."))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255)
    chair = models.ForeignKey("coordination.CommitteeMember", verbose_name=_("chair"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="meetings_chaired")
    attendees = models.ManyToManyField("coordination.CommitteeMember",
                                       verbose_name=_("attendees"), blank=True,
                                       related_name="meetings_attended")
    guests = models.TextField(_("other participants"), blank=True,
                              help_text=_("Guests who are not members of the composition."))
    agenda = models.TextField(_("agenda"))
    notice_number = models.CharField(_("conclusion notice"), max_length=50, blank=True,
                                     help_text=_("The number of the notice of conclusions, "
                                                 "for example 12-TB/BCĐ."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("coordination:meeting_detail", args=[self.pk])


class Conclusion(CleanTextModel):
    """A conclusion of a meeting: what is to be done, by whom and when. It
    becomes a task of the approved plan of its due date's year in one step
    (``task``); from then on its owner, due date and progress are the task's."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="conclusions")
    text = models.TextField(_("conclusion"))
    lead_side = models.CharField(_("lead"), max_length=20, choices=lead_side_choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="conclusions")
    due_on = models.DateField(_("due date"))
    task = models.OneToOneField("coordination.PlanTask", verbose_name=_("plan task"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="conclusion")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]


class Correspondence(CleanTextModel):
    """A letter (công văn) sent or received by one of the two bodies:
    between them, or with another organization (``counterpart``).

    Its reply is due by ``reply_due_on``; the reply is another letter
    recorded here (``reply``) or only its date and number. Its status
    (awaiting a reply, overdue, answered) is derived, never stored. A letter
    that names members or candidates is marked ``personal_data``: accounts
    without personal-data access never see it.
    """

    class Direction(models.TextChoices):
        PC_TO_IZ = "pc_to_iz", _("Party Committee → IZ Board")
        IZ_TO_PC = "iz_to_pc", _("IZ Board → Party Committee")
        PC_OUT = "pc_out", _("Party Committee → another body")
        PC_IN = "pc_in", _("Another body → Party Committee")
        IZ_OUT = "iz_out", _("IZ Board → another body")
        IZ_IN = "iz_in", _("Another body → IZ Board")

    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    number = models.CharField(_("number"), max_length=50,
                              help_text=_("Number and symbol, for example 125-CV/ĐUK."))
    dated = models.DateField(_("date"))
    counterpart = models.CharField(_("other body"), max_length=255, blank=True,
                                   help_text=_("The sender or recipient outside the two "
                                               "bodies."))
    subject = models.CharField(_("subject"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    enterprises = models.ManyToManyField("enterprises.Enterprise",
                                         verbose_name=_("enterprises concerned"), blank=True,
                                         related_name="correspondence")
    tasks = models.ManyToManyField("coordination.PlanTask", verbose_name=_("plan tasks"),
                                   blank=True, related_name="correspondence")
    reply_due_on = models.DateField(_("reply due by"), null=True, blank=True)
    reply = models.ForeignKey("self", verbose_name=_("reply"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="answers")
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_number = models.CharField(_("reply number"), max_length=50, blank=True)
    personal_data = models.BooleanField(
        _("contains personal data"), default=False,
        help_text=_("Names members or candidates: only accounts with personal-data access "
                    "see it."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    history = HistoricalRecords(m2m_fields=[enterprises, tasks])

    constraint_fields = {
        "coordination_correspondence_unique": "number",
        "coordination_correspondence_counterpart": "counterpart",
        "coordination_correspondence_reply_due_after_date": "reply_due_on",
        "coordination_correspondence_replied_after_date": "replied_on",
        "coordination_correspondence_reply_number_dated": "replied_on",
    }

    class Meta:
        verbose_name = _("correspondence")
        verbose_name_plural = _("correspondence")
        ordering = ["-dated", "-pk"]
        indexes = [models.Index(fields=["reply_due_on", "replied_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "number", "dated"],
                name="coordination_correspondence_unique",
                violation_error_message=_("This letter is already recorded (same direction, "
                                          "number and date)."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["pc_to_iz", "iz_to_pc"]) | ~Q(counterpart=""),
                name="coordination_correspondence_counterpart",
                violation_error_message=_("Name the other body of a letter that is not "
                                          "between the Party Committee and the IZ Board."),
            ),
            models.CheckConstraint(
                condition=Q(reply_due_on__isnull=True) | Q(reply_due_on__gte=F("dated")),
                name="coordination_correspondence_reply_due_after_date",
                violation_error_message=_("A reply cannot be due before the letter's date."),
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=F("dated")),
                name="coordination_correspondence_replied_after_date",
                violation_error_message=_("A reply cannot be dated before the letter."),
            ),
            models.CheckConstraint(
                condition=Q(reply_number="") | Q(replied_on__isnull=False),
                name="coordination_correspondence_reply_number_dated",
                violation_error_message=_("Give the date of the reply with its number."),
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.subject[:80]}"

    def get_absolute_url(self):
        return reverse("coordination:correspondence_detail", args=[self.pk])
