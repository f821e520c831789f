"""A long list export built by a real Celery worker through the real Redis broker."""

import io
import time

import openpyxl
import pytest

from core import exports
from core.models import ExportJob
from tests.enterprises.factories import make_enterprise

from .test_celery_worker import worker  # noqa: F401 - the fixture

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

NAMES = ["Công ty TNHH Hải Âu", "Công ty TNHH Kim Long", "Công ty TNHH Sao Mai"]


def test_a_worker_builds_the_export_sent_at_commit(worker, zone_a, iz_officer):  # noqa: F811
    from config.celery_app import app

    for name in NAMES:
        make_enterprise(zone_a, name=name)
    app.conf.task_always_eager = False
    try:
        # The task is sent when export_request's transaction commits.
        job, created = exports.export_request(actor=iz_officer, kind="enterprises", query="",
                                              row_count=len(NAMES))
    finally:
        app.conf.task_always_eager = True
    assert created
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        if worker.poll() is not None:
            pytest.fail("worker exited:\n" + worker.stdout.read().decode())
        time.sleep(0.3)
    else:
        pytest.fail(f"the worker did not finish the export within 60 s ({job.status})")
    assert (job.status, job.rows_written, job.scope) == ("done", 3, [zone_a.pk])
    assert job.enqueued_at is not None and job.started_at is not None
    with job.file.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    names = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert names == NAMES
