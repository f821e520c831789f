"""Party members and admission candidates (quần chúng ưu tú).

Every fact is dated, so a member's status or a candidate's stage at any date
can be recomputed. Personal data: shown only to accounts with
Perm.VIEW_PERSONAL_DATA, citizen IDs masked outside the detail page.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import SortKeyField
from core.indicators import INDICATORS
from core.models import CleanTextModel, UpdatedAtModel
from core.text import fold, person_sort_key
from enterprises.models import Enterprise, PartyOrganization

from .calendar import add_months, add_working_days, months_between

citizen_id_validator = RegexValidator(
    r"^[0-9]{12}$", _("A citizen ID (CCCD) has exactly 12 digits.")
)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


def join_name(family_name: str, middle_name: str, given_name: str) -> str:
    """The full name in Vietnamese order: family, middle, given."""
    return " ".join(p for p in (family_name, middle_name, given_name) if p)


def mask_citizen_id(citizen_id: str) -> str:
    """A citizen ID as lists show it: only its last four digits."""
    return "•" * 8 + citizen_id[-4:] if citizen_id else ""


class Person(CleanTextModel):
    """Name, birth and identity, kept the Vietnamese way."""

    family_name = models.CharField(_("family name"), max_length=50)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=50)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, validators=[citizen_id_validator]
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("workplace enterprise"), on_delete=models.PROTECT,
        related_name="+",
    )
    # Vietnamese order (given, middle, family) and diacritic-free search, any database.
    sort_key = SortKeyField(max_length=400, editable=False, db_index=True, default="")
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return join_name(self.family_name, self.middle_name, self.given_name)

    @property
    def masked_citizen_id(self) -> str:
        return mask_citizen_id(self.citizen_id)

    def clean(self):
        super().clean()
        self.sort_key = person_sort_key(self.family_name, self.middle_name, self.given_name)
        self.search_text = fold(self.full_name)

    def age_in_months(self, on: date) -> int:
        return months_between(self.date_of_birth, on)


# A value not loaded from the database (a deferred field, a new instance).
UNKNOWN = object()


class PartyMember(UpdatedAtModel, Person):
    """A party member working in an industrial-zone enterprise: one record per
    person (citizen ID), whatever comes and goes.

    Where the member works and attends at each time is a dated
    :class:`Placement`; ``enterprise``, ``party_organization`` and the
    ``left_*`` fields mirror the latest placement (set only by the placement
    services) for the lists of today. Status at a date is derived from the
    placements: on the rolls while a placement covers the day, probationary
    from the ceremony (``admitted_on``), official from ``official_on``.
    """

    class Status(models.TextChoices):
        PROBATIONARY = "probationary", _("Probationary")
        OFFICIAL = "official", _("Official")
        LEFT = "left", _("Left")

    class LeftReason(models.TextChoices):
        TRANSFERRED = "transferred", _("Transferred elsewhere")
        CHANGED_JOB = "changed_job", _("Left the enterprise")
        DECEASED = "deceased", _("Deceased")
        REMOVED = "removed", _("Removed from the party")
        RESIGNED = "resigned", _("Resigned from the party")
        OTHER = "other", _("Other")

    PROBATION_MONTHS = 12

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("workplace enterprise"), on_delete=models.PROTECT,
        related_name="party_members",
    )
    party_card_number = models.CharField(_("party card number"), max_length=30, blank=True)
    party_organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("party organization attended"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="members",
        help_text=_("May be a joint cell of several enterprises."),
    )
    admitted_on = models.DateField(_("admission date (ceremony)"))
    # Party seniority (tuổi đảng) runs from the admission decision (9-KNĐ).
    decision_on = models.DateField(_("admission decision date"), null=True, blank=True)
    decision_number = models.CharField(_("admission decision number"), max_length=50,
                                       blank=True)
    official_on = models.DateField(_("official member since"), null=True, blank=True)
    is_enterprise_owner = models.BooleanField(_("enterprise owner"), default=False)
    probation_helper = models.ForeignKey(
        "self", verbose_name=_("helper during probation"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="helped_probationers",
        help_text=_("The official member who keeps helping during the 12 probationary months."),
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=20,
                                   choices=LeftReason.choices, blank=True)
    left_note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords(excluded_fields=["sort_key", "search_text", "updated_at"])

    constraint_fields = {
        "coordination_partymember_citizen_id_unique": "citizen_id",
        "coordination_partymember_official_after_admission": "official_on",
        "coordination_partymember_left_after_admission": "left_on",
        "coordination_partymember_left_has_reason": "left_reason",
        "coordination_partymember_citizen_id_format": "citizen_id",
    }

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], name="coordination_partymember_citizen_id_unique",
                violation_error_message=_("A party member with this citizen ID already exists."),
            ),
            models.CheckConstraint(
                condition=Q(citizen_id__regex=r"^[0-9]{12}$"),
                name="coordination_partymember_citizen_id_format",
                violation_error_message=_("A citizen ID (CCCD) has exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=F("admitted_on")),
                name="coordination_partymember_official_after_admission",
                violation_error_message=_("The official date cannot be before the admission."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("admitted_on")),
                name="coordination_partymember_left_after_admission",
                violation_error_message=_("The leaving date cannot be before the admission."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | ~Q(left_reason=""),
                name="coordination_partymember_left_has_reason",
                violation_error_message=_("Give the reason for leaving."),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "left_on"]),
                   models.Index(fields=["admitted_on"], name="coord_member_admitted_idx")]

    def get_absolute_url(self):
        return reverse("coordination:member_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        member = super().from_db(db, field_names, values)
        # The official date as loaded: coordination.quorum refreshes the
        # enterprises' spans only when a save changes it.
        member._quorum_official_on = member.__dict__.get("official_on", UNKNOWN)
        return member

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "official_on" in fields:
            self._quorum_official_on = self.official_on

    @property
    def left_reason_text(self) -> str:
        """The reason for leaving as shown: the user's words for Other (DESIGN §4)."""
        if self.left_reason == self.LeftReason.OTHER and self.left_note:
            return self.left_note
        return self.get_left_reason_display()

    def clean(self):
        super().clean()
        errors = {}
        if self.admitted_on and self.admitted_on > timezone.localdate():
            errors["admitted_on"] = _("This date is in the future.")
        if self.admitted_on and self.date_of_birth and self.admitted_on <= self.date_of_birth:
            errors["admitted_on"] = _("The admission date must be after the date of birth.")
        if self.official_on and self.admitted_on and self.official_on != self.probation_ends_on:
            errors["official_on"] = _(
                "A member becomes official on the day the 12 probationary months end "
                "(%(date)s), neither before nor after."
            ) % {"date": self.probation_ends_on.strftime("%d/%m/%Y")}
        elif self.official_on and self.official_on > timezone.localdate():
            errors["official_on"] = _(
                "The 12 probationary months end on %(date)s: the member cannot be official "
                "before that day."
            ) % {"date": self.official_on.strftime("%d/%m/%Y")}
        if self.probation_helper_id is not None and self.pk is not None \
                and self.probation_helper_id == self.pk:
            errors["probation_helper"] = _("A member cannot be their own helper.")
        if errors:
            raise ValidationError(errors)

    @property
    def probation_ends_on(self) -> date:
        """The day the 12 probationary months end: the official date once recognised."""
        return add_months(self.admitted_on, self.PROBATION_MONTHS)

    @property
    def recognition_due_on(self) -> date:
        """The cell considers recognition within 30 working days after the 12 months end."""
        return add_working_days(self.probation_ends_on, 30)

    def status_on(self, day: date) -> str | None:
        """Probationary, official or left at ``day`` (None before admission):
        on the rolls while one of the member's placements covers the day."""
        if self.admitted_on > day:
            return None
        if day >= timezone.localdate():
            # No period starts or ends in the future: the mirror of the latest
            # period answers for today without reading the placements.
            on_rolls = self.left_on is None
        else:
            on_rolls = any(p.covers(day) for p in self.placements.all())
        if not on_rolls:
            return self.Status.LEFT
        if self.official_on and self.official_on <= day:
            return self.Status.OFFICIAL
        return self.Status.PROBATIONARY

    def seniority_on(self, day: date) -> int | None:
        """Party seniority (tuổi đảng) in whole years at ``day``, from the
        admission decision (the ceremony when the decision is not recorded)."""
        start = self.decision_on or self.admitted_on
        if start is None or day < start:
            return None
        return months_between(start, day) // 12


