"""Independent read queries of one request, run side by side.

A dashboard computed afresh (the first request after a change of the data)
asks PostgreSQL a dozen independent questions, one per model its figures
count; asked one after the other they take about 75 ms on the large demo
data. :func:`side_by_side` runs such calls in a small pool of threads, each
with its own database connection, while the calling thread runs the first
one: PostgreSQL answers them on several cores at once, and Python builds the
next query while the database works on the last (psycopg2 releases the GIL
while it waits).

Everything here is on the default database (the project has one).

The calls run one after the other, in the calling thread, when:

- ``PARALLEL_QUERY_THREADS`` is 0 (the tests' setting, see below) or there is
  one call;
- the database is not PostgreSQL (SQLite, the embedded default, has one
  writer and nothing to gain);
- the calling thread is inside a transaction (``atomic``): another
  connection would not see what it has not committed, so the answers could
  differ;
- the calling thread is itself one of the pool's (no call waits on the pool
  from inside it, so the pool cannot deadlock).

A call runs in the calling thread's language and time zone (Django keeps
both per thread): a chart's title computed beside the request is in the
language the page is in.

So the figures are the same either way; only the time differs. Each pool
thread keeps its connection between calls, handled as Django handles a
request's (``close_old_connections`` before and after each call:
``CONN_MAX_AGE``, health checks, a connection left broken is dropped). The
pool is created on first use in each process (gunicorn forks its workers
from a preloaded master: threads do not survive a fork).

The tests run with ``PARALLEL_QUERY_THREADS = 0``, their data being inside
each test's transaction; ``tests/core/test_parallel.py`` runs the pool on
committed data and compares with the calls one after the other.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.utils import timezone, translation

T = TypeVar("T")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_pool_size = 0
_local = threading.local()
# The database wrappers the pool's threads opened (closed by shutdown()).
_wrappers: list = []


def threads() -> int:
    """How many threads may run calls beside the calling one."""
    return max(0, int(getattr(settings, "PARALLEL_QUERY_THREADS", 0)))


# Execute wrappers put around every call the pool runs (execute_wrapper()).
_call_wrappers: list[Callable] = []


@contextlib.contextmanager
def execute_wrapper(wrapper: Callable):
    """Django's ``connection.execute_wrapper(wrapper)`` for the calling
    thread and for every call the pool runs meanwhile (a count of a page's
    queries counts those asked side by side too). ``wrapper`` may be called
    from several threads at once."""
    with _lock:
        _call_wrappers.append(wrapper)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(wrapper):
            yield
    finally:
        with _lock:
            _call_wrappers.remove(wrapper)


def _in_pool_thread(call: Callable[[], T], language: str | None, zone) -> T:
    """Run ``call`` in a pool thread as the calling thread would: in its
    language and time zone (both thread-local in Django), on this thread's
    connection, under the execute wrappers in force."""
    if not getattr(_local, "in_pool", False):
        _local.in_pool = True
        with _lock:
            _wrappers.append(connections[DEFAULT_DB_ALIAS])
    close_old_connections()
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(translation.override(language))
            stack.enter_context(timezone.override(zone))
            with _lock:
                wrappers = list(_call_wrappers)
            for wrapper in wrappers:
                stack.enter_context(connections[DEFAULT_DB_ALIAS].execute_wrapper(wrapper))
            return call()
    finally:
        close_old_connections()


def _executor(size: int) -> ThreadPoolExecutor:
    global _pool, _pool_pid, _pool_size
    if _pool is not None and _pool_pid == os.getpid() and _pool_size != size:
        shutdown()  # another size asked for (tests): this process's pool goes first
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            # A pool inherited through a fork has no threads, and the
            # connections it opened belong to the parent: start afresh
            # without touching them.
            _pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="side-by-side")
            _pool_pid, _pool_size = os.getpid(), size
            _wrappers.clear()
        return _pool


def runs_side_by_side() -> bool:
    """Whether :func:`side_by_side` would use the pool here and now."""
    connection = connections[DEFAULT_DB_ALIAS]
    return (threads() > 0 and connection.vendor == "postgresql"
            and not connection.in_atomic_block and not getattr(_local, "in_pool", False))


def side_by_side(calls: list[Callable[[], T]]) -> list[T]:
    """The result of each of ``calls`` (functions of no argument that read
    the database), in order: the first run by the calling thread, the others
    by the pool meanwhile, when :func:`runs_side_by_side`; else one after the
    other. Once done with the first, the calling thread runs those the pool
    has not started yet itself. An exception of a call is raised here, once
    every call has ended."""
    if len(calls) <= 1 or not runs_side_by_side():
        return [call() for call in calls]
    pool = _executor(threads())
    language, zone = translation.get_language(), timezone.get_current_timezone()
    futures = [pool.submit(_in_pool_thread, call, language, zone) for call in calls[1:]]
    results: dict[int, T] = {}
    try:
        results[0] = calls[0]()
        # The calls no pool thread has started yet (the pool busy with
        # another caller's, or fewer threads than calls): this thread runs
        # them itself rather than wait.
        for index, future in enumerate(futures, start=1):
            if future.cancel():
                results[index] = calls[index]()
    finally:
        wait(futures)
    return [results[0], *(results[index] if index in results else future.result()
                          for index, future in enumerate(futures, start=1))]


def shutdown() -> None:
    """Stop the pool and close its threads' connections (tests, before the
    test database is dropped)."""
    global _pool, _pool_pid
    with _lock:
        pool, _pool, _pool_pid = _pool, None, None
        wrappers = list(_wrappers)
        _wrappers.clear()
    if pool is not None:
        pool.shutdown(wait=True)
    for wrapper in wrappers:
        if wrapper.connection is not None:
            wrapper.connection.close()
            wrapper.connection = None
