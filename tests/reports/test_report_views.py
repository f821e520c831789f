"""The report pages: archive, request form, report page with its polled status,
retry and download, for every role and scope."""

from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import PersonalDataAccess
from reports import services
from reports.models import Report
from tests.enterprises.factories import ZoneFactory

from .factories import make_report, some_data
from .support import (
    broker_down,
    celery_broker,
    isolated_broker_url,
    media_folder,
    report_files,
)

pytestmark = pytest.mark.django_db

Status = Report.Status
Kind = Report.Kind
ROLES = ["pc_officer", "pc_leader", "iz_officer", "iz_leader"]


@pytest.fixture
def media(settings, tmp_path):
    return media_folder(settings, tmp_path)


@pytest.fixture
def as_user(client):
    """Log the test client in with English labels; returns the client."""

    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


@pytest.fixture
def user(request):
    return request.getfixturevalue


def doc(response):
    return lxml.html.fromstring(response.content.decode())


def by_testid(response, name) -> list:
    return doc(response).xpath(f'//*[@data-testid="{name}"]')


@pytest.fixture
def reports(media, zone_a, zone_b):
    day = timezone.now() - timedelta(days=30)
    return {
        "personal": make_report(period="2026-Q1", generated_at=day),
        "province": make_report(period="2026-Q1", personal=False, generated_at=day),
        "zone_a": make_report(period="2026-Q1", zone=zone_a, personal=False, generated_at=day),
        "zone_b": make_report(period="2026-Q1", zone=zone_b, personal=False, generated_at=day),
        "yearly": make_report(kind=Kind.YEARLY, period="2025",
                              generated_at=day - timedelta(days=60)),
        "pending": make_report(kind=Kind.ON_DEMAND, period="2026-Q2", status=Status.PENDING,
                               enqueued_at=timezone.now()),
        "failed": make_report(kind=Kind.ON_DEMAND, period="2026-05", personal=False,
                              status=Status.FAILED),
    }


# Which reports each role sees (DESIGN §1).
VISIBLE = {
    "pc_officer": {"personal", "province", "zone_a", "zone_b", "yearly", "pending", "failed"},
    "pc_leader": {"personal", "province", "zone_a", "zone_b", "yearly", "pending", "failed"},
    "iz_leader": {"province", "zone_a", "zone_b", "failed"},
    "iz_officer": {"zone_a"},
}
READY = {"personal", "province", "zone_a", "zone_b", "yearly"}


# --- anonymous and accounts without the permission ----------------------------------------------


def _urls(report):
    return [reverse("reports:report_list"), reverse("reports:report_create"),
            reverse("reports:report_detail", args=[report.pk]),
            reverse("reports:report_status", args=[report.pk]),
            reverse("reports:report_download", args=[report.pk])]


