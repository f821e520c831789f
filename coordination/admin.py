"""Admin of party development, for staff who also hold a Party Committee role;
committees and plans are shown read-only (they change on the plan pages).

The policy decides (``PolicyAdminMixin``): personal data needs
Perm.VIEW_PERSONAL_DATA, so administrators without an organization see none
of these models. Saves go through the services, like every other path; the
ceremony (which creates the member) and recognitions with their official date
are recorded on the application's pages, so here they are read-only once set.

Every admin page of members, candidates, recognitions and votes writes its
row in the personal-data access log, as the application's pages do
(``_LoggedPersonalAdmin``); lists show citizen IDs masked, and only accounts
that see personal data search by one.
"""

import re

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from accounts.policy import Perm, PolicyAdminMixin, access_for
from core.access_log import log_access
from core.text import fold

from . import services
from .models import (
    AdmissionCandidate,
    Committee,
    CommitteeMember,
    CoordinationPlan,
    Founding,
    PartyMember,
    Placement,
    PlanTarget,
    PlanTask,
    Recognition,
    RecognitionVote,
)
from .plans import selectors as plan_selectors

CITIZEN_ID = re.compile(r"\d{12}")


class _LoggedPersonalAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """An admin whose pages name members or candidates: each page shown (the
    list, a raw-id lookup, a record, its history, a form sent back) writes one
    row in the access log, ids and the page's name only, never the search
    term; the admin's own record of changes names records by model and id."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            log_access(request, action="list", record_type=self.model._meta.label_lower,
                       detail=self._list_detail(request))
        return response

    def _list_detail(self, request) -> str:
        term = request.GET.get("q", "").strip()
        parts = ["admin changelist"]
        if term:
            parts.append("search by citizen ID" if CITIZEN_ID.fullmatch(term) else "search")
        return " ".join(parts)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        # An empty add form shows nobody; sent back, or given initial values
        # (?probation_helper=...), it shows the people chosen.
        if response.status_code == 200 and (object_id or request.method == "POST"
                                            or request.GET):
            self._log_view(request, object_id, "admin change" if object_id else "admin add")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._log_view(request, object_id, "admin history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            self._log_view(request, object_id, "admin history version")
        return response

    def _log_view(self, request, object_id, detail: str) -> None:
        pk = unquote(object_id) if object_id else ""
        log_access(request, action="view", record_type=self.model._meta.label_lower,
                   record_id=int(pk) if str(pk).isdigit() else None, detail=detail)

    # The recent actions on the admin's front page show these entries: no name there.
    def log_addition(self, request, obj, message):
        return self._without_name(super().log_addition(request, obj, message), obj)

    def log_change(self, request, obj, message):
        return self._without_name(super().log_change(request, obj, message), obj)

    @staticmethod
    def _without_name(entry, obj):
        if entry is not None:
            entry.object_repr = f"{capfirst(obj._meta.verbose_name)} #{obj.pk}"
            entry.save(update_fields=["object_repr"])
        return entry


class _PersonalDataAdmin(_LoggedPersonalAdmin):
    view_perm = Perm.VIEW_PERSONAL_DATA
    change_perm = Perm.EDIT_PARTY_DEVELOPMENT
    zone_lookup = "enterprise__zone"
    search_fields = ("search_text", "=citizen_id")
    raw_id_fields = ("enterprise",)

    def get_search_fields(self, request):
        # An exact citizen ID finds its person only for accounts that see
        # personal data, and the search is logged (changelist_view).
        fields = super().get_search_fields(request)
        if not access_for(request.user).can(Perm.VIEW_PERSONAL_DATA):
            fields = tuple(f for f in fields if "citizen_id" not in f)
        return fields

    def get_search_results(self, request, queryset, search_term):
        # search_text is folded: so is the term (case, diacritics, đ → d).
        return super().get_search_results(request, queryset, fold(search_term))

    def _service_data(self, form, allowed) -> dict:
        # Every field of the form: the service changes only what differs.
        return {f: value for f, value in form.cleaned_data.items() if f in allowed}

    @staticmethod
    def _saved(obj, pk) -> None:
        obj.pk = pk
        obj.refresh_from_db()
        obj._state.adding = False

    @admin.display(description=PartyMember._meta.get_field("citizen_id").verbose_name)
    def masked_id(self, obj):
        return obj.masked_citizen_id


class PlacementInline(admin.TabularInline):
    """Where the member worked and attended: changed on the member's page
    (moves, transfers, corrections), read-only here."""

    model = Placement
    extra = 0
    can_delete = False
    fields = ("starts_on", "ends_on", "enterprise", "party_organization", "began", "attendance",
              "ended", "leave_reason")
    readonly_fields = fields
    ordering = ("starts_on",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Founding)
class FoundingAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """Founding cases, read-only: their steps are recorded on the founding pages."""

    view_perm = Perm.VIEW_DASHBOARD
    change_perm = Perm.EDIT_PARTY_DEVELOPMENT
    zone_lookup = "enterprise__zone"
    list_display = ("enterprise", "stage", "started_on", "proposed_on", "decided_on",
                    "members_moved_on")
    list_filter = ("stage",)
    list_select_related = ("enterprise",)
    exclude = ("secretary",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartyMember)
class PartyMemberAdmin(_PersonalDataAdmin):
    list_display = ("full_name", "masked_id", "enterprise", "party_organization", "admitted_on",
                    "official_on", "left_on")
    list_filter = ("is_enterprise_owner", "left_reason", "enterprise__zone")
    list_select_related = ("enterprise", "party_organization")
    raw_id_fields = ("enterprise", "party_organization", "probation_helper")
    # The official date is set by a recognition only.
    readonly_fields = ("sort_key", "search_text", "official_on")
    inlines = [PlacementInline]

    def save_model(self, request, obj, form, change):
        if change:
            member = PartyMember.objects.get(pk=obj.pk)
            services.member_update(actor=request.user, member=member,
                                   data=self._service_data(form, services.MEMBER_FIELDS))
            obj.refresh_from_db()
        else:
            created = services.member_create(
                actor=request.user, data=self._service_data(form, services.MEMBER_FIELDS))
            self._saved(obj, created.pk)


@admin.register(AdmissionCandidate)
class AdmissionCandidateAdmin(_PersonalDataAdmin):
    list_display = ("full_name", "masked_id", "enterprise", "stage", "identified_on",
                    "cell_resolution_on", "decision_on", "closed_on")
    list_filter = ("stage", "enterprise__zone")
    list_select_related = ("enterprise", "responsible_organization")
    raw_id_fields = ("enterprise", "responsible_organization", "helper_member", "sponsor_1",
                     "sponsor_2")
    readonly_fields = ("sort_key", "search_text", "stage", "member", "ceremony_on",
                       "decision_extension_days", "decision_extension_reason")

    def has_change_permission(self, request, obj=None):
        # An admitted candidate is a party member: change the member instead.
        if obj is not None and obj.member_id:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            candidate = AdmissionCandidate.objects.get(pk=obj.pk)
            services.candidate_update(actor=request.user, candidate=candidate,
                                      data=self._service_data(form, services.CANDIDATE_FIELDS))
            obj.refresh_from_db()
        else:
            created = services.candidate_create(
                actor=request.user, data=self._service_data(form, services.CANDIDATE_FIELDS))
            self._saved(obj, created.pk)


@admin.register(Recognition)
class RecognitionAdmin(_LoggedPersonalAdmin):
    """Read-only: recorded on the member's page (the cell's vote, then the
    committee's decision, which sets the official date)."""

    view_perm = Perm.VIEW_PERSONAL_DATA
    change_perm = Perm.EDIT_PARTY_DEVELOPMENT
    zone_lookup = "member__enterprise__zone"
    list_display = ("member", "cell_resolution_on", "decision_number", "decision_on",
                    "deciding_body", "escalated")
    list_select_related = ("member",)
    search_fields = ("member__search_text",)
    raw_id_fields = ("member",)
    readonly_fields = ("member_official_on",)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    @admin.display(description=PartyMember._meta.get_field("official_on").verbose_name)
    def member_official_on(self, obj):
        return obj.member.official_on if obj.member_id else None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecognitionVote)
