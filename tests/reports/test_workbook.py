"""The periodic review workbook (DESIGN §5) on hand-made data.

Every figure the workbook prints is checked against a count written here with
plain Python over the model objects (never through the indicator catalogue).
The period is 2025-Q2: [01/04/2025, 30/06/2025].
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.models import (
    AdmissionCandidate,
    CoordinationPlan,
    PartyMember,
    PlanTarget,
)
from core import indicators
from core.periods import Period
from enterprises.models import (
    Enterprise,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)
from reports.workbook import (
    NO_ZONE,
    ReportBook,
    Text,
    _document_date,
    _number_line,
    write_report,
)
from surveys.models import SurveyVisit
from tests.conftest import make_zone_a, make_zone_b, module_data

from .factories import HOSTILE, PERIOD, build_world
from .support import plan_tables, table, values, workbook

START, END = PERIOD.start, PERIOD.end
GENERATED_AT = datetime(2025, 7, 1, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
SHEETS = ["Tổng hợp", "Theo KCN", "Kế hoạch", "Doanh nghiệp", "Đảng viên mới",
          "Quần chúng ưu tú", "Khảo sát"]
TNR = "Times New Roman"

Kind = MassOrganization.Kind
Status = Enterprise.Status
Capital = Enterprise.CapitalSource


# --- data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """``build_world``, written once for the module: its tests read it, or
    write in their own transaction, rolled back after them (tests/conftest.py's
    module_data)."""
    with module_data(django_db_blocker):
        yield build_world(make_zone_a(), make_zone_b())


@pytest.fixture
def world(module_world, db):
    return module_world


# --- independent counts ----------------------------------------------------------------


def expected(period: Period, zone_id: int | None = None, *, province: bool = True) -> dict:
    """Every figure of DESIGN §5 counted with plain Python over the model objects.

    ``zone_id`` limits to one zone; ``province=False, zone_id=None`` counts what
    belongs to no zone (party organizations directly under the IZ Board)."""
    start, end = period.start, period.end

    def in_zone(zone_of):
        return province or zone_of == zone_id

    enterprises = [e for e in Enterprise.objects.all() if in_zone(e.zone_id)]
    operating = [e for e in enterprises if e.operating_on(end)]
    orgs = list(PartyOrganization.objects.all())
    members = [m for m in PartyMember.objects.select_related("enterprise")
               if in_zone(m.enterprise.zone_id)]
    candidates = [c for c in AdmissionCandidate.objects.select_related("enterprise")
                  if in_zone(c.enterprise.zone_id)]
    masses = list(MassOrganization.objects.all())
    records = list(WorkforceRecord.objects.all())
    visits = [v for v in SurveyVisit.objects.select_related("enterprise")
              if in_zone(v.enterprise.zone_id)]
    current = [m for m in members if m.status_on(end) in ("probationary", "official")]

    def has_org(e):
        return any(o.enterprise_id == e.pk and o.active_on(end) for o in orgs)

    def has_mass(e, kind):
        return any(o.enterprise_id == e.pk and o.kind == kind and o.active_on(end)
                   for o in masses)

    def officials(e):
        return sum(1 for m in members if m.enterprise_id == e.pk and m.status_on(end) == "official")

    def workers(e):
        dated = [r for r in records if r.enterprise_id == e.pk and r.as_of <= end]
        return max(dated, key=lambda r: (r.as_of, r.pk)).total_workers if dated else 0

    zone_orgs = [o for o in orgs if in_zone(o.zone_id)]
    return {
        "enterprises": len(operating),
        "enterprises_foreign": sum(e.capital_source in ("fdi", "lien_doanh") for e in operating),
        "enterprises_with_party_org": sum(has_org(e) for e in operating),
        "enterprises_without_party_org": sum(not has_org(e) for e in operating),
        "enterprises_qualifying": sum(not has_org(e) and officials(e) >= 3 for e in operating),
        "party_orgs": sum(o.active_on(end) for o in zone_orgs),
        "party_orgs_new": sum(start <= o.established_on <= end for o in zone_orgs),
        "members": len(current),
        "members_official": sum(m.status_on(end) == "official" for m in current),
        "members_probationary": sum(m.status_on(end) == "probationary" for m in current),
        "members_owners": sum(m.is_enterprise_owner for m in current),
        "members_new": sum(start <= m.admitted_on <= end for m in members),
        "candidates_open": sum(
            c.identified_on <= end and not (c.ceremony_on and c.ceremony_on <= end)
            and not (c.closed_on and c.closed_on <= end) for c in candidates),
        "candidates_course_completed": sum(
            bool(c.course_completed_on) and start <= c.course_completed_on <= end
            for c in candidates),
        "enterprises_with_union": sum(has_mass(e, "trade_union") for e in operating),
        "enterprises_with_youth_union": sum(has_mass(e, "youth_union") for e in operating),
        "workers": sum(workers(e) for e in operating),
        "enterprises_surveyed": len({v.enterprise_id for v in visits
                                     if start <= v.visited_on <= end}),
    }


# --- reading the file back -------------------------------------------------------------


def report_bytes(**options) -> bytes:
    buffer = io.BytesIO()
    options.setdefault("generated_at", GENERATED_AT)
    write_report(buffer, period=options.pop("period", PERIOD), **options)
    return buffer.getvalue()


def sheet_xml(data: bytes) -> dict[str, str]:
    """``{sheet title: worksheet XML}``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = workbook(data).sheetnames
        return {title: archive.read(f"xl/worksheets/sheet{index}.xml").decode()
                for index, title in enumerate(names, start=1)}


