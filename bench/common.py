"""Shared helpers of the bench scripts: Django set-up, databases, timing, output.

Every script runs inside ``scripts/with_services.sh`` (DATABASE_URL points at a
throwaway PostgreSQL) with the settings ``bench/run.sh`` exports; run
``make bench`` rather than a script alone.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("DEMO_DATA_ALLOWED", "True")

# The databases of one bench run (all in the throwaway cluster).
LARGE_DB = "app"  # the `large` demo data
EMPTY_DB = "bench_empty"  # migrated, nothing else: the template of the others
SMALL_DB = "bench_small"  # the `small` demo data
DOUBLE_DB = "bench_double"  # twice the `large` data
IMPORT_DB = "bench_import"  # zones only: an empty registry to import into


def setup_django(database: str | None = None):
    """Configure Django, optionally on another database of the same cluster."""
    if database:
        os.environ["DATABASE_URL"] = database_url(database)
    import django

    django.setup()


def database_url(name: str) -> str:
    base = os.environ.get("BENCH_BASE_DATABASE_URL") or os.environ["DATABASE_URL"]
    os.environ.setdefault("BENCH_BASE_DATABASE_URL", base)
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection():
    import psycopg2

    parts = urlsplit(database_url("postgres"))
    connection = psycopg2.connect(host=parts.hostname, port=parts.port, user=parts.username,
                                  password=parts.password, dbname="postgres")
    connection.autocommit = True
    return connection


def create_database(name: str, *, template: str | None = None) -> None:
    """(Re)create database ``name``, a copy of ``template`` when given."""
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if template:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def use_database(name: str) -> None:
    """Point Django's default connection at another database of the cluster."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def machine() -> str:
    """CPU model, cores, RAM, load and versions, on one line."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {model}, {os.cpu_count()} cores, {ram} RAM; load average {load}; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@contextmanager
def count_queries():
    """Count the queries run on the default connection inside the block,
    those asked side by side by core.parallel's threads included."""
    import threading

    from core import parallel

    counter = {"n": 0}
    lock = threading.Lock()

    def wrapper(execute, sql, params, many, context):
        with lock:
            counter["n"] += 1
        return execute(sql, params, many, context)

    with parallel.execute_wrapper(wrapper):
        yield counter


class Stopwatch:
    def __init__(self):
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def result_line(name: str, ratio: float | None, goal: str, ok: bool, raw: str) -> str:
    """One result line: ``NAME: ratio=X (goal ...) ok|MISSED  raw figures``.

    Every line is a bar and is judged: ``ok`` must be a bool (a line that
    cannot be judged is a failure, written with :func:`failed_line`).
    ``bench/run.sh`` exits non-zero when any line says MISSED.
    """
    if not isinstance(ok, bool):
        raise TypeError(f"{name}: every bench line is judged (ok must be True or False)")
    ratio_text = "n/a" if ratio is None else f"{ratio:.2f}"
    verdict = "ok" if ok else "MISSED"
    line = f"{name}: ratio={ratio_text} (goal {goal}) {verdict}  {raw}"
    print(line, flush=True)
    summary = os.environ.get("BENCH_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return line


def failed_line(name: str, goal: str, reason: str) -> str:
    """A bar that could not be measured: it is MISSED, with the reason."""
    return result_line(name, None, goal, False, f"not measured: {reason}")


def note(text: str) -> None:
    print(f"  {text}", flush=True)


if __name__ == "__main__":
    print(machine(), flush=True)
