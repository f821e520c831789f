from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CleanTextModel


def default_province() -> str:
    return settings.PROVINCE_NAME


class IndustrialZone(CleanTextModel):
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

    history = HistoricalRecords()

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
