from django.conf import settings

from accounts.policy import access_for

from .navigation import nav_for


def shell(request):
    """What the page shell (base.html) needs: names, navigation, access."""
    user = getattr(request, "user", None)
    context = {
        "PROVINCE_NAME": settings.PROVINCE_NAME,
        "PARTY_COMMITTEE_NAME": settings.PARTY_COMMITTEE_NAME,
        "IZ_BOARD_NAME": settings.IZ_BOARD_NAME,
    }
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
        context["access"] = access_for(user)
        context["unread_notifications"] = lambda: _unread(user)
    return context


def _unread(user) -> int:
    from .models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
