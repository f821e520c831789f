"""The periodic review workbook (DESIGN §5).

``build_report``, the scheduled task and the download button all call
:func:`write_report`, so they produce the same file. Its sheets:

- ``Tổng hợp``: the party document header (Quy định 66-QĐ/TW, Hướng dẫn
  36-HD/VPTW), every indicator of the catalogue for the period beside the
  previous period and the same period last year, and two native bar charts
  drawn from those cells.
- ``Theo KCN``: every indicator per zone, and a total row equal to Tổng hợp.
  Things that belong to no zone (joint cells directly under the IZ Board)
  get a row of their own, so the total still adds up.
- ``Kế hoạch``: the targets of the plan of the period's year (for a span
  of days, the year it ends in) against what was achieved from 1 January to
  the period's end, then the plan's tasks.
  A zone report lists that zone's targets only: the actual of a
  province-wide target is a figure of every zone, outside the report's scope.
- detail sheets: ``Doanh nghiệp``; ``Đảng viên mới`` and ``Quần chúng ưu
  tú`` with names and masked citizen IDs in a personal report, while a
  report for the IZ Board (``personal=False``) has no ``Đảng viên mới``
  sheet and gives the candidates as counts per stage; ``Khảo sát``.

Streaming: every sheet is an openpyxl write-only worksheet and detail rows
come from ``.iterator()`` over ``select_related``/``values`` querysets, so
memory and the number of queries stay flat however many rows there are.
Every text cell goes through ``core.excel.writer.text_cell``: text never
becomes a formula. Sheet contents are the document's fixed Vietnamese, not
interface strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from django.conf import settings
from django.db.models import Case, Count, DateField, F, IntegerField, QuerySet, Value, When
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from coordination.models import (
    AdmissionCandidate,
    CoordinationPlan,
    PlanTask,
    join_name,
    mask_citizen_id,
)
from coordination.plans import rules as plan_rules
from coordination.plans import selectors as plan_selectors
from coordination.selectors import admitted_within, open_candidates
from coordination.workbooks import GENDERS
from core.excel.writer import (
    BORDER,
    HEADER_ALIGNMENT,
    SheetWriter,
    WorkbookWriter,
    text_cell,
)
from core.indicators import CATALOGUE, Scope, by_zone, compute_many
from core.periods import Period
from core.text import fold
from enterprises.models import Enterprise, IndustrialZone, MassOrganization
from enterprises.selectors import has_mass_organization, has_party_organization, latest_workforce
from enterprises.workbooks import CAPITAL_SOURCES, LEGAL_FORMS, STATUSES, label_of
from surveys.models import SurveyVisit

Figures = dict[str, int | None]
Progress = Callable[[int], None]

FONT_NAME = "Times New Roman"
BODY_SIZE = 12
CHUNK_SIZE = 2000
MISSING = "—"  # an indicator whose source is not registered
NO_ZONE = "Trực thuộc Ban Quản lý (không thuộc KCN)"
TOTAL = "Tổng cộng"


# --- sheets in Times New Roman, with a styled document header ---------------------------


@dataclass(frozen=True)
class Text:
    """A piece of a title row: text over columns ``first``..``last`` (merged)."""

    value: str
    first: int = 1
    last: int | None = None
    size: int = 13
    bold: bool = False
    italic: bool = False
    underline: bool = False
    horizontal: str = "center"


class ReportSheet(SheetWriter):
    """A :class:`SheetWriter` whose every cell is in Times New Roman.

    Adds styled, merged title rows (:meth:`caption`), bordered data rows,
    optional frozen columns and tables that end before the last row, so a
    second table (the plan's tasks) can follow the first one.
    """

    def __init__(self, workbook_writer, title, columns, *, freeze_columns: int = 0):
        super().__init__(workbook_writer, title, columns)
        self._freeze_columns = freeze_columns
        self._table_end: int | None = None
        margins = self._ws.page_margins
        # Hướng dẫn 36-HD/VPTW: 20 mm top and bottom, 30 mm left, 15 mm right.
        self._ws.page_margins = PageMargins(left=1.18, right=0.59, top=0.79, bottom=0.79,
                                            header=margins.header, footer=margins.footer)

    @property
    def header_row(self) -> int | None:
        return self._header_row

    @property
    def rows_written(self) -> int:
        return self._row_count + len(self._title_rows)

    def caption(self, texts: list[Text] = (), *, height: float | None = None) -> None:
        """A title row above the header: each :class:`Text` styled and merged."""
        self._ensure_not_started("caption")
        row = len(self._title_rows) + 1
        cells: list = [None] * max((t.last or t.first for t in texts), default=0)
        for text in texts:
            last = text.last or text.first
            cell = text_cell(self._ws, text.value) if text.value else None
            if cell is not None:
                cell.font = Font(name=FONT_NAME, size=text.size, bold=text.bold,
                                 italic=text.italic, underline="single" if text.underline else None)
                cell.alignment = Alignment(horizontal=text.horizontal, vertical="center",
                                           wrap_text=True)
            cells[text.first - 1] = cell
            if last > text.first:
                self._ws.merged_cells.add(
                    f"{get_column_letter(text.first)}{row}:{get_column_letter(last)}{row}")
        if height:
            self._ws.row_dimensions[row].height = height
        self._title_rows.append(cells)

    def header(self, labels=None, *, required=(), frozen: bool = True,
               height: float | None = None) -> None:
        if height:
            self._ws.row_dimensions[len(self._title_rows) + 1].height = height
        super().header(labels, required=required, frozen=frozen)

    def row(self, values, *, bold: bool = False, heading: bool = False) -> None:
        """A bordered row; ``bold`` for a total, ``heading`` for a table's header row.

        Values are written as :func:`core.excel.writer.cell_content` says. Each
        cell gets its whole style at once, one per combination (kind, number
        format, quote prefix), made and registered in the workbook the first
        time it is needed: setting font, border and alignment cell by cell, and
        then openpyxl looking each cell's style up, dominated the time of a
        large report. The row goes to the sheet as a
        :class:`core.excel.writer.PreparedRow` (values, data types and style
        ids), written as it is, without a cell object per value.
        """
        kind = _HEADING if heading else _BOLD if bold else _BODY
        SheetWriter._append(self, self._prepared(values, kind))

    def _row_template(self, kind: str) -> WriteOnlyCell:
        """A cell styled as a row cell of ``kind`` (body, bold or heading)."""
        template = WriteOnlyCell(self._ws)
        template.font, template.border, template.alignment = _ROW_STYLES[kind]
        return template

    def blank(self) -> None:
        self._append([])

    def line(self, text: str, *, bold: bool = False) -> None:
        """A line of text below the header, outside any table (no border)."""
        cell = text_cell(self._ws, text)
        if cell is not None:
            cell.font = Font(name=FONT_NAME, size=BODY_SIZE, bold=bold)
        self._append([cell])

    @property
    def worksheet(self):
        return self._ws

    def add_chart(self, chart, anchor: str) -> None:
        self._ws.add_chart(chart, anchor)

    def end_table(self) -> None:
        """The table under the header ends here (its filter stops at this row)."""
        self._table_end = self.rows_written

    def _append(self, cells: list) -> None:
        if not self._started and self._freeze_columns and self._header_row:
            self._ws.freeze_panes = (f"{get_column_letter(self._freeze_columns + 1)}"
                                     f"{self._header_row + 1}")
        super()._append([_in_font(self._ws, cell) for cell in cells])

    def _finish(self) -> None:
        super()._finish()
        if self._table_end and self._header_row and self._header_width:
            last_column = get_column_letter(self._header_width)
            self._ws.auto_filter.ref = f"A{self._header_row}:{last_column}{self._table_end}"


class ReportBook(WorkbookWriter):
    """A write-only workbook of :class:`ReportSheet` sheets."""

    def sheet(self, title, columns=None, *, freeze_columns: int = 0) -> ReportSheet:
        sheet = ReportSheet(self, title, columns, freeze_columns=freeze_columns)
        self._sheets.append(sheet)
        return sheet


_BODY, _BOLD, _HEADING = "body", "bold", "heading"
_BODY_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
_ROW_STYLES = {
    _BODY: (Font(name=FONT_NAME, size=BODY_SIZE), BORDER, _BODY_ALIGNMENT),
    _BOLD: (Font(name=FONT_NAME, size=BODY_SIZE, bold=True), BORDER, _BODY_ALIGNMENT),
    _HEADING: (Font(name=FONT_NAME, size=BODY_SIZE, bold=True), BORDER, HEADER_ALIGNMENT),
}


def _as_cell(worksheet, value) -> Cell:
    """A cell for what ``SheetWriter._cell`` returns (a cell, a plain value or None)."""
    if isinstance(value, Cell):
        return value
    return WriteOnlyCell(worksheet, value)


def _in_font(worksheet, cell):
    """``cell`` in Times New Roman, keeping its weight, slant and colour."""
    if cell is None:
        return None
    cell = _as_cell(worksheet, cell)
    font = cell.font
    if font.name != FONT_NAME:
        cell.font = Font(name=FONT_NAME, size=BODY_SIZE, bold=font.b, italic=font.i,
                         underline=font.u, color=font.color)
    return cell


# --- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Report:
    period: Period
    zone: IndustrialZone | None
    personal: bool
    generated_at: datetime
    number: str

    @property
    def scope(self) -> Scope:
        return Scope.province() if self.zone is None else Scope.zone(self.zone.pk)

    @property
    def zone_ids(self) -> frozenset[int] | None:
        return self.scope.zone_ids

    @property
    def where(self) -> str:
        """Where the report looks, as the subject line says it."""
        return "các khu công nghiệp" if self.zone is None else _zone_title(self.zone)

    @property
    def subtitle(self) -> str:
        period = self.period
        return (f"{self.where[0].upper()}{self.where[1:]}, {period.label} "
                f"(từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})")


def write_report(target: str | BinaryIO, *, period: Period, zone: IndustrialZone | None = None,
                 personal: bool = True, generated_at: datetime | None = None, number: str = "",
                 progress: Progress | None = None) -> Figures:
    """Write the periodic review workbook of ``period`` to ``target`` (a path or
    a writable binary file) and return the Tổng hợp figures ``{code: value}``.

    ``zone`` limits the report to one industrial zone (the province when None).
    ``personal=False`` leaves out people's names (for the IZ Board): no new
    members sheet, candidates as counts per stage. ``generated_at`` (default:
    now) is stamped on the first sheet, ``number`` is the report's number in
    ``Số ...-BC/<abbr>``. ``progress`` is called with 0..100 as sheets complete.
    Reads only; the number of queries does not depend on the number of rows.
    """
    moment = _aware(generated_at or timezone.now())
    report = _Report(period=period, zone=zone, personal=personal,
                     generated_at=timezone.localtime(moment, timezone.get_default_timezone()),
                     number=(number or "").strip())
    notify = progress or (lambda percent: None)
    notify(0)
    book = ReportBook()
    book.workbook.properties.title = f"Báo cáo {period.label}"
    book.workbook.properties.creator = settings.PARTY_COMMITTEE_NAME

    people = [_new_members_sheet, _candidates_sheet] if personal else [_candidate_counts_sheet]
    others = [_zones_sheet, _plan_sheet, _enterprises_sheet, *people, _surveys_sheet]
    steps = len(others) + 2  # Tổng hợp first, saving last
    figures = _summary_sheet(book, report)
    notify(100 // steps)
    for done, write_sheet in enumerate(others, start=2):
        write_sheet(book, report)
        notify(done * 100 // steps)
    book.save(target)
    notify(100)
    return figures


def _aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


# --- Tổng hợp -------------------------------------------------------------------------

SUMMARY_COLUMNS = [("STT", 6), ("Chỉ tiêu", 52), ("Kết quả", 13), ("Kỳ trước", 13),
                   ("Cùng kỳ năm trước", 17)]
# The two charts: (title, first and last indicator code, contiguous in the catalogue).
CHARTS = [
    ("Doanh nghiệp và tổ chức đảng", "enterprises", "party_orgs_new"),
    ("Đảng viên và quần chúng ưu tú", "members", "candidates_course_completed"),
]
SUBJECT = ("Kết quả phối hợp lãnh đạo xây dựng tổ chức đảng, phát triển đảng viên trong "
           "doanh nghiệp tại {where} {period}")


def _summary_sheet(book: ReportBook, report: _Report) -> Figures:
    """``Tổng hợp``: the document header, every indicator, the charts."""
    period, scope = report.period, report.scope
    # The three periods in one query per source model.
    periods = (period, period.previous(), period.same_last_year())
    figures = compute_many([(indicator, each) for each in periods for indicator in CATALOGUE],
                           scope)
    current = [(indicator, figures[indicator.code, period]) for indicator in CATALOGUE]
    previous = {i.code: figures[i.code, periods[1]] for i in CATALOGUE}
    last_year = {i.code: figures[i.code, periods[2]] for i in CATALOGUE}

    sheet = book.sheet("Tổng hợp", SUMMARY_COLUMNS)
    sheet.print_setup(landscape=False)
    _document_header(sheet, report)
    sheet.header()
    for index, (indicator, value) in enumerate(current, start=1):
        sheet.row([index, indicator.label, _figure(value), _figure(previous[indicator.code]),
                   _figure(last_year[indicator.code])])
    _add_charts(sheet)
    return {indicator.code: value for indicator, value in current}


def _document_header(sheet: ReportSheet, report: _Report) -> None:
    """The party document header (Hướng dẫn 36-HD/VPTW, Appendix 3): the issuing
    body left, the Party's name with place and date right, then the title."""
    left, right, width = (1, 2), (3, 5), len(SUMMARY_COLUMNS)
    period, moment = report.period, report.generated_at
    sheet.caption([Text(settings.PARTY_COMMITTEE_SUPERIOR.upper(), *left),
                   Text("ĐẢNG CỘNG SẢN VIỆT NAM", *right, size=14, bold=True, underline=True)],
                  height=20)
    sheet.caption([Text(settings.PARTY_COMMITTEE_NAME.upper(), *left, bold=True),
                   Text(f"{settings.PROVINCE_NAME}, {_document_date(moment.date())}", *right,
                        italic=True)], height=34)
    sheet.caption([Text("*", *left)])
    sheet.caption([Text(_number_line(report.number), *left)])
    sheet.caption()
    sheet.caption([Text("BÁO CÁO", 1, width, size=15, bold=True)], height=22)
    subject = SUBJECT.format(where=report.where, period=period.label)
    sheet.caption([Text(subject, 1, width, size=13, bold=True)], height=36)
    sheet.caption([Text(f"Kỳ báo cáo: từ ngày {period.start:%d/%m/%Y} đến ngày "
                        f"{period.end:%d/%m/%Y}. Kỳ trước: {period.previous().label}; cùng kỳ "
                        f"năm trước: {period.same_last_year().label}.", 1, width, size=11,
                        italic=True)], height=30)
    sheet.caption([Text(f"Lập lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}.", 1, width, size=11,
                        italic=True)])
    sheet.caption()


def _number_line(number: str) -> str:
    """``Số 12-BC/ĐUK``; blank spaces for the number while it is not given yet."""
    abbr = settings.PARTY_COMMITTEE_ABBR
    if not number:
        return f"Số      -BC/{abbr}"
    if "/" in number:
        return f"Số {number}"
    return f"Số {number}-BC/{abbr}"


def _document_date(day: date) -> str:
    """``ngày 05 tháng 02 năm 2026``: days below 10 and the months 1 and 2 take
    a leading zero, as state and party documents write dates."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _add_charts(sheet: ReportSheet) -> None:
    """Bar charts of the main figures, drawn from the Tổng hợp cells themselves
    (Kết quả, Kỳ trước, Cùng kỳ năm trước side by side for each indicator)."""
    ws, header_row = sheet.worksheet, sheet.header_row
    row_of = {indicator.code: header_row + 1 + index for index, indicator in enumerate(CATALOGUE)}
    anchor = header_row + len(CATALOGUE) + 3
    for title, first_code, last_code in CHARTS:
        first, last = row_of[first_code], row_of[last_code]
        categories = StrRef(f=str(Reference(ws, min_col=2, min_row=first, max_row=last)))
        chart = BarChart()
        chart.type = "bar"
        chart.title = title
        chart.width, chart.height = 19, 9.5
        for column in (3, 4, 5):
            series = Series(Reference(ws, min_col=column, min_row=first, max_row=last))
            series.tx = SeriesLabel(strRef=StrRef(
                f=str(Reference(ws, min_col=column, min_row=header_row))))
            series.cat = AxDataSource(strRef=categories)
            chart.series.append(series)
        # Category axis: the catalogue's order from the top; both axes shown.
        chart.x_axis.scaling.orientation = "maxMin"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.crosses = "max"  # the value axis at the bottom all the same
        chart.y_axis.title = "Số lượng"
        chart.legend.position = "b"
        _chart_font(chart)
        sheet.add_chart(chart, f"A{anchor}")
        anchor += 21


def _chart_font(chart: BarChart) -> None:
    """Times New Roman for the chart's text too."""
    properties = CharacterProperties(latin=DrawingFont(typeface=FONT_NAME), sz=1000)
    text = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)])
    chart.x_axis.txPr = text
    chart.y_axis.txPr = text
    chart.legend.txPr = text


