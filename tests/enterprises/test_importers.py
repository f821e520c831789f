"""import_workbook / export_workbook: the contract of DESIGN §4."""

import io
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from core.models import PersonalDataAccess
from core.services import OUT_OF_SCOPE_MESSAGE, TOO_MANY_REFUSALS
from enterprises.importers import EnterpriseImporter, PartyOrganizationImporter, ZoneImporter
from enterprises.models import Enterprise, MassOrganization, PartyOrganization, WorkforceRecord

from .factories import EnterpriseFactory, PartyOrganizationFactory, ZoneFactory, valid_tax_code

pytestmark = pytest.mark.django_db

T1, T2, T3 = valid_tax_code(1), valid_tax_code(2), valid_tax_code(3)


def workbook(rows, *, title_rows=(), sheet="DS doanh nghiệp") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in title_rows:
        ws.append(row)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def zones(db):
    return ZoneFactory(code="HX", name="Khu công nghiệp Hòa Xá"), ZoneFactory(
        code="BM", name="Khu công nghiệp Bảo Minh")


@pytest.fixture
def messy_file(zones):
    """A real-looking provincial workbook: title rows, merged title, odd headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sach"
    ws["A1"] = "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH"
    ws.merge_cells("A1:F1")
    ws["A2"] = "DANH SÁCH DOANH NGHIỆP ĐANG HOẠT ĐỘNG TRONG CÁC KCN"
    ws.merge_cells("A2:F2")
    ws.append([])
    ws.append(["STT", "MÃ SỐ THUẾ (*)", unicodedata.normalize("NFD", "Tên  doanh nghiệp"),
               "KCN", "Loại hình", "Nguồn vốn", "Số lao động", "LĐ nữ", "Ngày thành lập",
               "Có công đoàn", "Ghi chú"])
    ws.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    ws.append([1, T1, unicodedata.normalize("NFD", "Công ty TNHH Đức Thành"), "KCN Hòa Xá",
               "TNHH MTV", "fdi", "1.250", 700, "05/03/2015", "x", "ghi chú bỏ qua"])
    ws.append([])
    ws.append([2, int(T2), "Công ty cổ phần May Sông Đào", "bm", "cổ phần", "Ngoài nhà nước",
               320, None, datetime(2012, 7, 1), "Không", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_messy_workbook_imports_and_reimports_unchanged(messy_file):
    result = EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(messy_file))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    duc = Enterprise.objects.get(tax_code=T1)
    assert duc.name == "Công ty TNHH Đức Thành"
    assert duc.zone.code == "HX"
    assert (duc.legal_form, duc.capital_source) == ("tnhh_1tv", "fdi")
    assert duc.established_on == date(2015, 3, 5)
    record = WorkforceRecord.objects.get(enterprise=duc)
    assert (record.as_of, record.total_workers, record.female_workers) == (
        date(2026, 6, 30), 1250, 700)
    assert MassOrganization.objects.filter(enterprise=duc, kind="trade_union").exists()
    # A tax code typed as a number lost its leading zero: restored.
    song_dao = Enterprise.objects.get(tax_code=T2)
    assert song_dao.zone.code == "BM"
    assert not MassOrganization.objects.filter(enterprise=song_dao).exists()

    again = EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(messy_file))
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert WorkforceRecord.objects.count() == 2


def test_one_bad_row_writes_nothing_and_names_row_and_column(zones):
    data = workbook([
        ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
         "Nguồn vốn", "Tổng số lao động", "Lao động nữ"],
        ["Công ty A", T1, "HX", "Công ty cổ phần", "FDI", 100, 50],
        ["Công ty B", "0100233489", "HX", "Công ty cổ phần", "FDI", 100, 50],
        ["Công ty C", T3, "KCN Không Có", "Hợp tác xã", "FDI", "nhiều", 150],
        ["Công ty D", valid_tax_code(4), "HX", "Khác", "FDI", 100, 150],
        ["Công ty E", valid_tax_code(5), "KCN Không Có", "Khác", "FDI", 100, 10],
    ], title_rows=[["Danh sách"], []])
    with translation.override("vi"):
        result = EnterpriseImporter().run(io.BytesIO(data))
    assert not result.ok
    assert Enterprise.objects.count() == 0
    errors = "\n".join(result.errors)
    # The header is on row 3 (a title row and a blank row above it).
    assert "Dòng 5, cột 'Mã số thuế'" in errors
    assert "Dòng 6, cột 'Loại hình doanh nghiệp'" in errors
    assert "Dòng 6, cột 'Tổng số lao động'" in errors
    assert "Dòng 7, cột 'Lao động nữ'" in errors  # female workers above the total
    assert "Dòng 8, cột 'Khu công nghiệp'" in errors
    assert [r.status for r in result.rows] == ["new", "error", "error", "error", "error"]


def test_missing_required_column_is_one_clear_error(zones):
    data = workbook([["Tên doanh nghiệp", "Khu công nghiệp"], ["Công ty A", "HX"]])
    with translation.override("vi"):
        result = EnterpriseImporter().run(io.BytesIO(data))
    assert result.file_error
    assert "Mã số thuế" in result.file_error
    assert not Enterprise.objects.exists()


def test_duplicate_tax_code_in_the_file_is_refused(zones):
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động"]
    data = workbook([header, ["A", T1, "HX", "Khác", "FDI", 5], ["B", T1, "HX", "Khác", "FDI", 6]])
    result = EnterpriseImporter().run(io.BytesIO(data))
    assert not result.ok and not Enterprise.objects.exists()
    assert "3" in result.errors[0] and "2" in result.errors[0]


def test_iz_officer_imports_only_into_its_zones(zones, iz_officer):
    hx, bm = zones
    iz_officer.zones.set([hx])
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động"]
    data = workbook([header, ["A", T1, "HX", "Khác", "FDI", 5], ["B", T2, "BM", "Khác", "FDI", 6]])
    result = EnterpriseImporter(actor=iz_officer).run(io.BytesIO(data))
    assert not result.ok
    assert not Enterprise.objects.exists()
    assert "BM" in result.errors[0]


def test_a_tax_code_of_another_zone_gets_one_neutral_refusal(zones, iz_officer, settings):
    """An IZ officer importing a tax code that exists in another zone learns
    nothing of where it is; the refusal is logged (ids only) after the run,
    and after OUT_OF_SCOPE_REFUSALS_PER_HOUR refusals the next import is
    refused whole."""
    settings.OUT_OF_SCOPE_REFUSALS_PER_HOUR = 1
    hx, bm = zones
    iz_officer.zones.set([hx])
    EnterpriseFactory(tax_code=T2, zone=bm, name="Công ty cổ phần Sông Đào")
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động"]
    data = workbook([header, ["A", T1, "HX", "Khác", "FDI", 5], ["B", T2, "HX", "Khác", "FDI", 6]])
    result = EnterpriseImporter(actor=iz_officer).run(io.BytesIO(data))
    assert not result.ok
    assert result.errors == [f"Dòng 3, cột 'Mã số thuế': {OUT_OF_SCOPE_MESSAGE}"]
    assert "BM" not in result.errors[0] and "Sông Đào" not in result.errors[0]
    assert Enterprise.objects.filter(tax_code=T1).count() == 0  # all-or-nothing
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.record_type) == (iz_officer, "refused",
                                                      "enterprises.enterprise")
    assert T2 not in log.detail and "row 3" in log.detail
    again = EnterpriseImporter(actor=iz_officer).run(io.BytesIO(workbook([
        header, ["A", T1, "HX", "Khác", "FDI", 5]])))
    assert again.errors == [str(TOO_MANY_REFUSALS)]
    assert not Enterprise.objects.filter(tax_code=T1).exists()


def test_update_changes_only_given_values_and_records_history(zones):
    e = EnterpriseFactory(tax_code=T1, zone=zones[0], name="Công ty A", address="Lô 5")
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động", "Địa chỉ", "Ngày giải thể"]
    data = workbook([header, ["Công ty A mới", T1, "HX", "Công ty TNHH một thành viên",
                              "FDI", 40, None, "31/12/2025"]])
    result = EnterpriseImporter().run(io.BytesIO(data))
    assert result.ok, result.errors
    assert result.updated == 1
    e.refresh_from_db()
    assert e.name == "Công ty A mới"
    assert e.address == "Lô 5"  # a blank cell changes nothing
    assert (e.status, e.status_since) == ("dissolved", date(2025, 12, 31))
    assert e.history.count() == 2


def test_dry_run_writes_nothing(messy_file):
    result = EnterpriseImporter().run(io.BytesIO(messy_file), dry_run=True)
    assert result.ok and result.created == 2
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"Ten,MST\nA,0100233488\n", ".xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
        (b"PK\x03\x04 broken zip", "xlsx"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_clearly(zones, payload, fragment):
    with translation.override("vi"):
        result = EnterpriseImporter().run(io.BytesIO(payload))
    assert result.file_error
    assert fragment in result.file_error
    assert not Enterprise.objects.exists()


def test_formula_cells_are_taken_as_text_never_evaluated(zones):
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động"]
    data = workbook([header, ["=HYPERLINK(\"http://x\",\"A\")", T1, "HX", "Khác", "FDI", 5]])
    result = EnterpriseImporter().run(io.BytesIO(data))
    assert result.ok, result.errors
    assert Enterprise.objects.get().name == '=HYPERLINK("http://x","A")'


def test_too_many_rows_is_refused(zones, settings):
    settings.IMPORT_MAX_ROWS = 3
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động"]
    rows = [[f"C{i}", valid_tax_code(i), "HX", "Khác", "FDI", 5] for i in range(5)]
    result = EnterpriseImporter().run(io.BytesIO(workbook([header, *rows])))
    assert result.file_error
    assert not Enterprise.objects.exists()


def test_zones_import_and_reimport(db):
    data = workbook([["Mã KCN", "Tên khu công nghiệp", "Diện tích (ha)", "Ngày thành lập"],
                     ["hx", "Khu công nghiệp Hòa Xá", "327,5", "01/01/1998"],
                     ["BM", "Khu công nghiệp Bảo Minh", 150, None]])
    first = ZoneImporter().run(io.BytesIO(data))
    assert first.ok and first.created == 2
    second = ZoneImporter().run(io.BytesIO(data))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)


def test_party_organizations_with_parent_in_the_same_file(zones):
    big = EnterpriseFactory(tax_code=T1, zone=zones[0])
    data = workbook([
        ["Tên tổ chức đảng", "Loại", "Ngày thành lập", "Mã số thuế doanh nghiệp",
         "Khu công nghiệp", "Tổ chức đảng cấp trên", "Số quyết định"],
        ["Đảng bộ Công ty A", "Đảng bộ cơ sở", "01/02/2020", T1, None, None, "12-QĐ/ĐUK"],
        ["Chi bộ Phân xưởng 1", "chi bo truc thuoc", "01/03/2020", T1, None, "Đảng bộ Công ty A",
         None],
        ["Chi bộ ghép KCN Hòa Xá", "Chi bộ cơ sở", "15/06/2019", None, "KCN Hòa Xá", None, None],
    ])
    result = PartyOrganizationImporter().run(io.BytesIO(data))
    assert result.ok, result.errors
    cell = PartyOrganization.objects.get(name="Chi bộ Phân xưởng 1")
    assert cell.parent.name == "Đảng bộ Công ty A" and cell.enterprise == big
    joint = PartyOrganization.objects.get(name="Chi bộ ghép KCN Hòa Xá")
    assert joint.enterprise is None and joint.zone == zones[0]
    again = PartyOrganizationImporter().run(io.BytesIO(data))
    assert again.unchanged == 3


def test_command_exit_status_and_last_line(messy_file, tmp_path, capsys):
    path = tmp_path / "dn.xlsx"
    path.write_bytes(messy_file)
    call_command("import_workbook", "--kind", "enterprises", str(path), "--as-of", "30/06/2026")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "created=2 updated=0 unchanged=0"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_workbook", "--kind", "enterprises", str(bad))
    assert exit_info.value.code == 1


def test_export_reimports_unchanged(messy_file, tmp_path, capsys):
    EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(messy_file))
    out = tmp_path / "export.xlsx"
    call_command("export_workbook", "--kind", "enterprises", str(out))
    capsys.readouterr()
    result = EnterpriseImporter(as_of=date(2026, 7, 1)).run(io.BytesIO(out.read_bytes()))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("kind", ["zones", "party_organizations"])
def test_other_exports_reimport_unchanged(kind, zones, tmp_path):
    e = EnterpriseFactory(tax_code=T1, zone=zones[0])
    committee = PartyOrganizationFactory(
        name="Đảng bộ Công ty A", kind="dang_bo_co_so", enterprise=e,
        established_on=date(2020, 1, 1))
    PartyOrganizationFactory(name="Chi bộ 1", kind="chi_bo_truc_thuoc", enterprise=e,
                             parent=committee, established_on=date(2020, 2, 1))
    out = tmp_path / f"{kind}.xlsx"
    call_command("export_workbook", "--kind", kind, str(out))
    importer = {"zones": ZoneImporter, "party_organizations": PartyOrganizationImporter}[kind]
    result = importer().run(io.BytesIO(out.read_bytes()))
    assert result.ok, result.errors
    assert result.created == result.updated == 0


def test_export_never_writes_a_formula(zones, tmp_path):
    import zipfile

    EnterpriseFactory(tax_code=T1, zone=zones[0], name="=cmd|' /C calc'!A0",
                      address="@SUM(1+1)", sector="+1", representative="-2")
    out = tmp_path / "x.xlsx"
    call_command("export_workbook", "--kind", "enterprises", str(out))
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(2, 1).value == "=cmd|' /C calc'!A0"
    assert ws.cell(2, 2).value == T1


def test_templates_download_and_read_back(zones):
    for importer in (ZoneImporter, EnterpriseImporter, PartyOrganizationImporter):
        data = importer.template_bytes()
        result = importer().run(io.BytesIO(data))
        assert not result.file_error, result.file_error
        assert result.rows == []


# --- Enterprises whose workforce figures are not known ---------------------------------------

FIGURES_HEADER = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
                  "Nguồn vốn", "Tổng số lao động", "Lao động nữ", "Số đoàn viên công đoàn"]


def test_an_export_with_enterprises_without_figures_reimports_unchanged(messy_file, tmp_path,
                                                                         zones):
    EnterpriseImporter(as_of=date(2026, 6, 30)).run(io.BytesIO(messy_file))
    EnterpriseFactory(tax_code=T3, zone=zones[1], name="Công ty Chưa Có Số Liệu")
    out = tmp_path / "export.xlsx"
    call_command("export_workbook", "--kind", "enterprises", str(out))
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    blank = next(r for r in rows[1:] if r[header.index("Mã số thuế")] == T3)
    assert blank[header.index("Tổng số lao động")] is None
    records = list(WorkforceRecord.objects.values_list("pk", flat=True))
    with translation.override("vi"):
        result = EnterpriseImporter(as_of=date(2026, 7, 1)).run(io.BytesIO(out.read_bytes()))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(WorkforceRecord.objects.values_list("pk", flat=True)) == records


@pytest.mark.parametrize("bulk", [True, False])
def test_a_blank_total_records_no_figures(zones, bulk):
    importer = type("Importer", (EnterpriseImporter,), {"supports_bulk": bulk})
    known = EnterpriseFactory(tax_code=T1, zone=zones[0], name="Công ty A",
                              legal_form="co_phan", capital_source="fdi")
    WorkforceRecord.objects.create(enterprise=known, as_of=date(2025, 1, 1), total_workers=120,
                                   female_workers=60)
    data = workbook([
        FIGURES_HEADER,
        ["Công ty A", T1, "HX", "Công ty cổ phần", "FDI 100% vốn nước ngoài", None, None, None],
        ["Công ty B", T2, "HX", "Công ty cổ phần", "FDI 100% vốn nước ngoài", None, None, None],
    ])
    result = importer(as_of=date(2026, 6, 30)).run(io.BytesIO(data))
    assert result.ok, result.errors
    assert [r.status for r in result.rows] == ["unchanged", "new"]
    # The new enterprise has no figures; the known one keeps its own.
    assert not WorkforceRecord.objects.filter(enterprise__tax_code=T2).exists()
    assert list(WorkforceRecord.objects.values_list("enterprise__tax_code", "total_workers")) == [
        (T1, 120)]


def test_figures_without_the_total_are_refused_on_the_total_column(zones):
    data = workbook([
        FIGURES_HEADER,
        ["Công ty A", T1, "HX", "Công ty cổ phần", "FDI", None, 40, 30],
        ["Công ty B", T2, "HX", "Công ty cổ phần", "FDI", None, None, 30],
    ])
    with translation.override("vi"):
        result = EnterpriseImporter().run(io.BytesIO(data))
    assert result.errors == [
        "Dòng 2, cột 'Tổng số lao động': Đã ghi 'Lao động nữ', 'Số đoàn viên công đoàn': "
        "hãy ghi cả tổng số lao động, hoặc để trống tất cả số liệu lao động nếu chưa biết.",
        "Dòng 3, cột 'Tổng số lao động': Đã ghi 'Số đoàn viên công đoàn': hãy ghi cả tổng số "
        "lao động, hoặc để trống tất cả số liệu lao động nếu chưa biết.",
    ]
    assert not Enterprise.objects.exists()


def test_the_template_says_the_total_may_be_blank():
    with translation.override("vi"):
        book = openpyxl.load_workbook(io.BytesIO(EnterpriseImporter.template_bytes()))
    guide = [[cell for cell in row if cell] for row in book["Hướng dẫn"].iter_rows(
        values_only=True)]
    assert ["Tổng số lao động", "có, ô có thể để trống"] in guide
    assert any("để trống" in row[0] and "Tổng số lao động" in row[0] for row in guide if row)
    # The column itself is still required: a file without it is refused.
    data = workbook([FIGURES_HEADER[:5], ["Công ty A", T1, "HX", "Công ty cổ phần", "FDI"]])
    with translation.override("vi"):
        result = EnterpriseImporter().run(io.BytesIO(data))
    assert "Tổng số lao động" in result.file_error
