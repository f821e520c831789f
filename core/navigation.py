"""The navigation of the four work areas, filtered by the policy.

An area appears once its URLs exist and the account may use it.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm, access_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    perm: Perm
    section: str
    # Other pages of the area: a page belongs to the item whose address (or one
    # of these) is the longest prefix of its path.
    also: tuple[str, ...] = ()


AREAS = [
    NavItem(_("Overview"), "core:home", "speedometer2", Perm.VIEW_DASHBOARD, "core"),
    NavItem(_("Enterprises"), "enterprises:enterprise_list", "buildings", Perm.VIEW_REGISTRY,
            "enterprises", also=("core:data_review",)),
    NavItem(_("Party development"), "coordination:pipeline", "people", Perm.VIEW_DASHBOARD,
            "coordination"),
    NavItem(_("Coordination plans & surveys"), "coordination:plan_list", "clipboard-check",
            Perm.VIEW_PLANS, "plans",
            also=("coordination:task_list", "coordination:committee_list", "surveys:campaign_list")),
    NavItem(_("Reports"), "reports:report_list", "file-earmark-spreadsheet",
            Perm.DOWNLOAD_REPORTS, "reports"),
]


def nav_for(user, path: str = "") -> list[dict]:
    access = access_for(user)
    items = []
    for item in AREAS:
        if not access.can(item.perm):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefixes = [url]
        for name in item.also:
            try:
                prefixes.append(reverse(name))
            except NoReverseMatch:
                continue
        items.append({"label": item.label, "url": url, "icon": item.icon,
                      "section": item.section, "prefixes": prefixes, "active": False})
    _mark_active(items, path)
    return items


def _mark_active(items: list[dict], path: str) -> None:
    best, best_length = None, 0
    for item in items:
        for prefix in item["prefixes"]:
            matches = path == prefix if prefix == "/" else path.startswith(prefix)
            if matches and len(prefix) > best_length:
                best, best_length = item, len(prefix)
    if best is not None:
        best["active"] = True