def _figure(value):
    return MISSING if value is None else value


# --- Theo KCN -------------------------------------------------------------------------


def _zones_sheet(book: ReportBook, report: _Report) -> None:
    """``Theo KCN``: one row per zone, one column per indicator, then the total."""
    figures = by_zone(report.period, report.zone_ids)
    zones = {zone.pk: zone for zone in IndustrialZone.objects.filter(
        pk__in=[key for key in figures if key is not None]).only("code", "name")}
    keys = sorted(zones, key=lambda pk: (zones[pk].code, pk))
    if None in figures:
        keys.append(None)

    columns = [("STT", 6), ("Mã KCN", 10), ("Khu công nghiệp", 30)]
    columns += [(indicator.label, 13) for indicator in CATALOGUE]
    sheet = book.sheet("Theo KCN", columns, freeze_columns=3)
    sheet.print_setup(landscape=True)
    width = len(columns)
    sheet.caption([Text("SỐ LIỆU THEO KHU CÔNG NGHIỆP", 1, width, size=14, bold=True,
                        horizontal="left")])
    sheet.caption([Text(report.subtitle, 1, width, size=12, italic=True, horizontal="left")])
    sheet.caption()
    sheet.header(height=_header_height([indicator.label for indicator in CATALOGUE], 13))
    for index, key in enumerate(keys, start=1):
        zone = zones.get(key)
        values = [figures[key][indicator.code] for indicator in CATALOGUE]
        sheet.row([index, zone.code if zone else "", zone.name if zone else NO_ZONE,
                   *map(_figure, values)])
    totals = [_total(figures[key][indicator.code] for key in keys) for indicator in CATALOGUE]
    sheet.row(["", "", TOTAL, *map(_figure, totals)], bold=True)


