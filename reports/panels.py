"""The dashboard on the overview page (core.panels slot "home").

Every figure comes from the indicator catalogue (:mod:`core.indicators`);
the one exception is the admission funnel, which counts the open cases by
stage exactly as the pipeline page does. The figures are computed grouped
(:func:`core.indicators.compute_many`): the main figures of the period and of
the one before, and the trend's months, together in one query per model
counted (enterprises, party organizations, placements, candidates; for an
account that sees the whole province, also the working cycle's meetings,
conclusions and letters); the
coverage chart in one query grouped by zone; the funnel in one; the plan in
two plus at most two per model its targets count (:mod:`coordination.plans.
selectors`). So the number of queries depends neither on the data nor on the
number of months or targets.

The computed figures are cached per scope, period, day and version of the
data (:func:`data_version`), so a repeated visit costs a few queries and a
change of the data shows at once.

Filters travel in the query string: ``zone`` (a zone in the account's scope;
all of them by default) and ``period`` (a code read by
:meth:`Period.parse`; this year so far by default). A value that cannot be
used is ignored with a warning, never an error page, and never widens the
scope.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.policy import Access, Perm
from coordination.models import AdmissionCandidate, CoordinationPlan
from coordination.plans import selectors as plan_selectors
from coordination.selectors import OPEN_STAGES, stage_counts
from core import indicators, panels, parallel
from core.indicators import Scope
from core.periods import HALF, QUARTER, YEAR, Period
from enterprises.models import IndustrialZone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figure:
    """A figure of the dashboard: an indicator and the list behind it."""

    code: str
    url_name: str | None = None
    params: dict = field(default_factory=dict)
    # Who may open the list; the link is left out for the others.
    perm: Perm | None = None


FIGURES = [
    # The registry.
    Figure("enterprises", "enterprises:enterprise_list", perm=Perm.VIEW_REGISTRY),
    Figure("enterprises_with_party_org", "enterprises:enterprise_list", {"has_party_org": "yes"},
           Perm.VIEW_REGISTRY),
    Figure("enterprises_without_party_org", "enterprises:enterprise_list",
           {"has_party_org": "no"}, Perm.VIEW_REGISTRY),
    Figure("enterprises_qualifying", "coordination:qualifying", perm=Perm.VIEW_DASHBOARD),
    Figure("workers", "enterprises:enterprise_list", {"sort": "-workers"}, Perm.VIEW_REGISTRY),
    # Party development.
    Figure("party_orgs", "enterprises:partyorg_list", {"state": "active"}, Perm.VIEW_REGISTRY),
    Figure("members", "coordination:member_list", perm=Perm.VIEW_PERSONAL_DATA),
    Figure("members_new", "coordination:member_list", perm=Perm.VIEW_PERSONAL_DATA),
    Figure("candidates_open", "coordination:pipeline", perm=Perm.VIEW_DASHBOARD),
    Figure("candidates_course_completed", "coordination:candidate_list",
           perm=Perm.VIEW_PERSONAL_DATA),
]

# The regulation's working cycle (coordination.cycle.indicators): figures of
# the province, shown to accounts that see the plans and every zone, when no
# zone is chosen (as province-wide plan targets are).
CYCLE_FIGURES = [
    Figure("meetings_held", "coordination:meeting_list", perm=Perm.VIEW_PLANS),
    Figure("conclusions_done", "coordination:meeting_list", {"conclusions": "done"},
           Perm.VIEW_PLANS),
    Figure("conclusions_overdue", "coordination:meeting_list", {"conclusions": "overdue"},
           Perm.VIEW_PLANS),
    Figure("replies_overdue", "coordination:correspondence_list", {"status": "overdue"},
           Perm.VIEW_PLANS),
]

COVERAGE = ("enterprises_with_party_org", "enterprises_without_party_org")
MONTHLY = "members_new"
# No figure is recorded before this year (plans start in 2000 too).
FIRST_YEAR = 2000
# The kinds of period offered in the filter, for this year and the one before.
PERIOD_KINDS = ((YEAR, 1), (HALF, 2), (QUARTER, 4))


# --- the filter -----------------------------------------------------------------------


@dataclass
class Selection:
    """What the dashboard shows: a zone (or every zone in scope) and a period."""

    zones: list[IndustrialZone]
    zone: IndustrialZone | None
    period: Period  # cut at today while it runs
    full_period: Period
    period_groups: list[tuple[int, list[tuple[str, str]]]]
    warnings: list[str]

    @property
    def scope_zone_ids(self) -> frozenset[int] | None:
        return None if self.zone is None else frozenset({self.zone.pk})

    def scope(self, access: Access) -> Scope:
        """The chosen zone, or every zone the account sees."""
        return Scope.zone(self.zone.pk) if self.zone else Scope.for_access(access)


def period_label(period: Period, today: date) -> str:
    """The period in words, "to dd/mm/yyyy" while it is still running."""
    label = capfirst(period.label)
    if period.start <= today < period.end:
        return _("%(period)s (to %(day)s)") % {"period": label,
                                               "day": date_format(today, "d/m/Y")}
    return label


def period_choices(today: date) -> list[tuple[int, list[tuple[str, str]]]]:
    """The periods offered: years, half-years and quarters of this year and
    the year before that have started, grouped by year."""
    groups = []
    for year in (today.year, today.year - 1):
        options = [(p.code, period_label(p, today))
                   for kind, count in PERIOD_KINDS
                   for p in (Period.of(kind, year, i) for i in range(1, count + 1))
                   if p.start <= today]
        groups.append((year, options))
    return groups


def select(request, access: Access, today: date) -> Selection:
    """Read ``zone`` and ``period`` from the query string within the account's scope."""
    warnings = []
    zones = list(access.scope_zones(IndustrialZone.objects.order_by("code"), "pk"))
    zone = None
    zone_param = request.GET.get("zone", "").strip()
    if zone_param:
        zone = next((z for z in zones if str(z.pk) == zone_param), None)
        if zone is None:
            warnings.append(_("The industrial zone asked for is not among your zones: the figures "
                              "cover all your zones."))
    full = Period.of(YEAR, today.year)
    period_param = request.GET.get("period", "").strip()
    if period_param:
        try:
            asked = Period.parse(period_param)
        except ValueError:
            warnings.append(_("The period asked for could not be read: the figures are for this "
                              "year so far."))
        else:
            if asked.year < FIRST_YEAR:
                warnings.append(_("The period asked for could not be read: the figures are for "
                                  "this year so far."))
            elif asked.start > today:
                warnings.append(_("The period asked for has not started yet: the figures are "
                                  "for this year so far."))
            else:
                full = asked
    groups = period_choices(today)
    if not any(full.code == code for _year, options in groups for code, _label in options):
        groups.insert(0, (full.year, [(full.code, period_label(full, today))]))
    return Selection(zones=zones, zone=zone, period=full.so_far(today), full_period=full,
                     period_groups=groups, warnings=warnings)


