"""Who may call a view: ``accounts.policy``, as for the pages."""

from __future__ import annotations

from rest_framework import permissions

from accounts import policy


class PolicyPermission(permissions.BasePermission):
    """Signed in (token or session) and holding every one of the view's
    ``required_perms`` (a view without any is refused to everyone)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        required = getattr(view, "required_perms", None)
        if not required:
            return False
        access = policy.access_for(request.user)
        return all(access.can(perm) for perm in required)