def _total(values) -> int | None:
    values = list(values)
    if any(value is None for value in values):
        return None
    return sum(values)


def _header_height(labels: list[str], width: float) -> float:
    """Points for a header row whose longest label wraps in columns of ``width``."""
    lines = max(math.ceil(len(label) / max(width - 2, 1)) for label in labels)
    return max(1, lines) * 16 + 4


# --- Kế hoạch -------------------------------------------------------------------------

# Two tables share the sheet's columns: the targets (8 columns), then the tasks (9).
# DESIGN §5's five target columns come first; then a stock target's figure on
# 1 January (blank for a flow) and the judgement of DESIGN §3.
TARGET_HEADERS = ["STT", "Chỉ tiêu", "Khu công nghiệp", "Mục tiêu", "Thực hiện", "Tỷ lệ (%)",
                  "Số đầu năm", "Đánh giá"]
TASK_HEADERS = ["STT", "Nội dung", "Chủ trì", "Đơn vị phối hợp", "Người phụ trách",
                "Hạn hoàn thành", "Trạng thái", "Ngày hoàn thành", "Kết quả"]
PLAN_COLUMNS = list(zip(TASK_HEADERS, [6, 48, 26, 18, 18, 14, 16, 14, 40], strict=True))
PLAN_STATUSES = {
    CoordinationPlan.Status.DRAFT: "dự thảo",
    CoordinationPlan.Status.APPROVED: "đã phê duyệt",
    CoordinationPlan.Status.CLOSED: "đã kết thúc",
}
# A target's state (coordination.plans.selectors.TargetProgress.state).
TARGET_STATES = {
    "achieved": "Đã đạt",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm tiến độ",
    "missed": "Không đạt",
    "unknown": "",
}
TASK_STATUSES = {
    PlanTask.Status.NOT_STARTED: "Chưa thực hiện",
    PlanTask.Status.IN_PROGRESS: "Đang thực hiện",
    PlanTask.Status.DONE: "Đã hoàn thành",
    PlanTask.Status.CANCELLED: "Đã hủy",
}


