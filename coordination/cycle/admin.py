"""Admin of the working cycle (registered by coordination.admin): read-only,
like the plans; the regulation, meetings and letters change on their pages,
through the services. Letters are scoped as on the pages (a letter with
personal data, or about another zone's enterprises, is not listed)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.policy import Perm, PolicyAdminMixin, access_for

from . import selectors
from .models import Conclusion, Correspondence, Meeting, Regulation


class _ReadOnlyCycleAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.VIEW_PLANS
    change_perm = Perm.EDIT_PLANS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConclusionInline(admin.TabularInline):
    model = Conclusion
    fields = ("order", "text", "lead_side", "owner", "due_on", "task")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access_for(request.user).can(Perm.VIEW_PLANS)


@admin.register(Regulation)
class RegulationAdmin(_ReadOnlyCycleAdmin):
    list_display = ("number", "title", "signed_on", "effective_from", "in_force_until")
    search_fields = ("number", "title")


@admin.register(Meeting)
class MeetingAdmin(_ReadOnlyCycleAdmin):
    list_display = ("held_on", "kind", "title", "place", "chair")
    list_filter = ("kind",)
    list_select_related = ("chair",)
    search_fields = ("title", "agenda", "place")
    inlines = [ConclusionInline]


@admin.register(Correspondence)
class CorrespondenceAdmin(_ReadOnlyCycleAdmin):
    list_display = ("number", "dated", "direction", "subject", "reply_due_on", "replied_on")
    list_filter = ("direction",)
    search_fields = ("number", "subject")

    def get_queryset(self, request):
        return selectors.correspondence_queryset(access=access_for(request.user))
