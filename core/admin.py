from django.contrib import admin

from accounts.policy import Perm, PolicyAdminMixin

from .models import ImportRun, PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The audit trail: read-only, for administrators."""

    view_perm = Perm.ADMINISTER
    change_perm = None
    list_display = ("at", "user", "action", "record_type", "record_id", "detail")
    list_filter = ("action", "record_type")
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(PolicyAdminMixin, admin.ModelAdmin):
    view_perm = Perm.ADMINISTER
    list_display = ("created_at", "kind", "original_name", "uploaded_by", "status",
                    "created_count", "updated_count", "error_count")
    list_filter = ("kind", "status")
    exclude = ("file",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