def all_text(data: bytes) -> list[str]:
    return [str(value) for ws in workbook(data).worksheets for row in values(ws)
            for value in row if value is not None]


def summary(data: bytes) -> dict[str, list]:
    """``{label: [Kết quả, Kỳ trước, Cùng kỳ năm trước]}`` of Tổng hợp."""
    header, body = table(workbook(data)["Tổng hợp"])
    assert header == ["STT", "Chỉ tiêu", "Kết quả", "Kỳ trước", "Cùng kỳ năm trước"]
    return {row[1]: row[2:5] for row in body}


# --- Tổng hợp ---------------------------------------------------------------------------


def test_summary_figures_equal_independent_counts(world):
    buffer = io.BytesIO()
    figures = write_report(buffer, period=PERIOD, generated_at=GENERATED_AT)
    rows = summary(buffer.getvalue())

    now, before, last_year = (expected(PERIOD), expected(PERIOD.previous()),
                              expected(PERIOD.same_last_year()))
    assert figures == now
    assert list(rows) == [indicator.label for indicator in indicators.CATALOGUE]
    for indicator in indicators.CATALOGUE:
        code = indicator.code
        assert rows[indicator.label] == [now[code], before[code], last_year[code]], code
    # The hand-made data exercises every definition, not zeros.
    assert now == {
        "enterprises": 5, "enterprises_foreign": 3, "enterprises_with_party_org": 2,
        "enterprises_without_party_org": 3, "enterprises_qualifying": 1, "party_orgs": 4,
        "party_orgs_new": 1, "members": 8, "members_official": 4, "members_probationary": 4,
        "members_owners": 1, "members_new": 3, "candidates_open": 2,
        "candidates_course_completed": 1, "enterprises_with_union": 1,
        "enterprises_with_youth_union": 1, "workers": 700, "enterprises_surveyed": 2,
    }


def test_zone_report_counts_that_zone_only(world):
    data = report_bytes(zone=world.zone_a)
    rows = summary(data)
    mine = expected(PERIOD, world.zone_a.pk, province=False)
    for indicator in indicators.CATALOGUE:
        assert rows[indicator.label][0] == mine[indicator.code], indicator.code
    header, body = table(workbook(data)["Theo KCN"])
    assert [row[1] for row in body] == ["AAA", None]
    assert body[-1][2] == "Tổng cộng"
    assert body[0][3:] == body[-1][3:] == [row[0] for row in rows.values()]
    subject = values(workbook(data)["Tổng hợp"])[6][0]
    assert subject.endswith("tại Khu công nghiệp An Bình quý II năm 2025")