class Placement(CleanTextModel):
    """Where a member works and attends from one date to another.

    ``[starts_on, ends_on)``: the member counts there from ``starts_on`` and no
    longer on ``ends_on`` (open while ``ends_on`` is null). Periods of one
    member never overlap (a PostgreSQL exclusion constraint, and the services
    on every database); at most one is open. A move closes one period and
    opens the next on the same day; a correction rewrites a period.
    """

    class Began(models.TextChoices):
        ADMISSION = "admission", _("Admitted")
        TRANSFER_IN = "transfer_in", _("Transferred in")
        MOVE = "move", _("Moved within the province")
        FOUNDING = "founding", _("Founding of a new organization")

    class Ended(models.TextChoices):
        MOVE = "move", _("Moved within the province")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        LEFT = "left", _("Left the party's rolls")

    class Attendance(models.TextChoices):
        OFFICIAL = "official", _("Official attendance")
        TEMPORARY = "temporary", _("Temporary attendance")

    LeaveReason = PartyMember.LeftReason
    # The reasons that go with each way of ending (a move has none).
    REASONS = {
        Ended.TRANSFER_OUT: (LeaveReason.TRANSFERRED, LeaveReason.CHANGED_JOB),
        Ended.LEFT: (LeaveReason.DECEASED, LeaveReason.REMOVED, LeaveReason.RESIGNED,
                     LeaveReason.OTHER),
    }

    member = models.ForeignKey(PartyMember, verbose_name=_("party member"),
                               on_delete=models.PROTECT, related_name="placements")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("workplace enterprise"),
                                   on_delete=models.PROTECT, related_name="placements")
    party_organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("party organization attended"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="placements",
        help_text=_("May be a joint cell of several enterprises."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True,
                               help_text=_("The day the member no longer counts here."))
    began = models.CharField(_("how it began"), max_length=20, choices=Began.choices)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices,
                                  default=Attendance.OFFICIAL)
    home_organization = models.CharField(
        _("coming from"), max_length=255, blank=True,
        help_text=_("The party organization the member came from (transfer in), or keeps "
                    "the official record (temporary attendance)."))
    ended = models.CharField(_("how it ended"), max_length=20, choices=Ended.choices,
                             blank=True)
    leave_reason = models.CharField(_("reason"), max_length=20, choices=LeaveReason.choices,
                                    blank=True)
    destination = models.CharField(_("going to"), max_length=255, blank=True,
                                   help_text=_("Where the member's party record went."))
    note = models.CharField(_("note"), max_length=255, blank=True)
    # The note given when the period ended (why the member left): kept apart so
    # it never takes the place of the period's own note.
    end_note = models.CharField(_("note on leaving"), max_length=255, blank=True)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_placement_ends_after_start": "ends_on",
        "coordination_placement_end_has_kind": "ended",
        "coordination_placement_reason_fits_end": "leave_reason",
        "coordination_placement_one_open": "ends_on",
    }

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["member", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="coordination_placement_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(ends_on__isnull=True, ended="")
                           | (Q(ends_on__isnull=False) & ~Q(ended=""))),
                name="coordination_placement_end_has_kind",
                violation_error_message=_("A period that ends says how it ended, and only "
                                          "then."),
            ),
            models.CheckConstraint(
                condition=(Q(ended__in=["", "move"], leave_reason="")
                           | Q(ended="transfer_out",
                               leave_reason__in=["transferred", "changed_job"])
                           | Q(ended="left",
                               leave_reason__in=["deceased", "removed", "resigned", "other"])),
                name="coordination_placement_reason_fits_end",
                violation_error_message=_("Give a reason that fits how the period ended."),
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(ends_on__isnull=True),
                name="coordination_placement_one_open",
                violation_error_message=_("This member already has an open period."),
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "starts_on"], name="coord_placement_ent_idx"),
            models.Index(fields=["party_organization", "starts_on"],
                         name="coord_placement_org_idx"),
            models.Index(fields=["starts_on", "ends_on"], name="coord_placement_dates_idx"),
        ]

    def __str__(self):
        until = self.ends_on.strftime("%d/%m/%Y") if self.ends_on else "…"
        return f"{self.member} · {self.enterprise} · {self.starts_on:%d/%m/%Y}–{until}"

    @classmethod
    def from_db(cls, db, field_names, values):
        placement = super().from_db(db, field_names, values)
        # The enterprise as loaded: a correction that moves the period to
        # another enterprise refreshes both enterprises' spans (coordination.quorum).
        placement._quorum_enterprise_id = placement.__dict__.get("enterprise_id")
        return placement

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or {"enterprise", "enterprise_id"} & set(fields):
            self._quorum_enterprise_id = self.enterprise_id

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)

    @property
    def leave_reason_text(self) -> str:
        """The reason the period ended as shown: the user's words for Other."""
        if self.leave_reason == self.LeaveReason.OTHER and self.end_note:
            return self.end_note
        return self.get_leave_reason_display()

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.starts_on and self.starts_on > today:
            errors["starts_on"] = _("This date is in the future.")
        if self.ends_on and self.ends_on > today:
            errors["ends_on"] = _("This date is in the future.")
        if self.attendance == self.Attendance.TEMPORARY and not self.home_organization:
            errors["home_organization"] = _(
                "Temporary attendance: give the organization that keeps the member's "
                "official record.")
        if self.member_id and self.starts_on and self.member.admitted_on \
                and self.starts_on < self.member.admitted_on:
            errors["starts_on"] = _("A period cannot start before the member's admission "
                                    "(%(date)s).") % {
                "date": self.member.admitted_on.strftime("%d/%m/%Y")}
        if errors:
            raise ValidationError(errors)