def _lead_sides() -> dict[str, str]:
    party, board = settings.PARTY_COMMITTEE_NAME, settings.IZ_BOARD_NAME
    return {
        PlanTask.LeadSide.PARTY_COMMITTEE: party,
        PlanTask.LeadSide.IZ_BOARD: board,
        PlanTask.LeadSide.BOTH: f"{party} và {board}",
    }


def year_to_date(period: Period) -> Period:
    """The period's year from 1 January to the period's end: what plan targets
    are measured against in a report of ``period``."""
    return plan_selectors.target_period(year=period.end.year, until=period.end)


def judged_on(report: _Report) -> date:
    """The day a report judges the targets on: its period's end, or the day
    it is generated while the period is still running."""
    return min(report.period.end, report.generated_at.date())


def _plan_sheet(book: ReportBook, report: _Report) -> None:
    """``Kế hoạch``: the plan's targets against the year to date, then its tasks.

    A report is a frozen document: it carries an approved or closed plan,
    never a draft (a year whose plan is a draft has none here).
    """
    period = report.period
    plan = plan_selectors.plan_for_year(access=None, year=period.end.year)
    sheet = book.sheet("Kế hoạch", PLAN_COLUMNS)
    sheet.print_setup(landscape=True)
    width = len(PLAN_COLUMNS)
    sheet.caption([Text(f"KẾT QUẢ THỰC HIỆN KẾ HOẠCH PHỐI HỢP NĂM {period.end.year}", 1, width,
                        size=14, bold=True, horizontal="left")])
    if plan is None:
        sheet.caption([Text(f"Chưa có kế hoạch phối hợp năm {period.end.year}.", 1, width, size=12,
                            italic=True, horizontal="left")])
        return
    ytd = year_to_date(period)
    sheet.caption([Text(_plan_line(plan), 1, width, size=12, horizontal="left")])
    scope_note = (" Chỉ nêu chỉ tiêu của khu công nghiệp này." if report.zone is not None else "")
    sheet.caption([Text(f"Thực hiện tính từ ngày {ytd.start:%d/%m/%Y} đến ngày "
                        f"{ytd.end:%d/%m/%Y}.{scope_note}", 1, width, size=12, italic=True,
                        horizontal="left")])
    day = judged_on(report)
    baseline_day = plan_rules.baseline_period(period.end.year).end
    sheet.caption([Text(f"Đánh giá tiến độ đến ngày {day:%d/%m/%Y}: chỉ tiêu tích lũy (số lượng "
                        f"tại thời điểm) tính từ số đầu năm (cuối ngày {baseline_day:%d/%m/%Y}) "
                        f"đến mục tiêu; chỉ tiêu phát sinh trong kỳ tính từ 0.", 1, width,
                        size=12, italic=True, horizontal="left")], height=32)
    sheet.caption()
    sheet.header(TARGET_HEADERS)

    targets = plan_selectors.targets_in_figures(
        access=None, plan=plan, zone_id=report.zone.pk if report.zone else None)
    # The actuals over ``ytd`` (its end is the period's), judged on ``day``
    # as the plan's page and the dashboard judge them.
    actuals = plan_selectors.target_actuals(targets, period=ytd)
    baselines = plan_selectors.target_baselines(targets, year=period.end.year)
    for index, target in enumerate(targets, start=1):
        key = (target.indicator, target.zone_id)
        progress = plan_selectors.target_progress(target, year=period.end.year, today=day,
                                                  actual=actuals[key],
                                                  baseline=baselines.get(key))
        actual = progress.actual
        sheet.row([index, progress.label, target.zone.name if target.zone else "",
                   target.target_value, _figure(actual), _rate(actual, target.target_value),
                   _figure(progress.baseline) if progress.is_stock else None,
                   TARGET_STATES[progress.state]])
    sheet.end_table()

    sheet.blank()
    sheet.line("NHIỆM VỤ", bold=True)
    sheet.row(TASK_HEADERS, heading=True)
    leads = _lead_sides()
    tasks = plan.tasks.select_related("owner").order_by("due_on", "order", "pk")
    for index, task in enumerate(tasks.iterator(chunk_size=CHUNK_SIZE), start=1):
        sheet.row([index, task.content, leads.get(task.lead_side, ""), task.coordinating_units,
                   task.owner.get_full_name() if task.owner else "", task.due_on,
                   TASK_STATUSES.get(task.status, task.status), task.completed_on, task.result])


