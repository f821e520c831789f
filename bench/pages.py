"""Pages: our list and dashboard vs Django admin's changelist, and queries per page.

    python bench/pages.py [N]

1. On the large data, the median server time of N requests (Django test
   client, in process: URL resolution, middleware, queries, templates) of
   ``/enterprises/?per_page=100`` and ``/`` as a Party Committee officer, and of
   ``/admin/enterprises/enterprise/`` (the same 5,000 enterprises) as a
   superuser, 100 rows on each side (counted in each answer). The requests
   of the pages compared are interleaved, so a busy machine slows both
   alike. Ratio = ours / admin: the list <= 0.6, the dashboard <= 0.3 with
   its figures cached and <= 2.0 with the cache off (the first request of a
   cache window).
2. The number of queries of every list, detail and dashboard page on the
   small and the large data (a detail page: the most over its objects, or
   about ten of them in a big table); goal: every page measured and the
   same on both.
"""

from __future__ import annotations

import sys
import time

from common import (
    LARGE_DB,
    SMALL_DB,
    count_queries,
    failed_line,
    median_ms,
    note,
    result_line,
    setup_django,
    use_database,
)

OFFICER = "canbo.dang"
# A detail page of a model with at most this many rows is counted on each of them.
ALL_OBJECTS = 60
SUPERUSER = "bench.superuser"

# Pages without arguments: lists and dashboards.
LISTS = [
    "core:home",
    "enterprises:enterprise_list",
    "enterprises:zone_list",
    "enterprises:partyorg_list",
    "coordination:pipeline",
    "coordination:candidate_list",
    "coordination:member_list",
    "coordination:recognition_due",
    "coordination:qualifying",
    "coordination:plan_list",
    "coordination:task_list",
    "coordination:committee_list",
    "surveys:campaign_list",
    "reports:report_list",
    "core:notification_list",
]
# Detail pages and the model of their object (the one with the most related rows
# where that is cheap to find, so the page shows as much as the data allows).
DETAILS = [
    ("enterprises:enterprise_detail", "enterprises.Enterprise", "party_members"),
    ("enterprises:partyorg_detail", "enterprises.PartyOrganization", "members"),
    ("coordination:member_detail", "coordination.PartyMember", None),
    ("coordination:candidate_detail", "coordination.AdmissionCandidate", None),
    ("coordination:plan_detail", "coordination.CoordinationPlan", None),
    ("coordination:task_detail", "coordination.PlanTask", None),
    ("coordination:committee_detail", "coordination.Committee", None),
    ("surveys:campaign_detail", "surveys.SurveyCampaign", None),
    ("surveys:visit_detail", "surveys.SurveyVisit", None),
    ("reports:report_detail", "reports.Report", None),
]


# Detail pages whose content depends on a state of their object (a case's
# stage decides which step form it shows): one object of each state is
# counted on each data size, on top of the spread above.
STATES = {"coordination.AdmissionCandidate": "stage"}


def _superuser():
    """A superuser who is also a Party Committee officer (the admin shows it everything)."""
    from accounts import grants
    from accounts.models import User

    user = User.objects.filter(username=SUPERUSER).first()
    if user is None:
        with grants.permitted("measurement"):
            user = User.objects.create(
                username=SUPERUSER, full_name="Bench superuser",
                organization=User.Organization.PARTY_COMMITTEE, role=User.Role.OFFICER,
                is_staff=True, is_superuser=True)
    return user


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _timed(client, url: str) -> tuple[float, int, bytes]:
    with count_queries() as counter:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, counter["n"], response.content


def _rows(content: bytes, xpath: str) -> int:
    import lxml.html

    return len(lxml.html.fromstring(content).xpath(xpath))


# Both sides show the same 100 enterprises: the admin changelist's page size
# (list_per_page) and ours chosen with ``per_page``; the rows are counted in
# each answer, and a difference fails the line.
PAGE_ROWS = 100
OUR_LIST = f"/enterprises/?per_page={PAGE_ROWS}"
OUR_ROWS = '//*[@data-testid="enterprise-row"]'
ADMIN_LIST = "/admin/enterprises/enterprise/"
ADMIN_ROWS = '//table[@id="result_list"]/tbody/tr'
BARS = {  # line: (goal text, the largest ratio that meets it)
    "enterprise_list_vs_admin": ("<= 0.6", 0.6),
    "dashboard_cached_vs_admin": ("<= 0.3", 0.3),
    "dashboard_uncached_vs_admin": ("<= 2.0: the first request of a cache window", 2.0),
}


