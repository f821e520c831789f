"""Independent read queries side by side (core.parallel).

The pool only runs on data other connections can see: these tests commit
theirs (``transaction=True``) and close the pool's connections at the end, so
the test database can be dropped. Everywhere else the tests run with
``PARALLEL_QUERY_THREADS = 0``.
"""

import threading

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from accounts.policy import access_for
from coordination.models import CoordinationPlan
from core import indicators, parallel
from reports import panels
from tests.conftest import _role_user, make_zone_a, make_zone_b
from tests.coordination.factories import make_plan
from tests.reports.factories import populate_both


@pytest.fixture
def pool(settings):
    settings.PARALLEL_QUERY_THREADS = 2
    yield
    parallel.shutdown()


def _thread_name():
    return threading.current_thread().name


@pytest.mark.django_db(transaction=True)
def test_calls_run_beside_the_calling_thread_and_answer_in_order(pool):
    barrier = threading.Barrier(3, timeout=10)

    def call(n):
        def run():
            # All three at once: each waits for the other two, so this
            # passes only if they really run side by side.
            barrier.wait()
            return n, _thread_name(), connection.vendor
        return run

    answers = parallel.side_by_side([call(0), call(1), call(2)])
    assert [n for n, _name, _vendor in answers] == [0, 1, 2]
    names = [name for _n, name, _vendor in answers]
    assert names[0] == threading.current_thread().name
    assert all(name.startswith("side-by-side") for name in names[1:])
    assert len(set(names)) == 3


@pytest.mark.django_db(transaction=True)
def test_one_after_another_inside_a_transaction_without_threads_and_inside_the_pool(
        pool, settings):
    calls = [_thread_name, _thread_name]
    me = threading.current_thread().name
    with transaction.atomic():
        # Another connection would not see what this transaction wrote.
        assert not parallel.runs_side_by_side()
        assert parallel.side_by_side(calls) == [me, me]
    settings.PARALLEL_QUERY_THREADS = 0
    assert parallel.side_by_side(calls) == [me, me]
    settings.PARALLEL_QUERY_THREADS = 2

    def nested():
        # A call run by the pool does not wait on the pool.
        return parallel.runs_side_by_side(), parallel.side_by_side(calls)

    first, (inside, names) = parallel.side_by_side([_thread_name, nested])
    assert first == me
    assert inside is False
    assert names[0] == names[1] != me


@pytest.mark.django_db(transaction=True)
def test_the_calling_thread_runs_what_the_busy_pool_has_not_started(pool):
    release, started = threading.Event(), threading.Barrier(3, timeout=10)

    def busy():
        started.wait()
        release.wait(10)
        return _thread_name()

    # Another caller's calls hold both pool threads (and that caller waits
    # in its first call, so it takes nothing back from the pool).
    other = threading.Thread(target=parallel.side_by_side,
                             args=([lambda: release.wait(10), busy, busy],))
    other.start()
    try:
        started.wait()  # both busy calls have started, in the pool's two threads
        me = threading.current_thread().name
        # Nothing left for the pool: this thread runs all three itself, in order.
        assert parallel.side_by_side([lambda: (0, _thread_name()), lambda: (1, _thread_name()),
                                      lambda: (2, _thread_name())]) == [(0, me), (1, me), (2, me)]
    finally:
        release.set()
        other.join(10)


@pytest.mark.django_db(transaction=True)
def test_an_error_in_a_call_is_raised_once_every_call_has_ended(pool):
    ended = []

    def slow():
        threading.Event().wait(0.2)
        ended.append("slow")
        return "slow"

    def fails():
        raise ValueError("no such figure")

    with pytest.raises(ValueError, match="no such figure"):
        parallel.side_by_side([fails, slow])
    assert ended == ["slow"]
    with pytest.raises(ValueError, match="no such figure"):
        parallel.side_by_side([slow, fails])
    assert ended == ["slow", "slow"]
    # The pool is still usable afterwards.
    assert parallel.side_by_side([lambda: 1, lambda: 2]) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_side_by_side_has_the_figures_of_one_query_after_another(
        pool, settings, monkeypatch):
    zone_a, zone_b = make_zone_a(), make_zone_b()
    populate_both(zone_a, zone_b)
    today = timezone.localdate()
    make_plan(today.year, status=CoordinationPlan.Status.APPROVED,
              targets=[("members", zone_a, 10), ("enterprises_with_party_org", None, 3),
                       ("members_new", zone_b, 2)])
    users = [_role_user("pc_officer"), _role_user("iz_officer", zone_a)]
    threads = []
    run = indicators._run

    def recording_run(*args, **kwargs):
        threads.append(_thread_name())
        return run(*args, **kwargs)

    monkeypatch.setattr(indicators, "_run", recording_run)
    for user in users:
        access = access_for(user)
        request = RequestFactory().get("/")
        selection = panels.select(request, access, today)
        settings.PARALLEL_QUERY_THREADS = 0
        threads.clear()
        alone = panels.compute(access, selection, today)
        assert set(threads) == {threading.current_thread().name}
        settings.PARALLEL_QUERY_THREADS = 2
        threads.clear()
        together = panels.compute(access, selection, today)
        assert any(name.startswith("side-by-side") for name in threads), user
        for result in (alone, together):
            del result["computed_at"]
        assert together == alone, user.username
        # The figures are not all zero: the comparison compares something.
        assert any(figure["value"] for figure in together["figures"])


@pytest.mark.django_db(transaction=True)
def test_an_execute_wrapper_sees_the_queries_of_every_thread(pool):
    seen = []
    lock = threading.Lock()

    def wrapper(execute, sql, params, many, context):
        with lock:
            seen.append(_thread_name())
        return execute(sql, params, many, context)

    def query():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return _thread_name()

    with parallel.execute_wrapper(wrapper):
        names = parallel.side_by_side([query, query, query])
    assert sorted(seen) == sorted(names)
    assert seen.count(threading.current_thread().name) == 1
    assert sum(name.startswith("side-by-side") for name in seen) == 2
    # Gone once the block has ended.
    parallel.side_by_side([query, query])
    assert len(seen) == 3


@pytest.mark.django_db(transaction=True)
def test_a_call_runs_in_the_calling_thread_s_language_and_time_zone(pool):
    import zoneinfo

    from django.utils import timezone as tz
    from django.utils import translation
    from django.utils.translation import gettext

    def seen():
        return translation.get_language(), str(tz.get_current_timezone()), gettext("Period")

    words = {}
    for language, zone in (("en", "Asia/Ho_Chi_Minh"), ("vi", "UTC")):
        with translation.override(language), tz.override(zoneinfo.ZoneInfo(zone)):
            answers = parallel.side_by_side([seen, seen, seen])
            assert answers == [(language, zone, answers[0][2])] * 3
            words[language] = answers[0][2]
    # The word was translated in each language, so the threads really switched.
    assert words["en"] == "Period" != words["vi"]


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_in_english_side_by_side_is_in_english(pool, settings):
    from django.utils import translation

    zone_a, zone_b = make_zone_a(), make_zone_b()
    populate_both(zone_a, zone_b)
    today = timezone.localdate()
    access = access_for(_role_user("pc_officer"))
    with translation.override("en"):
        selection = panels.select(RequestFactory().get("/"), access, today)
        together = panels.compute(access, selection, today)
        settings.PARALLEL_QUERY_THREADS = 0
        alone = panels.compute(access, selection, today)
    titles = [chart["title"] for chart in together["charts"]]
    assert titles == [chart["title"] for chart in alone["charts"]]
    assert "Enterprises with a party organization, by zone" in titles
    assert "Admission pipeline" in titles