def _plan_line(plan: CoordinationPlan) -> str:
    """``Kế hoạch số 05-KH/ĐUK-BQL ngày 15/01/2026: <title> (đã phê duyệt).``"""
    words = ["Kế hoạch"]
    if plan.document_number:
        words.append(f"số {plan.document_number}")
    if plan.signed_on:
        words.append(f"ngày {plan.signed_on:%d/%m/%Y}")
    status = PLAN_STATUSES.get(plan.status, plan.status)
    return f"{' '.join(words)}: {plan.title} ({status})."


def _rate(actual: int | None, target: int) -> float | None:
    if actual is None or not target:
        return None
    return round(actual * 100 / target, 1)


# --- detail sheets ----------------------------------------------------------------------


def _detail_sheet(book: ReportBook, title: str, heading: str, report: _Report,
                  columns: list[tuple[str, float]], notes: list[str] = ()) -> ReportSheet:
    """A landscape list: a title, the scope and period, optional notes, the header."""
    sheet = book.sheet(title, columns, freeze_columns=2)
    sheet.print_setup(landscape=True)
    width = len(columns)
    sheet.caption([Text(heading, 1, width, size=14, bold=True, horizontal="left")])
    sheet.caption([Text(report.subtitle, 1, width, size=12, italic=True, horizontal="left")])
    for note in notes:
        sheet.caption([Text(note, 1, width, size=11, italic=True, horizontal="left")])
    sheet.caption()
    sheet.header()
    return sheet


