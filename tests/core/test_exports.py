"""List exports: short lists at once, long ones built by the worker ("My exports").

The expected rows are the test's own data (names it made), never what the
export code computes; workbooks are read back with openpyxl.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import lxml.html
import openpyxl
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from core import exports
from core.models import ExportJob, PersonalDataAccess
from core.retention import apply as apply_retention
from tests.coordination.factories import make_member
from tests.enterprises.factories import make_enterprise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENTERPRISE_EXPORT = reverse("enterprises:enterprise_export")
MEMBER_EXPORT = reverse("coordination:member_export")
MY_EXPORTS = reverse("core:export_list")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WITHHELD = ("Tài khoản của bạn không còn xem được danh sách này hoặc mọi KCN của tệp: "
            "không tải tệp được.")
FDI_NAMES = ["Công ty TNHH Ánh Dương", "Công ty TNHH Bình Minh", "Công ty TNHH Cầu Vồng",
             "Công ty TNHH Đồng Xanh"]


@pytest.fixture
def registry(zone_a, zone_b):
    """Four FDI enterprises in zone A, one state-owned in A, one FDI in B."""
    for name in FDI_NAMES:
        make_enterprise(zone_a, name=name, capital_source="fdi")
    make_enterprise(zone_a, name="Công ty Nhà nước Hai", capital_source="nha_nuoc")
    make_enterprise(zone_b, name="Công ty TNHH Ngoài Khu", capital_source="fdi")


@pytest.fixture
def long_lists(settings):
    """Lists of more than two rows go to the worker."""
    settings.EXPORT_INLINE_ROWS = 2


def sheet_rows(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [row for row in book.worksheets[0].iter_rows(values_only=True)]


def names_in(data: bytes) -> list[str]:
    return [row[0] for row in sheet_rows(data)[1:]]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def request_export(client, user, url, capture, **query):
    """POST the export button as ``user``; the on-commit enqueue runs (eagerly)."""
    client.force_login(user)
    target = url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    with capture(execute=True):
        return client.post(target)


# --- short lists: at once, as before --------------------------------------------------------


def test_a_short_list_is_still_downloaded_at_once(client, iz_officer, registry,
                                                  django_capture_on_commit_callbacks):
    response = request_export(client, iz_officer, ENTERPRISE_EXPORT,
                              django_capture_on_commit_callbacks, capital_source="fdi")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="doanh-nghiep-{timezone.localdate():%Y%m%d}.xlsx"')
    assert names_in(body(response)) == FDI_NAMES
    assert not ExportJob.objects.exists()


def test_a_list_of_exactly_the_limit_is_still_inline(client, iz_officer, registry, settings,
                                                     django_capture_on_commit_callbacks):
    settings.EXPORT_INLINE_ROWS = 4
    response = request_export(client, iz_officer, ENTERPRISE_EXPORT,
                              django_capture_on_commit_callbacks, capital_source="fdi")
    assert response.status_code == 200 and names_in(body(response)) == FDI_NAMES
    assert not ExportJob.objects.exists()


# --- long lists: a job for the worker -------------------------------------------------------


def test_a_long_list_becomes_a_job_and_its_owner_downloads_the_file(
        client, iz_officer, registry, long_lists, django_capture_on_commit_callbacks):
    response = request_export(client, iz_officer, ENTERPRISE_EXPORT,
                              django_capture_on_commit_callbacks, capital_source="fdi",
                              sort="-name")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{MY_EXPORTS}?job={job.pk}"
    assert (job.kind, job.query, job.row_count, job.requested_by) == (
        "enterprises", "capital_source=fdi&sort=-name", 4, iz_officer)
    # The worker (eager here) built it once the request's transaction committed.
    assert job.status == ExportJob.Status.DONE
    assert job.rows_written == 4 and job.size > 0 and job.finished_at is not None
    assert job.scope == [iz_officer.zones.get().pk]
    assert job.file.name.startswith("exports/") and job.file.name.endswith(".xlsx")

    page = client.get(response["Location"])
    assert page.status_code == 200
    messages = [str(m) for m in page.context["messages"]]
    assert messages == ["Danh sách có 4 dòng: tệp đang được chuẩn bị ở chế độ nền. Tệp sẽ "
                        "hiện ở đây khi sẵn sàng; trong lúc chờ, bạn vẫn làm việc bình "
                        "thường."]
    html = lxml.html.fromstring(page.content)
    row = html.xpath('//tr[@data-testid="export-row"]')[0]
    assert row.get("data-status") == "done" and "table-info" in row.get("class")
    assert row.xpath('.//*[@data-testid="export-status"]')[0].text_content().strip() == \
        "Sẵn sàng"
    form = row.xpath('.//button[@data-testid="export-download"]/ancestor::form[1]')[0]
    assert form.get("action") == reverse("core:export_download", args=[job.pk])

    download = client.post(form.get("action"))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    day = timezone.localdate(job.finished_at)
    assert download["Content-Disposition"] == (
        f'attachment; filename="doanh-nghiep-{day:%Y%m%d}-{job.pk}.xlsx"')
    data = body(download)
    assert data.startswith(b"PK")
    # The rows the list showed: its filters and the account's zone, nothing else.
    assert names_in(data) == FDI_NAMES
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 405


def test_the_job_builds_the_same_workbook_as_the_inline_export(
        client, iz_officer, registry, settings, django_capture_on_commit_callbacks):
    inline = body(request_export(client, iz_officer, ENTERPRISE_EXPORT,
                                 django_capture_on_commit_callbacks, capital_source="fdi"))
    settings.EXPORT_INLINE_ROWS = 1
    request_export(client, iz_officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks,
                   capital_source="fdi")
    job = ExportJob.objects.get()
    background = body(client.post(reverse("core:export_download", args=[job.pk])))
    assert sheet_rows(background) == sheet_rows(inline)


def test_the_page_polls_a_job_until_it_is_ready(client, iz_officer, registry, long_lists,
                                                django_capture_on_commit_callbacks):
    client.force_login(iz_officer)
    # Recorded, but no worker has taken it yet.
    response = client.post(ENTERPRISE_EXPORT + "?capital_source=fdi")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED
    page = lxml.html.fromstring(client.get(response["Location"]).content)
    row = page.xpath('//tr[@data-testid="export-row"]')[0]
    status_url = reverse("core:export_status", args=[job.pk])
    assert row.get("data-status") == "queued"
    assert row.get("hx-get") == f"{status_url}?job={job.pk}"
    assert row.get("hx-trigger") == "every 2s"
    fragment = client.get(status_url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith("<tr")
    assert 'data-status="queued"' in fragment.content.decode()
    exports.export_build(job_id=job.pk)
    fragment = lxml.html.fragment_fromstring(
        client.get(status_url, headers={"HX-Request": "true"}).content.decode())
    # Ready: the row stops polling and offers the file.
    assert fragment.get("data-status") == "done" and fragment.get("hx-get") is None
    assert fragment.xpath('.//button[@data-testid="export-download"]')


def test_a_second_click_returns_the_same_job_and_unfinished_jobs_are_capped(
        client, iz_officer, registry, long_lists):
    client.force_login(iz_officer)
    first = client.post(ENTERPRISE_EXPORT + "?capital_source=fdi")
    again = client.post(ENTERPRISE_EXPORT + "?capital_source=fdi")
    assert first["Location"] == again["Location"]
    assert ExportJob.objects.count() == 1
    messages = [str(m) for m in client.get(again["Location"]).context["messages"]]
    assert "Tệp xuất này đang được chuẩn bị; tệp sẽ hiện ở đây khi sẵn sàng." in messages
    sorts = [f"{d}{key}" for key in ("name", "tax_code", "zone", "workers", "established_on")
             for d in ("", "-")]
    for sort in sorts[:exports.MAX_UNFINISHED - 1]:
        client.post(ENTERPRISE_EXPORT + f"?capital_source=fdi&sort={sort}")
    assert ExportJob.objects.count() == exports.MAX_UNFINISHED
    refused = client.post(ENTERPRISE_EXPORT + "?status=operating")
    assert refused.status_code == 302
    assert refused["Location"] == MY_EXPORTS
    assert ExportJob.objects.count() == exports.MAX_UNFINISHED
    messages = [str(m) for m in client.get(MY_EXPORTS).context["messages"]]
    assert any(f"{exports.MAX_UNFINISHED} tệp xuất đang được chuẩn bị" in m for m in messages)


def test_an_invalid_filter_the_list_ignored_is_not_kept(client, iz_officer, registry,
                                                        zone_b, long_lists,
                                                        django_capture_on_commit_callbacks):
    # Zone B is not the officer's: the list ignores the filter, so does the job.
    request_export(client, iz_officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks,
                   zone=zone_b.pk, capital_source="fdi")
    job = ExportJob.objects.get()
    assert job.query == "capital_source=fdi"
    assert job.status == ExportJob.Status.DONE and job.rows_written == 4


def test_the_task_is_idempotent(iz_officer, registry, long_lists):
    job, created = exports.export_request(actor=iz_officer, kind="enterprises",
                                          query="capital_source=fdi", row_count=4)
    assert created
    first = exports.export_build(job_id=job.pk)
    assert first is not None and first.status == ExportJob.Status.DONE
    assert exports.export_build(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.file.name, job.rows_written) == ("done", first.file.name, 4)


# --- who may download ---------------------------------------------------------------------------


def test_only_the_owner_sees_and_downloads_a_job(client, iz_officer, zone_a, registry,
                                                 long_lists, django_capture_on_commit_callbacks):
    request_export(client, iz_officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks,
                   capital_source="fdi")
    job = ExportJob.objects.get()
    colleague = UserFactory(organization=User.Organization.IZ_BOARD, role=User.Role.OFFICER,
                            zones=[zone_a])
    client.force_login(colleague)
    assert client.get(reverse("core:export_status", args=[job.pk])).status_code == 404
    assert client.post(reverse("core:export_download", args=[job.pk])).status_code == 404
    assert client.get(MY_EXPORTS).context["page_obj"].paginator.count == 0


def test_a_withdrawn_permission_fails_the_job_and_refuses_the_file(
        client, pc_officer, zone_a, long_lists, django_capture_on_commit_callbacks):
    enterprise = make_enterprise(zone_a)
    for given in ("An", "Bình", "Cường"):
        make_member(enterprise, given_name=given)
    client.force_login(pc_officer)
    client.post(MEMBER_EXPORT)  # queued, not yet run
    queued = ExportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(MEMBER_EXPORT + "?status=probationary")
    done = ExportJob.objects.exclude(pk=queued.pk).get()
    assert done.status == ExportJob.Status.DONE and done.rows_written == 3
    # The account moves to the IZ Board: no personal data any more.
    User.objects.filter(pk=pc_officer.pk).update(organization=User.Organization.IZ_BOARD,
                                                 all_zones=True)
    assert exports.export_build(job_id=queued.pk) is None
    queued.refresh_from_db()
    assert (queued.status, queued.error, queued.file.name) == ("failed", "access", "")
    pc_officer.refresh_from_db()
    client.force_login(pc_officer)
    assert client.post(reverse("core:export_download", args=[done.pk])).status_code == 403
    page = client.get(MY_EXPORTS)
    errors = lxml.html.fromstring(page.content).xpath('//*[@data-testid="export-error"]')
    assert [e.text_content().strip() for e in errors] == [
        "Tài khoản của bạn không còn quyền xem danh sách này nên tệp không được chuẩn bị."]
    # The finished file stays listed, without its download button.
    html = lxml.html.fromstring(page.content.decode())
    assert not html.xpath('//*[@data-testid="export-download"]')
    assert [e.text_content().strip() for e in html.xpath('//*[@data-testid="export-withheld"]')
            ] == [WITHHELD]
    # An inactive account gets no file either.
    job, _created = exports.export_request(actor=User.objects.get(pk=pc_officer.pk),
                                           kind="enterprises", query="", row_count=9)
    User.objects.filter(pk=pc_officer.pk).update(is_active=False)
    exports.export_build(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "access")


def test_the_worker_reads_the_zones_of_the_account_as_they_are_when_it_runs(
        client, zone_a, zone_b, registry, long_lists, django_capture_on_commit_callbacks):
    officer = UserFactory(organization=User.Organization.IZ_BOARD, role=User.Role.OFFICER,
                          zones=[zone_a, zone_b])
    client.force_login(officer)
    client.post(ENTERPRISE_EXPORT + "?capital_source=fdi")
    job = ExportJob.objects.get()
    assert job.row_count == 5  # both zones when asked
    officer.zones.set([zone_a])
    exports.export_build(job_id=job.pk)
    job.refresh_from_db()
    # A change of zones ends the account's sessions: signed in again.
    client.force_login(User.objects.get(pk=officer.pk))
    assert job.rows_written == 4 and job.scope == [zone_a.pk]
    data = body(client.post(reverse("core:export_download", args=[job.pk])))
    assert names_in(data) == FDI_NAMES


def test_a_file_is_refused_once_a_zone_it_covers_is_withdrawn(
        client, zone_a, zone_b, registry, long_lists, django_capture_on_commit_callbacks):
    officer = UserFactory(organization=User.Organization.IZ_BOARD, role=User.Role.OFFICER,
                          zones=[zone_a, zone_b])
    request_export(client, officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks,
                   capital_source="fdi")
    job = ExportJob.objects.get()
    assert job.rows_written == 5 and sorted(job.scope) == sorted([zone_a.pk, zone_b.pk])
    download = reverse("core:export_download", args=[job.pk])
    # (A change of zones ends the account's sessions: signed in again.)
    officer.zones.set([zone_a])
    client.force_login(User.objects.get(pk=officer.pk))
    assert client.post(download).status_code == 404

    def shown():
        html = lxml.html.fromstring(client.get(MY_EXPORTS).content.decode())
        return (len(html.xpath('//*[@data-testid="export-download"]')),
                [e.text_content().strip() for e in
                 html.xpath('//*[@data-testid="export-withheld"]')])

    assert shown() == (0, [WITHHELD])
    officer.zones.set([zone_a, zone_b])
    client.force_login(User.objects.get(pk=officer.pk))
    assert shown() == (1, [])
    assert client.post(download).status_code == 200


# --- personal data: search kept apart, downloads logged ----------------------------------------


def test_a_member_export_keeps_the_search_out_of_urls_and_logs_the_download(
        client, pc_officer, zone_a, long_lists, django_capture_on_commit_callbacks):
    enterprise = make_enterprise(zone_a)
    for given in ("Hùng", "Hưng", "Hoa", "Lan"):
        make_member(enterprise, family_name="Phạm", middle_name="Văn", given_name=given)
    client.force_login(pc_officer)
    client.post(reverse("coordination:member_list"), {"q": "Văn H"})
    client.post(MEMBER_EXPORT)
    job = ExportJob.objects.get()
    assert (job.query, job.search, job.row_count) == ("", "Văn H", 3)
    assert "search" in job.log_detail and "Văn" not in job.log_detail
    assert not PersonalDataAccess.objects.filter(action="export").exists()
    with django_capture_on_commit_callbacks(execute=True):
        exports.export_enqueue(job=job)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 3
    assert job.search == ""  # not kept once the file is built
    page = client.get(MY_EXPORTS)
    assert "Văn H" not in page.content.decode()
    assert not PersonalDataAccess.objects.filter(action="export").exists()

    data = body(client.post(reverse("core:export_download", args=[job.pk])))
    rows = sheet_rows(data)
    assert sorted(row[0] for row in rows[1:]) == sorted(["Phạm Văn Hoa", "Phạm Văn Hưng",
                                                         "Phạm Văn Hùng"])
    # Citizen IDs masked, as in every export offered to users.
    header = rows[0]
    ids = [row[header.index("Số CCCD")] for row in rows[1:]]
    assert all(i.startswith("••••••••") and len(i) == 12 for i in ids)
    log = PersonalDataAccess.objects.get(action="export")
    assert (log.user, log.record_type) == (pc_officer, "coordination.partymember")
    assert log.detail == f"export_job={job.pk} search"


def test_an_enterprise_download_is_not_a_personal_data_access(
        client, iz_officer, registry, long_lists, django_capture_on_commit_callbacks):
    request_export(client, iz_officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert client.post(reverse("core:export_download", args=[job.pk])).status_code == 200
    assert not PersonalDataAccess.objects.exists()


# --- failures -------------------------------------------------------------------------------


@pytest.fixture
def failing_write(monkeypatch):
    """The enterprise list's writer raises ``error`` (text naming a person)."""

    def install(error):
        export = exports.list_export("enterprises")

        def write(queryset, target):
            raise error

        monkeypatch.setitem(exports._lists, "enterprises",
                            exports.ListExport(**{**export.__dict__, "write": write}))

    return install


