from django.db import migrations

NAME = "Retention of personal data (02:30)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "core.tasks.apply_retention",
            "crontab": night,
            "description": "Deletes import uploads once applied or after "
                           "IMPORT_UPLOAD_RETENTION_DAYS; pseudonymises members who left and "
                           "closed cases after PSEUDONYMISE_AFTER_YEARS (default: kept).",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_import_file_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
