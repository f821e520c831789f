from django.contrib import admin

from accounts.policy import Perm, PolicyAdminMixin

from .models import Report


@admin.register(Report)
class ReportAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-only: reports are requested on the report pages and never change.

    The file is not linked here (it is served only by the scope-checked
    download view); the figures are aggregate counts.
    """

    view_perm = Perm.ADMINISTER
    list_display = ("period", "kind", "zone", "personal", "status", "progress", "requested_at",
                    "generated_at", "size")
    list_filter = ("status", "kind", "personal", "zone")
    search_fields = ("period",)
    list_select_related = ("zone",)
    date_hierarchy = "requested_at"
    fields = ("kind", "period", "zone", "personal", "status", "progress", "error", "figures",
              "size", "requested_by", "requested_at", "enqueued_at", "started_at", "attempts",
              "generated_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
