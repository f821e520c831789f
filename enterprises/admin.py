from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.policy import Perm, PolicyAdminMixin

from .models import Enterprise, IndustrialZone, PartyOrganization


@admin.register(IndustrialZone)
class IndustrialZoneAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """Zones are reference data kept by administrators."""

    view_perm = change_perm = Perm.ADMINISTER
    list_display = ("code", "name", "commune", "area_ha", "established_on", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(Enterprise)
class EnterpriseAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """For staff who also hold a registry role; officers use the registry pages."""

    view_perm = Perm.VIEW_REGISTRY
    change_perm = Perm.EDIT_REGISTRY
    zone_lookup = "zone"
    list_display = ("name", "tax_code", "zone", "legal_form", "capital_source", "status")
    list_filter = ("zone", "capital_source", "legal_form", "status")
    search_fields = ("search_text", "tax_code")
    list_select_related = ("zone",)
    readonly_fields = ("search_text", "sort_name")


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.VIEW_REGISTRY
    change_perm = Perm.EDIT_PARTY_ORGS
    zone_lookup = "zone"
    list_display = ("name", "kind", "enterprise", "zone", "established_on", "dissolved_on")
    list_filter = ("kind", "zone")
    search_fields = ("search_text",)
    list_select_related = ("enterprise", "zone")
    raw_id_fields = ("enterprise", "parent")
    readonly_fields = ("search_text", "sort_name")
