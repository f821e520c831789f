"""python manage.py build_report --period PERIOD --output FILE.xlsx [--zone CODE]
[--no-personal] [--number N]
python manage.py build_report --period PERIOD --output FILE.docx [--review ID|NUMBER]

Writes the periodic review workbook (DESIGN §5) with the same function as the
scheduled task and the download button. PERIOD is a calendar period (2026,
2026-H1, 2026-Q3, 2026-09) or any span of days (24/09/2025-23/09/2026).

An output ending in ``.docx`` writes the Word review report (DESIGN §7) of
the finished review of that period (``--review`` names it by id or number
when there are several) from its frozen figures, with the same function as
the review page's download: the same document.

An invalid period, an unknown zone or review is a clear error and exit
status 1. The file appears only once complete.
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
                            help="2026, 2026-H1, 2026-Q3, 2026-09 or 24/09/2025-23/09/2026.")
        parser.add_argument("--output", required=True,
                            help="The .xlsx file to write (.docx: the review's Word report).")
        parser.add_argument("--review", default="",
                            help="With a .docx output: the review's id or number (default: "
                                 "the finished review of the period).")
        parser.add_argument("--zone", help="Code of one industrial zone (default: the province).")
        parser.add_argument("--no-personal", action="store_true",
                            help="Leave out people's names (the IZ Board's edition).")
        parser.add_argument("--number", default="",
                            help="The report's number, as in Số 12-BC/ĐUK (default: blank).")

    def handle(self, *args, period, output, zone, no_personal, number, review="", **options):
        with translation.override("vi"):
            try:
                period = Period.parse(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if output.lower().endswith(".docx"):
            return self._review_document(period, Path(output), review)
        industrial_zone = None
        if zone:
            industrial_zone = IndustrialZone.objects.filter(code__iexact=zone.strip()).first()
            if industrial_zone is None:
                raise CommandError(f"Không có khu công nghiệp mã {zone!r}.")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục {str(path.parent)!r} để ghi tệp.")
        _write(path, ".xlsx", lambda stream: write_report(
            stream, period=period, zone=industrial_zone, personal=not no_personal,
            number=number))
        where = industrial_zone.name if industrial_zone else "toàn tỉnh"
        self.stdout.write(f"Đã ghi báo cáo {period.label} ({where}) vào {path}.")

    def _review_document(self, period: Period, path: Path, wanted: str) -> None:
        from coordination.reviews.documents import render_review
        from coordination.reviews.models import Review
        from coordination.reviews.selectors import review_for_period

        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục {str(path.parent)!r} để ghi tệp.")
        wanted = (wanted or "").strip()
        if wanted:
            rows = Review.objects.filter(number=wanted)
            if wanted.isdigit():
                rows = rows | Review.objects.filter(pk=int(wanted))
            review = rows.first()
            if review is None:
                raise CommandError(f"Không có báo cáo sơ kết, tổng kết {wanted!r}.")
            if (review.period_start, review.period_end) != (period.start, period.end):
                raise CommandError(
                    f"Báo cáo {wanted!r} là của kỳ từ {review.period_start:%d/%m/%Y} đến "
                    f"{review.period_end:%d/%m/%Y}, không phải {period.label}.")
        else:
            review = review_for_period(period)
            if review is None:
                raise CommandError(
                    f"Không có đúng một báo cáo sơ kết, tổng kết đã hoàn thành của kỳ "
                    f"{period.label}: chỉ rõ bằng --review.")
        if not review.is_finished:
            raise CommandError("Báo cáo chưa hoàn thành (số liệu chưa được chốt): hoàn thành "
                               "báo cáo trên trang của nó trước.")
        content = render_review(review)
        _write(path, ".docx", lambda stream: stream.write(content))
        self.stdout.write(f"Đã ghi báo cáo “{review.subject}” vào {path}.")


def _write(path: Path, suffix: str, write) -> None:
    """Write beside the target and rename: no half-written file is ever seen."""
    handle, partial = tempfile.mkstemp(prefix=".build_report.", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(partial, 0o666 & ~_umask())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
