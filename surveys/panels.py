"""The enterprise profile's survey panel (see core.panels)."""

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.policy import Perm
from core import panels

from . import selectors
from .models import SurveyVisit


@panels.register("enterprise_profile", order=30)
def enterprise_surveys(request, enterprise, access):
    """The enterprise's survey visits, and the campaigns still planning one.

    Nothing for accounts that do not see surveys; the profile itself is
    already limited to the account's zones.
    """
    if not access.can(Perm.VIEW_SURVEYS) or not access.sees_zone(enterprise.zone_id):
        return None
    today = timezone.localdate()
    visits = list(selectors.enterprise_visits(access=access, enterprise=enterprise))
    planned = list(selectors.enterprise_planned_campaigns(enterprise=enterprise, day=today))
    return render_to_string("surveys/panels/enterprise_surveys.html", {
        "enterprise": enterprise,
        "visits": visits,
        "planned": planned,
        "can_record": access.can(Perm.RECORD_SURVEYS),
        "Classification": SurveyVisit.Classification,
    }, request)
