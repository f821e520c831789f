"""The navigation of the work areas, filtered by the policy.

Each app declares its areas in its ``navigation`` module with
:func:`register` (discovered by :mod:`core.registry`), so core names no app
above it. An area appears once its URLs exist and the account may use it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm, access_for
from accounts.selectors import access_requests_awaiting


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
    # Place in the menu, left to right.
    order: int = 100
    # A count shown next to the label (e.g. what waits for the account), or 0.
    badge: Callable[[object], int] | None = None
    # Other permissions that also open the area (any of them).
    or_perms: tuple[Perm, ...] = ()
    # Shown as an icon beside the bell rather than in the menu.
    compact: bool = False


def _awaiting(user) -> int:
    return access_requests_awaiting(user).count()


_areas: list[NavItem] = [
    NavItem(_("Overview"), "core:home", "speedometer2", Perm.VIEW_DASHBOARD, "core", order=0),
    # Party Committee leaders decide what administrators propose (accounts.services).
    NavItem(_("Approvals"), "accounts:access_request_list", "person-check",
            Perm.APPROVE_ACCESS, "accounts", order=900, badge=_awaiting,
            or_perms=(Perm.ADMINISTER,), compact=True),
]


def register(*items: NavItem) -> None:
    """Add an app's areas to the menu (once each), kept in ``order``."""
    for item in items:
        if item not in _areas:
            _areas.append(item)
    _areas.sort(key=lambda item: item.order)


_extra_pages: dict[str, list[str]] = {}


def register_pages(section: str, *url_names: str) -> None:
    """Count an upper app's pages as part of another app's area (they light
    that area up in the menu), without the area naming the app."""
    pages = _extra_pages.setdefault(section, [])
    pages.extend(name for name in url_names if name not in pages)


def areas() -> list[NavItem]:
    return list(_areas)


def nav_for(user, path: str = "") -> list[dict]:
    access = access_for(user)
    items = []
    for item in _areas:
        if not any(access.can(perm) for perm in (item.perm, *item.or_perms)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefixes = [url]
        for name in (*item.also, *_extra_pages.get(item.section, ())):
            try:
                prefixes.append(reverse(name))
            except NoReverseMatch:
                continue
        items.append({"label": item.label, "url": url, "icon": item.icon,
                      "section": item.section, "prefixes": prefixes, "active": False,
                      "badge": item.badge(user) if item.badge else 0,
                      "compact": item.compact})
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
