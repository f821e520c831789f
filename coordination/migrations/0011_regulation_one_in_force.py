"""At most one regulation in force on any day, kept by PostgreSQL too.

The services refuse an overlap with a clear message on every database
(coordination.cycle.services._check_overlap); on PostgreSQL an exclusion
constraint also refuses what two requests at once, or a write that bypasses
the services, would let through. The days in force are
[effective_from, in_force_until], both included (open-ended while
in_force_until is blank).
"""

from django.db import migrations

NAME = "coordination_regulation_one_in_force"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE coordination_regulation ADD CONSTRAINT {NAME} "
        "EXCLUDE USING gist (daterange(effective_from, in_force_until, '[]') WITH &&)")


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE coordination_regulation DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("coordination", "0010_reviews")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
