"""Every write to the registry goes through these functions."""

from django.db import transaction

from .models import IndustrialZone


@transaction.atomic
def zone_create(**fields) -> IndustrialZone:
    """Create an industrial zone after full validation (code unique)."""
    zone = IndustrialZone(**fields)
    zone.full_clean()
    zone.save()
    return zone
