"""build_report: time vs bare openpyxl write-only, and peak memory at 1x and 2x data.

    python bench/report.py [--double]

Each measurement runs in a fresh process (bench/report_child.py), so its
peak RSS (ru_maxrss) is the report's alone: Django, the queries and the
workbook. The year report (``--period <this year>``) of the large data is
built, then the same cells are written with a bare openpyxl write-only
workbook; ratio = build time / bare time (goal <= 1.5). Peak memory goal:
the process under 150 MB, and the report's own allocation flat when the data
doubles (``--double``: the same on the database with twice the large data).
The report's own allocation is tracemalloc's peak during the call, in one
more run on each side (tracing slows it down; that run is not timed): RSS
moves by whole megabytes with what the allocator keeps, where the report's
own is a few megabytes, so a difference of one megabyte of RSS says nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from common import DOUBLE_DB, LARGE_DB, failed_line, note, result_line

HERE = Path(__file__).resolve().parent
MEMORY_LIMIT_MB = 150.0
TIME_RATIO = 1.5
# The report's own allocation may grow this much when the data doubles.
FLAT = 1.1


def _child(*args) -> dict:
    completed = subprocess.run([sys.executable, str(HERE / "report_child.py"), *args],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"report_child {args[0]} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _build(database: str, period: str, output: Path, repeat: int) -> dict:
    """``repeat`` runs, each in a fresh process; the fastest time, and the
    smallest peak (the least disturbed run) of the process and of the report's
    own allocation (peak RSS above the RSS just before the call)."""
    runs = [_child("build", database, period, str(output)) for _ in range(repeat)]
    traced = _child("build", database, period, str(output), "trace")
    return {"seconds": min(r["seconds"] for r in runs),
            "peak_rss_mb": min(r["peak_rss_mb"] for r in runs),
            "report_mb": min(r["peak_rss_mb"] - r["rss_before_mb"] for r in runs),
            "rss_before_mb": min(r["rss_before_mb"] for r in runs),
            "traced_mb": traced["traced_peak_mb"]}


def main(double: bool) -> None:
    workdir = Path(os.environ.get("BENCH_DIR", "/tmp"))
    repeat = int(os.environ.get("BENCH_REPORT_REPEAT", "2"))
    period = str(date.today().year)
    report = workdir / f"report-{period}.xlsx"
    built = _build(LARGE_DB, period, report, repeat)
    bare_runs = [_child("bare", str(report), str(workdir / "bare.xlsx")) for _ in range(repeat)]
    bare = min(bare_runs, key=lambda r: r["seconds"])
    ratio = built["seconds"] / bare["seconds"]
    note(f"report {period}: {bare['sheets']} sheets, {bare['rows']} rows, {bare['cells']} cells, "
         f"{report.stat().st_size / 1024:.0f} KiB")
    result_line("build_report_vs_bare_openpyxl", ratio, f"<= {TIME_RATIO}", ratio <= TIME_RATIO,
                f"build_report {built['seconds']:.2f} s vs bare write-only "
                f"{bare['seconds']:.2f} s (the same {bare['cells']} cells), best of {repeat}")
    peak = built["peak_rss_mb"]
    result_line("build_report_peak_memory", peak / MEMORY_LIMIT_MB,
                f"< 1.0 of {MEMORY_LIMIT_MB:.0f} MB", peak < MEMORY_LIMIT_MB,
                f"peak RSS {peak:.0f} MB of the process (before the call: "
                f"{built['rss_before_mb']:.0f} MB; the report's own {built['report_mb']:.0f} MB) "
                "on the large data")
    if not double:
        failed_line("build_report_memory_flat_at_double_data", f"<= {FLAT}",
                    "BENCH_SKIP_DOUBLE=1 (the 2x data was not seeded)")
        return
    doubled = _build(DOUBLE_DB, period, workdir / f"report-{period}-double.xlsx", repeat)
    growth = doubled["traced_mb"] / built["traced_mb"]
    result_line("build_report_memory_flat_at_double_data", growth,
                f"<= {FLAT} (flat) and the process < {MEMORY_LIMIT_MB:.0f} MB",
                growth <= FLAT and doubled["peak_rss_mb"] < MEMORY_LIMIT_MB,
                f"the report's own allocation (tracemalloc peak during the call) "
                f"{doubled['traced_mb']:.1f} MB at 2x data vs {built['traced_mb']:.1f} MB at 1x "
                f"(peak RSS above the RSS before the call: {doubled['report_mb']:.0f} vs "
                f"{built['report_mb']:.0f} MB); process peak {doubled['peak_rss_mb']:.0f} MB; "
                f"time {doubled['seconds']:.2f} s vs {built['seconds']:.2f} s")

if __name__ == "__main__":
    main("--double" in sys.argv[1:])
