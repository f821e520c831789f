"""Importing 5,000 enterprises: ours vs django-import-export, and the web import.

    python bench/imports.py

The file is the large demo's registry as ``export_workbook --kind
enterprises`` writes it (the import template's columns: 5,000 enterprises
with their workforce figures, unions and youth unions). Each import starts
from an empty registry holding only the 20 zones (a fresh copy of one
database), so both sides create every row:

* ours: ``manage.py import_workbook --kind enterprises FILE`` (in process,
  timed from reading the file to the commit);
* theirs: ``EnterpriseResource`` (bench/import_export_resource.py says what it
  does) over the same file loaded with tablib, ``import_data(dry_run=False)``.

Ratio = ours / theirs; goal <= 0.1, and both sides must have written the
same rows (enterprises, workforce records, unions), all of the file's. Then
the web import of the same file as a Party Committee officer (upload,
preview = a dry run, confirm): each request must answer as expected (302,
200, 302), the run must end applied with the same rows as the command, and
each request must stay inside gunicorn's 60 s timeout.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from common import (
    EMPTY_DB,
    IMPORT_DB,
    LARGE_DB,
    create_database,
    failed_line,
    note,
    result_line,
    setup_django,
    use_database,
)

RUN_DB = "bench_import_run"
OFFICER = "bench.officer"
WEB_TIMEOUT = 60.0


def _export(path: Path) -> int:
    from django.core.management import call_command

    from enterprises.models import Enterprise

    use_database(LARGE_DB)
    call_command("export_workbook", "--kind", "enterprises", str(path), stdout=io.StringIO())
    return Enterprise.objects.count()


def _prepare_zones() -> None:
    """IMPORT_DB: migrated, with the large demo's 20 zones, one officer and nothing else."""
    from accounts import grants
    from accounts.models import User
    from accounts.services import account_create
    from enterprises import services
    from enterprises.models import IndustrialZone

    use_database(LARGE_DB)
    zones = list(IndustrialZone.objects.values("code", "name", "commune", "province", "area_ha",
                                               "established_on", "is_active"))
    use_database("postgres")
    create_database(IMPORT_DB, template=EMPTY_DB)
    use_database(IMPORT_DB)
    for zone in zones:
        services.zone_create(**zone)
    with grants.permitted("measurement"):
        account_create(username=OFFICER, password="Bench@Import-2026",
                       full_name="Cán bộ nhập liệu",
                       organization=User.Organization.PARTY_COMMITTEE, role=User.Role.OFFICER)
    use_database("postgres")


def _fresh_registry() -> None:
    use_database("postgres")
    create_database(RUN_DB, template=IMPORT_DB)
    use_database(RUN_DB)


def _counts() -> tuple[int, int, int]:
    from enterprises.models import Enterprise, MassOrganization, WorkforceRecord

    return (Enterprise.objects.count(), WorkforceRecord.objects.count(),
            MassOrganization.objects.count())


def ours(path: Path) -> tuple[float, tuple]:
    from django.core.management import call_command

    _fresh_registry()
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        call_command("import_workbook", "--kind", "enterprises", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        raise SystemExit(f"import_workbook failed: {err.getvalue()[:2000]}") from exc
    elapsed = time.perf_counter() - start
    return elapsed, _counts()


def theirs(path: Path) -> tuple[float, tuple]:
    import tablib
    from import_export_resource import EnterpriseResource

    _fresh_registry()
    start = time.perf_counter()
    with open(path, "rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    result = EnterpriseResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export refused rows: "
                         f"{[r.error for r in result.invalid_rows[:3]]}")
    return elapsed, _counts()


def web(path: Path, expected: tuple) -> None:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from core.models import ImportRun

    _fresh_registry()
    client = Client()
    client.force_login(User.objects.get(username=OFFICER))
    with open(path, "rb") as handle:
        start = time.perf_counter()
        response = client.post(reverse("core:import_upload", kwargs={"kind": "enterprises"}),
                               {"file": handle, "as_of": time.strftime("%d/%m/%Y")})
        upload = time.perf_counter() - start
    problems = []
    if response.status_code != 302:
        problems.append(f"upload answered {response.status_code}")
    preview_url = response.get("Location", "")
    start = time.perf_counter()
    response = client.get(preview_url) if preview_url else None
    preview = time.perf_counter() - start
    if response is None or response.status_code != 200:
        problems.append(f"preview answered {getattr(response, 'status_code', 'nothing')}")
    run = ImportRun.objects.order_by("-pk").first()
    start = time.perf_counter()
    response = client.post(reverse("core:import_confirm", kwargs={"pk": run.pk})) if run else None
    confirm = time.perf_counter() - start
    if response is None or response.status_code != 302:
        problems.append(f"confirm answered {getattr(response, 'status_code', 'nothing')}")
    counts = _counts()
    if run is not None:
        run.refresh_from_db()
        if run.status != ImportRun.Status.APPLIED:
            problems.append(f"the run ended {run.status}")
    if counts != expected:
        problems.append(f"the web import wrote {counts}, the command {expected} "
                        "(enterprises, workforce, unions)")
    name, goal = ("web_import_5000_slowest_request_vs_timeout",
                  "< 1.0: each request inside gunicorn's 60 s, the same rows as the command")
    if problems:
        failed_line(name, goal, "; ".join(problems))
        return
    slowest = max(upload, preview, confirm)
    result_line(name, slowest / WEB_TIMEOUT, goal, slowest < WEB_TIMEOUT,
                f"upload {upload:.1f} s, preview (dry run) {preview:.1f} s, confirm "
                f"{confirm:.1f} s; run {run.status}, {run.created_count} created; "
                f"registry {counts[0]} enterprises")


def main() -> None:
    setup_django(LARGE_DB)
    workdir = Path(os.environ.get("BENCH_DIR", "/tmp"))
    path = workdir / "enterprises-5000.xlsx"
    exported = _export(path)
    note(f"import file: {exported} enterprises exported, {path.stat().st_size / 1024:.0f} KiB")
    _prepare_zones()
    repeat = int(os.environ.get("BENCH_IMPORT_REPEAT", "1"))
    our_times, their_times = [], []
    for _ in range(repeat):
        seconds, our_counts = ours(path)
        our_times.append(seconds)
        seconds, their_counts = theirs(path)
        their_times.append(seconds)
    ours_s, theirs_s = min(our_times), min(their_times)
    ratio = ours_s / theirs_s
    rows = our_counts[0]
    name, goal = "import_5000_enterprises_vs_django_import_export", "<= 0.1, the same rows written"
    # Both sides must have written the same rows, all of the file's enterprises.
    if our_counts != their_counts or rows != exported:
        failed_line(name, goal, f"not the same work: ours wrote {our_counts}, theirs "
                                f"{their_counts} (enterprises, workforce, unions); the file "
                                f"holds {exported} enterprises")
    else:
        result_line(name, ratio, goal, ratio <= 0.1,
                    f"ours {ours_s:.1f} s ({ours_s / rows * 1000:.1f} ms/row) vs "
                    f"django-import-export {theirs_s:.1f} s ({theirs_s / rows * 1000:.1f} ms/row); "
                    f"both wrote {our_counts} (enterprises, workforce, unions)")
    web(path, our_counts)
    use_database("postgres")


if __name__ == "__main__":
    main()
