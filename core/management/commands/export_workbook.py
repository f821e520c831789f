"""python manage.py export_workbook --kind KIND FILE.xlsx

Writes the import template's columns, so the file re-imports unchanged: for
that, citizen IDs are written in full (``masked=False``; the exports offered on
the web pages mask them). Run on the server by the system operator.
"""

from inspect import signature

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.registry import exporters


class Command(BaseCommand):
    help = "Export a kind of data as an Excel workbook in its import columns."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True)
        parser.add_argument("file")

    def handle(self, *args, kind, file, **options):
        available = exporters()
        if kind not in available:
            raise CommandError(f"Unknown kind {kind!r}; one of: {', '.join(sorted(available))}")
        export, queryset = available[kind]
        with translation.override("vi"), open(file, "wb") as handle:
            full = {"masked": False} if "masked" in signature(export).parameters else {}
            export(queryset(), handle, **full)
        self.stdout.write(f"Đã ghi {file}")