def test_anonymous_visitors_are_sent_to_the_login_page(client, reports):
    for url in _urls(reports["province"]):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(reverse("reports:report_retry", args=[reports["failed"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_administrator_without_a_role_is_refused(as_user, administrator, reports):
    client = as_user(administrator)
    for url in _urls(reports["province"]):
        assert client.get(url).status_code == 403
    assert client.post(reverse("reports:report_retry", args=[reports["failed"].pk])).status_code == 403


@pytest.mark.parametrize("role", ["pc_leader", "iz_officer", "iz_leader"])
def test_only_party_committee_officers_generate(as_user, user, role, reports, zone_a):
    client = as_user(user(role))
    assert client.get(reverse("reports:report_create")).status_code == 403
    response = client.post(reverse("reports:report_create"), {"period": "2025-Q4"})
    assert response.status_code == 403
    assert client.post(reverse("reports:report_retry", args=[reports["failed"].pk])).status_code == 403
    assert Report.objects.count() == len(reports)
    assert not by_testid(client.get(reverse("reports:report_list")), "new-report")


# --- scope --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_archive_lists_the_ready_reports_in_scope_newest_first(as_user, user, role, reports):
    response = as_user(user(role)).get(reverse("reports:report_list"))
    assert response.status_code == 200
    rows = by_testid(response, "report-row")
    expected = [reports[key] for key in ("zone_b", "zone_a", "province", "personal", "yearly")
                if key in VISIBLE[role]]
    assert [row.xpath(".//a/@href")[0] for row in rows] == [r.get_absolute_url() for r in expected]
    # Each download is a POST (a report with personal data is logged).
    downloads = [b.xpath("ancestor::form[1]/@action")[0] for b in by_testid(response, "download")]
    assert downloads == [reverse("reports:report_download", args=[r.pk]) for r in expected]


def test_officers_see_the_reports_not_ready_yet(as_user, pc_officer, pc_leader, reports):
    response = as_user(pc_officer).get(reverse("reports:report_list"))
    unfinished = [a.get("href") for a in doc(response).xpath(
        '//*[@data-testid="unfinished-row"]//a')]
    assert set(unfinished) == {reports["pending"].get_absolute_url(),
                               reports["failed"].get_absolute_url()}
    assert by_testid(response, "new-report")
    assert not by_testid(as_user(pc_leader).get(reverse("reports:report_list")), "unfinished")


@pytest.mark.parametrize("role", ROLES)
def test_each_report_url_answers_404_outside_the_scope(as_user, user, role, reports):
    client = as_user(user(role))
    for key, report in reports.items():
        visible = key in VISIBLE[role]
        for name in ("reports:report_detail", "reports:report_status"):
            response = client.get(reverse(name, args=[report.pk]))
            assert response.status_code == (200 if visible else 404), (name, key)
        download = client.post(reverse("reports:report_download", args=[report.pk]))
        assert download.status_code == (200 if visible and key in READY else 404), key


def test_an_iz_officer_of_zone_b_sees_only_zone_b(as_user, reports, zone_b):
    from tests.factories import UserFactory

    officer = UserFactory(username="iz_b", organization="iz_board", role="officer", zones=[zone_b])
    response = as_user(officer).get(reverse("reports:report_list"))
    assert [r.xpath(".//a/@href")[0] for r in by_testid(response, "report-row")] == [
        reports["zone_b"].get_absolute_url()]


# --- filters and query counts ----------------------------------------------------------------


def test_the_archive_filters_by_kind_and_year(as_user, pc_leader, reports):
    client = as_user(pc_leader)

    def periods(**query):
        response = client.get(reverse("reports:report_list"), query)
        return [row.get("data-period") for row in by_testid(response, "report-row")]

    assert periods(kind="yearly") == ["2025"]
    assert periods(year="2025") == ["2025"]
    assert periods(year="2026", kind="quarterly") == ["2026-Q1"] * 4
    assert periods(kind="on_demand") == []
    assert len(periods(year="1999")) == 5  # not a year on offer: no filter
    options = doc(client.get(reverse("reports:report_list"))).xpath('//select[@name="year"]/option/@value')
    assert options == ["", "2026", "2025"]


def _fill(count, start):
    for i in range(count):
        zone = ZoneFactory(code=f"Q{start + i:03d}", name=f"Khu công nghiệp {start + i}")
        make_report(period="2024-Q4", zone=zone, personal=bool(i % 2))


@pytest.mark.parametrize("role", ["pc_officer", "iz_leader"])
def test_the_number_of_queries_does_not_grow_with_the_reports(as_user, user, role, media):
    client = as_user(user(role))
    _fill(3, 0)
    make_report(kind=Kind.ON_DEMAND, period="2024-Q3", status=Status.FAILED)
    client.get(reverse("reports:report_list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reports:report_list")).status_code == 200
    _fill(25, 100)
    for i in range(5):
        make_report(kind=Kind.ON_DEMAND, period=f"2023-0{i + 1}", status=Status.PENDING)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("reports:report_list"))
    assert len(by_testid(response, "report-row")) > 3
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_the_report_page_query_count_does_not_depend_on_the_figures(as_user, pc_leader, media):
    client = as_user(pc_leader)
    few = make_report(period="2024-Q1", figures={"enterprises": 1})
    many = make_report(period="2024-Q2", figures={f"x{i}": i for i in range(40)})
    client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as large:
        response = client.get(many.get_absolute_url())
    assert len(by_testid(response, "figure-row")) == 40
    assert len(large) == len(small)


# --- the report page ------------------------------------------------------------------------------


def test_a_ready_report_shows_its_frozen_figures_and_the_download(as_user, iz_leader, media):
    report = make_report(period="2026-Q1", personal=False,
                         figures={"members": 30, "enterprises": 12, "enterprises_surveyed": None})
    response = as_user(iz_leader).get(report.get_absolute_url())
    status = by_testid(response, "report-status")[0]
    assert status.get("data-status") == "ready" and status.get("hx-trigger") is None
    rows = [[c.text_content().strip() for c in row.xpath("./*")]
            for row in by_testid(response, "figure-row")]
    assert rows == [["Tổng số doanh nghiệp", "12"], ["Tổng số đảng viên", "30"],
                    ["Doanh nghiệp được khảo sát trong kỳ", "—"]]
    form = by_testid(response, "download")[0].xpath("ancestor::form[1]")[0]
    assert form.get("method") == "post" and form.get("action") == reverse(
        "reports:report_download", args=[report.pk])


def test_a_report_in_progress_is_polled_every_2_seconds(as_user, pc_leader, media):
    report = make_report(kind=Kind.ON_DEMAND, status=Status.RUNNING, progress=40,
                         started_at=timezone.now(), enqueued_at=timezone.now())
    client = as_user(pc_leader)
    for url in (report.get_absolute_url(), reverse("reports:report_status", args=[report.pk])):
        status = by_testid(client.get(url), "report-status")[0]
        assert status.get("data-status") == "running"
        assert status.get("hx-get") == reverse("reports:report_status", args=[report.pk])
        assert status.get("hx-trigger") == "every 2s" and status.get("hx-swap") == "outerHTML"
        assert status.xpath('.//*[@data-width]/@data-width') == ["40"]
        assert not status.xpath('.//*[@data-testid="download"]')
        assert not status.xpath('.//*[@data-testid="broker-down"]')
    fragment = client.get(reverse("reports:report_status", args=[report.pk]))
    assert b"<html" not in fragment.content and b"<script" not in fragment.content
    Report.objects.filter(pk=report.pk).update(status=Status.READY, progress=100,
                                               generated_at=timezone.now(), file="x.xlsx")
    status = by_testid(client.get(reverse("reports:report_status", args=[report.pk])),
                       "report-status")[0]
    assert status.get("data-status") == "ready" and status.get("hx-trigger") is None
    assert status.xpath('.//*[@data-testid="download"]')


def test_a_failed_report_shows_a_short_error_and_a_retry_for_officers(
        as_user, pc_officer, iz_leader, media, zone_a, zone_b,
        django_capture_on_commit_callbacks):
    some_data(zone_a, zone_b)
    report = make_report(kind=Kind.ON_DEMAND, period="2026-05", personal=False,
                         status=Status.FAILED)
    response = as_user(iz_leader).get(report.get_absolute_url())
    assert by_testid(response, "report-error")[0].text_content().strip() == report.error
    assert not by_testid(response, "retry")
    client = as_user(pc_officer)
    response = client.get(report.get_absolute_url())
    form = by_testid(response, "retry")[0].getparent()
    assert form.get("action") == reverse("reports:report_retry", args=[report.pk])
    assert client.get(form.get("action")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.get("action"))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == Status.READY


def test_retrying_a_ready_report_changes_nothing(as_user, pc_officer, media):
    report = make_report(kind=Kind.ON_DEMAND)
    response = as_user(pc_officer).post(reverse("reports:report_retry", args=[report.pk]),
                                        follow=True)
    assert "Only a report whose generation failed" in response.content.decode()
    before = (report.file.name, report.generated_at)
    report.refresh_from_db()
    assert (report.file.name, report.generated_at, report.status) == (*before, Status.READY)


# --- requesting a report -----------------------------------------------------------------------


def test_an_officer_requests_a_report_and_it_is_generated(as_user, pc_officer, media, zone_a,
                                                          zone_b,
                                                          django_capture_on_commit_callbacks):
    some_data(zone_a, zone_b)
    client = as_user(pc_officer)
    form = client.get(reverse("reports:report_create"))
    assert form.status_code == 200 and by_testid(form, "report-form")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_create"),
                               {"period": "2025-h2", "zone": zone_a.pk})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.kind, report.period, report.zone, report.personal, report.requested_by) == (
        Kind.ON_DEMAND, "2025-H2", zone_a, False, pc_officer)
    assert report.status == Status.READY
    # The same request again leads to the same report.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = client.post(reverse("reports:report_create"),
                            {"period": "2025-H2", "zone": zone_a.pk})
    assert again["Location"] == report.get_absolute_url() and callbacks == []
    assert Report.objects.count() == 1


