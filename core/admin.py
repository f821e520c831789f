from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm, PolicyAdminMixin

from . import exports
from .models import ExportJob, ImportRun, PersonalDataAccess


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


@admin.register(ExportJob)
class ExportJobAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The background exports, for administrators following the worker:
    read-only, without the search term (it may be a name) or the file (its
    owner downloads it from "My exports", where access is checked and logged).
    A row is not deleted here: the daily job deletes its file when it expires."""

    view_perm = Perm.ADMINISTER
    list_display = ("requested_at", "exported_list", "requested_by", "status", "row_count",
                    "rows_written", "size", "finished_at", "error")
    list_filter = ("kind", "status")
    date_hierarchy = "requested_at"
    exclude = ("search", "file")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by")

    @admin.display(description=_("Exported list"), ordering="kind")
    def exported_list(self, job):
        return exports.list_label(job.kind)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
