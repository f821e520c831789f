import logging

from celery import current_app
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.policy import Perm, access_for, require

from . import panels
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """The landing page after login: the dashboard (panels of slot "home",
    e.g. reports.panels.dashboard), then who the account is and what it may do."""
    access = access_for(request.user)
    zones = None
    if access.zone_ids is not None:
        zones = request.user.zones.order_by("code")
    return render(request, "core/home.html", {
        "access": access,
        "assigned_zones": zones,
        "panels": panels.render("home", request, None, access),
    })


@require(Perm.VIEW_REGISTRY)
def data_review(request):
    """What in the records needs someone's attention (core.quality)."""
    from . import quality

    rows = quality.review(request.access)
    return render(request, "core/data_review.html", {
        "rows": rows, "total": sum(row["count"] for row in rows)})


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.exception("healthz: database check failed")
        return False


def _check_broker() -> bool:
    # The project's Celery app (config.celery_app, loaded when Django starts).
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        return True
    except Exception:  # noqa: BLE001
        logger.warning("healthz: broker check failed", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request):
    """JSON health of the database and the broker, for load balancers.

    No login, no personal data. 200 when both answer, 503 otherwise. The
    worker's last heartbeat is reported for information.
    """
    database = _check_database()
    broker = _check_broker()
    worker = None
    if database:
        try:
            beat = WorkerHeartbeat.objects.filter(name="worker").first()
        except Exception:  # noqa: BLE001 - e.g. before migrations
            beat = None
        if beat:
            worker = {
                "last_seen": beat.seen_at.isoformat(),
                "seconds_ago": int((timezone.now() - beat.seen_at).total_seconds()),
            }
    ok = database and broker
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": "ok" if database else "error",
            "broker": "ok" if broker else "error",
            "worker": worker,
        },
        status=200 if ok else 503,
    )


@login_required
@require_GET
def attachment_download(request, pk: int):
    """An attachment, only for accounts that may see the object it belongs to."""
    from .attachments import rules_for
    from .models import Attachment

    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    rules = rules_for(model) if model else None
    owner = model._default_manager.filter(pk=attachment.object_id).first() if rules else None
    if owner is None or not rules.can_view(access_for(request.user), owner):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.mime_type,
                            as_attachment=not attachment.is_image,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require(Perm.ADMINISTER)
def processing_register(request):
    """The register of the processing of personal data (Law 91/2025/QH15)."""
    from .processing import register

    return render(request, "core/processing_register.html", {"activities": register()})
