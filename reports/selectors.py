"""Reads of the generated reports, always through the account's access.

Who sees which report (DESIGN §1): Party Committee accounts see every report;
IZ Board accounts see only reports without personal data, those of the whole
province and of every zone when the account is board-wide, otherwise only those
of its assigned zones. A report outside that scope answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from accounts.models import User
from accounts.policy import Access, Perm, access_for
from core import indicators

from .models import Report

Status = Report.Status


def report_queryset(*, access: Access) -> QuerySet[Report]:
    """Every report the account may see, whatever its status."""
    qs = Report.objects.select_related("zone")
    if not access.can(Perm.DOWNLOAD_REPORTS):
        return qs.none()
    if not access.can(Perm.VIEW_PERSONAL_DATA):
        qs = qs.filter(personal=False)
    if access.zone_ids is not None:
        qs = qs.filter(zone__in=access.zone_ids)
    return qs


def report_visible(*, access: Access, report: Report) -> bool:
    """The same rule as :func:`report_queryset`, for one (possibly unsaved) report."""
    if not access.can(Perm.DOWNLOAD_REPORTS):
        return False
    if report.personal and not access.can(Perm.VIEW_PERSONAL_DATA):
        return False
    return access.zone_ids is None or (report.zone_id is not None
                                       and report.zone_id in access.zone_ids)


def report_get(*, access: Access, pk: int) -> Report:
    """One report in scope, or 404 (never 403: existence is not disclosed)."""
    try:
        return report_queryset(access=access).select_related("requested_by").get(pk=pk)
    except (Report.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def report_archive(*, access: Access, kind: str = "", year: int | None = None) -> QuerySet[Report]:
    """Ready reports in scope, newest first, optionally of one kind and year."""
    qs = report_queryset(access=access).filter(status=Status.READY)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(period__startswith=f"{year:04d}")
    return qs.order_by("-generated_at", "-pk")


def report_unfinished(*, access: Access, limit: int = 20) -> list[Report]:
    """The latest reports in scope not ready yet (waiting, being generated, failed)."""
    return list(report_queryset(access=access).exclude(status=Status.READY)
                .order_by("-requested_at", "-pk")[:limit])


def report_years(*, access: Access) -> list[int]:
    """The years that have ready reports in scope, newest first (one query)."""
    years = (report_queryset(access=access).filter(status=Status.READY)
             .annotate(year=Substr("period", 1, 4)).order_by("-year")
             .values_list("year", flat=True).distinct())
    return [int(y) for y in years]


def report_figure_rows(*, report: Report) -> list[dict]:
    """The frozen Tổng hợp figures in catalogue order, labelled.

    Figures are stored as the workbook returned them, keyed by indicator code
    (or label); keys the catalogue no longer knows are listed after, as stored.
    """
    figures = dict(report.figures or {})
    rows = []
    for indicator in indicators.CATALOGUE:
        for key in (indicator.code, str(indicator.label)):
            if key in figures:
                rows.append({"label": indicator.label, "value": figures.pop(key),
                             "code": indicator.code})
                break
    rows += [{"label": key, "value": value, "code": ""} for key, value in figures.items()]
    return rows


def report_leaders(*, report: Report) -> list[User]:
    """The leaders to tell when a scheduled report is ready: each gets the most
    complete report they may see (Party Committee leaders the province report
    with personal data, board-wide IZ leaders the province report without it,
    IZ leaders of some zones the reports of those zones)."""
    leaders = []
    for user in User.objects.filter(is_active=True, role=User.Role.LEADER).order_by("pk"):
        access = access_for(user)
        if not report_visible(access=access, report=report):
            continue
        if report.zone_id is None:
            if report.personal or not access.can(Perm.VIEW_PERSONAL_DATA):
                leaders.append(user)
        elif access.zone_ids is not None:
            leaders.append(user)
    return leaders