# --- links ----------------------------------------------------------------------------


def _url(url_name: str, params: dict | None = None) -> str:
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    params = {key: value for key, value in (params or {}).items() if value not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def list_url(access: Access, url_name: str | None, perm: Perm | None, params: dict | None = None,
             zone: IndustrialZone | None = None) -> str:
    """The list behind a figure, filtered by the zone shown; "" if the account
    may not open it (or it does not exist)."""
    if not url_name or (perm is not None and not access.can(perm)):
        return ""
    params = dict(params or {})
    if zone is not None:
        params["zone"] = zone.pk
    return _url(url_name, params)


# --- figures --------------------------------------------------------------------------


def figure_pairs(selection: Selection, shown=None) -> list[tuple[str, Period]]:
    """The (indicator, period) pairs of the main figures (or of ``shown``):
    the period and the one before."""
    previous = selection.full_period.previous()
    return [(figure.code, period) for figure in (FIGURES if shown is None else shown)
            for period in (selection.period, previous)]


def shows_cycle(access: Access, selection: Selection) -> bool:
    """The working cycle's figures are the province's: for an account that
    sees the plans and every zone, with no zone chosen."""
    return access.can(Perm.VIEW_PLANS) and access.all_zones and selection.zone is None


def cycle_pairs(access: Access, selection: Selection) -> list[tuple[str, Period]]:
    return figure_pairs(selection, CYCLE_FIGURES) if shows_cycle(access, selection) else []


def figures(access: Access, selection: Selection,
            computed: indicators.Figures | None = None, shown=None) -> list[dict]:
    """Each main indicator (or each of ``shown``) for the selection, with its
    change since the period before (both from the catalogue; ``computed``
    when the caller computed :func:`figure_pairs` already)."""
    shown = FIGURES if shown is None else shown
    values = computed
    if values is None:
        values = indicators.compute_many(figure_pairs(selection, shown),
                                         selection.scope(access))
    previous = selection.full_period.previous()
    rows = []
    for figure in shown:
        indicator = indicators.get(figure.code)
        value = values[figure.code, selection.period]
        before = values[figure.code, previous]
        delta = None if value is None or before is None else value - before
        rows.append({
            "code": figure.code,
            "label": indicator.label,
            "description": str(indicator.description),
            "value": value,
            "previous": before,
            "delta": delta,
            "abs_delta": None if delta is None else abs(delta),
            "url": list_url(access, figure.url_name, figure.perm,
                            _params(figure, selection), selection.zone),
        })
    return rows


def _params(figure: Figure, selection: Selection) -> dict:
    # The meetings held in the period: the meeting list of that period.
    if figure.code == "meetings_held":
        return {**figure.params, "period": selection.full_period.code}
    return figure.params


# --- charts ---------------------------------------------------------------------------


def _table(columns: list[str], rows: list[tuple[str, list]]) -> dict:
    """A data table for a chart's fallback: cells are values or (value, url)."""
    body = []
    for label, cells in rows:
        body.append({"label": label, "cells": [
            {"value": c[0], "url": c[1]} if isinstance(c, tuple) else {"value": c, "url": ""}
            for c in cells]})
    return {"columns": columns, "rows": body}


def coverage_chart(access: Access, selection: Selection) -> dict:
    """Enterprises with and without a party organization, per zone (both
    indicators in one query grouped by zone)."""
    zone_ids = selection.scope_zone_ids
    if zone_ids is None:
        zone_ids = access.zone_ids
    shown = [z for z in selection.zones if zone_ids is None or z.pk in zone_ids]
    by_zone = indicators.compute_many_by_zone([(code, selection.period) for code in COVERAGE],
                                              zone_ids)
    series = []
    for code, flag in zip(COVERAGE, ("yes", "no"), strict=True):
        indicator = indicators.get(code)
        values = by_zone[code, selection.period]
        series.append({
            "label": indicator.label,
            "data": [values.get(z.pk, 0) for z in shown],
            "urls": [list_url(access, "enterprises:enterprise_list", Perm.VIEW_REGISTRY,
                              {"has_party_org": flag}, z) for z in shown],
        })
    with_org, without_org = series
    rows = []
    for i, zone in enumerate(shown):
        total = with_org["data"][i] + without_org["data"][i]
        share = round(100 * with_org["data"][i] / total) if total else None
        rows.append((f"{zone.code} · {zone.name}", [
            (with_org["data"][i], with_org["urls"][i]),
            (without_org["data"][i], without_org["urls"][i]),
            "—" if share is None else f"{share} %",
        ]))
    return {
        "id": "coverage",
        "title": _("Enterprises with a party organization, by zone"),
        "caption": _("Operating enterprises of each industrial zone at the end of the period, "
                     "with and without a party organization of their own."),
        "empty": not any(with_org["data"]) and not any(without_org["data"]),
        "empty_text": _("No operating enterprise in these zones at the end of the period."),
        "spec": {
            "kind": "stacked",
            "labels": [z.code for z in shown],
            "titles": [z.name for z in shown],
            "datasets": [
                {"label": with_org["label"], "data": with_org["data"], "urls": with_org["urls"],
                 "color": "party"},
                {"label": without_org["label"], "data": without_org["data"],
                 "urls": without_org["urls"], "color": "muted"},
            ],
        },
        "table": _table([_("Industrial zone"), with_org["label"], without_org["label"],
                         _("Coverage")], rows),
        "link": list_url(access, "enterprises:enterprise_list", Perm.VIEW_REGISTRY,
                         {"has_party_org": "no"}, selection.zone),
        "link_text": _("Enterprises without a party organization"),
    }


def pipeline_counts(access: Access, zone_id: int | None, today: date) -> dict[str, dict]:
    """Open admission cases by stage today, with those overdue: the pipeline page's counts."""
    return stage_counts(access=access, today=today, zone_id=zone_id)


def pipeline_chart(access: Access, selection: Selection, today: date) -> dict:
    counts = pipeline_counts(access, selection.zone.pk if selection.zone else None, today)
    labels = [str(AdmissionCandidate.Stage(stage).label) for stage in OPEN_STAGES]
    on_time = [counts[s]["count"] - counts[s]["overdue"] for s in OPEN_STAGES]
    overdue = [counts[s]["overdue"] for s in OPEN_STAGES]
    url = list_url(access, "coordination:pipeline", Perm.VIEW_DASHBOARD, zone=selection.zone)
    rows = [(f"{i}. {label}", [counts[s]["count"], counts[s]["overdue"]])
            for i, (s, label) in enumerate(zip(OPEN_STAGES, labels, strict=True), start=1)]
    return {
        "id": "pipeline",
        "title": _("Admission pipeline"),
        "caption": _("Open admission cases today at each step of the procedure, overdue ones "
                     "apart."),
        "empty": not any(on_time) and not any(overdue),
        "empty_text": _("No open admission case."),
        "spec": {
            "kind": "funnel",
            "labels": labels,
            "datasets": [
                {"label": _("On time"), "data": on_time, "color": "primary"},
                {"label": _("Overdue"), "data": overdue, "color": "danger"},
            ],
            "url": url,
        },
        "table": _table([_("Step"), _("Open cases"), _("Overdue")], rows),
        "total": sum(counts[s]["count"] for s in OPEN_STAGES),
        "link": url,
        "link_text": _("Open the admission pipeline"),
    }


def months(selection: Selection, today: date) -> list[Period | None]:
    """The months of the period's year, each cut at today while it runs;
    None for those that have not started."""
    year = selection.full_period.year
    return [period.so_far(today) if period.start <= today else None
            for period in (Period.of("month", year, month) for month in range(1, 13))]


def monthly_pairs(selection: Selection, today: date) -> list[tuple[str, Period]]:
    """The (indicator, month) pairs of the trend."""
    return [(MONTHLY, period) for period in months(selection, today) if period is not None]


def monthly_chart(access: Access, selection: Selection, today: date,
                  computed: indicators.Figures | None = None) -> dict:
    """New members admitted in each month of the period's year that has
    started (every month in one query; ``computed`` when the caller computed
    :func:`monthly_pairs` already)."""
    indicator = indicators.get(MONTHLY)
    if computed is None:
        computed = indicators.compute_many(monthly_pairs(selection, today),
                                           selection.scope(access))
    year = selection.full_period.year
    labels = [f"{month:02d}/{year}" for month in range(1, 13)]
    values = [None if period is None else computed[MONTHLY, period]
              for period in months(selection, today)]
    rows = [(label, ["—" if v is None else v]) for label, v in zip(labels, values, strict=True)]
    return {
        "id": "monthly",
        "title": _("New party members per month, %(year)s") % {"year": year},
        "caption": _("Party members admitted in each month of the year (the date of the "
                     "admission ceremony)."),
        "empty": not any(values),
        "empty_text": _("No party member admitted in %(year)s.") % {"year": year},
        "spec": {
            "kind": "bar",
            "labels": labels,
            "datasets": [{"label": indicator.label, "data": values, "color": "party"}],
        },
        "table": _table([_("Month"), indicator.label], rows),
        "link": list_url(access, "coordination:member_list", Perm.VIEW_PERSONAL_DATA,
                         zone=selection.zone),
        "link_text": _("Party members"),
    }


def _plan_url(access: Access, plan: CoordinationPlan) -> str:
    if not access.can(Perm.VIEW_PLANS):
        return ""
    try:
        return plan.get_absolute_url()
    except NoReverseMatch:
        return _url("coordination:plan_list")


def plan_targets(access: Access, selection: Selection):
    """The plan of the period's year the account sees, and its targets shown
    on the dashboard (:func:`plan_selectors.targets_in_figures`): ``(None,
    [])`` without a plan."""
    year = selection.full_period.year
    plan = plan_selectors.plan_for_year(access=access, year=year)
    if plan is None:
        return None, []
    return plan, plan_selectors.targets_in_figures(
        access=access, plan=plan, zone_id=selection.zone.pk if selection.zone else None)


def plan_progress(access: Access, selection: Selection, today: date, *, plan_and_targets=None,
                  known: indicators.Figures | None = None, known_zones=None) -> dict:
    """Actual against target for each target of the plan of the period's year
    that the account may see: province-wide targets for all-zone accounts,
    zone targets within scope (and within the chosen zone). Actuals are the
    catalogue's figures for the plan's year so far, computed once per
    indicator whatever the number of targets, and each target is judged as on
    the plan's page (``targets_progress``: a stock from its figure on
    1 January)."""
    year = selection.full_period.year
    plan, targets = plan_and_targets or plan_targets(access, selection)
    result = {
        "id": "plan",
        "title": _("Coordination plan %(year)s: targets") % {"year": year},
        "caption": _("What has been achieved this year against each target of the plan, "
                     "in percent of the target."),
        "empty": True,
        "empty_text": _("There is no coordination plan for %(year)s.") % {"year": year},
        "link": "",
        "link_text": _("Open the plan"),
    }
    if plan is None:
        return result
    result["link"] = _plan_url(access, plan)
    result["status"] = plan.get_status_display()
    if not targets:
        result["empty_text"] = _("The plan has no target for these zones.")
        return result
    # Judged as on the plan's page (DESIGN §3): a stock from its figure on 1 January.
    progress = plan_selectors.targets_progress(targets, year=plan.year, today=today,
                                               known=known, known_zones=known_zones)
    labels, percent, details, rows = [], [], [], []
    for item in progress:
        target, value = item.target, item.actual
        place = target.zone.code if target.zone else _("Province")
        share = None
        if value is not None and target.target_value:
            share = round(100 * value / target.target_value)
        baseline = ("—" if item.baseline is None else item.baseline) if item.is_stock else ""
        labels.append(f"{item.label} · {place}")
        percent.append(share)
        detail = f"{'—' if value is None else value} / {target.target_value}"
        if item.is_stock:
            detail += f" · {_('On 1 January')}: {baseline}"
        details.append(f"{detail} · {item.state_label}")
        rows.append((f"{item.label} · {target.zone.name if target.zone else place}", [
            baseline, target.target_value, "—" if value is None else value,
            "—" if share is None else f"{share} %", item.state_label]))
    result.update({
        "empty": False,
        "spec": {
            "kind": "progress",
            "labels": labels,
            "datasets": [{"label": _("Achieved (percent of the target)"), "data": percent,
                          "color": "success"}],
            "details": details,
        },
        "table": _table([_("Target"), _("On 1 January"), _("Target value"), _("Achieved"),
                         _("Percent"), _("Assessment")], rows),
    })
    return result


# --- the panel ------------------------------------------------------------------------


# --- caching ------------------------------------------------------------------------------

# Seconds a computed dashboard is kept (0: never cached). Every write through
# the models or the services leaves a history row (django-simple-history, bulk
# imports included), so a change shows at once; the timeout only bounds
# writes that bypass history (raw SQL, QuerySet.update).
DEFAULT_CACHE_SECONDS = 300
# The models whose rows the figures count: a new history row of any of them
# is a new version of the data.
VERSIONED_MODELS = (
    "enterprises.IndustrialZone", "enterprises.Enterprise", "enterprises.WorkforceRecord",
    "enterprises.MassOrganization", "enterprises.PartyOrganization",
    "coordination.PartyMember", "coordination.Placement", "coordination.Recognition",
    "coordination.AdmissionCandidate", "coordination.CoordinationPlan", "coordination.PlanTarget",
    # The working cycle's figures (a conclusion is done when its task is).
    "coordination.PlanTask", "coordination.Meeting", "coordination.Conclusion",
    "coordination.Correspondence",
)
# Permissions that change what the dashboard shows (its links, the plan).
SHAPING_PERMS = (Perm.VIEW_REGISTRY, Perm.VIEW_PERSONAL_DATA, Perm.VIEW_DASHBOARD,
                 Perm.VIEW_PLANS, Perm.EDIT_PLANS, Perm.APPROVE_PLANS)


def cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


@functools.cache
def _data_version_sql() -> str:
    tables = [apps.get_model(label).history.model._meta.db_table for label in VERSIONED_MODELS]
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT MAX({quote('history_id')}) FROM {quote(table)})"
                                 for table in tables)