ENTERPRISE_COLUMNS = [("STT", 6), ("Mã số thuế", 16), ("Tên doanh nghiệp", 40),
                      ("Khu công nghiệp", 24), ("Loại hình doanh nghiệp", 22), ("Nguồn vốn", 18),
                      ("Tình trạng", 16), ("Tổng số lao động", 12), ("Có tổ chức đảng", 11),
                      ("Có công đoàn", 11), ("Có tổ chức Đoàn", 11)]


def _enterprises_sheet(book: ReportBook, report: _Report) -> None:
    """``Doanh nghiệp``: the enterprises operating at the period's end."""
    end = report.period.end
    sheet = _detail_sheet(
        book, "Doanh nghiệp", "DANH SÁCH DOANH NGHIỆP ĐANG HOẠT ĐỘNG", report,
        ENTERPRISE_COLUMNS,
        [f"Doanh nghiệp đang hoạt động tại ngày {end:%d/%m/%Y}; số lao động theo số liệu gần "
         "nhất đến ngày đó."])
    rows = (report.scope.filter(Enterprise.objects.operating_on(end), "zone")
            .annotate(workers=latest_workforce("total_workers", end),
                      with_party_org=has_party_organization(end),
                      with_union=has_mass_organization(MassOrganization.Kind.TRADE_UNION, end),
                      with_youth_union=has_mass_organization(MassOrganization.Kind.YOUTH_UNION,
                                                             end))
            .order_by("zone__code", "sort_name", "pk")
            .values_list("tax_code", "name", "zone__name", "legal_form", "capital_source",
                         "status", "status_since", "workers", "with_party_org", "with_union",
                         "with_youth_union"))
    for index, (tax_code, name, zone, legal_form, capital, status, since, workers, party,
                union, youth) in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
        sheet.row([index, tax_code, name, zone, label_of(LEGAL_FORMS, legal_form),
                   label_of(CAPITAL_SOURCES, capital), _status_at(status, since, end), workers,
                   party, union, youth])


