"""Panels this app contributes to the registry's pages (see core.panels)."""

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.policy import Perm
from core import panels
from core.access_log import log_access

from . import selectors
from .models import Founding

# Names listed on the enterprise profile, of members and of candidates each;
# beyond them the panel links to the lists filtered by the enterprise.
PANEL_ROWS = 20


def _first(queryset) -> tuple[list, bool]:
    """The first PANEL_ROWS rows, and whether there are more."""
    rows = list(queryset[:PANEL_ROWS + 1])
    return rows[:PANEL_ROWS], len(rows) > PANEL_ROWS


@panels.register("enterprise_profile", order=20)
def enterprise_members(request, enterprise, access):
    """Members and candidates of the enterprise: the first names (in
    alphabetical order) for Party Committee accounts (a row in the access
    log), with a link to the whole list when there are more; counts only for
    the others."""
    today = timezone.localdate()
    context = {
        "enterprise": enterprise,
        "counts": selectors.enterprise_counts(enterprise=enterprise, day=today),
        "personal": access.can(Perm.VIEW_PERSONAL_DATA),
        "today": today,
        "panel_rows": PANEL_ROWS,
    }
    if context["personal"]:
        context["members"], context["more_members"] = _first(
            selectors.member_queryset(access=access).filter(
                selectors.current_members(today, enterprise=enterprise)))
        context["candidates"], context["more_candidates"] = _first(
            selectors.candidate_queryset(access=access).filter(
                enterprise=enterprise).filter(selectors.open_candidates(today)))
        if context["members"] or context["candidates"]:
            # One row for the panel: the members' kind, or the candidates' when
            # no member is listed; the detail says it lists both.
            model = type((context["members"] or context["candidates"])[0])
            log_access(request, action="list", record_type=model._meta.label_lower,
                       detail=f"enterprise_profile enterprise={enterprise.pk} "
                              "members and candidates")
    return render_to_string("coordination/panels/enterprise_members.html", context, request)


@panels.register("party_organization_detail", order=10)
def organization_size(request, organization, access):
    """Member count and the 30-member warning (DESIGN §3)."""
    today = timezone.localdate()
    count = selectors.organization_member_count(organization=organization, day=today)
    return render_to_string("coordination/panels/organization_size.html", {
        "count": count,
        "warning": organization.size_warning(count),
    }, request)


@panels.register("enterprise_profile", order=15)
def enterprise_founding(request, enterprise, access):
    """Where the enterprise stands on founding its party organization: its
    case's stage, or that it qualifies with no case yet (no names)."""
    if not access.can(Perm.VIEW_DASHBOARD):
        return None
    today = timezone.localdate()
    case = enterprise.foundings.exclude(stage=Founding.Stage.ABANDONED).order_by(
        "-started_on", "-pk").first()
    qualifies = case is None and selectors.qualifying(today).filter(pk=enterprise.pk).exists()
    if case is None and not qualifies:
        return None
    return render_to_string("coordination/panels/enterprise_founding.html", {
        "enterprise": enterprise,
        "case": case,
        "qualifies": qualifies,
        "can_edit": access.can(Perm.EDIT_PARTY_DEVELOPMENT),
        "today": today,
    }, request)


# The reviews' section of the regulation's page.
from .reviews import panels as _review_panels  # noqa: E402, F401