def compare(n: int) -> None:
    from django.test import override_settings

    from accounts.models import User
    from core import indicators

    officer = _client(User.objects.get(username=OFFICER))
    admin = _client(_superuser())
    pages = {"enterprise list": (officer, OUR_LIST), "dashboard": (officer, "/"),
             "admin changelist": (admin, ADMIN_LIST)}
    samples = {name: [] for name in pages}
    queries = {}
    for _name, (client, url) in pages.items():  # warm up caches, templates, connections
        for _ in range(3):
            _timed(client, url)
    _elapsed, _count, ours_html = _timed(officer, OUR_LIST)
    _elapsed, _count, admin_html = _timed(admin, ADMIN_LIST)
    rows = {"ours": _rows(ours_html, OUR_ROWS), "admin": _rows(admin_html, ADMIN_ROWS)}
    for _ in range(n):
        for name, (client, url) in pages.items():
            elapsed, count, _content = _timed(client, url)
            samples[name].append(elapsed)
            queries[name] = count
    # The first request of each cache window computes every figure: measured
    # with the cache off, interleaved with the changelist the same way, and
    # with nothing kept from an earlier request either: the SQL of the grouped
    # queries (core.indicators._compiled, kept per process) is built again
    # each time, as in a worker's first dashboard of the day. The same
    # requests with that SQL kept (the first request after a change of the
    # data, in a worker that showed the dashboard before) are a note.
    uncached = {"dashboard": [], "admin changelist": []}
    sql_kept = []
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        _timed(officer, "/")
        for _ in range(n):
            for name in uncached:
                client, url = pages[name]
                if name == "dashboard":
                    indicators._compiled.cache_clear()
                elapsed, count, _content = _timed(client, url)
                uncached[name].append(elapsed)
                queries[f"{name} uncached"] = count
            sql_kept.append(_timed(officer, "/")[0])
    admin_ms = median_ms(samples["admin changelist"])
    admin_text = (f"admin changelist {admin_ms:.1f} ms ({queries['admin changelist']} queries, "
                  f"{rows['admin']} rows)")
    key = "enterprise_list_vs_admin"
    goal, limit = BARS[key]
    if rows["ours"] != rows["admin"] or rows["ours"] != PAGE_ROWS:
        failed_line(key, goal, f"not the same work: {rows['ours']} rows on ours, "
                               f"{rows['admin']} on the admin changelist (both must show "
                               f"{PAGE_ROWS})")
    else:
        ours = median_ms(samples["enterprise list"])
        result_line(key, ours / admin_ms, goal, ours / admin_ms <= limit,
                    f"ours {ours:.1f} ms ({queries['enterprise list']} queries, {rows['ours']} "
                    f"rows) vs {admin_text}, median of {n}")
    key = "dashboard_cached_vs_admin"
    goal, limit = BARS[key]
    ours = median_ms(samples["dashboard"])
    result_line(key, ours / admin_ms, goal, ours / admin_ms <= limit,
                f"ours {ours:.1f} ms ({queries['dashboard']} queries, figures cached) vs "
                f"{admin_text}, median of {n}")
    key = "dashboard_uncached_vs_admin"
    goal, limit = BARS[key]
    ours, admin_ms = median_ms(uncached["dashboard"]), median_ms(uncached["admin changelist"])
    result_line(key, ours / admin_ms, goal, ours / admin_ms <= limit,
                f"ours {ours:.1f} ms ({queries['dashboard uncached']} queries) with "
                f"DASHBOARD_CACHE_SECONDS=0 and the SQL built again vs admin changelist "
                f"{admin_ms:.1f} ms, median of {len(uncached['dashboard'])}")
    note(f"dashboard uncached with the grouped queries' SQL kept from an earlier request: "
         f"{median_ms(sql_kept):.1f} ms ({median_ms(sql_kept) / admin_ms:.2f} x the changelist)")


def _urls_for(name: str, model_label: str | None = None, related: str | None = None) -> list:
    """The URLs of a page: one for a list; for a detail page, those of every
    object of a small table, else of about ten (spread over the table, and those
    with the most ``related`` rows), since what a detail page shows depends on
    its object."""
    from django.apps import apps
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    if model_label is None:
        try:
            return [reverse(name)]
        except NoReverseMatch:
            return []
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return []
    every = list(model.objects.order_by("pk").values_list("pk", flat=True))
    if len(every) <= ALL_OBJECTS:
        pks = every
    else:
        step = max(1, len(every) // 6)
        pks = every[:2] + every[step::step][:5] + every[-1:]
    if related:
        pks += list(model.objects.annotate(n=Count(related)).order_by("-n", "pk")
                    .values_list("pk", flat=True)[:3])
    state = STATES.get(model_label)
    if state:  # one object in each state: a page shows each state's forms
        pks += [pk for _value, pk in sorted(
            {value: pk for pk, value in model.objects.order_by("-pk").values_list("pk", state)}
            .items(), key=lambda item: str(item[0]))]
    urls = []
    for pk in dict.fromkeys(pks):
        try:
            urls.append(reverse(name, args=[pk]))
        except NoReverseMatch:
            return []
    return urls


def query_table() -> None:
    from accounts.models import User

    pages = [(name, None, None) for name in LISTS] + DETAILS
    counts: dict[str, dict[str, int | str]] = {}
    for database, size in ((SMALL_DB, "small"), (LARGE_DB, "large")):
        use_database(database)
        client = _client(User.objects.get(username=OFFICER))
        for name, model_label, related in pages:
            urls = _urls_for(name, model_label, related)
            found: list = []
            for url in urls:
                client.get(url)  # warm-up: first-request caches
                with count_queries() as counter:
                    response = client.get(url)
                found.append(counter["n"] if response.status_code == 200
                             else f"HTTP {response.status_code}")
            numbers = [n for n in found if isinstance(n, int)]
            errors = [n for n in found if not isinstance(n, int)]
            counts.setdefault(name, {})[size] = (
                errors[0] if errors else max(numbers) if numbers else "—")
    width = max(len(name) for name in counts)
    print(f"  {'page'.ljust(width)}  small  large", flush=True)
    same, failures = 0, []
    for name, row in counts.items():
        small, large = row.get("small", "—"), row.get("large", "—")
        # A page not measured (no object to show, no URL) or answering an
        # error is a failure, never "the same on both".
        measured = isinstance(small, int) and isinstance(large, int)
        equal = measured and small == large
        flag = "" if equal else ("  <- differs" if measured else "  <- not measured")
        same += equal
        if not equal:
            failures.append(name)
        print(f"  {name.ljust(width)}  {str(small):>5}  {str(large):>5}{flag}", flush=True)
    result_line("queries_per_page", same / len(counts), "1.00: every page measured and the "
                "same at small and large", not failures,
                f"{same} of {len(counts)} pages equal"
                + (f"; not equal or not measured: {', '.join(failures)}" if failures else ""))


def main(n: int) -> None:
    setup_django(LARGE_DB)
    compare(n)
    query_table()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
