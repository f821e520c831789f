"""A long export in a real browser, built by a real Celery worker.

An IZ officer exports a filtered enterprise list longer than
EXPORT_INLINE_ROWS: the browser lands on "My exports" with the job queued;
once a worker runs, the row turns ready by itself (htmx polling, no reload)
and the file downloads. Locators use data-testid attributes.
"""

import openpyxl
import pytest
from playwright.sync_api import expect

from core.models import ExportJob
from tests.enterprises.factories import make_enterprise
from tests.factories import PASSWORD
from tests.reports.support import (
    celery_broker,
    isolated_broker_url,
    media_folder,
    worker_log,
    worker_starter,
)

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

NAMES = ["Công ty TNHH Điện tử Sông Hồng", "Công ty TNHH Giày da Mỹ Phong",
         "Công ty TNHH Nhựa Thành Phát", "Công ty TNHH Vina Korea Precision"]


def test_a_long_export_is_prepared_in_the_background_and_downloaded(
        browser, live_server, settings, tmp_path, zone_a, zone_b, iz_officer, screenshot, page):
    media_folder(settings, tmp_path)
    settings.EXPORT_INLINE_ROWS = 2
    for name in NAMES:
        make_enterprise(zone_a, name=name, capital_source="fdi")
    make_enterprise(zone_a, name="Công ty Nhà nước Một", capital_source="nha_nuoc")
    make_enterprise(zone_b, name="Công ty TNHH Ngoài Khu", capital_source="fdi")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, "iz_officer", PASSWORD)
    page.goto("/enterprises/?capital_source=fdi")
    expect(page.get_by_test_id("enterprise-row")).to_have_count(len(NAMES))
    with worker_starter(settings, tmp_path) as start, \
            celery_broker(isolated_broker_url()) as app:
        app.control.purge()
        page.get_by_test_id("export").click()
        page.wait_for_url("**/exports/?job=*")
        job = ExportJob.objects.get()
        row = page.locator(f'[data-testid="export-row"][data-job="{job.pk}"]')
        expect(row).to_have_attribute("data-status", "queued")
        expect(row).to_have_attribute("hx-trigger", "every 2s")
        expect(page.locator(".alert-success")).to_contain_text("4 dòng")
        screenshot("exports-queued")
        url = page.url
        worker = start()
        try:
            expect(row).to_have_attribute("data-status", "done", timeout=120_000)
        except AssertionError:
            pytest.fail("the export did not become ready:\n" + worker_log(worker))
    assert page.url == url  # the row was swapped in place
    expect(row.get_by_test_id("export-status")).to_have_text("Sẵn sàng")
    screenshot("exports-done")
    with page.expect_download() as info:
        row.get_by_test_id("export-download").click()
    download = info.value
    assert download.suggested_filename.startswith("doanh-nghiep-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = openpyxl.load_workbook(target, read_only=True).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == NAMES
    # The user menu leads back to the page.
    page.goto("/")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("my-exports").click()
    expect(page.get_by_test_id("export-row")).to_have_count(1)
    assert errors == []
