"""python manage.py build_report --period PERIOD --output FILE.xlsx [--zone CODE]
[--no-personal] [--number N]

Writes the periodic review workbook (DESIGN §5) with the same function as the
scheduled task and the download button. An invalid period or an unknown zone
is a clear error and exit status 1. The file appears only once complete.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.periods import Period
from enterprises.models import IndustrialZone
from reports.workbook import write_report


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Command(BaseCommand):
    help = "Write the periodic review workbook of a period (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True,
                            help="2026, 2026-H1, 2026-Q3 or 2026-09.")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument("--zone", help="Code of one industrial zone (default: the province).")
        parser.add_argument("--no-personal", action="store_true",
                            help="Leave out people's names (the IZ Board's edition).")
        parser.add_argument("--number", default="",
                            help="The report's number, as in Số 12-BC/ĐUK (default: blank).")

    def handle(self, *args, period, output, zone, no_personal, number, **options):
        with translation.override("vi"):
            try:
                period = Period.parse(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        industrial_zone = None
        if zone:
            industrial_zone = IndustrialZone.objects.filter(code__iexact=zone.strip()).first()
            if industrial_zone is None:
                raise CommandError(f"Không có khu công nghiệp mã {zone!r}.")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục {str(path.parent)!r} để ghi tệp.")
        # Written beside the target and renamed: no half-written report is ever seen.
        handle, partial = tempfile.mkstemp(prefix=".build_report.", suffix=".xlsx",
                                           dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                write_report(stream, period=period, zone=industrial_zone,
                             personal=not no_personal, number=number)
            os.chmod(partial, 0o666 & ~_umask())
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        where = industrial_zone.name if industrial_zone else "toàn tỉnh"
        self.stdout.write(f"Đã ghi báo cáo {period.label} ({where}) vào {path}.")