def _status_at(status: str, since: date | None, end: date) -> str:
    """The status at ``end``: a change dated after it had not happened yet (the
    enterprise was then operating, the only status before a change)."""
    if since is not None and since > end:
        status = Enterprise.Status.OPERATING
    return label_of(STATUSES, status)


PERSON_COLUMNS = [("STT", 6), ("Họ và tên", 26), ("Ngày sinh", 12), ("Giới tính", 9),
                  ("Số CCCD", 16)]
MASK_NOTE = "Số CCCD chỉ ghi 4 chữ số cuối."


def _new_members_sheet(book: ReportBook, report: _Report) -> None:
    """``Đảng viên mới``: members admitted within the period (personal data),
    with the enterprise, zone and organization where they were placed at
    admission (the rows the indicator counts)."""
    period = report.period
    columns = PERSON_COLUMNS + [("Doanh nghiệp", 34), ("Khu công nghiệp", 22),
                                ("Tổ chức đảng", 30), ("Ngày vào Đảng", 13)]
    sheet = _detail_sheet(book, "Đảng viên mới", "DANH SÁCH ĐẢNG VIÊN KẾT NẠP MỚI TRONG KỲ",
                          report, columns, [MASK_NOTE])
    placements = (report.scope.filter(admitted_within(period.start, period.end),
                                      "enterprise__zone")
                  .order_by("member__admitted_on", "member__sort_key", "member_id", "pk")
                  .values_list(*(f"member__{name}" for name in PERSON_FIELDS),
                               "enterprise__name", "enterprise__zone__name",
                               "party_organization__name", "member__admitted_on"))
    for index, row in enumerate(placements.iterator(chunk_size=CHUNK_SIZE), start=1):
        sheet.row([index, *_person(row), *row[PERSON_WIDTH:]])


# What a person's row starts with (``_person`` turns them into the first columns).
PERSON_FIELDS = ("family_name", "middle_name", "given_name", "date_of_birth", "gender",
                 "citizen_id")
PERSON_WIDTH = len(PERSON_FIELDS)


def _person(row: tuple) -> list:
    """Name, date of birth, gender and masked citizen ID from a row starting with
    :data:`PERSON_FIELDS`: read as values, not model instances (a report lists
    thousands)."""
    family, middle, given, born, gender, citizen_id = row[:PERSON_WIDTH]
    return [join_name(family, middle, given), born, label_of(GENDERS, gender),
            mask_citizen_id(citizen_id)]


# The stage a candidate had reached at a date: the last milestone on or before it.
OPEN_STEPS = [(stage, field) for stage, field in AdmissionCandidate.STEPS
              if stage != AdmissionCandidate.Stage.CEREMONY]
STAGE_LABELS = {
    AdmissionCandidate.Stage.IDENTIFIED: "Đưa vào diện theo dõi",
    AdmissionCandidate.Stage.COURSE: "Học xong lớp nhận thức về Đảng",
    AdmissionCandidate.Stage.APPLICATION: "Nộp đơn, lý lịch",
    AdmissionCandidate.Stage.SPONSORSHIP: "Được giới thiệu",
    AdmissionCandidate.Stage.VERIFICATION: "Thẩm tra lý lịch xong",
    AdmissionCandidate.Stage.ASSESSMENT: "Tổng hợp nhận xét xong",
    AdmissionCandidate.Stage.CELL_RESOLUTION: "Chi bộ xét kết nạp",
    AdmissionCandidate.Stage.COMMITTEE_RESOLUTION: "Đảng ủy cơ sở xét",
    AdmissionCandidate.Stage.DECISION: "Quyết định kết nạp",
}


def _stage_at(day: date) -> Case:
    """The index in :data:`OPEN_STEPS` of the stage reached on ``day``."""
    return Case(*[When(**{f"{field}__lte": day}, then=Value(index))
                  for index, (_stage, field) in reversed(list(enumerate(OPEN_STEPS)))],
                default=Value(0), output_field=IntegerField())


def _reached_on(day: date) -> Case:
    """The date of the stage reached on ``day`` (the milestone :func:`_stage_at` picks)."""
    return Case(*[When(**{f"{field}__lte": day}, then=F(field))
                  for _stage, field in reversed(OPEN_STEPS)],
                default=F(OPEN_STEPS[0][1]), output_field=DateField())


def _open_candidates(report: _Report) -> QuerySet[AdmissionCandidate]:
    end = report.period.end
    return (report.scope.filter(AdmissionCandidate.objects.all(), "enterprise__zone")
            .filter(open_candidates(end)).annotate(stage_at=_stage_at(end)))


CANDIDATES_HEADING = "DANH SÁCH QUẦN CHÚNG ƯU TÚ ĐANG THEO DÕI"