@pytest.mark.parametrize("period, message", [
    ("2026-Q5", "Invalid period"),
    ("", "This field is required"),
    ("2999", "has not ended yet"),
])
def test_a_bad_period_is_refused_on_its_field(as_user, pc_officer, period, message):
    response = as_user(pc_officer).post(reverse("reports:report_create"),
                                        {"period": period, "personal": "on"})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["period"])
    assert not Report.objects.exists()


def test_the_web_process_never_builds_the_file(as_user, pc_officer, media,
                                               django_capture_on_commit_callbacks):
    """With a real broker and no worker, the request is queued and the page waits."""
    client = as_user(pc_officer)
    with celery_broker(isolated_broker_url()) as app:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(reverse("reports:report_create"),
                                   {"period": "2025", "personal": "on"})
        app.control.purge()
    assert len(callbacks) == 1
    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert report.status == Status.PENDING and report.enqueued_at is not None
    assert report_files(media) == []
    page = client.get(report.get_absolute_url())
    assert by_testid(page, "report-status")[0].get("hx-trigger") == "every 2s"
    assert not by_testid(page, "broker-down")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_request_is_kept_and_sent_later(client, settings, tmp_path,
                                                                 zone_a, zone_b):
    """A real unreachable broker: the page says so plainly; the periodic job sends it later."""
    from tests.factories import UserFactory

    media = media_folder(settings, tmp_path)
    some_data(zone_a, zone_b)
    officer = UserFactory(username="pc_officer_down")
    client.force_login(officer)
    client.cookies["lang"] = "en"
    with broker_down(settings):
        started = timezone.now()
        response = client.post(reverse("reports:report_create"), {"period": "2026-Q1"})
        elapsed = (timezone.now() - started).total_seconds()
        report = Report.objects.get()
        assert response["Location"] == report.get_absolute_url()
        assert elapsed < 5, "the page must not wait for the broker"
        assert (report.status, report.enqueued_at) == (Status.PENDING, None)
        page = client.get(report.get_absolute_url())
        notice = by_testid(page, "broker-down")
        assert notice and "temporarily unavailable" in notice[0].text_content()
        assert by_testid(page, "report-status")[0].get("hx-trigger") == "every 2s"
        # The periodic job cannot send it either while the broker is down.
        assert services.report_requeue(now=timezone.now() + timedelta(minutes=5)) == 0
    assert report_files(media) == []
    # The broker is back (eager in tests): the next periodic run generates it.
    assert services.report_requeue(now=timezone.now() + timedelta(minutes=5)) == 1
    report.refresh_from_db()
    assert report.status == Status.READY
    assert len(report_files(media)) == 1


