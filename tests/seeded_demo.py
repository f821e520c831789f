"""seed_demo's data for the tests that read it, seeded once per test process.

A dozen tests in six modules read what ``seed_demo`` writes for the same
arguments, and a seeding takes some ten seconds. ``seed_demo(*args)`` seeds
for real the first time a process asks for those arguments (on the same day),
in a transaction rolled back at once, and keeps the rows of every table the
seeding filled (``COPY ... TO``); then, and for every later test that asks, it
writes the same rows into the current transaction (``COPY ... FROM``), in a
fraction of a second, where they are rolled back after the test like any row
the test writes. The determinism tests compare such a copy with a fresh
seeding, which also proves the copy equal to what seed_demo writes.

A copy serves only a database as it was made on: the tables the seeding
filled empty, and the others (content types, permissions, beat schedules ...)
as they were, row for row; otherwise the demo is seeded again (a
transactional test's flush, for one, makes the content types again under new
ids).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from core.management.commands.seed_demo import Command


@dataclass(frozen=True)
class _Copy:
    rows: dict[str, str]   # each table the seeding filled: its rows, as COPY writes them
    base: dict[str, str]   # each table that had rows before: a digest of them
    stdout: str            # what seed_demo printed


_copies: dict[tuple, _Copy] = {}


def seed_demo(*args: str) -> str:
    """The database as ``manage.py seed_demo *args`` leaves it, in the current
    transaction (whose tables seed_demo fills must be empty); returns what
    seed_demo printed."""
    options = Command().create_parser("manage.py", "seed_demo").parse_args(args)
    key = (options.size, options.seed, timezone.localdate())
    with connection.cursor() as cursor:
        copy = _copies.get(key)
        if copy is None or _digests(cursor, list(copy.base)) != copy.base:
            copy = _copies[key] = _seed(cursor, args)
        _restore(cursor, copy)
    return copy.stdout


def _seed(cursor, args) -> _Copy:
    tables = sorted(connection.introspection.table_names(cursor, include_views=False))
    before = _counts(cursor, tables)
    base = _digests(cursor, [table for table in tables if before[table]])
    stdout = io.StringIO()
    with transaction.atomic():
        call_command("seed_demo", *args, stdout=stdout)
        after = _counts(cursor, tables)
        filled = [table for table in tables if after[table] != before[table]]
        assert filled and not any(before[table] for table in filled), (
            "seed_demo added rows to tables that had some: "
            f"{[table for table in filled if before[table]]}")
        assert _digests(cursor, list(base)) == base, "seed_demo changed rows it did not write"
        rows = {}
        for table in filled:
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
            rows[table] = buffer.getvalue()
        transaction.set_rollback(True)
    return _Copy(rows=rows, base=base, stdout=stdout.getvalue())


def _restore(cursor, copy: _Copy) -> None:
    counts = _counts(cursor, list(copy.rows))
    assert not any(counts.values()), (
        f"the demo's tables must be empty: {[t for t, n in counts.items() if n]}")
    for table, rows in copy.rows.items():
        cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} FROM STDIN",
                           io.StringIO(rows))
    # The ids the tests write next follow the demo's, as after a seeding.
    models = [model for model in apps.get_models(include_auto_created=True)
              if model._meta.db_table in copy.rows]
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(sql)


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    cursor.execute(" UNION ALL ".join(
        f"SELECT %s, COUNT(*) FROM {quote(table)}" for table in tables), tables)
    return dict(cursor.fetchall())


def _digests(cursor, tables: list[str]) -> dict[str, str]:
    if not tables:
        return {}
    quote = connection.ops.quote_name
    cursor.execute(" UNION ALL ".join(
        f"SELECT %s, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f"FROM {quote(table)} t" for table in tables), tables)
    return dict(cursor.fetchall())