def covering(day: date, prefix: str = "") -> Q:
    """Placements (reached through ``prefix``) that cover ``day``: the one
    definition of "where a member is on a date"."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": day}))


class OfficialQuorum(models.Model):
    """A span of days during which at least three official party members
    (QUALIFY_MIN_OFFICIAL) were placed at the enterprise in official attendance:
    ``[starts_on, ends_on)``, open while ``ends_on`` is null.

    Derived from the placements and the members' official dates, never typed:
    :mod:`coordination.quorum` rewrites an enterprise's spans whenever one of
    its placements or one of its members' official date changes (signals, so
    the admin, the services, the importer and a deletion all go through it),
    and ``manage.py rebuild_quorum`` rewrites them all (after a bulk load).
    The indicator of enterprises that qualify reads it, so qualifying at a date
    is a lookup instead of counting sixty thousand placements.
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="official_quorums")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("span with three official members")
        verbose_name_plural = _("spans with three official members")
        ordering = ["enterprise", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="coordination_officialquorum_not_empty",
            ),
            models.UniqueConstraint(fields=["enterprise", "starts_on"],
                                    name="coordination_officialquorum_one_start"),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"],
                                name="coord_quorum_dates_idx")]

    def __str__(self):
        until = self.ends_on.strftime("%d/%m/%Y") if self.ends_on else "…"
        return f"{self.enterprise_id} · {self.starts_on:%d/%m/%Y}–{until}"