def test_document_header(world):
    data = report_bytes(number="12")
    ws = workbook(data)["Tổng hợp"]
    cells = {cell.value: cell for row in ws.iter_rows() for cell in row if cell.value}
    party = cells["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert party.font.b and party.font.u == "single"
    assert party.column > 2  # on the right
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in cells
    assert cells["ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH"].font.b
    assert "Số 12-BC/ĐUK" in cells
    place = cells["Nam Định, ngày 01 tháng 7 năm 2025"]
    assert place.font.i and place.column > 2
    assert cells["BÁO CÁO"].font.b and cells["BÁO CÁO"].alignment.horizontal == "center"
    assert ("Kết quả phối hợp lãnh đạo xây dựng tổ chức đảng, phát triển đảng viên trong "
            "doanh nghiệp tại các khu công nghiệp quý II năm 2025") in cells
    assert "Lập lúc 08:30 ngày 01/07/2025." in cells
    assert "A1:B1" in ws.merged_cells and "C1:E1" in ws.merged_cells


def test_number_placeholder_and_document_date():
    assert _number_line("") == "Số      -BC/ĐUK"
    assert _number_line("07") == "Số 07-BC/ĐUK"
    assert _number_line("07-BC/ĐUK") == "Số 07-BC/ĐUK"
    assert _document_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert _document_date(date(2026, 11, 20)) == "ngày 20 tháng 11 năm 2026"
    assert _document_date(date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_times_new_roman_everywhere(world):
    for ws in workbook(report_bytes()).worksheets:
        fonts = {cell.font.name for row in ws.iter_rows() for cell in row
                 if cell.value is not None}
        assert fonts == {TNR}, ws.title


def test_native_charts_reference_the_summary_cells(world):
    data = report_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart or "<barChart>" in chart
    assert "'Tổng hợp'!$C$12:$C$18" in chart  # Kết quả of the 7 enterprise indicators
    assert "'Tổng hợp'!$B$12:$B$18" in chart  # their labels as categories
    assert len(workbook(data)["Tổng hợp"]._charts) == 2


# --- Theo KCN ---------------------------------------------------------------------------


def test_zones_sheet_has_a_row_per_zone_and_a_total_equal_to_the_summary(world):
    data = report_bytes()
    header, body = table(workbook(data)["Theo KCN"])
    labels = [indicator.label for indicator in indicators.CATALOGUE]
    assert header == ["STT", "Mã KCN", "Khu công nghiệp", *labels]
    by_row = {row[2]: row[3:] for row in body}
    assert list(by_row) == ["Khu công nghiệp An Bình", "Khu công nghiệp Bình Đông", NO_ZONE,
                            "Tổng cộng"]
    codes = [indicator.code for indicator in indicators.CATALOGUE]
    for name, zone_id, province in (("Khu công nghiệp An Bình", world.zone_a.pk, False),
                                    ("Khu công nghiệp Bình Đông", world.zone_b.pk, False),
                                    (NO_ZONE, None, False)):
        mine = expected(PERIOD, zone_id, province=province)
        assert by_row[name] == [mine[code] for code in codes], name
    assert by_row[NO_ZONE][codes.index("party_orgs")] == 1
    assert by_row["Tổng cộng"] == [row[0] for row in summary(data).values()]
    assert all(isinstance(value, int) for value in by_row["Tổng cộng"])


# --- Kế hoạch ---------------------------------------------------------------------------


def test_plan_sheet_targets_against_the_year_to_date_and_tasks(world):
    data = report_bytes()
    header, targets, task_header, tasks = plan_tables(data)
    lines = [row[0] for row in values(workbook(data)["Kế hoạch"])[:3]]
    assert lines == ["KẾT QUẢ THỰC HIỆN KẾ HOẠCH PHỐI HỢP NĂM 2025",
                     "Kế hoạch số 05-KH/ĐUK-BQL ngày 15/01/2025: Kế hoạch phối hợp 2025 "
                     "(đã phê duyệt).",
                     "Thực hiện tính từ ngày 01/01/2025 đến ngày 30/06/2025."]
    assert header[:6] == ["STT", "Chỉ tiêu", "Khu công nghiệp", "Mục tiêu", "Thực hiện",
                          "Tỷ lệ (%)"]
    year = Period(code="2025", kind="year", start=date(2025, 1, 1), end=END)
    new_members = expected(year)["members_new"]
    with_org_a = expected(year, world.zone_a.pk, province=False)["enterprises_with_party_org"]
    members_b = expected(year, world.zone_b.pk, province=False)["members"]
    assert [row[:6] for row in targets] == [
        [1, "Đảng viên kết nạp mới trong kỳ", None, 10, new_members,
         round(new_members * 100 / 10, 1)],
        [2, "Doanh nghiệp có tổ chức đảng", "Khu công nghiệp An Bình", 4, with_org_a,
         round(with_org_a * 100 / 4, 1)],
        [3, "Tổng số đảng viên", "Khu công nghiệp Bình Đông", 5, members_b,
         round(members_b * 100 / 5, 1)],
    ]
    assert (new_members, with_org_a, members_b) == (3, 1, 3)
    assert task_header == ["STT", "Nội dung", "Chủ trì", "Đơn vị phối hợp", "Người phụ trách",
                           "Hạn hoàn thành", "Trạng thái", "Ngày hoàn thành", "Kết quả"]
    assert tasks[0][:5] == [1, "Khảo sát doanh nghiệp FDI",
                            "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh và Ban Quản lý các "
                            "khu công nghiệp tỉnh", "Công đoàn", "Trần Văn Phụ Trách"]
    assert tasks[0][5:] == [datetime(2025, 6, 30), "Đã hoàn thành", datetime(2025, 5, 1),
                            "Đã khảo sát 3 doanh nghiệp"]
    assert tasks[1][1] == "=cmd|' /C calc'!A0"
    assert tasks[1][6] == "Chưa thực hiện" and tasks[1][7] is None


def test_plan_sheet_judges_stock_targets_from_their_figure_on_1_january(world):
    """The report of 2025-Q2 judges on 30 June 2025, day 181 of 365 (January to
    June: 31 + 28 + 31 + 30 + 31 + 30 days), counted by hand from build_world."""
    PlanTarget.objects.create(plan=world.plan, indicator="members_official", zone=world.zone_b,
                              target_value=2, order=4)
    PlanTarget.objects.create(plan=world.plan, indicator="members", target_value=12, order=5)
    data = report_bytes()
    header, targets, _task_header, _tasks = plan_tables(data)
    assert header[6:8] == ["Số đầu năm", "Đánh giá"]
    assert [row[4:8] for row in targets] == [
        # A flow, from 0: 3 admitted against 10 × 181/365 = 4.96.
        [3, 30.0, None, "Chậm tiến độ"],
        # Zone A's enterprises with a party organization: A1's (since 2020) on
        # 31 December 2024 and now; 1 + (4 − 1) × 181/365 = 2.49 is due.
        [1, 25.0, 1, "Chậm tiến độ"],
        # Zone B's members: the 2 admitted in 2024, 3 now; 2 + (5 − 2) × 181/365 = 3.49.
        [3, 60.0, 2, "Chậm tiến độ"],
        # Zone B's official members: none on 31 December 2024 (B1's two became
        # official in March and July 2025), 1 now; 0 + 2 × 181/365 = 0.99.
        [1, 50.0, 0, "Đúng tiến độ"],
        # The province: 6 members on 31 December 2024 (A2's 3, the one who left
        # A1 in May 2025, B1's 2), 8 now; 6 + (12 − 6) × 181/365 = 8.98 is due.
        # Prorated like a flow (12 × 181/365 = 5.95) 8 would have been on track.
        [8, 66.7, 6, "Chậm tiến độ"],
    ]
    lines = [row[0] for row in values(workbook(data)["Kế hoạch"])[:4]]
    assert lines[3] == ("Đánh giá tiến độ đến ngày 30/06/2025: chỉ tiêu tích lũy (số lượng tại "
                        "thời điểm) tính từ số đầu năm (cuối ngày 31/12/2024) đến mục tiêu; chỉ "
                        "tiêu phát sinh trong kỳ tính từ 0.")
    # A period still running is judged on the day the report is made.
    running = report_bytes(period=Period.parse("2025"))
    line = [row[0] for row in values(workbook(running)["Kế hoạch"])[:4]][3]
    assert line.startswith("Đánh giá tiến độ đến ngày 01/07/2025:")


def test_plan_sheet_of_a_zone_report_lists_that_zones_targets_only(world):
    _header, targets, _task_header, tasks = plan_tables(report_bytes(zone=world.zone_b))
    assert [(row[1], row[2]) for row in targets] == [("Tổng số đảng viên",
                                                      "Khu công nghiệp Bình Đông")]
    assert len(tasks) == 2


def test_plan_sheet_without_a_plan_says_so(world):
    # The world as build_world(plan=False) writes it.
    CoordinationPlan.objects.filter(pk=world.plan.pk).delete()
    rows = values(workbook(report_bytes())["Kế hoạch"])
    assert [v for v in rows[1] if v] == ["Chưa có kế hoạch phối hợp năm 2025."]


def test_a_year_whose_only_plan_is_a_draft_has_no_plan_in_the_report(world):
    """A report is a frozen document: a draft's targets and tasks never reach it."""
    CoordinationPlan.objects.filter(pk=world.plan.pk).update(
        status=CoordinationPlan.Status.DRAFT, approved_by=None, approved_at=None)
    rows = values(workbook(report_bytes())["Kế hoạch"])
    assert [v for v in rows[1] if v] == ["Chưa có kế hoạch phối hợp năm 2025."]
    cells = [v for row in rows for v in row if v]
    assert "Nội dung" not in cells and "Chỉ tiêu" not in cells
    assert "Khảo sát doanh nghiệp FDI" not in cells


# --- detail sheets ----------------------------------------------------------------------


def test_enterprises_sheet_lists_those_operating_at_the_end(world):
    header, body = table(workbook(report_bytes())["Doanh nghiệp"])
    assert header == ["STT", "Mã số thuế", "Tên doanh nghiệp", "Khu công nghiệp",
                      "Loại hình doanh nghiệp", "Nguồn vốn", "Tình trạng", "Tổng số lao động",
                      "Có tổ chức đảng", "Có công đoàn", "Có tổ chức Đoàn"]
    operating = {e.tax_code for e in Enterprise.objects.all() if e.operating_on(END)}
    assert {row[1] for row in body} == operating and len(body) == len(operating)
    by_name = {row[2]: row for row in body}
    assert by_name[HOSTILE[0]][5:] == ["FDI 100% vốn nước ngoài", "Đang hoạt động", 500, "Có",
                                       "Có", None]
    assert by_name[HOSTILE[1]][4:] == ["Công ty cổ phần", "Ngoài nhà nước", "Đang hoạt động",
                                       120, None, None, "Có"]
    assert by_name[HOSTILE[2]][6] == "Đang hoạt động"  # dissolved after the period
    assert by_name["Công ty Tạm Ngừng"][6] == "Tạm ngừng hoạt động"
    assert sum(row[7] or 0 for row in body) == expected(PERIOD)["workers"]


def test_new_members_sheet(world):
    header, body = table(workbook(report_bytes())["Đảng viên mới"])
    assert header == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Doanh nghiệp",
                      "Khu công nghiệp", "Tổ chức đảng", "Ngày vào Đảng"]
    admitted = [m for m in PartyMember.objects.all() if START <= m.admitted_on <= END]
    assert sorted(row[1] for row in body) == sorted(m.full_name for m in admitted)
    assert len(body) == expected(PERIOD)["members_new"]
    phan = PartyMember.objects.get(family_name="Phan")
    assert body[0][1:] == ["Phan Văn Đầu Kỳ", datetime(1990, 5, 1), "Nam",
                           "••••••••" + phan.citizen_id[-4:], HOSTILE[3],
                           "Khu công nghiệp Bình Đông", None, datetime(2025, 4, 1)]
    assert [row[1] for row in body] == ["Phan Văn Đầu Kỳ", "Hoàng Thị Mới", "Đặng Văn Cuối Kỳ"]
    hoang = next(row for row in body if row[1] == "Hoàng Thị Mới")
    assert hoang[4] == "••••••••2345"


def test_candidates_sheet_gives_the_stage_at_the_end(world):
    header, body = table(workbook(report_bytes())["Quần chúng ưu tú"])
    assert header[1] == "Họ và tên" and header[9:] == ["Giai đoạn", "Ngày đạt giai đoạn"]
    assert len(body) == expected(PERIOD)["candidates_open"] == 2
    vu = body[0]  # the most advanced stage first
    assert vu[1] == "Vũ Thị Ưu Tú"
    # Application filed after the period: at its end the case had finished the course.
    assert vu[4] == "••••••••0777"
    assert vu[8:] == [datetime(2025, 1, 10), "Học xong lớp nhận thức về Đảng",
                      datetime(2025, 5, 1)]
    other = body[1]
    assert other[9:] == ["Đưa vào diện theo dõi", datetime(2024, 11, 1)]


def test_surveys_sheet_lists_the_visits_of_the_period(world):
    header, body = table(workbook(report_bytes())["Khảo sát"])
    assert header == ["STT", "Ngày khảo sát", "Mã số thuế", "Doanh nghiệp", "Khu công nghiệp",
                      "Số lao động", "Số đảng viên", "Phân loại", "Thái độ của chủ doanh nghiệp",
                      "Số quần chúng ưu tú phát hiện", "Đợt khảo sát"]
    in_period = SurveyVisit.objects.filter(visited_on__range=(START, END))
    assert [row[1] for row in body] == sorted(datetime.combine(v.visited_on, datetime.min.time())
                                              for v in in_period)
    assert body[0][3:] == [HOSTILE[0], "Khu công nghiệp An Bình", 480, 1, "B", "Ủng hộ", 2,
                           "Đợt khảo sát năm 2025"]
    assert body[-1][7:9] == ["A", "Còn e ngại"]


# --- personal data --------------------------------------------------------------------


def test_citizen_ids_are_masked_everywhere(world):
    data = report_bytes()
    ids = list(PartyMember.objects.values_list("citizen_id", flat=True))
    ids += list(AdmissionCandidate.objects.values_list("citizen_id", flat=True))
    texts = all_text(data)
    for citizen_id in ids:
        assert not any(citizen_id in text for text in texts)
    assert not any(re.search(r"\d{12}", text) for text in texts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        raw = b"".join(archive.read(name) for name in archive.namelist())
    assert not any(citizen_id.encode() in raw for citizen_id in ids)
    assert "••••••••2345" in texts and "••••••••0777" in texts


def test_report_without_personal_data_has_no_names_and_counts_candidates_per_stage(world):
    data = report_bytes(personal=False)
    book = workbook(data)
    assert book.sheetnames == [title for title in SHEETS if title != "Đảng viên mới"]
    texts = all_text(data)
    names = [p.full_name for p in PartyMember.objects.all()]
    names += [c.full_name for c in AdmissionCandidate.objects.all()]
    for name in names:
        assert not any(name in text for text in texts), name
    assert not any("••••" in text for text in texts)
    header, body = table(book["Quần chúng ưu tú"])
    assert header == ["STT", "Giai đoạn", "Số quần chúng ưu tú"]
    counts = {row[1]: row[2] for row in body}
    assert counts["Đưa vào diện theo dõi"] == 1
    assert counts["Học xong lớp nhận thức về Đảng"] == 1
    assert counts["Tổng cộng"] == expected(PERIOD)["candidates_open"] == 2
    assert sum(value for label, value in counts.items() if label != "Tổng cộng") == 2
    # The figures stay: counts are for everyone.
    assert summary(data)["Tổng số đảng viên"][0] == 8


def test_personal_report_has_every_sheet_in_order(world):
    assert workbook(report_bytes()).sheetnames == SHEETS


# --- safety, print setup, streaming ---------------------------------------------------


def test_hostile_text_stays_text(world):
    data = report_bytes()
    xml = sheet_xml(data)
    for title, content in xml.items():
        assert "<f>" not in content and "<f " not in content, title
    texts = all_text(data)
    for hostile in HOSTILE:
        assert hostile in texts
    book = workbook(data)
    cells = [cell for row in book["Doanh nghiệp"].iter_rows() for cell in row
             if cell.value in HOSTILE]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_report_rows_write_every_kind_of_value_with_its_type_format_and_style():
    """Rows go to openpyxl as prepared (value, type, style id) items through one
    reused cell: read back, each cell holds its own value, type, number format,
    quote prefix and style, and the title rows and lines around them keep theirs."""
    book = ReportBook()
    sheet = book.sheet("Thử", [("A", 10), ("B", 10), ("C", 10), ("D", 10)])
    sheet.caption([Text("TIÊU ĐỀ", 1, 4, size=14, bold=True)])
    sheet.header()
    sheet.row(["=1+1", "#N/A", "  cách  ", "a\x00b"])
    sheet.row([42, 2.5, Decimal("1.25"), True])
    sheet.row([date(2026, 3, 1), datetime(2026, 3, 1, 1, 30, tzinfo=UTC), time(8, 5), None])
    sheet.row(["\x01", False, "", "+84 912"])
    sheet.line("Ghi chú")
    sheet.row(["", "Tổng", 7, "-"], bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    ws = workbook(buffer.getvalue())["Thử"]

    rows = list(ws.iter_rows(min_row=3, max_row=8, max_col=4))
    assert [[cell.value for cell in row] for row in rows] == [
        ["=1+1", "#N/A", "  cách  ", "ab"],
        [42, 2.5, 1.25, "Có"],
        [datetime(2026, 3, 1), datetime(2026, 3, 1, 8, 30), time(8, 5), None],
        [None, None, None, "+84 912"],
        ["Ghi chú", None, None, None],
        [None, "Tổng", 7, "-"],
    ]
    table_rows = rows[:4] + rows[5:]
    assert [[cell.data_type for cell in row] for row in table_rows] == [
        ["s", "s", "s", "s"], ["n", "n", "n", "s"], ["d", "d", "d", "n"],
        ["n", "n", "n", "s"], ["n", "s", "n", "s"]]
    assert [[cell.quotePrefix for cell in row] for row in table_rows] == [
        [True, False, False, False], [False] * 4, [False] * 4, [False, False, False, True],
        [False, False, False, True]]
    assert [cell.number_format for cell in rows[2]] == [
        "dd/mm/yyyy", "dd/mm/yyyy hh:mm", "hh:mm", "General"]
    for row in table_rows:
        for cell in row:  # every cell of a table row is bordered, empty or not
            assert (cell.font.name, cell.font.sz) == (TNR, 12), cell.coordinate
            assert cell.border.left.style == cell.border.bottom.style == "thin", cell.coordinate
            assert (cell.alignment.vertical, cell.alignment.wrap_text) == ("center", True)
    assert [cell.font.b for row in table_rows for cell in row] == [False] * 16 + [True] * 4
    note = rows[4][0]
    assert (note.font.name, note.font.b, note.border.left.style) == (TNR, False, None)
    title = ws["A1"]
    assert (title.value, title.font.name, title.font.sz, title.font.b) == (
        "TIÊU ĐỀ", TNR, 14, True)
    assert [cell.value for cell in ws[2]] == ["A", "B", "C", "D"]
    assert all(cell.font.b and cell.border.top.style == "thin" for cell in ws[2])


def test_print_setup_frozen_panes_and_filters(world):
    data = report_bytes()
    book = workbook(data)
    xml = sheet_xml(data)
    for title in SHEETS:
        ws, content = book[title], xml[title]
        assert 'paperSize="9"' in content, title
        assert ws.page_setup.orientation == ("portrait" if title == "Tổng hợp" else "landscape")
        assert 'state="frozen"' in content, title
        assert ws.auto_filter.ref, title
        assert ws.print_title_rows, title
        header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
        assert ws.cell(header_row, 1).value == "STT", title
        assert ws.freeze_panes.endswith(str(header_row + 1)), title
        assert ws.column_dimensions["B"].width >= 10, title
    assert book["Tổng hợp"].auto_filter.ref == "A11:E29"
    # The targets' filter stops before the tasks table.
    plan = book["Kế hoạch"]
    header_row = int(plan.print_title_rows.split(":")[0].strip("$"))
    assert plan.auto_filter.ref == f"A{header_row}:H{header_row + 3}"


def test_progress_goes_from_0_to_100(world):
    seen = []
    write_report(io.BytesIO(), period=PERIOD, progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen) and len(seen) == 9


def test_writes_to_a_path(world, tmp_path):
    path = tmp_path / "report.xlsx"
    figures = write_report(str(path), period=PERIOD, generated_at=GENERATED_AT)
    assert figures["enterprises"] == 5
    assert summary(path.read_bytes())["Tổng số doanh nghiệp"][0] == 5


def test_default_generation_time_is_now_in_hanoi(world):
    moment = datetime.now(UTC)
    data = report_bytes(generated_at=None)
    stamp = next(text for text in all_text(data) if text.startswith("Lập lúc"))
    local = moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert stamp.endswith(f"ngày {local:%d/%m/%Y}.")


def count_queries(**options) -> int:
    with CaptureQueriesContext(connection) as context:
        write_report(io.BytesIO(), period=PERIOD, **options)
    return len(context.captured_queries)


@pytest.mark.parametrize("personal", [True, False])
def test_query_count_does_not_grow_with_the_rows(world, personal):
    world.grow(2)
    count_queries(personal=personal)  # warm any one-off caches
    small = count_queries(personal=personal)
    world.grow(6)
    rows = len(table(workbook(report_bytes(personal=personal))["Doanh nghiệp"])[1])
    assert rows >= 5 + 16  # the data did grow
    assert count_queries(personal=personal) == small


def test_libreoffice_opens_the_file(world, tmp_path):
    # make test installs LibreOffice (scripts/with_services.sh); the files must open there.
    assert shutil.which("soffice"), "LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui"
    source = tmp_path / "report.xlsx"
    source.write_bytes(report_bytes())
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, timeout=180, capture_output=True)
    assert (tmp_path / "report.pdf").stat().st_size > 0
