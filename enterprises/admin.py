from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.policy import Perm, PolicyAdminMixin

from .models import IndustrialZone


@admin.register(IndustrialZone)
class IndustrialZoneAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """Zones are reference data kept by administrators."""

    view_perm = change_perm = Perm.ADMINISTER
    list_display = ("code", "name", "commune", "area_ha", "established_on", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
