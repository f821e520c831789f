"""The bell: an account's reminders, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import notification_mark_all_read, notification_mark_read


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    show = request.GET.get("show")
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {
        "page_obj": page, "show": show,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    })


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one reminder read and go to what it is about (only within this site)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect("core:notification_list")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_all_read(recipient=request.user)
    return redirect("core:notification_list")
