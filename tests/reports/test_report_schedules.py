"""The beat schedules of the reports, created (and removed) by a data migration."""

import importlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.celery_app import app

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beat_schedules")]

migration = importlib.import_module("reports.migrations.0003_report_schedules")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

EXPECTED = {
    # name: (kind, months)
    "Báo cáo sơ kết hằng quý": ("quarterly", "1,4,7,10"),
    "Báo cáo sơ kết 6 tháng": ("half_yearly", "1,7"),
    "Báo cáo tổng kết năm": ("yearly", "1"),
}


def test_the_migration_schedules_each_kind_at_6_on_the_first_day_after_the_period():
    for name, (kind, months) in EXPECTED.items():
        task = PeriodicTask.objects.select_related("crontab").get(name=name)
        assert task.enabled and task.task == "reports.tasks.report_generate_scheduled"
        assert json.loads(task.kwargs) == {"kind": kind}
        crontab = task.crontab
        assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year,
                crontab.day_of_week) == ("0", "6", "1", months, "*")
        assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"


def test_the_quarterly_schedule_fires_at_6_local_time_on_the_first_day_of_a_quarter():
    schedule = PeriodicTask.objects.get(name="Báo cáo sơ kết hằng quý").crontab.schedule
    # The next run after a moment: 06:00 local time on the first day of the next quarter.
    for last_run, expected in [
        (datetime(2026, 9, 30, 12, 0, tzinfo=TZ), datetime(2026, 10, 1, 6, 0, tzinfo=TZ)),
        (datetime(2026, 10, 1, 6, 0, tzinfo=TZ), datetime(2027, 1, 1, 6, 0, tzinfo=TZ)),
    ]:
        start, delta, _now = schedule.remaining_delta(last_run)
        assert (start + delta).astimezone(TZ) == expected


def test_the_requeue_job_runs_every_5_minutes():
    task = PeriodicTask.objects.select_related("interval").get(name=migration.REQUEUE)
    assert task.task == "reports.tasks.report_requeue" and task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")


def test_the_scheduled_tasks_are_registered_with_celery():
    app.loader.import_default_modules()  # what a worker and beat do at start
    assert {"reports.tasks.report_generate", "reports.tasks.report_generate_scheduled",
            "reports.tasks.report_requeue"} <= set(app.tasks)


def test_reversing_the_migration_removes_the_schedules_and_is_repeatable():
    migration.remove_schedules(apps, None)
    assert not PeriodicTask.objects.filter(name__in=migration.NAMES).exists()
    assert not CrontabSchedule.objects.filter(hour="6", day_of_month="1").exists()
    assert not IntervalSchedule.objects.filter(every=5, period="minutes").exists()
    # Other schedules are left alone.
    assert PeriodicTask.objects.filter(name="Worker heartbeat").exists()
    migration.create_schedules(apps, None)
    migration.create_schedules(apps, None)
    assert PeriodicTask.objects.filter(name__in=migration.NAMES).count() == 4
    assert CrontabSchedule.objects.filter(hour="6", day_of_month="1").count() == 3


@pytest.mark.django_db(transaction=True)
def test_migrating_backwards_and_forwards_removes_and_recreates_the_schedules():
    from django.core.management import call_command

    try:
        call_command("migrate", "reports", "0002", verbosity=0)
        assert not PeriodicTask.objects.filter(name__in=migration.NAMES).exists()
        call_command("migrate", "reports", "0003", verbosity=0)
        assert set(PeriodicTask.objects.filter(name__in=migration.NAMES)
                   .values_list("name", flat=True)) == set(migration.NAMES)
        call_command("migrate", "reports", "0002", verbosity=0)
        assert not PeriodicTask.objects.filter(name__in=migration.NAMES).exists()
        assert not CrontabSchedule.objects.filter(hour="6", day_of_month="1").exists()
    finally:
        call_command("migrate", verbosity=0)
