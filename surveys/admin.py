"""Read-only admin of the surveys, with their change history.

Campaigns and visits are planned and recorded on the application's pages,
through the services; the admin only lets staff who see surveys browse them
(scoped to their zones) and their history.
"""

from dataclasses import replace

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.policy import Perm, PolicyAdminMixin, access_for

from .models import FollowUp, SurveyCampaign, SurveyVisit
from .selectors import campaign_queryset


class _ReadOnlyAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.VIEW_SURVEYS
    change_perm = Perm.RECORD_SURVEYS  # only widens viewing; changes are refused below

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SurveyCampaign)
class SurveyCampaignAdmin(_ReadOnlyAdmin):
    list_display = ("name", "working_group", "starts_on", "ends_on", "plan")
    list_select_related = ("working_group", "plan")
    search_fields = ("name",)

    def get_queryset(self, request):
        return campaign_queryset(access=access_for(request.user))


class _WithoutCandidates(HistoricalRecordContextHelper):
    """A visit's changes without the candidates registered: their names are
    personal data (the visit's page leaves them out of its history too)."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field != "candidates"]
        return super().context_for_delta_changes(
            replace(delta, changes=changes, changed_fields=[c.field for c in changes]))


@admin.register(SurveyVisit)
class SurveyVisitAdmin(_ReadOnlyAdmin):
    zone_lookup = "enterprise__zone"
    list_display = ("enterprise", "campaign", "visited_on", "classification", "owner_attitude")
    list_filter = ("classification", "owner_attitude", "campaign")
    list_select_related = ("enterprise", "campaign")
    date_hierarchy = "visited_on"
    exclude = ("candidates",)

    def get_historical_record_context_helper(self, request, historical_record):
        return _WithoutCandidates(self.model, historical_record)


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnlyAdmin):
    zone_lookup = "visit__enterprise__zone"
    list_display = ("action", "visit", "owner", "due_on", "done_on")
    list_select_related = ("visit__enterprise", "owner")
