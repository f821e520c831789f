from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.exceptions import InvalidChecksum
from stdnum.vn import mst

from core.fields import SortKeyField
from core.models import CleanTextModel, UpdatedAtModel
from core.text import clean_text, fold, vi_sort_key


def default_province() -> str:
    return settings.PROVINCE_NAME


class IndustrialZone(UpdatedAtModel, CleanTextModel):
    """An industrial zone (KCN) of the province."""

    code = models.CharField(
        _("zone code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("An industrial zone with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=255)
    commune = models.CharField(_("commune / ward"), max_length=255, blank=True)
    province = models.CharField(_("province"), max_length=100, default=default_province)
    area_ha = models.DecimalField(
        _("area (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("industrial zone")
        verbose_name_plural = _("industrial zones")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gte=0),
                name="enterprises_industrialzone_area_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(code=""), name="enterprises_industrialzone_code_not_blank"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Codes are compared case-insensitively in imports; store them upper.
        self.code = self.code.upper()


def operating_on(day: date, prefix: str = "") -> Q:
    """Enterprises operating at ``day`` (DESIGN §5): established on or before
    it (or without a date) and not dissolved on or before it. A suspended
    enterprise still operates. ``prefix`` reaches the enterprise through a
    relation (``"enterprise__"``)."""
    return (Q(**{f"{prefix}established_on__isnull": True})
            | Q(**{f"{prefix}established_on__lte": day})) & (
        ~Q(**{f"{prefix}status": Enterprise.Status.DISSOLVED})
        | Q(**{f"{prefix}status_since__gt": day}))


class EnterpriseQuerySet(models.QuerySet):
    def operating_on(self, day: date) -> EnterpriseQuerySet:
        """The enterprises operating at ``day`` (see :func:`operating_on`)."""
        return self.filter(operating_on(day))


class Enterprise(UpdatedAtModel, CleanTextModel):
    """An enterprise operating in an industrial zone, keyed by its tax code."""

    class LegalForm(models.TextChoices):
        PRIVATE = "dntn", _("Private enterprise")
        LLC_ONE = "tnhh_1tv", _("Single-member limited liability company")
        LLC_MULTI = "tnhh_2tv", _("Multi-member limited liability company")
        JOINT_STOCK = "co_phan", _("Joint-stock company")
        PARTNERSHIP = "hop_danh", _("Partnership")
        OTHER = "khac", _("Other")

    class CapitalSource(models.TextChoices):
        STATE = "nha_nuoc", _("State")
        DOMESTIC_PRIVATE = "ngoai_nha_nuoc", _("Domestic non-state")
        FDI = "fdi", _("Wholly foreign-owned (FDI)")
        JOINT_VENTURE = "lien_doanh", _("Joint venture")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        SUSPENDED = "suspended", _("Suspended")
        DISSOLVED = "dissolved", _("Dissolved")

    FOREIGN_CAPITAL = (CapitalSource.FDI, CapitalSource.JOINT_VENTURE)

    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        unique=True,
        error_messages={"unique": _("An enterprise with this tax code already exists.")},
    )
    name = models.CharField(_("enterprise name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    zone = models.ForeignKey(
        IndustrialZone,
        verbose_name=_("industrial zone"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LegalForm.choices)
    capital_source = models.CharField(
        _("capital source"), max_length=20, choices=CapitalSource.choices
    )
    investor_country = models.CharField(_("investor country"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=255, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPERATING
    )
    status_since = models.DateField(
        _("status since"),
        null=True,
        blank=True,
        help_text=_("The date the current status took effect (the dissolution date when dissolved)."),
    )
    representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Folded name, short name and tax code: diacritic-insensitive search on any database.
    search_text = models.CharField(max_length=600, editable=False, db_index=True, default="")
    # Vietnamese alphabetical order of the name on any database.
    sort_name = SortKeyField(max_length=600, editable=False, db_index=True, default="")

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "sort_name", "updated_at"])

    constraint_fields = {
        "enterprises_enterprise_dissolved_has_date": "status_since",
        "enterprises_enterprise_status_after_establishment": "status_since",
        "enterprises_enterprise_tax_code_format": "tax_code",
    }

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dissolved") | Q(status_since__isnull=False),
                name="enterprises_enterprise_dissolved_has_date",
                violation_error_message=_("A dissolved enterprise needs its dissolution date."),
            ),
            models.CheckConstraint(
                condition=Q(status_since__isnull=True)
                | Q(established_on__isnull=True)
                | Q(status_since__gte=F("established_on")),
                name="enterprises_enterprise_status_after_establishment",
                violation_error_message=_(
                    "The status date cannot be before the establishment date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tax_code__regex=r"^[0-9]{10}(-[0-9]{3})?$"),
                name="enterprises_enterprise_tax_code_format",
                violation_error_message=_("The tax code must have 10 digits, or 10-3 for a branch."),
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        errors = {}
        if self.tax_code and "tax_code" not in (exclude or ()):
            try:
                self.tax_code = normalize_tax_code(self.tax_code)
            except ValidationError as exc:
                errors["tax_code"] = exc.messages
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        self.search_text = fold(" ".join([self.name, self.short_name, self.tax_code]))
        self.sort_name = vi_sort_key(self.name)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_foreign_invested(self) -> bool:
        return self.capital_source in self.FOREIGN_CAPITAL

    def operating_on(self, day: date) -> bool:
        """Operating at ``day``: the Python twin of :func:`operating_on`
        (suspended counts)."""
        if self.established_on and self.established_on > day:
            return False
        return not (self.status == self.Status.DISSOLVED and self.status_since <= day)


class WorkforceRecord(CleanTextModel):
    """The workforce of an enterprise as of a date; the latest record counts."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="workforce_records",
    )
    as_of = models.DateField(_("as of"))
    total_workers = models.PositiveIntegerField(_("total workers"))
    female_workers = models.PositiveIntegerField(_("female workers"), null=True, blank=True)
    union_members = models.PositiveIntegerField(_("trade union members"), null=True, blank=True)
    youth_union_members = models.PositiveIntegerField(
        _("youth union members"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    history = HistoricalRecords()

    constraint_fields = {
        f"enterprises_workforcerecord_{field}_within_total": field
        for field in ("female_workers", "union_members", "youth_union_members")
    }

    class Meta:
        verbose_name = _("workforce record")
        verbose_name_plural = _("workforce records")
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "as_of"],
                name="enterprises_workforcerecord_one_per_day",
                violation_error_message=_("This enterprise already has a workforce record on that date."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__lte": F("total_workers")}),
                    name=f"enterprises_workforcerecord_{field}_within_total",
                    violation_error_message=message,
                )
                for field, message in (
                    ("female_workers", _("Female workers cannot exceed total workers.")),
                    ("union_members", _("Trade union members cannot exceed total workers.")),
                    ("youth_union_members", _("Youth union members cannot exceed total workers.")),
                )
            ],
        ]

    def __str__(self):
        return f"{self.enterprise} @ {self.as_of:%d/%m/%Y}: {self.total_workers}"

    def figures(self) -> tuple:
        return (self.total_workers, self.female_workers, self.union_members,
                self.youth_union_members)


class MassOrganization(UpdatedAtModel, CleanTextModel):
    """A trade union, youth union, women's or veterans' association of an enterprise."""

    class Kind(models.TextChoices):
        TRADE_UNION = "trade_union", _("Trade union")
        YOUTH_UNION = "youth_union", _("Youth union")
        WOMEN = "women", _("Women's union")
        VETERANS = "veterans", _("Veterans' association")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="mass_organizations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    constraint_fields = {
        "enterprises_massorganization_dissolved_after_established": "dissolved_on",
        "enterprises_massorganization_one_active_per_kind": "kind",
    }

    class Meta:
        verbose_name = _("mass organization")
        verbose_name_plural = _("mass organizations")
        ordering = ["kind", "-established_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"],
                condition=Q(dissolved_on__isnull=True),
                name="enterprises_massorganization_one_active_per_kind",
                violation_error_message=_(
                    "This enterprise already has an active organization of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=F("established_on")),
                name="enterprises_massorganization_dissolved_after_established",
                violation_error_message=_("The dissolution date cannot be before the establishment date."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.enterprise}"

    def active_on(self, day) -> bool:
        if self.established_on and self.established_on > day:
            return False
        return self.dissolved_on is None or self.dissolved_on > day


class PartyOrganization(UpdatedAtModel, CleanTextModel):
    """A grassroots party organization or a cell under one.

    ``enterprise`` is empty for a joint cell gathering members of several
    small enterprises; such a cell belongs to a zone (or to the IZ Board when
    ``zone`` is empty too).
    """

    class Kind(models.TextChoices):
        GRASSROOTS_COMMITTEE = "dang_bo_co_so", _("Grassroots party committee (đảng bộ cơ sở)")
        GRASSROOTS_CELL = "chi_bo_co_so", _("Grassroots party cell (chi bộ cơ sở)")
        SUBORDINATE_CELL = "chi_bo_truc_thuoc", _("Subordinate party cell (chi bộ trực thuộc)")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior party organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
    )
    zone = models.ForeignKey(
        IndustrialZone,
        verbose_name=_("industrial zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        help_text=_("For an enterprise's organization this is the enterprise's zone."),
    )
    established_on = models.DateField(_("established on"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    search_text = models.CharField(max_length=600, editable=False, db_index=True, default="")
    sort_name = SortKeyField(max_length=600, editable=False, db_index=True, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "sort_name", "updated_at"])

    constraint_fields = {
        "enterprises_partyorganization_name_unique_per_enterprise": "name",
        "enterprises_partyorganization_joint_name_unique": "name",
        "enterprises_partyorganization_subordinate_has_parent": "parent",
        "enterprises_partyorganization_dissolved_after_established": "dissolved_on",
        "enterprises_partyorganization_not_own_parent": "parent",
    }

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="enterprises_partyorganization_name_unique_per_enterprise",
                violation_error_message=_(
                    "This enterprise already has a party organization with this name."
                ),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(enterprise__isnull=True),
                name="enterprises_partyorganization_joint_name_unique",
                violation_error_message=_("A joint party cell with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="chi_bo_truc_thuoc") | Q(parent__isnull=False),
                name="enterprises_partyorganization_subordinate_has_parent",
                violation_error_message=_(
                    "A subordinate party cell needs its superior party organization."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("established_on")),
                name="enterprises_partyorganization_dissolved_after_established",
                violation_error_message=_("The dissolution date cannot be before the establishment date."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="enterprises_partyorganization_not_own_parent",
                violation_error_message=_("A party organization cannot be its own superior."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:partyorg_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.enterprise_id:
            # An enterprise's organization belongs to the enterprise's zone.
            self.zone_id = self.enterprise.zone_id
        if self.parent_id:
            parent = self.parent
            if parent.kind != self.Kind.GRASSROOTS_COMMITTEE:
                errors["parent"] = _(
                    "Only a grassroots party committee (đảng bộ cơ sở) can have party cells under it."
                )
            elif self.kind != self.Kind.SUBORDINATE_CELL:
                errors["kind"] = _(
                    "An organization under a grassroots party committee is a subordinate party cell."
                )
            if parent.dissolved_on and not self.dissolved_on:
                errors["parent"] = _("The superior party organization has been dissolved.")
        if errors:
            raise ValidationError(errors)
        self.search_text = fold(self.name)
        self.sort_name = vi_sort_key(self.name)

    def active_on(self, day) -> bool:
        if self.established_on > day:
            return False
        return self.dissolved_on is None or self.dissolved_on > day

    @property
    def is_joint(self) -> bool:
        return self.enterprise_id is None

    # Charter Art. 21: 30 or more members make a đảng bộ cơ sở.
    COMMITTEE_SIZE = 30

    def size_warning(self, member_count: int) -> str:
        """A warning when the kind does not fit the number of members ('' if it fits).

        For a grassroots committee ``member_count`` includes its cells' members.
        Only a warning: exceptions need the upper committee's written consent.
        """
        if self.kind == self.Kind.GRASSROOTS_CELL and member_count >= self.COMMITTEE_SIZE:
            return _(
                "%(count)s members: with 30 or more, a grassroots party cell should become a "
                "grassroots party committee (đảng bộ cơ sở)."
            ) % {"count": member_count}
        if self.kind == self.Kind.GRASSROOTS_COMMITTEE and member_count < self.COMMITTEE_SIZE:
            return _(
                "%(count)s members: below 30, a grassroots party committee is normally a "
                "grassroots party cell (chi bộ cơ sở)."
            ) % {"count": member_count}
        return ""


class EnterpriseSpan(models.Model):
    """A span of days ``[starts_on, ends_on)`` during which an enterprise
    operated and what the indicators count of it stayed the same: whether it
    had a party organization of its own, a trade union, a youth union, and
    its workers (the latest workforce record's). ``starts_on`` is null for
    an enterprise operating since ever (no establishment date), ``ends_on``
    for a span still open. The enterprise's zone and capital source are
    copied, as they are now.

    Derived from the registry, never typed: :mod:`enterprises.spans`
    rewrites an enterprise's spans whenever the enterprise, one of its
    organizations or one of its workforce records changes, and ``manage.py
    rebuild_spans`` rewrites them all. The registry's stocks at a date are
    counted from the spans containing it (one row per operating enterprise).
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="spans")
    zone = models.ForeignKey(IndustrialZone, verbose_name=_("industrial zone"),
                             on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    foreign_capital = models.BooleanField(_("foreign capital"))
    party_organization = models.BooleanField(_("party organization"))
    trade_union = models.BooleanField(_("trade union"))
    youth_union = models.BooleanField(_("youth union"))
    workers = models.PositiveIntegerField(_("total workers"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise span")
        verbose_name_plural = _("enterprise spans")
        ordering = ["enterprise", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
                | Q(ends_on__gt=F("starts_on")),
                name="enterprises_enterprisespan_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise_id}: {self.starts_on} – {self.ends_on}"


def normalize_tax_code(value: str) -> str:
    """Validate a Vietnamese tax code (MST) and return it as 10 or 10-3 digits.

    A branch code's parent need not exist in the registry.
    """
    raw = clean_text(value)
    try:
        return mst.format(mst.validate(raw))
    except InvalidChecksum as exc:
        raise ValidationError(
            _("Tax code %(value)s has a wrong check digit."), params={"value": raw}
        ) from exc
    except ValidationError:
        raise
    except Exception as exc:  # stdnum.exceptions.ValidationError and its subclasses
        raise ValidationError(
            _("Tax code %(value)s is not valid: it must have 10 digits, or 10-3 for a branch."),
            params={"value": raw},
        ) from exc
