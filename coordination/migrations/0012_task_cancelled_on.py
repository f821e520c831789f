"""The day a task was cancelled, so that past periods still count it as it
was then. Tasks cancelled before this field existed get the day their
change history first shows them cancelled (the last time they became so),
in the province's time zone; with no such history, the day of the change
history's latest row, or today.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def backfill(apps, schema_editor):
    PlanTask = apps.get_model("coordination", "PlanTask")
    History = apps.get_model("coordination", "HistoricalPlanTask")
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.now().astimezone(zone).date()
    for task in PlanTask.objects.filter(status="cancelled", cancelled_on__isnull=True):
        rows = list(
            History.objects.filter(id=task.pk)
            .order_by("history_date", "history_id")
            .values_list("status", "history_date")
        )
        day = None
        for status, at in rows:
            if status != "cancelled":
                day = None
            elif day is None:
                day = at.astimezone(zone).date()
        if day is None and rows:
            day = rows[-1][1].astimezone(zone).date()
        task.cancelled_on = day or today
        task.save(update_fields=["cancelled_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0011_regulation_one_in_force"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalplantask",
            name="cancelled_on",
            field=models.DateField(blank=True, null=True, verbose_name="cancelled on"),
        ),
        migrations.AddField(
            model_name="plantask",
            name="cancelled_on",
            field=models.DateField(blank=True, null=True, verbose_name="cancelled on"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plantask",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), ("cancelled_on__isnull", False)),
                    models.Q(
                        models.Q(("status", "cancelled"), _negated=True), ("cancelled_on__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="coordination_plantask_cancelled_has_date",
                violation_error_message="A cancelled task has the date it was cancelled, and only a cancelled task has one.",
            ),
        ),
    ]
