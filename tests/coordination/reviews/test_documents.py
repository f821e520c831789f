"""The Word review report: what it says (read back with python-docx), its
page, LibreOffice Writer opening it, ``build_report --output F.docx``
writing the same document as the page's download, and its figures equal to
the workbook's ``Tổng hợp`` of the same span."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from coordination.reviews import services
from coordination.reviews.documents import TEMPLATE, render_review
from core.documents import template_path

from .conftest import review_data

pytestmark = pytest.mark.django_db

SPAN = "24/09/2025-23/09/2026"


def document_xml(content: bytes) -> dict[str, bytes]:
    """Every part of the document but the zip's own time stamps."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}


def texts(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p.text for p in cell.paragraphs]
    return found


def table_rows(content: bytes, first_heading: str, second_heading: str) -> list[list[str]]:
    for table in Document(io.BytesIO(content)).tables:
        heading = [c.text for c in table.rows[0].cells]
        if heading[:2] == [first_heading, second_heading]:
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table headed {first_heading}, {second_heading}")


@pytest.fixture
def ready(finished):
    return services.review_document_generate(review_id=finished.pk)


def test_the_report_in_the_party_document_format(ready):
    content = render_review(ready)
    found = texts(content)
    # Header: both bodies (joint), the number left; the Party, place and date right.
    for line in ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
                 "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH", "Số 15-BC/ĐUK-BQL",
                 "ĐẢNG CỘNG SẢN VIỆT NAM", "Nam Định, ngày 05 tháng 10 năm 2026", "BÁO CÁO",
                 "Sơ kết một năm thực hiện Quy chế phối hợp số 01-QC/ĐUK-BQL",
                 "I. TÌNH HÌNH CHUNG", "Hai bên phối hợp chặt chẽ.",
                 "Kết luận được chuyển thành nhiệm vụ.", "III. HẠN CHẾ, NGUYÊN NHÂN",
                 "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn Quang", "TRƯỞNG BAN",
                 "Lê Quốc Hưng", "Nơi nhận:", "- Thường trực Tỉnh ủy (b/c);"):
        assert line in found, line
    assert "ĐẢNG BỘ TỈNH" not in found  # the superior heads a Party Committee report alone
    assert not any("{{" in t or "{%" in t for t in found)
    # The figures of the period beside the previous one (worked out in conftest).
    figures = {row[1]: row[2:] for row in table_rows(content, "STT", "Chỉ tiêu")[1:]}
    assert figures["Tổng số doanh nghiệp"] == ["3", "2"]
    assert figures["Tổng số đảng viên"] == ["2", "1"]
    assert figures["Đảng viên kết nạp mới trong kỳ"] == ["1", "0"]
    zones = table_rows(content, "STT", "Khu công nghiệp")
    assert zones[0][2:4] == ["Tổng số doanh nghiệp", "Doanh nghiệp có tổ chức đảng"]
    assert [row[1:6] for row in zones[1:]] == [
        ["Khu công nghiệp An Bình", "2", "1", "1", "2"],
        ["Khu công nghiệp Bình Đông", "1", "0", "0", "0"],
        ["Tổng cộng", "3", "1", "1", "2"]]
    # Targets; the collective commendation named, the individual one counted only.
    assert table_rows(content, "STT", "Chỉ tiêu")  # the figures table
    joined = "\n".join(found)
    assert "Giấy khen của Ban Thường vụ Đảng ủy Khối cho Công ty TNHH May Sông Hồng" in joined
    assert "Đề nghị khen thưởng 1 cá nhân (có danh sách kèm theo)." in joined
    assert "Huyền" not in joined


def test_a_report_of_the_party_committee_alone(world):
    review = services.review_create(data=review_data(world["regulation"], joint=False,
                                                     number="", iz_signer_name=""))
    review = services.review_finish(review=review)
    found = texts(render_review(review))
    assert "ĐẢNG BỘ TỈNH" in found and "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in found
    assert "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH" not in found
    assert "Số        -BC/ĐUK" in found  # the number left to fill in
    assert "TRƯỞNG BAN" not in found and "Nơi nhận:" in found