class Founding(CleanTextModel):
    """Founding a party organization in an enterprise that has none (DESIGN
    §7): qualifies → proposal to the upper committee → founding decision →
    secretary / cell committee appointed → the members working there moved
    to the new organization on the founding date. Or abandoned, with a reason.

    One open case per enterprise; each step is dated, in order.
    """

    class Stage(models.TextChoices):
        QUALIFIES = "qualifies", _("Qualifies")
        PROPOSED = "proposed", _("Proposed to the upper committee")
        DECIDED = "decided", _("Founding decided")
        APPOINTED = "appointed", _("Secretary appointed")
        COMPLETED = "completed", _("Members moved")
        ABANDONED = "abandoned", _("Abandoned")

    # The steps in order, each with its date field.
    STEPS = [
        (Stage.PROPOSED, "proposed_on"),
        (Stage.DECIDED, "decided_on"),
        (Stage.APPOINTED, "appointed_on"),
        (Stage.COMPLETED, "members_moved_on"),
    ]

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"),
                                   on_delete=models.PROTECT, related_name="foundings")
    started_on = models.DateField(_("case opened on"))
    proposed_on = models.DateField(_("proposal date"), null=True, blank=True)
    proposal_number = models.CharField(_("proposal number"), max_length=50, blank=True)
    decided_on = models.DateField(_("founding decision date"), null=True, blank=True,
                                  help_text=_("The founding date of the new organization."))
    decision_number = models.CharField(_("founding decision number"), max_length=50,
                                       blank=True)
    deciding_body = models.CharField(_("deciding body"), max_length=255, blank=True)
    organization = models.OneToOneField(
        PartyOrganization, verbose_name=_("party organization founded"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="founding")
    appointed_on = models.DateField(_("appointment date"), null=True, blank=True)
    secretary = models.ForeignKey(
        "PartyMember", verbose_name=_("secretary"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+")
    committee = models.CharField(_("cell committee"), max_length=500, blank=True,
                                 help_text=_("Deputy secretary and committee members, if any."))
    members_moved_on = models.DateField(_("members moved on"), null=True, blank=True)
    members_moved = models.PositiveIntegerField(_("members moved"), default=0)
    abandoned_on = models.DateField(_("abandoned on"), null=True, blank=True)
    abandoned_reason = models.CharField(_("reason"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices,
                             default=Stage.QUALIFIES, editable=False)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_founding_one_open": "enterprise",
        "coordination_founding_decision_has_number": "decision_number",
        "coordination_founding_abandon_has_reason": "abandoned_reason",
    }

    class Meta:
        verbose_name = _("founding of a party organization")
        verbose_name_plural = _("foundings of party organizations")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(abandoned_on__isnull=True, members_moved_on__isnull=True),
                name="coordination_founding_one_open",
                violation_error_message=_("This enterprise already has a founding case "
                                          "under way."),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | (~Q(decision_number="")
                                                        & Q(organization__isnull=False)),
                name="coordination_founding_decision_has_number",
                violation_error_message=_("A founding decision has its number and its new "
                                          "organization."),
            ),
            models.CheckConstraint(
                condition=Q(abandoned_on__isnull=True) | ~Q(abandoned_reason=""),
                name="coordination_founding_abandon_has_reason",
                violation_error_message=_("Give the reason the case was abandoned."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_stage_display()}"

    def get_absolute_url(self):
        return reverse("coordination:founding_detail", args=[self.pk])

    def computed_stage(self) -> str:
        if self.abandoned_on:
            return self.Stage.ABANDONED
        stage = self.Stage.QUALIFIES
        for step, field in self.STEPS:
            if getattr(self, field):
                stage = step
        return stage

    def next_step(self):
        """The next (stage, date field), or None once completed or abandoned."""
        if self.abandoned_on:
            return None
        for step, field in self.STEPS:
            if not getattr(self, field):
                return step, field
        return None

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        previous_label, previous = _("case opened on"), self.started_on
        for _step, field in self.STEPS:
            value = getattr(self, field)
            if value is None:
                continue
            if value > today:
                errors[field] = _("This date is in the future.")
            elif previous and value < previous:
                errors[field] = _("This date cannot be before the %(step)s (%(date)s).") % {
                    "step": previous_label, "date": previous.strftime("%d/%m/%Y")}
            previous_label = self._meta.get_field(field).verbose_name
            previous = value
        if self.abandoned_on and self.abandoned_on < self.started_on:
            errors["abandoned_on"] = _("This date cannot be before the case was opened.")
        if self.started_on and self.started_on > today:
            errors["started_on"] = _("This date is in the future.")
        if errors:
            raise ValidationError(errors)
        self.stage = self.computed_stage()


def two_thirds(votes_for: int, members: int) -> bool:
    """Whether ``votes_for`` is at least two thirds of ``members`` (exact: 4 of 6
    passes, 3 of 5 does not)."""
    return members > 0 and votes_for * 3 >= members * 2


class RecognitionVote(CleanTextModel):
    """One attempt of the cell to recognise a probationary member as official
    (form 13-KNĐ): the votes for and the cell's official members. Each attempt is
    kept; after three without two thirds the case goes to the upper committee."""

    MAX_ATTEMPTS = 3

    member = models.ForeignKey(PartyMember, verbose_name=_("party member"),
                               on_delete=models.PROTECT, related_name="recognition_votes")
    held_on = models.DateField(_("cell meeting date"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    official_members = models.PositiveSmallIntegerField(_("official members of the cell"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_recognitionvote_votes_within_members": "votes_for",
        "coordination_recognitionvote_one_per_day": "held_on",
        "coordination_recognitionvote_members_positive": "official_members",
    }

    class Meta:
        verbose_name = _("recognition vote of the cell")
        verbose_name_plural = _("recognition votes of the cell")
        ordering = ["member", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__lte=F("official_members")),
                name="coordination_recognitionvote_votes_within_members",
                violation_error_message=_(
                    "Votes for cannot exceed the cell's official members."),
            ),
            models.CheckConstraint(
                condition=Q(official_members__gt=0),
                name="coordination_recognitionvote_members_positive",
                violation_error_message=_("Give the number of official members of the cell."),
            ),
            models.UniqueConstraint(
                fields=["member", "held_on"], name="coordination_recognitionvote_one_per_day",
                violation_error_message=_("A vote of this day is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.held_on:%d/%m/%Y} · {self.votes_for}/{self.official_members}"

    @property
    def passed(self) -> bool:
        return two_thirds(self.votes_for, self.official_members)

    def clean(self):
        super().clean()
        if self.votes_for is not None and self.official_members \
                and self.votes_for > self.official_members:
            raise ValidationError({"votes_for": _(
                "Votes for cannot exceed the cell's official members.")})
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("This date is in the future.")})
        if self.member_id is not None and self.held_on \
                and self.held_on < self.member.probation_ends_on:
            raise ValidationError({"held_on": _(
                "The cell considers recognition once the 12 probationary months end (%(date)s)."
            ) % {"date": self.member.probation_ends_on.strftime("%d/%m/%Y")}})


class Recognition(CleanTextModel):
    """Recognition of a probationary member as official (forms 13-KNĐ, 15-KNĐ):
    the competent committee's decision, after the cell's vote that passed (or,
    after three votes without two thirds, on the upper committee's review).

    The official date is the day the 12 months end, whatever the dates of the
    meeting and the decision (domain brief §1.2 step 13). A recognition taken
    from old records may have none of its details: it is shown as such.
    """

    DECISION_WORKING_DAYS = 30

    member = models.OneToOneField(PartyMember, verbose_name=_("party member"),
                                  on_delete=models.PROTECT, related_name="recognition")
    # The date of the cell's vote that passed (or of the last of three that
    # did not, when the upper committee decided); empty in old records.
    cell_resolution_on = models.DateField(_("cell resolution date"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    deciding_body = models.CharField(_("deciding body"), max_length=200, blank=True)
    escalated = models.BooleanField(
        _("decided by the upper committee"), default=False,
        help_text=_("After three votes of the cell without two thirds."))

    history = HistoricalRecords()

    constraint_fields = {"coordination_recognition_decision_after_resolution": "decision_on"}

    class Meta:
        verbose_name = _("recognition as official member")
        verbose_name_plural = _("recognitions as official members")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_on__isnull=True) | Q(cell_resolution_on__isnull=True)
                | Q(decision_on__gte=F("cell_resolution_on")),
                name="coordination_recognition_decision_after_resolution",
                violation_error_message=_("The decision cannot precede the cell resolution."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.decision_number or '—'}"

    @property
    def details_recorded(self) -> bool:
        return bool(self.decision_on or self.cell_resolution_on or self.decision_number)

    def clean(self):
        super().clean()
        if self.decision_on and self.decision_on > timezone.localdate():
            raise ValidationError({"decision_on": _("This date is in the future.")})
        if self.member_id is None:
            return
        member = self.member
        if self.cell_resolution_on and self.cell_resolution_on < member.probation_ends_on:
            raise ValidationError({"cell_resolution_on": _(
                "The cell considers recognition once the 12 probationary months end (%(date)s)."
            ) % {"date": member.probation_ends_on.strftime("%d/%m/%Y")}})
        if self.decision_on and self.decision_on < member.probation_ends_on:
            raise ValidationError({"decision_on": _(
                "The decision comes after the 12 probationary months end (%(date)s)."
            ) % {"date": member.probation_ends_on.strftime("%d/%m/%Y")}})


class AdmissionCandidate(UpdatedAtModel, Person):
    """An outstanding worker (quần chúng ưu tú) on the way to admission.

    One dated milestone per step of the procedure (domain brief §1.2), in
    order; the ceremony turns the candidate into a probationary PartyMember.
    """

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        COURSE = "course", _("Awareness course completed")
        APPLICATION = "application", _("Application filed")
        SPONSORSHIP = "sponsorship", _("Sponsored")
        VERIFICATION = "verification", _("Background verified")
        ASSESSMENT = "assessment", _("Assessed")
        CELL_RESOLUTION = "cell_resolution", _("Cell resolution")
        COMMITTEE_RESOLUTION = "committee_resolution", _("Committee resolution")
        DECISION = "decision", _("Admission decision")
        CEREMONY = "ceremony", _("Admitted (ceremony)")
        CLOSED = "closed", _("Closed")

    class ProposingBody(models.TextChoices):
        YOUTH_UNION = "youth_union", _("Youth union")
        TRADE_UNION = "trade_union", _("Trade union")
        PARTY_CELL = "party_cell", _("Party cell")

    class SponsorKind(models.TextChoices):
        MEMBERS = "members", _("Two official members")
        YOUTH_UNION = "youth_union", _("Youth union committee and one official member")
        TRADE_UNION = "trade_union", _("Trade union committee and one official member")

    class CloseReason(models.TextChoices):
        LEFT_ENTERPRISE = "left_enterprise", _("Left the enterprise")
        NOT_ELIGIBLE = "not_eligible", _("Does not meet the conditions")
        WITHDREW = "withdrew", _("Withdrew")
        VOTE_FAILED = "vote_failed", _("Vote did not pass")
        OTHER = "other", _("Other")

    # (stage, date field) in the order of the procedure.
    STEPS = [
        (Stage.IDENTIFIED, "identified_on"),
        (Stage.COURSE, "course_completed_on"),
        (Stage.APPLICATION, "application_on"),
        (Stage.SPONSORSHIP, "sponsorship_on"),
        (Stage.VERIFICATION, "verification_on"),
        (Stage.ASSESSMENT, "assessment_on"),
        (Stage.CELL_RESOLUTION, "cell_resolution_on"),
        (Stage.COMMITTEE_RESOLUTION, "committee_resolution_on"),
        (Stage.DECISION, "decision_on"),
        (Stage.CEREMONY, "ceremony_on"),
    ]
    # The other fields each step records with its date.
    STEP_FIELDS = {
        Stage.COURSE: ["certificate_number"],
        Stage.SPONSORSHIP: ["sponsor_kind", "sponsor_1", "sponsor_2"],
        Stage.CELL_RESOLUTION: ["votes_for", "cell_official_members", "age_override_reference"],
        Stage.DECISION: ["decision_number", "decision_body", "decision_received_on"],
    }
    # Steps a case may hold as "done, date not recorded" (old records); the
    # first step and the ceremony always have their date.
    UNDATABLE = frozenset(field for _stage, field in STEPS[1:-1])
    MIN_AGE_MONTHS = 18 * 12
    MAX_AGE_MONTHS = 60 * 12
    CERTIFICATE_VALID_MONTHS = 60
    DECISION_WORKING_DAYS = 60
    MAX_EXTENSION_WORKING_DAYS = 30
    CEREMONY_WORKING_DAYS = 30
    LOWER_SECONDARY_GRADE = 9

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("workplace enterprise"), on_delete=models.PROTECT,
        related_name="candidates",
    )
    education_grade = models.PositiveSmallIntegerField(
        _("general education (grade of 12)"), null=True, blank=True,
        help_text=_("9 = lower secondary (THCS) completed, 12 = upper secondary (THPT)."),
    )
    responsible_organization = models.ForeignKey(
        PartyOrganization, verbose_name=_("responsible party organization"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="candidates",
        help_text=_("For an enterprise without one: the cell the upper committee assigned."),
    )
    proposing_body = models.CharField(_("proposed by"), max_length=20,
                                      choices=ProposingBody.choices, blank=True)
    helper_member = models.ForeignKey(
        PartyMember, verbose_name=_("assigned helper member"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="helped_candidates",
    )
    identified_on = models.DateField(_("identified on"))
    course_completed_on = models.DateField(_("awareness course completed on"), null=True,
                                           blank=True)
    certificate_number = models.CharField(_("certificate number (CN-NTVĐ)"), max_length=50,
                                          blank=True)
    application_on = models.DateField(_("application filed on (1-KNĐ, 2-KNĐ)"), null=True,
                                      blank=True)
    sponsorship_on = models.DateField(_("sponsorship on (3-KNĐ, 4-KNĐ)"), null=True, blank=True)
    sponsor_kind = models.CharField(_("sponsored by"), max_length=20,
                                    choices=SponsorKind.choices, blank=True)
    sponsor_1 = models.ForeignKey(
        PartyMember, verbose_name=_("sponsoring member"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+")
    sponsor_2 = models.ForeignKey(
        PartyMember, verbose_name=_("second sponsoring member"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
        help_text=_("Only when two official members sponsor."))
    verification_on = models.DateField(_("background verification concluded on"), null=True,
                                       blank=True)
    assessment_on = models.DateField(_("assessments summarised on (5-KNĐ)"), null=True,
                                     blank=True)
    cell_resolution_on = models.DateField(_("cell resolution on (6-KNĐ)"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    cell_official_members = models.PositiveSmallIntegerField(
        _("official members of the cell"), null=True, blank=True)
    age_override_reference = models.CharField(
        _("decision allowing admission over 60"), max_length=100, blank=True,
        help_text=_("Only for a candidate over 60: the reference of the competent committee's "
                    "decision."),
    )
    committee_resolution_on = models.DateField(_("committee resolution on (8-KNĐ)"), null=True,
                                               blank=True)
    decision_on = models.DateField(_("admission decision on (9-KNĐ)"), null=True, blank=True)
    decision_number = models.CharField(_("admission decision number"), max_length=50,
                                       blank=True)
    decision_body = models.CharField(
        _("deciding body"), max_length=200, blank=True,
        help_text=_("E.g. the standing committee of the Bloc Party Committee."))
    decision_received_on = models.DateField(
        _("decision received on"), null=True, blank=True,
        help_text=_("The ceremony's 30 working days run from it (default: the decision date)."))
    decision_extension_days = models.PositiveSmallIntegerField(
        _("decision deadline extended by (working days)"), null=True, blank=True)
    decision_extension_reason = models.CharField(_("reason for the extension"),
                                                 max_length=255, blank=True)
    undated_steps = models.JSONField(
        _("steps done, date not recorded"), default=list, blank=True,
        help_text=_("From old records: the step happened, its date is unknown."))
    ceremony_on = models.DateField(_("admission ceremony on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=20,
                                     choices=CloseReason.choices, blank=True)
    closed_note = models.CharField(_("closing note"), max_length=255, blank=True)
    member = models.OneToOneField(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="candidate",
    )
    # The current stage, kept in step with the milestones (for lists and boards).
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices,
                             default=Stage.IDENTIFIED, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["sort_key", "search_text", "updated_at"])

    constraint_fields = {
        "coordination_candidate_one_open_case_per_person": "citizen_id",
        "coordination_candidate_votes_within_members": "votes_for",
        "coordination_candidate_closed_has_reason": "closed_reason",
        "coordination_candidate_citizen_id_format": "citizen_id",
    }

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(closed_on__isnull=True, ceremony_on__isnull=True),
                name="coordination_candidate_one_open_case_per_person",
                violation_error_message=_("This person already has an open admission case."),
            ),
            models.CheckConstraint(
                condition=Q(citizen_id__regex=r"^[0-9]{12}$"),
                name="coordination_candidate_citizen_id_format",
                violation_error_message=_("A citizen ID (CCCD) has exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True) | Q(cell_official_members__isnull=True)
                | Q(votes_for__lte=F("cell_official_members")),
                name="coordination_candidate_votes_within_members",
                violation_error_message=_(
                    "Votes for cannot exceed the cell's official members."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closed_reason=""),
                name="coordination_candidate_closed_has_reason",
                violation_error_message=_("Give the reason for closing the case."),
            ),
            models.CheckConstraint(
                condition=Q(ceremony_on__isnull=True) | Q(closed_on__isnull=True),
                name="coordination_candidate_not_closed_after_ceremony",
                violation_error_message=_("An admitted candidate cannot be closed."),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "stage"])]

    def get_absolute_url(self):
        return reverse("coordination:candidate_detail", args=[self.pk])

    @property
    def closed_reason_text(self) -> str:
        """The reason for closing as shown: the user's words for Other (DESIGN §4)."""
        if self.closed_reason == self.CloseReason.OTHER and self.closed_note:
            return self.closed_note
        return self.get_closed_reason_display()

    # --- derived state -------------------------------------------------------------
    @property
    def committee_step_applies(self) -> bool:
        """Whether the grassroots committee's resolution (8-KNĐ, step 9) belongs
        to this case: only where the responsible organization is a đảng bộ cơ sở
        or one of its cells (a chi bộ trực thuộc, or any cell whose parent is a
        đảng bộ cơ sở). A chi bộ cơ sở sends its resolution straight to the
        upper committee."""
        organization = self.responsible_organization
        if organization is None:
            return False
        Kind = PartyOrganization.Kind
        if organization.kind in (Kind.GRASSROOTS_COMMITTEE, Kind.SUBORDINATE_CELL):
            return True
        parent = organization.parent
        return parent is not None and parent.kind == Kind.GRASSROOTS_COMMITTEE

    def steps(self) -> list[tuple[str, str]]:
        """(stage, date field) of the steps this case goes through, in order."""
        if self.committee_step_applies:
            return list(self.STEPS)
        return [step for step in self.STEPS if step[0] != self.Stage.COMMITTEE_RESOLUTION]

    def is_done(self, field: str) -> bool:
        """Whether the step of ``field`` happened (dated or not)."""
        return bool(getattr(self, field)) or field in (self.undated_steps or ())

    def current_stage(self) -> str:
        if self.closed_on:
            return self.Stage.CLOSED
        stage = self.Stage.IDENTIFIED
        for step, field in self.steps():
            if self.is_done(field):
                stage = step
        return stage

    def next_step(self) -> tuple[str, str] | None:
        """(stage, date field) of the next milestone; None when admitted or closed."""
        if self.closed_on or self.ceremony_on:
            return None
        for step, field in self.steps():
            if not self.is_done(field):
                return step, field
        return None

    def decision_due_on(self) -> date | None:
        """The admission decision is due 60 working days after the cell
        resolution, plus the one extension (up to 30 working days)."""
        if not self.cell_resolution_on:
            return None
        return add_working_days(self.cell_resolution_on, self.DECISION_WORKING_DAYS
                                + (self.decision_extension_days or 0))

    def ceremony_due_on(self) -> date | None:
        """The ceremony is due 30 working days after the decision was received
        (its date when the receipt is not recorded)."""
        received = self.decision_received_on or self.decision_on
        if not received:
            return None
        return add_working_days(received, self.CEREMONY_WORKING_DAYS)

    def due_on(self) -> date | None:
        """The statutory deadline of the next step, counted in working days
        (None when it cannot be known: the step it runs from has no date)."""
        if self.closed_on or self.ceremony_on:
            return None
        if self.is_done("decision_on"):
            return self.ceremony_due_on()
        if self.is_done("cell_resolution_on"):
            return self.decision_due_on()
        return None

    def is_overdue(self, today: date) -> bool:
        due = self.due_on()
        return due is not None and today > due

    @property
    def may_extend_decision(self) -> bool:
        """The decision deadline is extended once, while the decision is awaited."""
        return (self.decision_extension_days is None and self.cell_resolution_on is not None
                and not self.is_done("decision_on") and not self.closed_on)

    @property
    def certificate_expires_on(self) -> date | None:
        if not self.course_completed_on:
            return None
        return add_months(self.course_completed_on, self.CERTIFICATE_VALID_MONTHS)

    def certificate_expiring(self, today: date, within_days: int = 90) -> bool:
        """Flag: certificate expired or about to, before the cell resolution needs it."""
        expires = self.certificate_expires_on
        if expires is None or self.cell_resolution_on or self.closed_on:
            return False
        return (expires - today).days <= within_days

    # --- rules ---------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        # A milestone records what happened: never a future date.
        today = timezone.localdate()
        for field in [f for _s, f in self.STEPS] + ["closed_on", "decision_received_on"]:
            value = getattr(self, field)
            if value is not None and value > today:
                add(field, _("This date is in the future."))
        self._check_undated(add)
        steps = self.steps()
        if not self.committee_step_applies and self.is_done("committee_resolution_on"):
            add("committee_resolution_on", _(
                "The grassroots committee's resolution (8-KNĐ) belongs only to a đảng bộ cơ sở "
                "or its cells; a chi bộ cơ sở sends its resolution straight to the upper "
                "committee."))
        # Milestones in order: none before the previous one, none skipped.
        previous = None
        for _step, field in steps:
            value = getattr(self, field)
            if value is None:
                continue
            if previous is not None and value < previous:
                add(field, _("This date cannot be before the previous step (%(date)s).")
                    % {"date": previous.strftime("%d/%m/%Y")})
            previous = value
        self._check_missing_predecessors(add, steps)
        if self.date_of_birth and self.identified_on and self.identified_on <= self.date_of_birth:
            add("identified_on", _("This date must be after the date of birth."))
        if self.course_completed_on and not self.certificate_number:
            add("certificate_number", _("Give the number of the course certificate."))
        self._check_sponsors(add)
        if self.decision_on and not self.decision_number:
            add("decision_number", _("Give the number of the admission decision."))
        self._check_decision(add)
        if self.cell_resolution_on:
            self._check_cell_resolution(add)
        if self.closed_on:
            if self.identified_on and self.closed_on < self.identified_on:
                add("closed_on", _("A case cannot close before it was opened."))
            if self.ceremony_on:
                add("closed_on", _("An admitted candidate cannot be closed."))
        if errors:
            raise ValidationError(errors)
        self.stage = self.current_stage()

    def _check_undated(self, add) -> None:
        """``undated_steps`` names steps that happened without a known date:
        kept in the procedure's order, dropped once the date is recorded."""
        names = list(self.undated_steps or [])
        unknown = [name for name in names if name not in self.UNDATABLE]
        if unknown:
            add("undated_steps", _("These steps always have a date: %(steps)s.") % {
                "steps": ", ".join(sorted(unknown))})
            return
        self.undated_steps = [field for _stage, field in self.STEPS
                              if field in names and not getattr(self, field)]

    def _check_missing_predecessors(self, add, steps) -> None:
        seen_gap = None
        for _step, field in steps:
            done = self.is_done(field)
            if not done and seen_gap is None:
                seen_gap = field
            elif done and seen_gap is not None:
                add(field, _("The step before (%(step)s) has no date yet.")
                    % {"step": self._meta.get_field(seen_gap).verbose_name})
                return

    def _check_sponsors(self, add) -> None:
        """Two official members, or the youth or trade union committee and one
        official member (Charter Art. 4), official on the day they sponsor."""
        kind, first, second = self.sponsor_kind, self.sponsor_1, self.sponsor_2
        if not kind:
            if first or second:
                add("sponsor_kind", _("Say who sponsors the candidate."))
            return
        if not self.is_done("sponsorship_on"):
            add("sponsor_kind", _("Sponsors are recorded with the sponsorship step."))
            return
        if first is None:
            add("sponsor_1", _("Choose the sponsoring official member."))
        if kind == self.SponsorKind.MEMBERS:
            if second is None:
                add("sponsor_2", _("Two official members sponsor: choose the second."))
            elif first is not None and first.pk == second.pk:
                add("sponsor_2", _("The two sponsors must be different members."))
        elif second is not None:
            add("sponsor_2", _("With a union committee, one official member sponsors."))
        day = self.sponsorship_on
        for name, sponsor in (("sponsor_1", first), ("sponsor_2", second)):
            if sponsor is None or day is None:
                continue
            if sponsor.status_on(day) != PartyMember.Status.OFFICIAL:
                add(name, _("%(name)s was not an official member on %(date)s.") % {
                    "name": sponsor.full_name, "date": day.strftime("%d/%m/%Y")})

    def _check_decision(self, add) -> None:
        received = self.decision_received_on
        if received is not None:
            if not self.decision_on:
                add("decision_received_on", _("Record the decision's date first."))
            elif received < self.decision_on:
                add("decision_received_on", _(
                    "The decision cannot be received before its date (%(date)s).")
                    % {"date": self.decision_on.strftime("%d/%m/%Y")})
            elif self.ceremony_on and received > self.ceremony_on:
                add("decision_received_on", _(
                    "The decision was received before the ceremony (%(date)s).")
                    % {"date": self.ceremony_on.strftime("%d/%m/%Y")})
        days = self.decision_extension_days
        if days is not None:
            if not 1 <= days <= self.MAX_EXTENSION_WORKING_DAYS:
                add("decision_extension_days", _(
                    "The decision deadline is extended once by 1 to 30 working days."))
            if not self.decision_extension_reason:
                add("decision_extension_reason", _("Give the reason for the extension."))
            if not self.cell_resolution_on:
                add("decision_extension_days", _(
                    "The extension runs from a dated cell resolution."))
        elif self.decision_extension_reason:
            add("decision_extension_days", _("Give the number of working days."))

    def _check_cell_resolution(self, add) -> None:
        """DESIGN §3: the conditions checked when the cell votes."""
        day = self.cell_resolution_on
        if self.date_of_birth:
            months = self.age_in_months(day)
            if months < self.MIN_AGE_MONTHS:
                add("cell_resolution_on", _(
                    "At the cell resolution the candidate is %(years)s years %(months)s months "
                    "old: at least 18 years are required."
                ) % {"years": months // 12, "months": months % 12})
            elif months > self.MAX_AGE_MONTHS and not self.age_override_reference:
                add("age_override_reference", _(
                    "At the cell resolution the candidate is %(years)s years %(months)s months "
                    "old, over 60: give the reference of the decision that allows it."
                ) % {"years": months // 12, "months": months % 12})
        if self.education_grade is None:
            add("education_grade", _("Record the education level: at least lower secondary "
                                     "(THCS) is required."))
        elif self.education_grade < self.LOWER_SECONDARY_GRADE:
            add("education_grade", _("At least lower secondary education (THCS, grade 9 of 12) "
                                     "is required."))
        expires = self.certificate_expires_on
        if expires and day > expires:
            add("cell_resolution_on", _(
                "The course certificate expired on %(date)s (valid 60 months): the candidate "
                "must attend the course again."
            ) % {"date": expires.strftime("%d/%m/%Y")})
        if self.votes_for is None:
            add("votes_for", _("Give the number of votes for."))
        if not self.cell_official_members:
            add("cell_official_members", _("Give the number of official members of the cell."))
        if self.votes_for is not None and self.cell_official_members:
            if self.votes_for > self.cell_official_members:
                add("votes_for", _("Votes for cannot exceed the cell's official members."))
            elif self.votes_for * 3 < self.cell_official_members * 2:
                add("votes_for", _(
                    "%(votes)s of %(members)s official members is less than two thirds: the "
                    "resolution does not pass."
                ) % {"votes": self.votes_for, "members": self.cell_official_members})


# --- the candidate's dossier -------------------------------------------------------------


def _dossier_path(instance, filename):
    # A random name under the private media root; the user's name is kept apart.
    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class DossierDocument(CleanTextModel):
    """One document of a candidate's admission dossier (DESIGN §7): the course
    certificate, the forms 1-KNĐ to 9-KNĐ, the verification result. Recorded
    with its date, optional number and note, and where kept, a scanned file.

    Which documents each step needs is the table of ``coordination.dossier``;
    one document of each kind per case. The file is stored under MEDIA_ROOT
    with a random name and served only by the dossier's download view.
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Party-awareness course certificate (CN-NTVĐ)")
        APPLICATION = "application", _("Application for admission (1-KNĐ)")
        AUTOBIOGRAPHY = "autobiography", _("Personal history (2-KNĐ)")
        SPONSOR_LETTER = "sponsor_letter", _("Sponsoring member's letter (3-KNĐ)")
        SECOND_SPONSOR_LETTER = "second_sponsor_letter", _(
            "Second sponsoring member's letter (3-KNĐ)")
        YOUTH_UNION_RESOLUTION = "youth_union_resolution", _(
            "Youth union committee's resolution sponsoring the candidate (4-KNĐ)")
        TRADE_UNION_RESOLUTION = "trade_union_resolution", _(
            "Trade union committee's resolution sponsoring the candidate")
        VERIFICATION = "verification", _("Background verification result")
        RESIDENCE_COMMENTS = "residence_comments", _(
            "Comments of the party organization of residence (5B-KNĐ)")
        ORGANIZATION_COMMENTS = "organization_comments", _(
            "Comments of the mass organizations at the workplace (5C-KNĐ)")
        ASSESSMENT_SUMMARY = "assessment_summary", _("Summary of the comments (5-KNĐ)")
        CELL_RESOLUTION = "cell_resolution", _("Cell's resolution proposing admission (6-KNĐ)")
        COMMITTEE_RESOLUTION = "committee_resolution", _(
            "Grassroots committee's resolution (8-KNĐ)")
        DECISION = "decision", _("Admission decision (9-KNĐ)")

    candidate = models.ForeignKey(AdmissionCandidate, verbose_name=_("admission candidate"),
                                  on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=Kind.choices)
    issued_on = models.DateField(_("document date"))
    number = models.CharField(_("number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    file = models.FileField(_("scanned file"), upload_to=_dossier_path, max_length=200,
                            blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    mime_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_dossierdocument_one_per_kind": "kind",
        "coordination_dossierdocument_file_described": "file",
    }

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["candidate", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "kind"], name="coordination_dossierdocument_one_per_kind",
                violation_error_message=_("This document is already in the dossier: "
                                          "correct it instead."),
            ),
            models.CheckConstraint(
                condition=Q(file="") | (~Q(original_name="") & ~Q(mime_type="")
                                        & Q(size__isnull=False)),
                name="coordination_dossierdocument_file_described",
                violation_error_message=_("A scanned file keeps its name, type and size."),
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    def clean(self):
        super().clean()
        if self.issued_on and self.issued_on > timezone.localdate():
            raise ValidationError({"issued_on": _("This date is in the future.")})


# --- the coordination regulation at work: committees, annual plans ---------------------


class Committee(CleanTextModel):
    """A steering committee or a working group set up by a decision.

    Each decision is one composition with its term; a new decision makes a new
    row, so past compositions stay as they were. The current one is the latest
    decision whose term covers today.
    """

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        WORKING_GROUP = "working_group", _("Working group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=50)
    decided_on = models.DateField(_("decision date"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True,
                                help_text=_("Blank while the term is open."))
    duties = models.TextField(_("duties"), blank=True)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_committee_term_order": "term_end",
        "coordination_committee_decision_unique": "decision_number",
    }

    class Meta:
        verbose_name = _("steering committee or working group")
        verbose_name_plural = _("steering committees and working groups")
        ordering = ["kind", "-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="coordination_committee_term_order",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["kind", "decision_number"], name="coordination_committee_decision_unique",
                violation_error_message=_("A composition with this decision number already "
                                          "exists."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.decision_number})"

    def get_absolute_url(self):
        return reverse("coordination:committee_detail", args=[self.pk])

    def is_current_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class CommitteeMember(CleanTextModel):
    """One person of a committee's composition (not necessarily an account):
    the body they come from, and the days they served when they joined after
    the decision or left before the term ended (blank: the whole term)."""

    class Position(models.TextChoices):
        HEAD = "head", _("Head")
        DEPUTY = "deputy", _("Deputy head")
        STANDING = "standing", _("Standing member")
        MEMBER = "member", _("Member")

    class Body(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party Committee")
        IZ_BOARD = "iz_board", _("IZ Board")
        OTHER = "other", _("Other body")

    committee = models.ForeignKey(Committee, verbose_name=_("committee"),
                                  on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=150)
    organization = models.CharField(_("organization"), max_length=255)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=10, choices=Position.choices,
                                default=Position.MEMBER)
    body = models.CharField(_("body"), max_length=20, choices=Body.choices,
                            default=Body.OTHER,
                            help_text=_("Which of the two bodies the member represents."))
    serves_from = models.DateField(_("serves from"), null=True, blank=True,
                                   help_text=_("Blank: from the start of the term."))
    serves_until = models.DateField(_("serves until"), null=True, blank=True,
                                    help_text=_("Blank: to the end of the term."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    constraint_fields = {"coordination_committeemember_serving_order": "serves_until"}

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(serves_from__isnull=True) | Q(serves_until__isnull=True)
                | Q(serves_until__gte=F("serves_from")),
                name="coordination_committeemember_serving_order",
                violation_error_message=_("A member cannot leave before joining."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        super().clean()
        committee = getattr(self, "committee", None)
        if committee is None:
            return
        errors = {}
        if self.serves_from and self.serves_from < committee.term_start:
            errors["serves_from"] = _("This date is before the term starts.")
        if self.serves_until and committee.term_end and self.serves_until > committee.term_end:
            errors["serves_until"] = _("This date is after the term ends.")
        if errors:
            raise ValidationError(errors)

    def serves_on(self, day: date) -> bool:
        """In the composition on ``day``: its term covers the day, and so do
        the member's own dates."""
        return (self.committee.is_current_on(day)
                and (self.serves_from is None or self.serves_from <= day)
                and (self.serves_until is None or self.serves_until >= day))


class CoordinationPlan(UpdatedAtModel, CleanTextModel):
    """The annual coordination plan (kế hoạch phối hợp) of the two bodies.

    Draft → approved (by a Party Committee leader) → closed. Targets are
    edited while the plan is a draft; tasks are worked on once it is approved.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Ended")

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    document_number = models.CharField(_("document number"), max_length=50, blank=True,
                                       help_text=_("For example 05-KH/ĐUK-BQL."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    summary = models.TextField(_("purpose and requirements"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    constraint_fields = {
        "coordination_plan_year_unique": "year",
        "coordination_plan_year_range": "year",
        "coordination_plan_approval_recorded": "status",
    }

    class Meta:
        verbose_name = _("coordination plan")
        verbose_name_plural = _("coordination plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], name="coordination_plan_year_unique",
                violation_error_message=_("There is already a coordination plan for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="coordination_plan_year_range",
                violation_error_message=_("Give a year between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_by__isnull=False)
                                               & Q(approved_at__isnull=False)),
                name="coordination_plan_approval_recorded",
                violation_error_message=_("An approved or closed plan records who approved it "
                                          "and when."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("coordination:plan_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanTarget(CleanTextModel):
    """A target of the plan: an indicator of the catalogue (core.indicators),
    for the province or one zone. The actual is computed, never typed."""

    plan = models.ForeignKey(CoordinationPlan, verbose_name=_("plan"),
                             on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=50)
    zone = models.ForeignKey("enterprises.IndustrialZone", verbose_name=_("industrial zone"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=_("Blank for the whole province."))
    target_value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    constraint_fields = {
        "coordination_plantarget_unique_zone": "indicator",
        "coordination_plantarget_unique_province": "indicator",
    }

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "zone"], condition=Q(zone__isnull=False),
                name="coordination_plantarget_unique_zone",
                violation_error_message=_("This plan already has a target for this indicator "
                                          "and zone."),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator"], condition=Q(zone__isnull=True),
                name="coordination_plantarget_unique_province",
                violation_error_message=_("This plan already has a province-wide target for "
                                          "this indicator."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.target_value}"

    def clean(self):
        super().clean()
        if self.indicator not in INDICATORS:
            raise ValidationError({"indicator": _("Choose an indicator of the catalogue.")})


class PlanTask(CleanTextModel):
    """A task of the plan, with its lead side, owner and deadline."""

    class LeadSide(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party Committee")
        IZ_BOARD = "iz_board", _("IZ Board")
        BOTH = "both", _("Both bodies")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(CoordinationPlan, verbose_name=_("plan"),
                             on_delete=models.CASCADE, related_name="tasks")
    content = models.TextField(_("content"))
    lead_side = models.CharField(_("lead"), max_length=20, choices=LeadSide.choices)
    coordinating_units = models.CharField(_("coordinating units"), max_length=255, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="plan_tasks")
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.NOT_STARTED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The day it was cancelled (the day that was recorded): before it, a past
    # period still counts the task as open or overdue.
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    constraint_fields = {"coordination_plantask_done_has_date": "completed_on",
                         "coordination_plantask_cancelled_has_date": "cancelled_on"}

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["due_on", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="done") & Q(completed_on__isnull=False))
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="coordination_plantask_done_has_date",
                violation_error_message=_("A done task has a completion date, and only a done "
                                          "task has one."),
            ),
            models.CheckConstraint(
                condition=(Q(status="cancelled") & Q(cancelled_on__isnull=False))
                | (~Q(status="cancelled") & Q(cancelled_on__isnull=True)),
                name="coordination_plantask_cancelled_has_date",
                violation_error_message=_("A cancelled task has the date it was cancelled, "
                                          "and only a cancelled task has one."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.content[:80]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def is_overdue_on(self, day: date) -> bool:
        return self.is_open and self.due_on < day

    @property
    def is_iz_side(self) -> bool:
        return self.lead_side in (self.LeadSide.IZ_BOARD, self.LeadSide.BOTH)


# --- the regulation's working cycle: the regulation, meetings, correspondence --------------
# Kept in their own module; imported here so they are this app's models.

from .cycle.models import (  # noqa: E402, F401
    Conclusion,
    Correspondence,
    Meeting,
    Regulation,
)
from .reviews.models import (  # noqa: E402, F401
    Commendation,
    Review,
    ReviewTarget,
)