def _candidates_sheet(book: ReportBook, report: _Report) -> None:
    """``Quần chúng ưu tú``: open cases at the period's end with their stage."""
    end = report.period.end
    columns = PERSON_COLUMNS + [("Doanh nghiệp", 34), ("Khu công nghiệp", 22),
                                ("Tổ chức đảng phụ trách", 30),
                                ("Ngày đưa vào danh sách", 13), ("Giai đoạn", 26),
                                ("Ngày đạt giai đoạn", 13)]
    sheet = _detail_sheet(book, "Quần chúng ưu tú", CANDIDATES_HEADING, report, columns,
                          [f"Giai đoạn tại ngày {end:%d/%m/%Y}. {MASK_NOTE}"])
    candidates = (_open_candidates(report)
                  .annotate(reached_on=_reached_on(end))
                  .order_by("-stage_at", "sort_key", "pk")
                  .values_list(*PERSON_FIELDS, "enterprise__name", "enterprise__zone__name",
                               "responsible_organization__name", "identified_on", "stage_at",
                               "reached_on"))
    for index, row in enumerate(candidates.iterator(chunk_size=CHUNK_SIZE), start=1):
        enterprise, zone, organization, identified_on, stage_at, reached_on = row[PERSON_WIDTH:]
        stage, _field = OPEN_STEPS[stage_at]
        sheet.row([index, *_person(row), enterprise, zone, organization, identified_on,
                   STAGE_LABELS[stage], reached_on])


def _candidate_counts_sheet(book: ReportBook, report: _Report) -> None:
    """``Quần chúng ưu tú`` without names: the open cases counted per stage."""
    end = report.period.end
    sheet = _detail_sheet(book, "Quần chúng ưu tú", CANDIDATES_HEADING, report,
                          [("STT", 6), ("Giai đoạn", 40), ("Số quần chúng ưu tú", 18)],
                          [f"Số quần chúng ưu tú theo giai đoạn tại ngày {end:%d/%m/%Y}."])
    counts = dict(_open_candidates(report).order_by().values("stage_at")
                  .annotate(n=Count("pk")).values_list("stage_at", "n"))
    for index, (stage, _field) in enumerate(OPEN_STEPS):
        sheet.row([index + 1, STAGE_LABELS[stage], counts.get(index, 0)])
    sheet.row(["", TOTAL, sum(counts.values())], bold=True)


ATTITUDES = {
    SurveyVisit.Attitude.SUPPORTIVE: "Ủng hộ",
    SurveyVisit.Attitude.NEUTRAL: "Trung lập",
    SurveyVisit.Attitude.RELUCTANT: "Còn e ngại",
}
SURVEY_COLUMNS = [("STT", 6), ("Ngày khảo sát", 12), ("Mã số thuế", 16), ("Doanh nghiệp", 36),
                  ("Khu công nghiệp", 22), ("Số lao động", 11), ("Số đảng viên", 10),
                  ("Phân loại", 10), ("Thái độ của chủ doanh nghiệp", 16),
                  ("Số quần chúng ưu tú phát hiện", 14), ("Đợt khảo sát", 30)]


def _surveys_sheet(book: ReportBook, report: _Report) -> None:
    """``Khảo sát``: the working group's visits within the period."""
    period = report.period
    sheet = _detail_sheet(
        book, "Khảo sát", "DANH SÁCH DOANH NGHIỆP ĐƯỢC KHẢO SÁT TRONG KỲ", report,
        SURVEY_COLUMNS,
        ["Phân loại: A - có thể thành lập tổ chức đảng trong năm; B - có đảng viên hoặc quần "
         "chúng ưu tú, cần bồi dưỡng; C - chưa có điều kiện."])
    visits = (report.scope.filter(SurveyVisit.objects.all(), "enterprise__zone")
              .filter(visited_on__range=(period.start, period.end))
              .order_by("visited_on", "enterprise__sort_name", "pk")
              .values_list("visited_on", "enterprise__tax_code", "enterprise__name",
                           "enterprise__zone__name", "workers", "party_members_found",
                           "classification", "owner_attitude", "outstanding_workers",
                           "campaign__name"))
    for index, (visited_on, tax_code, name, zone, workers, members, classification, attitude,
                outstanding, campaign) in enumerate(visits.iterator(chunk_size=CHUNK_SIZE),
                                                    start=1):
        sheet.row([index, visited_on, tax_code, name, zone, workers, members, classification,
                   ATTITUDES.get(attitude, ""), outstanding, campaign])


def _zone_title(zone: IndustrialZone) -> str:
    """The zone's name as a document writes it: "Khu công nghiệp ..." in full."""
    name = zone.name
    folded = fold(name)
    if folded.startswith("khu cong nghiep"):
        return name
    if folded.startswith("kcn "):
        return f"Khu công nghiệp {name[4:].strip()}"
    return f"Khu công nghiệp {name}"