class RecognitionVoteAdmin(_LoggedPersonalAdmin):
    """Read-only: each vote of the cell is recorded on the member's page."""

    view_perm = Perm.VIEW_PERSONAL_DATA
    change_perm = Perm.EDIT_PARTY_DEVELOPMENT
    zone_lookup = "member__enterprise__zone"
    list_display = ("member", "held_on", "votes_for", "official_members")
    list_select_related = ("member",)
    search_fields = ("member__search_text",)
    raw_id_fields = ("member",)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Committees and plans ----------------------------------------------------------------
# Read-only here: plans, targets and tasks follow a state machine (draft → approved →
# closed, targets only in a draft, owners of the leading side) that the application's
# pages enforce through coordination.plans.services; the admin shows them for reference.


class _ReadOnlyPlanAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.VIEW_PLANS
    change_perm = Perm.EDIT_PLANS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access_for(request.user).can(Perm.VIEW_PLANS)


class CommitteeMemberInline(_ReadOnlyInline):
    model = CommitteeMember
    fields = ("order", "full_name", "title", "organization", "body", "position", "serves_from",
              "serves_until")


@admin.register(Committee)
class CommitteeAdmin(_ReadOnlyPlanAdmin):
    list_display = ("name", "kind", "decision_number", "decided_on", "term_start", "term_end")
    list_filter = ("kind",)
    search_fields = ("name", "decision_number")
    inlines = [CommitteeMemberInline]


class PlanTargetInline(_ReadOnlyInline):
    model = PlanTarget
    fields = ("order", "indicator", "zone", "target_value", "note")


class PlanTaskInline(_ReadOnlyInline):
    model = PlanTask
    fields = ("content", "lead_side", "owner", "due_on", "status", "completed_on",
              "cancelled_on")


@admin.register(CoordinationPlan)
class CoordinationPlanAdmin(_ReadOnlyPlanAdmin):
    list_display = ("year", "title", "document_number", "status", "approved_by", "approved_at")
    list_filter = ("status",)
    list_select_related = ("approved_by",)
    search_fields = ("title", "document_number")
    inlines = [PlanTargetInline, PlanTaskInline]

    def get_queryset(self, request):
        # Drafts are the Party Committee's working documents (coordination.plans.rules).
        return plan_selectors.plan_queryset(access=access_for(request.user))


@admin.register(PlanTask)
class PlanTaskAdmin(_ReadOnlyPlanAdmin):
    list_display = ("content_short", "plan", "lead_side", "owner", "due_on", "status",
                    "completed_on", "cancelled_on")
    list_filter = ("status", "lead_side", "plan__year")
    list_select_related = ("plan", "owner")
    search_fields = ("content", "coordinating_units")

    def get_queryset(self, request):
        return plan_selectors.task_queryset(access=access_for(request.user))

    @admin.display(description=PlanTask._meta.get_field("content").verbose_name)
    def content_short(self, obj):
        return str(obj)


# The regulation's working cycle (read-only, like the plans).
from .cycle import admin as cycle_admin  # noqa: E402, F401
