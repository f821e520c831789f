"""Party development and the coordination plans in the menu (see core.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm
from core import navigation

navigation.register(
    navigation.NavItem(_("Party development"), "coordination:pipeline", "people",
                       Perm.VIEW_DASHBOARD, "coordination", order=20),
    # The plans' area also holds the survey campaigns (surveys/navigation.py).
    navigation.NavItem(_("Coordination plans & surveys"), "coordination:plan_list",
                       "clipboard-check", Perm.VIEW_PLANS, "plans",
                       also=("coordination:task_list", "coordination:committee_list",
                             "coordination:regulation", "coordination:meeting_list",
                             "coordination:correspondence_list"),
                       order=30),
)
