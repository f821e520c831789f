"""python manage.py import_workbook --kind KIND FILE.xlsx [--dry-run] [--as-of dd/mm/yyyy]

All-or-nothing: when any row is refused nothing is written, every error is
printed as ``Dòng N, cột '<header>': ...`` and the exit status is 1.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.registry import importers


class Command(BaseCommand):
    help = "Import an Excel workbook (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check and report every row, write nothing.")
        parser.add_argument("--as-of", help="Date of the workforce figures, dd/mm/yyyy "
                                            "(default: today).")

    def handle(self, *args, kind, file, dry_run, as_of, **options):
        available = importers()
        if kind not in available:
            raise CommandError(f"Unknown kind {kind!r}; one of: {', '.join(sorted(available))}")
        as_of_date = None
        if as_of:
            try:
                as_of_date = datetime.strptime(as_of, "%d/%m/%Y").date()
            except ValueError as exc:
                raise CommandError(f"--as-of must be dd/mm/yyyy, not {as_of!r}") from exc
        with translation.override("vi"):
            try:
                with open(file, "rb") as handle:
                    result = available[kind](as_of=as_of_date).run(handle, dry_run=dry_run)
            except OSError as exc:
                self.stderr.write(f"Không đọc được tệp {file}: {exc.strerror}")
                raise SystemExit(1) from exc
            for error in result.errors:
                self.stderr.write(error)
            if not result.ok:
                self.stderr.write(f"Không ghi gì: {len(result.errors)} lỗi.")
                raise SystemExit(1)
        if dry_run:
            self.stdout.write("Chạy thử (--dry-run): không ghi gì.")
        self.stdout.write(result.summary)
