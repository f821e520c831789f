"""The main figures on the overview page (core.panels slot "home")."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.policy import Perm
from core import panels

from . import indicators
from .periods import Period

# (indicator code, the list behind the figure, its querystring, who may open it)
FIGURES = [
    ("enterprises", "enterprises:enterprise_list", "", Perm.VIEW_REGISTRY),
    ("enterprises_with_party_org", "enterprises:enterprise_list", "has_party_org=yes",
     Perm.VIEW_REGISTRY),
    ("enterprises_without_party_org", "enterprises:enterprise_list", "has_party_org=no",
     Perm.VIEW_REGISTRY),
    ("enterprises_qualifying", "coordination:qualifying", "", Perm.VIEW_DASHBOARD),
    ("members", "coordination:member_list", "", Perm.VIEW_PERSONAL_DATA),
    ("members_new", None, "", None),
    ("candidates_open", "coordination:pipeline", "", Perm.VIEW_DASHBOARD),
    ("workers", None, "", None),
]


@panels.register("home", order=10)
def main_figures(request, _obj, access):
    """This year's main indicators, as of today, for the account's zones."""
    if not access.can(Perm.VIEW_DASHBOARD):
        return ""
    today = timezone.localdate()
    period = Period.of("year", today.year).so_far(today)
    scope = indicators.Scope.for_access(access)
    figures = []
    for code, url_name, query, perm in FIGURES:
        indicator = indicators.get(code)
        url = ""
        if url_name and access.can(perm):
            url = reverse(url_name) + (f"?{query}" if query else "")
        figures.append({"label": indicator.label, "value": indicator.compute(scope, period),
                        "url": url, "code": code})
    return render_to_string("reports/panels/main_figures.html",
                            {"figures": figures, "today": today}, request)
