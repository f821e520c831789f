"""One measurement of bench/report.py, in a process of its own (for its peak RSS).

    python bench/report_child.py build DATABASE PERIOD OUTPUT.xlsx [trace]
    python bench/report_child.py bare INPUT.xlsx OUTPUT.xlsx

``build``: ``manage.py build_report --period PERIOD --output OUTPUT`` in this
process, timed from the call to the file's completion (its modules imported
before, as in a running worker; the bare side's imports are not timed either). ``bare``: the cell
values of every sheet of INPUT read into memory first (not timed), then
written to OUTPUT with a plain openpyxl write-only workbook, no styling:
"merely writing the same cells". Prints one JSON line: seconds, the process's
peak RSS (ru_maxrss) and, for build, the RSS before the call. ``trace``: the
call runs under tracemalloc and the line adds its peak (what the report itself
allocated, to the byte, whatever the allocator keeps); such a run is slower
and is not used for time.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def build(database: str, period: str, output: str, trace: str = "") -> dict:
    from common import setup_django

    setup_django(database)
    import io

    from django.core.management import call_command
    from django.db import connection

    import reports.management.commands.build_report  # noqa: F401 (imports untimed)
    import reports.workbook  # noqa: F401

    connection.ensure_connection()
    if trace:
        import tracemalloc

        tracemalloc.start()
    before = _current_rss_mb()
    start = time.perf_counter()
    call_command("build_report", "--period", period, "--output", output, stdout=io.StringIO())
    seconds = time.perf_counter() - start
    figures = {"seconds": seconds, "peak_rss_mb": _rss_mb(), "rss_before_mb": before}
    if trace:
        figures["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return figures


def bare(source: str, output: str) -> dict:
    from openpyxl import Workbook, load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    sheets = [(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
              for sheet in book.worksheets]
    book.close()
    cells = sum(len(row) for _title, rows in sheets for row in rows)
    start = time.perf_counter()
    out = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = out.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out.save(output)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cells": cells, "rows": sum(len(r) for _t, r in sheets),
            "sheets": len(sheets)}


if __name__ == "__main__":
    mode = sys.argv[1]
    figures = build(*sys.argv[2:6]) if mode == "build" else bare(*sys.argv[2:4])
    print(json.dumps(figures), flush=True)