def data_version() -> str:
    """The latest history row of each counted model, in one cheap query
    (a maximum of primary keys). Sequences never go back, so a changed
    database never gives an earlier version again."""
    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql())
        return ".".join(str(value or 0) for value in cursor.fetchone())


def cache_key(access: Access, selection: Selection, today: date) -> str:
    parts = [
        get_language(), data_version(), today.isoformat(),
        ",".join(p.value for p in SHAPING_PERMS if access.can(p)),
        "*" if access.zone_ids is None else ",".join(map(str, sorted(access.zone_ids))),
        str(selection.zone.pk if selection.zone else ""),
        selection.period.code, selection.period.end.isoformat(),
    ]
    return "reports:dashboard:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


# --- the panel ------------------------------------------------------------------------


def compute(access: Access, selection: Selection, today: date) -> dict:
    """The figures and the charts (plain data, so it can be cached). The
    main figures, the trend's months, the working cycle's figures and, where
    the figures are the province's, the plan targets' province figures are
    computed together: one query per model they count; the models' queries,
    the chart by zone, the pipeline's counts and the zone targets' figures
    are asked side by side (:func:`core.parallel.side_by_side`)."""
    scope = selection.scope(access)
    pairs = (figure_pairs(selection) + monthly_pairs(selection, today)
             + cycle_pairs(access, selection))
    plan = None, []
    if access.can(Perm.VIEW_PLANS):
        plan = plan_targets(access, selection)
        if plan[0] is not None and scope.is_province:
            pairs += plan_selectors.province_pairs(plan[1], year=plan[0].year, today=today)
    # Independent queries, side by side on PostgreSQL (core.parallel): the
    # province's figures, the chart by zone, the pipeline's counts and the
    # zone targets' figures.
    calls = [
        functools.partial(indicators.compute_many, pairs, scope),
        functools.partial(coverage_chart, access, selection),
        functools.partial(pipeline_chart, access, selection, today),
    ]
    if plan[0] is not None:
        calls.append(functools.partial(plan_selectors.zone_figures, plan[1], year=plan[0].year,
                                       today=today))
    computed, coverage, pipeline, *zone_figures = parallel.side_by_side(calls)
    charts = [coverage, pipeline, monthly_chart(access, selection, today, computed)]
    if access.can(Perm.VIEW_PLANS):
        charts.append(plan_progress(access, selection, today, plan_and_targets=plan,
                                    known=computed if scope.is_province else None,
                                    known_zones=zone_figures[0] if zone_figures else None))
    for chart in charts:
        chart["json_id"] = f"chart-{chart['id']}-data"
    cycle = figures(access, selection, computed, CYCLE_FIGURES) \
        if shows_cycle(access, selection) else []
    return {"figures": figures(access, selection, computed), "cycle_figures": cycle,
            "charts": charts, "computed_at": timezone.now()}


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage only costs speed
        logger.warning("dashboard: cache unavailable, computing the figures")
        return None