@pytest.mark.parametrize(("error", "code", "message"), [
    (RuntimeError("Nguyễn Văn An 036090000123"), "failed",
     "Không chuẩn bị được tệp. Hãy xuất lại; nếu vẫn lỗi, hãy báo quản trị viên."),
    (SoftTimeLimitExceeded(), "timeout",
     "Việc chuẩn bị tệp vượt quá thời gian cho phép. Hãy thu hẹp bộ lọc rồi xuất lại."),
])
def test_a_failure_marks_the_job_failed_with_a_neutral_message(
        client, iz_officer, registry, long_lists, failing_write, caplog, error, code, message):
    failing_write(error)
    job, _created = exports.export_request(actor=iz_officer, kind="enterprises", query="",
                                           row_count=5)
    with caplog.at_level(logging.INFO, logger="core.exports"):
        assert exports.export_build(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == ("failed", code, "")
    assert "Nguyễn" not in caplog.text and "036090000123" not in caplog.text
    client.force_login(iz_officer)
    page = lxml.html.fromstring(client.get(MY_EXPORTS).content)
    row = page.xpath('//tr[@data-testid="export-row"]')[0]
    assert row.get("data-status") == "failed" and row.get("hx-get") is None
    assert row.xpath('.//*[@data-testid="export-error"]')[0].text_content().strip() == message
    assert client.post(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_an_unreachable_broker_fails_the_job_at_once(client, iz_officer, registry, long_lists,
                                                     monkeypatch,
                                                     django_capture_on_commit_callbacks):
    from core import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.export_build, "apply_async", refuse)
    request_export(client, iz_officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert (job.status, job.error, job.enqueued_at) == ("failed", "broker", None)


def test_stuck_jobs_are_shown_failed_and_marked_so_by_the_daily_job(iz_officer, client):
    now = timezone.now()
    waiting = ExportJob.objects.create(kind="enterprises", row_count=9, requested_by=iz_officer,
                                       requested_at=now - timedelta(minutes=61))
    running = ExportJob.objects.create(
        kind="enterprises", row_count=9, requested_by=iz_officer, status="running",
        requested_at=now - timedelta(minutes=30),
        started_at=now - timedelta(seconds=exports.TIME_LIMIT + 5))
    fresh = ExportJob.objects.create(
        kind="enterprises", row_count=9, requested_by=iz_officer, status="running",
        requested_at=now - timedelta(minutes=2), started_at=now - timedelta(minutes=1))
    client.force_login(iz_officer)
    page = lxml.html.fromstring(client.get(MY_EXPORTS).content)
    shown = {int(r.get("data-job")): r.get("data-status")
             for r in page.xpath('//tr[@data-testid="export-row"]')}
    assert shown == {waiting.pk: "failed", running.pk: "failed", fresh.pk: "running"}
    # A worker reaching the stale queued job does not build it.
    assert exports.export_build(job_id=waiting.pk) is None
    waiting.refresh_from_db()
    assert (waiting.status, waiting.error) == ("failed", "not_started")
    counts = apply_retention().counts
    assert counts["stuck exports failed"] == 1
    assert dict(ExportJob.objects.values_list("pk", "error")) == {
        waiting.pk: "not_started", running.pk: "interrupted", fresh.pk: ""}


# --- retention ------------------------------------------------------------------------------------


def test_files_are_deleted_after_the_retention_period_and_the_rows_stay(
        client, iz_officer, registry, long_lists, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_RETENTION_DAYS = 7
    for status in ("operating", ""):
        request_export(client, iz_officer, ENTERPRISE_EXPORT,
                       django_capture_on_commit_callbacks, **({"status": status} if status else {}))
    old, recent = ExportJob.objects.order_by("pk")
    today = timezone.localdate()
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    ExportJob.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - timedelta(days=6))
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)
    assert apply_retention(today=today, dry_run=True).counts["export files deleted"] == 1
    assert storage.exists(old_name)
    assert apply_retention(today=today).counts["export files deleted"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.file.name, old.expired_at is not None) == ("expired", "", True)
    assert not storage.exists(old_name)
    assert recent.status == "done" and storage.exists(recent.file.name)
    assert apply_retention(today=today).counts["export files deleted"] == 0  # idempotent
    client.force_login(iz_officer)
    assert client.post(reverse("core:export_download", args=[old.pk])).status_code == 404
    page = lxml.html.fromstring(client.get(MY_EXPORTS).content)
    shown = {int(r.get("data-job")): r.get("data-status")
             for r in page.xpath('//tr[@data-testid="export-row"]')}
    assert shown == {old.pk: "expired", recent.pk: "done"}


# --- the page -----------------------------------------------------------------------------------


def test_my_exports_lists_the_own_jobs_newest_first_with_a_constant_query_count(
        client, iz_officer, pc_officer):
    now = timezone.now()

    def add(n, owner=iz_officer):
        for i in range(n):
            ExportJob.objects.create(kind="enterprises", row_count=300 + i, requested_by=owner,
                                     requested_at=now - timedelta(minutes=i + 1))

    def count():
        client.force_login(iz_officer)
        client.get(MY_EXPORTS)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(MY_EXPORTS)
        assert response.status_code == 200
        return len(queries), response

    add(1)
    add(3, owner=pc_officer)
    before, _response = count()
    add(14)
    after, response = count()
    assert after == before
    rows = response.context["page_obj"].object_list
    assert [job.requested_at for job in rows] == sorted(
        (job.requested_at for job in rows), reverse=True)
    assert {job.requested_by_id for job in rows} == {iz_officer.pk}
    assert len(rows) == 15


def test_my_exports_is_in_the_user_menu_and_speaks_english_too(client, iz_officer):
    client.force_login(iz_officer)
    home = lxml.html.fromstring(client.get(reverse("core:home")).content)
    link = home.xpath('//a[@data-testid="my-exports"]')[0]
    assert link.get("href") == MY_EXPORTS and link.text_content().strip() == "Tệp xuất của tôi"
    client.cookies["lang"] = "en"
    page = client.get(MY_EXPORTS)
    assert "My exports" in page.content.decode()
    assert "You have no exports yet." in page.content.decode()


def test_the_export_job_constraints(iz_officer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(kind="enterprises", row_count=1, requested_by=iz_officer,
                                 status="done", finished_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(kind="enterprises", row_count=1, requested_by=iz_officer,
                                 status="failed")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(kind="enterprises", row_count=1, requested_by=iz_officer,
                                 status="queued", file="exports/x.xlsx")


def test_the_register_of_processing_names_the_export_files(settings):
    from core.processing import register

    settings.EXPORT_RETENTION_DAYS = 9
    entry = next(p for p in register() if p.where == "core.ExportJob")
    assert "9" in str(entry.retention)


# --- the admin ------------------------------------------------------------------------------


def test_administrators_follow_the_jobs_in_the_admin_without_their_search_or_file(
        client, iz_officer, administrator, pc_officer, registry, long_lists,
        django_capture_on_commit_callbacks):
    request_export(client, iz_officer, ENTERPRISE_EXPORT, django_capture_on_commit_callbacks,
                   capital_source="fdi")
    job = ExportJob.objects.get()
    job.search = "Nguyễn Văn An"  # as a running people export keeps it
    ExportJob.objects.filter(pk=job.pk).update(search=job.search)

    client.force_login(administrator)
    listing = client.get(reverse("admin:core_exportjob_changelist"))
    assert listing.status_code == 200
    rows = lxml.html.fromstring(listing.content.decode()).xpath('//table[@id="result_list"]/tbody/tr')
    assert len(rows) == 1
    assert "Sẵn sàng" in rows[0].text_content() and "Doanh nghiệp" in rows[0].text_content()
    detail = client.get(reverse("admin:core_exportjob_change", args=[job.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Nguyễn Văn An" not in page and job.file.name not in page
    assert 'name="search"' not in page and "Lưu" not in page  # read-only, nothing to save
    assert client.post(reverse("admin:core_exportjob_delete", args=[job.pk])).status_code == 403
    assert ExportJob.objects.filter(pk=job.pk).exists()

    client.force_login(pc_officer)
    response = client.get(reverse("admin:core_exportjob_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
