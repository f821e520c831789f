"""The report schedules (DESIGN §5), editable afterwards in the admin.

At 06:00 (Asia/Ho_Chi_Minh) on the first day after each quarter, half-year and
year, beat sends ``reports.tasks.report_generate_scheduled`` for that kind; every
5 minutes it sends ``reports.tasks.report_requeue`` so that reports whose
enqueue failed (broker down) or whose worker died are generated after all.
Reversing the migration removes these tasks and the schedules nothing else uses.
"""

from django.db import migrations
from django.utils import timezone

TZ = "Asia/Ho_Chi_Minh"

# name, months of the year, kind of report, description
SCHEDULED = [
    ("Báo cáo sơ kết hằng quý", "1,4,7,10", "quarterly",
     "06:00 ngày đầu tiên sau mỗi quý: tạo báo cáo của quý vừa kết thúc và báo cho lãnh đạo."),
    ("Báo cáo sơ kết 6 tháng", "1,7", "half_yearly",
     "06:00 ngày đầu tiên sau mỗi 6 tháng: tạo báo cáo của 6 tháng vừa kết thúc và báo cho lãnh đạo."),
    ("Báo cáo tổng kết năm", "1", "yearly",
     "06:00 ngày 01/01: tạo báo cáo của năm vừa kết thúc và báo cho lãnh đạo."),
]
REQUEUE = "Gửi lại báo cáo đang chờ xử lý"
NAMES = [name for name, *_ in SCHEDULED] + [REQUEUE]


def _touch(apps):
    """Tell a running beat (DatabaseScheduler) that its schedule changed."""
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()})


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, months, kind, description in SCHEDULED:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="6", day_of_month="1", month_of_year=months, day_of_week="*",
            timezone=TZ,
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": "reports.tasks.report_generate_scheduled",
                "crontab": crontab,
                "kwargs": '{"kind": "%s"}' % kind,
                "description": description,
            },
        )
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=REQUEUE,
        defaults={
            "task": "reports.tasks.report_requeue",
            "interval": every_5_minutes,
            "description": "Mỗi 5 phút: gửi lại cho hệ thống xử lý nền các báo cáo chưa gửi được "
                           "(hệ thống tạm ngừng) hoặc bị gián đoạn.",
        },
    )
    _touch(apps)


def remove_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=NAMES).delete()
    for _name, months, _kind, _description in SCHEDULED:
        CrontabSchedule.objects.filter(
            minute="0", hour="6", day_of_month="1", month_of_year=months, day_of_week="*",
            timezone=TZ, periodictask__isnull=True,
        ).delete()
    IntervalSchedule.objects.filter(every=5, period="minutes", periodictask__isnull=True).delete()
    _touch(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_enqueue_and_attempts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