def _cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        logger.warning("dashboard: cache unavailable, figures not kept")


def dashboard_context(request, access: Access, today: date, *,
                      selection: Selection | None = None, key: str | None = None) -> dict:
    """The panel's context: the figures and charts (from the cache under
    ``key``, or :func:`cache_key`'s, while ``DASHBOARD_CACHE_SECONDS`` allows),
    the selection and its labels."""
    selection = selection or select(request, access, today)
    seconds = cache_seconds()
    data = None
    if seconds > 0:
        key = key or cache_key(access, selection, today)
        data = _cache_get(key)
    if data is None:
        data = compute(access, selection, today)
        if seconds > 0:
            _cache_set(key, data, seconds)
    return {
        **data,
        "selection": selection,
        "all_zones": access.all_zones,
        "period_label": period_label(selection.full_period, today),
        "previous_label": selection.full_period.previous().label,
        "today": today,
    }


@panels.register("home", order=10)
def dashboard(request, _obj, access):
    """The dashboard: main figures with their change, and four charts."""
    if not access.can(Perm.VIEW_DASHBOARD):
        return ""
    today = timezone.localdate()
    selection = select(request, access, today)
    seconds = cache_seconds()
    if seconds <= 0:
        return render_to_string("reports/panels/dashboard.html",
                                dashboard_context(request, access, today, selection=selection),
                                request)
    # The rendered panel is kept with its figures, under the same key: what it
    # shows depends only on what the key covers (the language, the data's
    # version, the day, the account's permissions and zones, the selection),
    # except the warnings about the query string, so a panel with warnings is
    # rendered each time.
    key = cache_key(access, selection, today)
    html = None if selection.warnings else _cache_get(f"{key}:html")
    if html is None:
        context = dashboard_context(request, access, today, selection=selection, key=key)
        html = render_to_string("reports/panels/dashboard.html", context, request)
        if not selection.warnings:
            _cache_set(f"{key}:html", html, seconds)
    return html