def test_the_page_is_a4_with_the_margins_of_36_hd_vptw_in_times_new_roman(ready):
    document = Document(io.BytesIO(render_review(ready)))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert 20 <= round(section.top_margin / Mm(1)) <= 25
    assert 20 <= round(section.bottom_margin / Mm(1)) <= 25
    assert 30 <= round(section.left_margin / Mm(1)) <= 35
    assert 15 <= round(section.right_margin / Mm(1)) <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert template_path(TEMPLATE).parent.name == "docx"


def test_libreoffice_writer_opens_the_report(ready, tmp_path):
    assert shutil.which("soffice"), ("LibreOffice (soffice) is needed: apt-get install "
                                     "libreoffice-writer-nogui")
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(render_review(ready))
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=240, capture_output=True)
    text = (tmp_path / "bao-cao.txt").read_text(encoding="utf-8-sig")
    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 15-BC/ĐUK-BQL", "BÁO CÁO", "T/M BAN THƯỜNG VỤ",
                 "PHÓ BÍ THƯ", "Trần Văn Quang", "Tổng số đảng viên"):
        assert line in text, line


def test_build_report_writes_the_document_the_page_downloads(ready, client, iz_leader,
                                                              tmp_path):
    client.force_login(iz_leader)
    response = client.post(reverse("coordination:review_document", args=[ready.pk]))
    assert response.status_code == 200
    downloaded = b"".join(response.streaming_content)
    for wanted in ("", str(ready.pk), "15-BC/ĐUK-BQL"):
        output = tmp_path / f"bao-cao{wanted.replace('/', '')}.docx"
        call_command("build_report", "--period", SPAN, "--output", str(output),
                     *(["--review", wanted] if wanted else []), stdout=io.StringIO())
        assert document_xml(output.read_bytes()) == document_xml(downloaded)
    assert not list(tmp_path.glob(".build_report.*"))


def test_build_report_says_which_review_it_cannot_write(world, ready, tmp_path):
    output = str(tmp_path / "x.docx")
    with pytest.raises(CommandError, match="--review"):
        call_command("build_report", "--period", "2026", "--output", output)
    with pytest.raises(CommandError, match="không phải"):
        call_command("build_report", "--period", "2026", "--output", output, "--review",
                     str(ready.pk))
    with pytest.raises(CommandError, match="Không có"):
        call_command("build_report", "--period", SPAN, "--output", output, "--review", "99-BC")
    draft = services.review_create(data=review_data(world["regulation"], number="20-BC/ĐUK"))
    with pytest.raises(CommandError, match="chưa hoàn thành"):
        call_command("build_report", "--period", SPAN, "--output", output, "--review",
                     str(draft.pk))


def test_the_report_gives_the_workbooks_figures_for_the_same_span(ready, tmp_path):
    output = tmp_path / "bao-cao.xlsx"
    call_command("build_report", "--period", SPAN, "--output", str(output),
                 stdout=io.StringIO())
    sheet = load_workbook(output, read_only=True)["Tổng hợp"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if "Chỉ tiêu" in row and "Kết quả" in row)
    label, result = rows[header].index("Chỉ tiêu"), rows[header].index("Kết quả")
    workbook = {row[label]: row[result] for row in rows[header + 1:] if row[label]}
    previous = rows[header].index("Kỳ trước")
    workbook_before = {row[label]: row[previous] for row in rows[header + 1:] if row[label]}
    word = {row[1]: row[2:] for row in table_rows(render_review(ready), "STT", "Chỉ tiêu")[1:]}
    assert len(word) == 18 and set(word) == set(workbook)
    for name, (value, before) in word.items():
        assert value == f"{workbook[name]:,}".replace(",", "."), name
        assert before == f"{workbook_before[name]:,}".replace(",", "."), name
    assert workbook["Tổng số đảng viên"] == 2  # the world's, by hand
