"""The report lifecycle: request, one generation per report, failure, immutability.

Generation runs the real workbook writer (reports.workbook) eagerly; only the
failure paths replace it with one that raises.
"""

import threading
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from accounts.models import User
from core.models import Notification
from reports import services
from reports.models import Report
from reports.tasks import report_generate as report_generate_task
from tests.enterprises.factories import ZoneFactory
from tests.factories import UserFactory

from .factories import make_report, some_data
from .support import media_folder, report_files

pytestmark = pytest.mark.django_db

Status = Report.Status
Kind = Report.Kind
TODAY = date(2026, 10, 1)


@pytest.fixture
def media(settings, tmp_path):
    return media_folder(settings, tmp_path)


@pytest.fixture
def data(zone_a, zone_b):
    some_data(zone_a, zone_b)


def request(actor=None, **kwargs):
    kwargs = {"kind": Kind.ON_DEMAND, "period": "2026-Q3", "today": TODAY, **kwargs}
    return services.report_request(actor=actor, **kwargs)


# --- requesting ----------------------------------------------------------------------------


def test_a_request_is_generated_after_commit(pc_officer, media, data,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = request(pc_officer)
    assert report.status == Status.PENDING and report.requested_by == pc_officer
    assert not report_files(media), "nothing is built before the transaction commits"
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (eagerly in tests)
    report.refresh_from_db()
    assert report.status == Status.READY
    assert report.progress == 100 and report.enqueued_at is not None
    assert report.generated_at is not None and report.started_at <= report.generated_at
    assert report.size == report.file.size > 0
    assert report.figures["enterprises"] == 4
    workbook = openpyxl.load_workbook(report.file.path, read_only=True)
    assert "Tổng hợp" in workbook.sheetnames


def test_asking_twice_gives_one_report_and_one_file(pc_officer, media, data,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = request(pc_officer)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = request(pc_officer, period="2026-q3")
    assert second.pk == first.pk and callbacks == []
    second.refresh_from_db()
    assert (second.file.name, second.generated_at) == (first.file.name, first.generated_at)
    assert Report.objects.count() == 1
    assert len(report_files(media)) == 1


def test_the_same_period_for_another_zone_or_audience_is_another_report(pc_officer, zone_a,
                                                                         media):
    reports = {request(pc_officer).pk, request(pc_officer, personal=False).pk,
               request(pc_officer, zone=zone_a).pk, request(pc_officer, kind=Kind.QUARTERLY).pk}
    assert len(reports) == 4


@pytest.mark.parametrize("period, message", [
    ("2026-Q4", "has not ended"),
    ("2026", "has not ended"),
    ("2026-10", "has not ended"),
    ("2026-Q5", "Invalid period"),
    ("Q3/2026", "Invalid period"),
])
def test_the_period_must_be_valid_and_over(pc_officer, period, message):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        request(pc_officer, period=period)
    assert message in str(error.value.message_dict["period"])
    assert not Report.objects.exists()


def test_a_scheduled_kind_covers_its_own_kind_of_period(pc_officer):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        request(kind=Kind.QUARTERLY, period="2026-H1")
    assert "does not match" in str(error.value.message_dict["period"])
    assert request(kind=Kind.HALF_YEARLY, period="2026-H1").period == "2026-H1"


@pytest.mark.parametrize("role", ["pc_leader", "iz_officer", "iz_leader", "administrator"])
def test_only_party_committee_officers_request_reports(request_fixture, role):
    with pytest.raises(PermissionDenied):
        request(request_fixture(role))
    assert not Report.objects.exists()


@pytest.fixture
def request_fixture(request):
    return request.getfixturevalue


# --- one generation per report ---------------------------------------------------------------


def test_the_task_run_twice_writes_one_file(media, data):
    report = make_report(kind=Kind.ON_DEMAND, period="2026-Q3", status=Status.PENDING)
    report_generate_task.delay(report.pk)
    report.refresh_from_db()
    first = (report.file.name, report.generated_at, report.figures)
    report_generate_task.delay(report.pk)
    report.refresh_from_db()
    assert report.status == Status.READY and report.attempts == 1
    assert (report.file.name, report.generated_at, report.figures) == first
    assert len(report_files(media)) == 1


def test_a_missing_report_is_nothing_to_do(db):
    assert services.report_generate(report_id=987654) is None


def test_a_live_worker_s_report_is_left_alone(media):
    started = timezone.now() - timedelta(minutes=5)
    report = make_report(status=Status.RUNNING, started_at=started, attempts=1)
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert (report.status, report.started_at, report.attempts) == (Status.RUNNING, started, 1)
    assert not report_files(media)


def test_a_report_whose_worker_died_is_regenerated_once(media, data, settings):
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT + 60)
    report = make_report(status=Status.RUNNING, started_at=started, attempts=1, progress=40)
    assert services.report_generate(report_id=report.pk) is not None
    report.refresh_from_db()
    assert report.status == Status.READY and report.attempts == 2
    assert services.report_generate(report_id=report.pk) is None  # the redelivered message
    assert len(report_files(media)) == 1


def test_a_report_that_keeps_killing_its_worker_ends_failed(media, settings):
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT + 60)
    report = make_report(status=Status.RUNNING, started_at=started,
                         attempts=services.MAX_ATTEMPTS)
    with translation.override("en"):
        assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Status.FAILED and "interrupted 3 times" in report.error
    assert not report_files(media)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_write_one_file(media, zone_a, zone_b):
    """Two threads (two database connections) run the task at the same instant."""
    some_data(zone_a, zone_b)
    report = make_report(kind=Kind.ON_DEMAND, period="2026-Q2", status=Status.PENDING)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            results.append(services.report_generate(report_id=report.pk))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(result is not None for result in results) == 1
    report.refresh_from_db()
    assert report.status == Status.READY and report.attempts == 1
    assert Report.objects.count() == 1
    assert len(report_files(media)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_report(media):
    officer = UserFactory(username="pc-concurrent")
    barrier = threading.Barrier(2)
    ids, errors = [], []

    def ask():
        try:
            barrier.wait(timeout=10)
            ids.append(request(officer, personal=False).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(ids) == 2 and ids[0] == ids[1]
    assert Report.objects.count() == 1
    assert Report.objects.get().status == Status.READY
    assert len(report_files(media)) == 1


# --- failures ---------------------------------------------------------------------------


def _raising(exc):
    def write_report(*args, **kwargs):
        kwargs["progress"](30)
        raise exc

    return write_report


def test_a_failed_generation_keeps_a_short_error_without_data(media, monkeypatch):
    monkeypatch.setattr("reports.workbook.write_report",
                        _raising(RuntimeError("Nguyễn Văn An 036090000001 at line 42")))
    report = make_report(kind=Kind.ON_DEMAND, status=Status.PENDING)
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "RuntimeError" in report.error
    assert "Nguyễn" not in report.error and "036090000001" not in report.error
    assert "Traceback" not in report.error and len(report.error) < 200
    assert (report.file.name, report.figures, report.progress) == ("", {}, 0)
    assert not report_files(media)


def test_the_soft_time_limit_fails_the_report(media, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    monkeypatch.setattr("reports.workbook.write_report", _raising(SoftTimeLimitExceeded()))
    report = make_report(kind=Kind.ON_DEMAND, status=Status.PENDING)
    with translation.override("en"):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Status.FAILED and "time limit" in report.error


def test_a_failed_report_can_be_retried(pc_officer, media, data,
                                        django_capture_on_commit_callbacks):
    report = make_report(kind=Kind.ON_DEMAND, period="2026-Q3", status=Status.FAILED,
                         attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(actor=pc_officer, report=report)
    report.refresh_from_db()
    assert report.status == Status.READY and report.error == "" and report.attempts == 1


def test_asking_again_for_a_failed_report_retries_it(pc_officer, media, data,
                                                     django_capture_on_commit_callbacks):
    failed = make_report(kind=Kind.ON_DEMAND, period="2026-Q3", status=Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        report = request(pc_officer)
    assert report.pk == failed.pk
    report.refresh_from_db()
    assert report.status == Status.READY


@pytest.mark.parametrize("role", ["pc_leader", "iz_leader"])
def test_readers_cannot_retry(request_fixture, role):
    report = make_report(personal=False, status=Status.FAILED)
    with pytest.raises(PermissionDenied):
        services.report_retry(actor=request_fixture(role), report=report)


# --- immutability --------------------------------------------------------------------------


def test_a_ready_report_never_changes(pc_officer, media, django_capture_on_commit_callbacks):
    report = make_report(kind=Kind.ON_DEMAND, period="2026-Q3", figures={"enterprises": 7})
    before = (report.file.name, report.generated_at, report.figures, report.size)
    with pytest.raises(ValidationError):
        services.report_retry(actor=pc_officer, report=report)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = request(pc_officer)
    assert callbacks == [] and again.pk == report.pk
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert (report.file.name, report.generated_at, report.figures, report.size) == before
    assert report.status == Status.READY


def test_the_database_refuses_a_ready_report_without_file(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Report.objects.create(kind=Kind.ON_DEMAND, period="2026-Q3", status=Status.READY,
                              generated_at=timezone.now())


def test_the_database_refuses_a_second_row_for_the_same_report(zone_a):
    from django.db import IntegrityError, transaction

    make_report(zone=zone_a, personal=False)
    make_report(personal=False)
    for zone in (zone_a, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(kind=Kind.QUARTERLY, period="2026-Q1", zone=zone,
                                  personal=False)


# --- progress ----------------------------------------------------------------------------


def test_progress_is_stored_throttled_and_stops_a_worker_that_lost_its_claim(db, monkeypatch):
    report = make_report(status=Status.RUNNING, started_at=timezone.now())
    clock = {"now": 100.0}
    monkeypatch.setattr(services.time, "monotonic", lambda: clock["now"])
    progress = services._progress_writer(report)

    def stored():
        return Report.objects.get(pk=report.pk).progress

    progress(5)
    assert stored() == 0  # a small step within the interval waits
    clock["now"] += services.PROGRESS_INTERVAL
    progress(6)
    assert stored() == 6
    progress(30)
    assert stored() == 30  # 10 points or more: at once
    progress(20)
    assert stored() == 30  # never backwards
    progress(100)
    assert stored() == 99  # 100 only with the file
    # Another worker took the report over: this one's next write stops it.
    Report.objects.filter(pk=report.pk).update(started_at=timezone.now())
    with pytest.raises(services._ClaimLost):
        services._progress_writer(report)(50)
    assert stored() == 99


# --- the periodic re-enqueue -----------------------------------------------------------------


def test_requeue_sends_what_never_reached_a_worker(media, data, settings):
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT + 60)
    lost = make_report(kind=Kind.ON_DEMAND, period="2026-Q1", status=Status.PENDING,
                       requested_at=now - timedelta(minutes=10))
    just_asked = make_report(kind=Kind.ON_DEMAND, period="2026-Q2", status=Status.PENDING,
                             requested_at=now)
    queued = make_report(kind=Kind.ON_DEMAND, period="2026-01", status=Status.PENDING,
                         requested_at=now - timedelta(minutes=10), enqueued_at=now)
    dead = make_report(kind=Kind.ON_DEMAND, period="2026-02", status=Status.RUNNING,
                       started_at=stale, attempts=1)
    alive = make_report(kind=Kind.ON_DEMAND, period="2026-03", status=Status.RUNNING,
                        started_at=now, attempts=1)
    failed = make_report(kind=Kind.ON_DEMAND, period="2026-04", status=Status.FAILED)
    assert services.report_requeue(now=now) == 2
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: Status.READY, just_asked.pk: Status.PENDING,
                        queued.pk: Status.PENDING, dead.pk: Status.READY,
                        alive.pk: Status.RUNNING, failed.pk: Status.FAILED}


# --- scheduled reports -------------------------------------------------------------------------


@pytest.mark.parametrize("kind, today, period", [
    (Kind.QUARTERLY, date(2026, 10, 1), "2026-Q3"),
    (Kind.QUARTERLY, date(2027, 1, 1), "2026-Q4"),
    (Kind.HALF_YEARLY, date(2026, 7, 1), "2026-H1"),
    (Kind.HALF_YEARLY, date(2027, 1, 1), "2026-H2"),
    (Kind.YEARLY, date(2027, 1, 1), "2026"),
])
def test_the_schedule_reports_the_period_just_ended(kind, today, period, zone_a, media):
    reports = services.report_generate_scheduled(kind=kind, today=today)
    assert {r.period for r in reports} == {period}
    assert {r.kind for r in reports} == {kind}


def test_the_schedule_makes_the_pc_iz_and_zone_reports_and_tells_the_leaders(
        pc_officer, pc_leader, iz_leader, iz_officer, zone_a, zone_b, data, media,
        django_capture_on_commit_callbacks):
    ZoneFactory(code="OLD", name="Khu công nghiệp đã giải thể", is_active=False)
    zone_leader = UserFactory(username="iz_leader_a", organization=User.Organization.IZ_BOARD,
                              role=User.Role.LEADER, zones=[zone_a])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_generate_scheduled(kind=Kind.QUARTERLY, today=TODAY)
    reports = Report.objects.order_by("zone__code", "-personal")
    assert [(r.zone and r.zone.code, r.personal, r.status) for r in reports] == [
        ("AAA", False, Status.READY), ("BBB", False, Status.READY),
        (None, True, Status.READY), (None, False, Status.READY)]
    assert {r.requested_by for r in reports} == {None}
    assert len(report_files(media)) == 4
    province = reports.get(zone=None, personal=True)
    province_iz = reports.get(zone=None, personal=False)
    zone_report = reports.get(zone=zone_a)
    notes = {(n.recipient.username, n.url) for n in Notification.objects.select_related("recipient")}
    assert notes == {
        ("pc_leader", province.get_absolute_url()),
        ("iz_leader", province_iz.get_absolute_url()),
        (zone_leader.username, zone_report.get_absolute_url()),
    }
    # Run again (a duplicate beat message): nothing new.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_generate_scheduled(kind=Kind.QUARTERLY, today=TODAY)
    assert callbacks == []
    assert Report.objects.count() == 4 and Notification.objects.count() == 3
    assert len(report_files(media)) == 4


def test_the_province_report_for_the_iz_board_has_no_personal_sheets(media, data,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_generate_scheduled(kind=Kind.QUARTERLY, today=TODAY)
    personal = openpyxl.load_workbook(Report.objects.get(zone=None, personal=True).file.path,
                                      read_only=True).sheetnames
    figures_only = openpyxl.load_workbook(
        Report.objects.get(zone=None, personal=False).file.path, read_only=True).sheetnames
    assert set(figures_only) < set(personal)