def test_the_broker_down_message_is_translated_as_required():
    from django.utils import translation

    with translation.override("vi"):
        text = translation.gettext(
            "The background processing system is temporarily unavailable; the report has been "
            "recorded and will be generated when the system is back.")
    assert text == ("Hệ thống xử lý nền đang tạm ngừng; báo cáo đã được ghi nhận và sẽ được tạo khi "
                    "hệ thống hoạt động trở lại")


# --- downloading -----------------------------------------------------------------------------


def test_the_download_is_an_attachment_named_after_the_period(as_user, pc_leader, iz_officer,
                                                              media, zone_a):
    personal = make_report(period="2026-Q3", content=b"PK personal workbook")
    zone = make_report(period="2026-Q3", zone=zone_a, personal=False, content=b"PK zone workbook")
    client = as_user(pc_leader)
    url = reverse("reports:report_download", args=[personal.pk])
    # A link from anywhere cannot record an export in someone's name: POST only.
    assert client.get(url).status_code == 405
    assert not PersonalDataAccess.objects.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2026-Q3.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content) == b"PK personal workbook"
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.record_id) == (pc_leader, "export", personal.pk)
    response = as_user(iz_officer).post(reverse("reports:report_download", args=[zone.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2026-Q3-aaa.xlsx"'
    assert b"".join(response.streaming_content) == b"PK zone workbook"
    assert PersonalDataAccess.objects.count() == 1  # no personal data in that one


# --- admin ----------------------------------------------------------------------------------


def test_the_admin_shows_reports_read_only(as_user, administrator, pc_officer, media):
    report = make_report(period="2026-Q1")
    client = as_user(administrator)
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    change = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert report.file.name.encode() not in change.content  # served only by the checked view
    assert client.get(reverse("admin:reports_report_add")).status_code == 403
    assert client.post(reverse("admin:reports_report_delete", args=[report.pk]),
                       {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:reports_report_change", args=[report.pk]),
                       {"status": "failed"}).status_code == 403
    report.refresh_from_db()
    assert report.status == Status.READY
    # An account without the administrator role has no admin.
    assert as_user(pc_officer).get(reverse("admin:reports_report_changelist")).status_code == 302
