"""Panels that an app contributes to a page owned by another app.

The enterprise profile belongs to ``enterprises`` but shows members,
candidates and surveys. Apps above it register panels here from their
``panels`` module (found by core.registry), so no app imports one above it:

    @panels.register("enterprise_profile", order=20)
    def members_panel(request, enterprise, access):
        return render_to_string("coordination/panels/members.html", {...}, request)

A panel returns HTML, or None to show nothing for this account.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_registry: dict[str, list[tuple[int, Callable]]] = defaultdict(list)


def register(slot: str, *, order: int = 100):
    def decorator(func):
        if func not in [f for _, f in _registry[slot]]:
            _registry[slot].append((order, func))
            _registry[slot].sort(key=lambda item: item[0])
        return func

    return decorator


def render(slot: str, request, obj, access) -> list[SafeString]:
    """The HTML of every panel registered for ``slot``, in order."""
    html = []
    for _order, func in _registry[slot]:
        result = func(request, obj, access)
        if result:
            html.append(mark_safe(result))  # noqa: S308 - rendered by a template
    return html
