"""The Word documents officers sign (core.documents, coordination.dossier.documents).

Each document is rendered from its built-in template and read back with
python-docx: the expected values were worked out by hand from the records
made here. Each also opens in LibreOffice Writer (converted to PDF headless).
A province's own template in DOCX_TEMPLATE_DIR wins over the built-in one.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from coordination import services
from coordination.dossier import documents
from coordination.models import AdmissionCandidate
from core.documents import document_date, render_docx, template_path
from core.models import PersonalDataAccess
from enterprises.models import PartyOrganization
from tests.enterprises.factories import make_enterprise, make_partyorg

from .factories import advance, make_candidate, make_member

pytestmark = pytest.mark.django_db

Stage = AdmissionCandidate.Stage
Kind = PartyOrganization.Kind
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def bodies(settings):
    settings.PROVINCE_NAME = "Nam Định"
    settings.PARTY_COMMITTEE_NAME = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh"
    settings.PARTY_COMMITTEE_ABBR = "ĐUK"
    settings.PARTY_COMMITTEE_SUPERIOR = "Đảng bộ tỉnh"
    settings.DOCX_TEMPLATE_DIR = ""


def paragraphs(content: bytes) -> list[str]:
    """Every paragraph's text, the header and signature tables' cells included."""
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def rows(content: bytes, table: int) -> list[list[str]]:
    return [[cell.text for cell in row.cells]
            for row in Document(io.BytesIO(content)).tables[table].rows]


# --- the cell's list of candidates (6-KNĐ) ----------------------------------------------------


@pytest.fixture
def cell(zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty TNHH May Sông Hồng & Cộng sự")
    organization = make_partyorg("Chi bộ Công ty TNHH May Sông Hồng", enterprise=enterprise)
    other = make_partyorg("Chi bộ Công ty Nhựa Tiền Phong", enterprise=make_enterprise(zone_a))
    voted = advance(make_candidate(enterprise, family_name="Nguyễn", middle_name="Thị",
                                   given_name="Hoa", date_of_birth=date(1996, 3, 4),
                                   responsible_organization=organization), Stage.CELL_RESOLUTION)
    assessed = advance(make_candidate(enterprise, family_name="Lê", middle_name="Văn",
                                      given_name="Bình", gender="male",
                                      date_of_birth=date(1999, 11, 20), education_grade=9,
                                      responsible_organization=organization), Stage.ASSESSMENT)
    # Not on the list: an earlier stage, a closed case, another cell's case.
    advance(make_candidate(enterprise, given_name="Cúc", responsible_organization=organization),
            Stage.APPLICATION)
    closed = advance(make_candidate(enterprise, given_name="Dung",
                                    responsible_organization=organization), Stage.ASSESSMENT)
    services.candidate_close(candidate=closed, on=date(2025, 6, 10), reason="withdrew")
    advance(make_candidate(enterprise, given_name="Đào", responsible_organization=other),
            Stage.ASSESSMENT)
    return {"organization": organization, "voted": voted, "assessed": assessed}


def test_the_cells_list_holds_its_candidates_at_the_vote(cell):
    organization = cell["organization"]
    listed = documents.list_candidates(organization, AdmissionCandidate.objects.all())
    assert [c.given_name for c in listed] == ["Bình", "Hoa"]
    content = documents.candidate_list(organization, listed)
    text = paragraphs(content)
    assert "Mẫu 6-KNĐ" in text
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in text
    assert "CHI BỘ CÔNG TY TNHH MAY SÔNG HỒNG" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    # Two cases, one voted: no common meeting date, left to fill in.
    assert "Nam Định, ngày ..... tháng ..... năm ........" in text
    assert "NGHỊ QUYẾT" in text
    assert ("Chi bộ đề nghị Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh xem "
            "xét, kết nạp 2 quần chúng nêu trên vào Đảng Cộng sản Việt Nam.") in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text and "Nơi nhận:" in text
    table = rows(content, 1)
    assert table[0][:2] == ["TT", "Họ và tên"]
    # The "&" of the enterprise's name is text, not broken XML.
    assert table[1:] == [
        ["1", "Lê Văn Bình", "20/11/1999", "Nam", "9/12", "Công ty TNHH May Sông Hồng & Cộng sự",
         "CN-2025-01 ngày 01/03/2025", "", ""],
        ["2", "Nguyễn Thị Hoa", "04/03/1996", "Nữ", "12/12",
         "Công ty TNHH May Sông Hồng & Cộng sự", "CN-2025-01 ngày 01/03/2025", "",
         "5/6 (83,3%)"],
    ]


def test_a_list_of_one_meeting_carries_its_date_and_members(cell):
    organization = cell["organization"]
    content = documents.candidate_list(organization, [cell["voted"]])
    text = paragraphs(content)
    assert "Nam Định, ngày 01 tháng 7 năm 2025" in text
    assert any(p.startswith("Ngày 01/07/2025, Chi bộ Công ty TNHH May Sông Hồng họp xét") for p in text)
    assert any("trong đó đảng viên chính thức: 6 đồng chí" in p for p in text)


# --- the admission decision (9-KNĐ) ------------------------------------------------------------


@pytest.fixture
def committee_case(zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty Cổ phần Dệt Thành Nam")
    committee = make_partyorg("Đảng bộ Công ty Cổ phần Dệt Thành Nam",
                              kind=Kind.GRASSROOTS_COMMITTEE, enterprise=enterprise)
    workshop = make_partyorg("Chi bộ Phân xưởng Sợi", kind=Kind.SUBORDINATE_CELL,
                             enterprise=enterprise, parent=committee)
    return make_candidate(enterprise, family_name="Phạm", middle_name="Minh", given_name="Tuấn",
                          gender="male", responsible_organization=workshop)


def test_the_draft_decision_names_the_candidate_and_the_proposals(committee_case):
    candidate = advance(committee_case, Stage.DECISION)
    text = paragraphs(documents.admission_decision(candidate))
    assert "Mẫu 9-KNĐ" in text
    assert "ĐẢNG BỘ TỈNH" in text
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in text
    assert "Số 125-QĐ/ĐUK" in text
    assert "Nam Định, ngày 11 tháng 8 năm 2025" in text
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in text
    assert ("- Xét đề nghị của Chi bộ Phân xưởng Sợi (Nghị quyết ngày 01/07/2025) và Đảng ủy "
            "Công ty Cổ phần Dệt Thành Nam (Nghị quyết ngày 21/07/2025),") in text
    assert ("Điều 1. Kết nạp quần chúng Phạm Minh Tuấn, sinh ngày 15/07/1995, giới tính Nam, "
            "trình độ học vấn 12/12, làm việc tại Công ty Cổ phần Dệt Thành Nam, vào Đảng "
            "Cộng sản Việt Nam.") in text
    assert any(p.startswith("Điều 2. Chi bộ Phân xưởng Sợi có trách nhiệm tổ chức lễ kết nạp")
               for p in text)
    assert "T/M BAN THƯỜNG VỤ" in text


def test_a_decision_not_yet_taken_leaves_its_number_and_date_blank(cell):
    text = paragraphs(documents.admission_decision(cell["voted"]))
    assert "Số         -QĐ/ĐUK" in text
    assert "Nam Định, ngày ..... tháng ..... năm ........" in text
    # A chi bộ cơ sở: no grassroots committee in the proposal.
    assert ("- Xét đề nghị của Chi bộ Công ty TNHH May Sông Hồng (Nghị quyết ngày "
            "01/07/2025),") in text


# --- recognition (13-KNĐ, 16-KNĐ) ---------------------------------------------------------------


@pytest.fixture
def probationer(zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Điện tử Bình Minh")
    organization = make_partyorg("Chi bộ Công ty TNHH Điện tử Bình Minh", enterprise=enterprise)
    member = make_member(enterprise, party_organization=organization,
                         decision_on=date(2020, 2, 20), decision_number="12-QĐ/ĐUK")
    services.member_recognition_vote(member=member, held_on=date(2021, 3, 10), votes_for=3,
                                     official_members=6)
    services.member_recognition_vote(member=member, held_on=date(2021, 3, 15), votes_for=5,
                                     official_members=6)
    return member


def test_the_cells_recognition_resolution(probationer):
    text = paragraphs(documents.recognition_resolution(probationer))
    assert "Mẫu 13-KNĐ" in text
    assert "CHI BỘ CÔNG TY TNHH ĐIỆN TỬ BÌNH MINH" in text
    assert "Nam Định, ngày 15 tháng 3 năm 2021" in text
    assert ("Ngày 15/03/2021, Chi bộ Công ty TNHH Điện tử Bình Minh họp xét đề nghị công nhận "
            "đảng viên chính thức cho đồng chí Nguyễn Văn An, sinh ngày 01/05/1990, vào Đảng "
            "ngày 01/03/2020, theo Quyết định số 12-QĐ/ĐUK ngày 20/02/2020.") in text
    assert ("Thời gian dự bị 12 tháng của đồng chí Nguyễn Văn An kết thúc ngày "
            "01/03/2021.") in text
    assert ("Tổng số đảng viên chính thức của chi bộ: 6 đồng chí; số đồng chí tán thành việc "
            "công nhận đảng viên chính thức: 5 đồng chí (đạt 83,3%).") in text


def test_the_draft_recognition_decision(probationer):
    services.member_recognise(member=probationer, decision_number="30-QĐ/ĐUK",
                              decision_on=date(2021, 3, 25))
    probationer.refresh_from_db()
    text = paragraphs(documents.recognition_decision(probationer))
    assert "Mẫu 16-KNĐ" in text
    assert "Số 30-QĐ/ĐUK" in text
    assert "Nam Định, ngày 25 tháng 3 năm 2021" in text
    assert ("- Xét đề nghị của Chi bộ Công ty TNHH Điện tử Bình Minh (Nghị quyết ngày "
            "15/03/2021),") in text
    assert ("Điều 1. Công nhận đồng chí Nguyễn Văn An, sinh ngày 01/05/1990, vào Đảng ngày "
            "01/03/2020, sinh hoạt tại Chi bộ Công ty TNHH Điện tử Bình Minh, là đảng viên "
            "chính thức kể từ ngày 01/03/2021.") in text


# --- every document opens in LibreOffice Writer -------------------------------------------------


def test_libreoffice_writer_opens_every_document(cell, committee_case, probationer, tmp_path):
    assert shutil.which("soffice"), ("LibreOffice (soffice) is needed: apt-get install "
                                     "libreoffice-writer-nogui")
    made = {
        "6-knd": documents.candidate_list(cell["organization"], [cell["assessed"],
                                                                 cell["voted"]]),
        "9-knd": documents.admission_decision(advance(committee_case, Stage.DECISION)),
        "13-knd": documents.recognition_resolution(probationer),
        "16-knd": documents.recognition_decision(probationer),
    }
    sources = []
    for name, content in made.items():
        source = tmp_path / f"{name}.docx"
        source.write_bytes(content)
        sources.append(str(source))
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *sources],
                   check=True, timeout=240, capture_output=True)
    for name in made:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), name
        assert pdf.stat().st_size > 0, name
        assert pdf.read_bytes().startswith(b"%PDF"), name


# --- the templates: the province's own first, then the built-in ones -----------------------------


def _own_template(folder, name: str, line: str) -> None:
    document = Document()
    document.add_paragraph(line)
    document.save(folder / name)


def test_a_template_in_docx_template_dir_wins(cell, settings, tmp_path):
    _own_template(tmp_path, documents.CANDIDATE_LIST, "Mẫu của tỉnh: {{ organization }}, "
                                                      "{{ count }} người, {{ province }}")
    settings.DOCX_TEMPLATE_DIR = str(tmp_path)
    assert template_path(documents.CANDIDATE_LIST) == tmp_path / documents.CANDIDATE_LIST
    text = paragraphs(documents.candidate_list(cell["organization"], [cell["voted"]]))
    assert text == ["Mẫu của tỉnh: Chi bộ Công ty TNHH May Sông Hồng, 1 người, Nam Định"]
    # A template the folder does not have: the built-in one.
    assert template_path(documents.ADMISSION_DECISION).parent.name == "docx"
    assert "Mẫu 9-KNĐ" in paragraphs(documents.admission_decision(cell["voted"]))


def test_templates_run_sandboxed_and_escaped(settings, tmp_path):
    _own_template(tmp_path, "thu.docx", "{{ value }}|{{ value.__class__ }}|"
                                        "{{ value.upper.__globals__ }}")
    settings.DOCX_TEMPLATE_DIR = str(tmp_path)
    text = paragraphs(render_docx("thu.docx", {"value": "A & <B>"}))
    assert text == ["A & <B>||"]


@pytest.mark.parametrize("name", ["../settings.docx", "/etc/passwd", "mau.txt", "a/b.docx"])
def test_a_template_name_is_a_plain_file_name(name):
    with pytest.raises(ValueError):
        template_path(name)


def test_dates_as_documents_write_them():
    assert document_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert document_date(date(2025, 11, 20)) == "ngày 20 tháng 11 năm 2025"
    assert document_date(date(2025, 3, 9)) == "ngày 09 tháng 3 năm 2025"


# --- the downloads: POST, personal-data readers only, logged -----------------------------------


def test_downloads_are_posted_logged_and_refused_to_others(client, cell, probationer,
                                                           pc_leader, iz_officer):
    urls = [
        reverse("coordination:partyorg_candidates_document", args=[cell["organization"].pk]),
        reverse("coordination:candidate_decision_document", args=[cell["voted"].pk]),
        reverse("coordination:member_recognition_resolution_document", args=[probationer.pk]),
        reverse("coordination:member_recognition_decision_document", args=[probationer.pk]),
    ]
    client.force_login(pc_leader)
    for url in urls:
        assert client.get(url).status_code == 405
        response = client.post(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == DOCX
        assert response["Content-Disposition"].startswith("attachment;")
        content = b"".join(response.streaming_content)
        assert Document(io.BytesIO(content)).paragraphs
    logged = PersonalDataAccess.objects.filter(user=pc_leader, action="export")
    assert sorted(logged.values_list("detail", flat=True)) == sorted([
        f"docx 6-KND organization={cell['organization'].pk}", "docx 9-KND", "docx 13-KND",
        "docx 16-KND"])
    client.force_login(iz_officer)
    for url in urls:
        assert client.post(url).status_code == 403
    assert not PersonalDataAccess.objects.filter(user=iz_officer).exists()


def test_a_decision_is_drafted_only_after_the_cells_vote(client, cell, pc_officer):
    client.force_login(pc_officer)
    url = reverse("coordination:candidate_decision_document", args=[cell["assessed"].pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == cell["assessed"].get_absolute_url()
    assert not PersonalDataAccess.objects.exists()
