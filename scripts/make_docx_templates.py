"""Write the built-in Word templates of templates/docx/ (python-docx).

    .venv/bin/python scripts/make_docx_templates.py [OUTPUT_DIR]

The templates follow the party document format (Quy định 66-QĐ/TW, Hướng dẫn
36-HD/VPTW): A4, margins 20 mm top and bottom, 30 mm left, 15 mm right, Times
New Roman 14 pt; the issuing body and the number top left, "ĐẢNG CỘNG SẢN VIỆT
NAM" with place and date top right, the title and subject, the body, the
signature block right and "Nơi nhận" left (the cell's list, 6-KNĐ, on a
landscape page for its table). The review report (sơ kết / tổng kết) names
both bodies when it is joint, then the two signatures side by side and
"Nơi nhận" below them. Values come from Jinja tags that
docxtpl fills (core.documents.render_docx); a province may edit the files
in Word or LibreOffice, keeping the tags, and put its copies in
DOCX_TEMPLATE_DIR. Running this script again rewrites the built-in ones.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
LEFT, CENTER, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


def new_document(*, landscape: bool = False) -> Document:
    """A4 (landscape for a list too wide for the portrait page)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    properties = doc.core_properties
    properties.author = properties.last_modified_by = ""
    properties.created = properties.modified = datetime(2026, 1, 1)
    return doc


def para(container, text: str = "", *, align=JUSTIFY, bold=False, italic=False, size=14,
         underline=False, indent=False, after=3):
    """One paragraph of one run: a Jinja tag stays whole inside it."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
    return paragraph


def _cell_text(cell, lines):
    """Fill ``cell`` with ``lines``: (text, options) pairs, one paragraph each."""
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    for text, options in lines:
        para(cell, text, **{"align": CENTER, "after": 0, **options})


def text_width(doc):
    section = doc.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _widths(table, widths):
    """Column widths, in the grid (LibreOffice reads it) and in every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def header(doc, *, form: str, number: str):
    """The form's code, then the two-column header of party documents."""
    para(doc, form, align=RIGHT, italic=True, size=12)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_width = int(text_width(doc) * 0.42)
    _widths(table, [left_width, text_width(doc) - left_width])
    left, right = table.rows[0].cells
    _cell_text(left, [("{{ superior }}", {}), ("{{ issuer }}", {"bold": True}),
                      ("*", {}), (number, {})])
    _cell_text(right, [("ĐẢNG CỘNG SẢN VIỆT NAM", {"bold": True, "size": 15,
                                                   "underline": True}),
                       ("", {}), ("{{ province }}, {{ date_text }}", {"italic": True})])
    para(doc, "", after=6)


def title(doc, kind: str, subject: str):
    para(doc, kind, align=CENTER, bold=True, size=16, after=0)
    para(doc, subject, align=CENTER, bold=True, size=14, after=2)
    para(doc, "-----", align=CENTER, after=8)


def signature(doc, *, on_behalf: str, position: str, recipients: list[str]):
    """``Nơi nhận`` left, the signature block right."""
    para(doc, "", after=6)
    table = doc.add_table(rows=1, cols=2)
    left_width = int(text_width(doc) * 0.48)
    _widths(table, [left_width, text_width(doc) - left_width])
    left, right = table.rows[0].cells
    _cell_text(left, [("Nơi nhận:", {"align": LEFT, "bold": True, "italic": True, "size": 12}),
                      *[(line, {"align": LEFT, "size": 11}) for line in recipients]])
    _cell_text(right, [(on_behalf, {"bold": True}), (position, {"bold": True}),
                       ("(Ký, ghi rõ họ tên)", {"italic": True, "size": 12}),
                       ("", {}), ("", {}), ("", {}),
                       ("{{ signer or dots }}", {"bold": True})])


def grid(doc, headings: list[str], cells: list[str], widths: list[int], loop: str):
    """A bordered table: the headings, then one row per item of ``loop``."""
    table = doc.add_table(rows=4, cols=len(headings))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [Mm(w) for w in widths])
    rows = table.rows
    for cell, text in zip(rows[0].cells, headings, strict=True):
        _cell_text(cell, [(text, {"bold": True, "size": 11})])
    _cell_text(rows[1].cells[0], [(f"{{%tr for {loop} %}}", {"size": 11})])
    for cell, text in zip(rows[2].cells, cells, strict=True):
        _cell_text(cell, [(text, {"size": 11})])
    _cell_text(rows[3].cells[0], [("{%tr endfor %}", {"size": 11})])
    para(doc, "", after=6)


# --- the documents ---------------------------------------------------------------------------

BASES = ["- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
         "- Căn cứ Quy định và Hướng dẫn thi hành Điều lệ Đảng hiện hành;"]


def cell_resolution(doc):
    """Mẫu 6-KNĐ: the cell's resolution proposing the admission of its candidates."""
    header(doc, form="Mẫu 6-KNĐ", number="Số {{ number or '        ' }}-NQ/CB")
    title(doc, "NGHỊ QUYẾT", "Đề nghị kết nạp đảng viên")
    para(doc, "Ngày {{ meeting_date }}, {{ organization }} họp xét đề nghị kết nạp vào Đảng "
              "những quần chúng ưu tú có tên dưới đây.", indent=True)
    para(doc, "Tổng số đảng viên của chi bộ: {{ dots_short }} đồng chí; trong đó đảng viên "
              "chính thức: {{ official_members or dots_short }} đồng chí. Có mặt: "
              "{{ dots_short }} đồng chí; vắng mặt: {{ dots_short }} đồng chí.", indent=True)
    para(doc, "Sau khi nghiên cứu hồ sơ, nghe ý kiến nhận xét của đảng viên giới thiệu, của "
              "tổ chức đoàn thể nơi làm việc và chi ủy nơi cư trú, chi bộ thảo luận và biểu "
              "quyết như sau:", indent=True)
    grid(doc,
         ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Học vấn", "Nơi làm việc",
          "Giấy chứng nhận lớp bồi dưỡng", "Người giới thiệu", "Tán thành / đảng viên chính thức"],
         ["{{ c.index }}", "{{ c.full_name }}", "{{ c.date_of_birth }}", "{{ c.gender }}",
          "{{ c.education }}", "{{ c.enterprise }}", "{{ c.certificate }}", "{{ c.sponsors }}",
          "{{ c.votes }}"],
         [10, 40, 26, 17, 16, 45, 36, 36, 26], "c in candidates")
    para(doc, "Chi bộ đề nghị {{ upper_body }} xem xét, kết nạp {{ count }} quần chúng nêu "
              "trên vào Đảng Cộng sản Việt Nam.", indent=True)
    signature(doc, on_behalf="T/M CHI BỘ", position="BÍ THƯ",
              recipients=["- {{ upper_body }};", "- Lưu chi bộ."])


def admission_decision(doc):
    """Mẫu 9-KNĐ: the decision admitting one candidate (a draft to sign)."""
    header(doc, form="Mẫu 9-KNĐ", number="Số {{ number }}")
    title(doc, "QUYẾT ĐỊNH", "Kết nạp đảng viên")
    para(doc, "{{ deciding_body_upper }}", align=CENTER, bold=True, after=6)
    for line in BASES:
        para(doc, line, indent=True)
    para(doc, "- Xét đề nghị của {{ proposal }},", indent=True)
    para(doc, "QUYẾT ĐỊNH", align=CENTER, bold=True, after=6)
    para(doc, "Điều 1. Kết nạp quần chúng {{ candidate.full_name }}, sinh ngày "
              "{{ candidate.date_of_birth }}, giới tính {{ candidate.gender }}, trình độ học vấn "
              "{{ candidate.education }}, làm việc tại {{ candidate.enterprise }}, vào Đảng "
              "Cộng sản Việt Nam.", indent=True)
    para(doc, "Điều 2. {{ organization }} có trách nhiệm tổ chức lễ kết nạp cho đồng chí "
              "{{ candidate.full_name }} trong thời hạn 30 ngày làm việc kể từ ngày nhận được "
              "quyết định này, phân công đảng viên chính thức giúp đỡ đảng viên dự bị. Thời gian "
              "dự bị là 12 tháng kể từ ngày chi bộ tổ chức lễ kết nạp.", indent=True)
    para(doc, "Điều 3. {{ organization }}, các cơ quan liên quan và đồng chí có tên tại "
              "Điều 1 chịu trách nhiệm thi hành quyết định này.", indent=True)
    signature(doc, on_behalf="T/M BAN THƯỜNG VỤ", position="{{ signer_title }}",
              recipients=["- Như Điều 3;", "- Lưu hồ sơ đảng viên, văn phòng."])


def recognition_resolution(doc):
    """Mẫu 13-KNĐ: the cell's resolution proposing recognition as official member."""
    header(doc, form="Mẫu 13-KNĐ", number="Số {{ number or '        ' }}-NQ/CB")
    title(doc, "NGHỊ QUYẾT", "Đề nghị công nhận đảng viên chính thức")
    para(doc, "Ngày {{ meeting_date }}, {{ organization }} họp xét đề nghị công nhận đảng viên "
              "chính thức cho đồng chí {{ member.full_name }}, sinh ngày "
              "{{ member.date_of_birth }}, vào Đảng ngày {{ member.admitted_on }}{{ decision }}.",
         indent=True)
    para(doc, "Thời gian dự bị 12 tháng của đồng chí {{ member.full_name }} kết thúc ngày "
              "{{ member.probation_ends_on }}.", indent=True)
    para(doc, "Tổng số đảng viên chính thức của chi bộ: {{ official_members or dots_short }} "
              "đồng chí; số đồng chí tán thành việc công nhận đảng viên chính thức: "
              "{{ votes_for or dots_short }} đồng chí{{ share }}.", indent=True)
    para(doc, "Chi bộ đề nghị {{ upper_body }} xem xét, công nhận đồng chí "
              "{{ member.full_name }} là đảng viên chính thức kể từ ngày "
              "{{ member.probation_ends_on }}.", indent=True)
    signature(doc, on_behalf="T/M CHI BỘ", position="BÍ THƯ",
              recipients=["- {{ upper_body }};", "- Lưu chi bộ."])


def recognition_decision(doc):
    """The decision recognising a member as official (a draft to sign)."""
    header(doc, form="Mẫu 16-KNĐ", number="Số {{ number }}")
    title(doc, "QUYẾT ĐỊNH", "Công nhận đảng viên chính thức")
    para(doc, "{{ deciding_body_upper }}", align=CENTER, bold=True, after=6)
    for line in BASES:
        para(doc, line, indent=True)
    para(doc, "- Xét đề nghị của {{ proposal }},", indent=True)
    para(doc, "QUYẾT ĐỊNH", align=CENTER, bold=True, after=6)
    para(doc, "Điều 1. Công nhận đồng chí {{ member.full_name }}, sinh ngày "
              "{{ member.date_of_birth }}, vào Đảng ngày {{ member.admitted_on }}, sinh hoạt tại "
              "{{ organization }}, là đảng viên chính thức kể từ ngày "
              "{{ member.probation_ends_on }}.", indent=True)
    para(doc, "Điều 2. {{ organization }}, các cơ quan liên quan và đồng chí có tên tại "
              "Điều 1 chịu trách nhiệm thi hành quyết định này.", indent=True)
    signature(doc, on_behalf="T/M BAN THƯỜNG VỤ", position="{{ signer_title }}",
              recipients=["- Như Điều 2;", "- Lưu hồ sơ đảng viên, văn phòng."])


def _heading(doc, text: str):
    para(doc, text, align=LEFT, bold=True, after=3)


def _section(doc, name: str):
    """The narrative of ``name``: one justified, indented paragraph per line."""
    para(doc, f"{{%p for line in {name} %}}")
    para(doc, "{{ line }}", indent=True)
    para(doc, "{%p endfor %}")


def _table(doc, headings: list[str], cells: list[str], widths: list[int], loop: str,
           total: list[str] | None = None, size: int = 12, left=(1,)):
    """A bordered table: the headings, one row per item of ``loop``, and an
    optional total row."""
    table = doc.add_table(rows=4 + (1 if total else 0), cols=len(headings))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [Mm(w) for w in widths])
    rows = table.rows
    for cell, text in zip(rows[0].cells, headings, strict=True):
        _cell_text(cell, [(text, {"bold": True, "size": size})])
    _cell_text(rows[1].cells[0], [(f"{{%tr for {loop} %}}", {"size": size})])
    for index, (cell, text) in enumerate(zip(rows[2].cells, cells, strict=True)):
        _cell_text(cell, [(text, {"size": size, "align": LEFT if index in left else CENTER})])
    _cell_text(rows[3].cells[0], [("{%tr endfor %}", {"size": size})])
    if total:
        for cell, text in zip(rows[4].cells, total, strict=True):
            _cell_text(cell, [(text, {"size": size, "bold": True})])
    para(doc, "", after=6)


def review_report(doc):
    """The review report (sơ kết / tổng kết) of the coordination regulation:
    the issuing body or both bodies, the narrative, the frozen figures."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_width = int(text_width(doc) * 0.52)
    _widths(table, [left_width, text_width(doc) - left_width])
    left, right = table.rows[0].cells
    _cell_text(left, [("{%p if joint %}", {}),
                      ("{{ party_committee_upper }}", {"bold": True, "size": 12}),
                      ("{{ iz_board_upper }}", {"bold": True, "size": 12}),
                      ("{%p else %}", {}),
                      ("{{ party_committee_superior }}", {"size": 13}),
                      ("{{ party_committee_upper }}", {"bold": True, "size": 13}),
                      ("{%p endif %}", {}),
                      ("*", {}), ("{{ number }}", {})])
    _cell_text(right, [("ĐẢNG CỘNG SẢN VIỆT NAM", {"bold": True, "underline": True}),
                       ("", {}), ("{{ place }}, {{ date_text }}", {"italic": True})])
    para(doc, "", after=6)
    title(doc, "BÁO CÁO", "{{ subject }}")
    para(doc, "(Kỳ báo cáo: {{ period_label }})", align=CENTER, italic=True, after=8)
    _heading(doc, "I. TÌNH HÌNH CHUNG")
    _section(doc, "situation")
    _heading(doc, "II. KẾT QUẢ THỰC HIỆN")
    _section(doc, "results")
    para(doc, "Kết quả chủ yếu trong kỳ (số liệu chốt khi hoàn thành báo cáo; kỳ trước: "
              "{{ previous_label }}):", italic=True)
    _table(doc, ["STT", "Chỉ tiêu", "Kết quả", "Kỳ trước"],
           ["{{ f.index }}", "{{ f.label }}", "{{ f.value }}", "{{ f.previous }}"],
           [14, 101, 25, 25], "f in figures")
    para(doc, "Số liệu theo khu công nghiệp:", italic=True)
    _table(doc, ["STT", "Khu công nghiệp"] + [f"{{{{ zone_headings[{i}] }}}}" for i in range(6)],
           ["{{ z.index }}", "{{ z.name }}"] + [f"{{{{ z.cells[{i}] }}}}" for i in range(6)],
           [13, 44] + [18] * 6, "z in zones",
           total=["", "Tổng cộng"] + [f"{{{{ zone_totals[{i}] }}}}" for i in range(6)], size=10)
    _heading(doc, "III. HẠN CHẾ, NGUYÊN NHÂN")
    _section(doc, "shortcomings")
    _heading(doc, "IV. BÀI HỌC KINH NGHIỆM")
    _section(doc, "lessons")
    _heading(doc, "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    _section(doc, "next_tasks")
    para(doc, "{%p if targets %}")
    para(doc, "Các chỉ tiêu thống nhất cho kỳ tới:", italic=True)
    _table(doc, ["STT", "Chỉ tiêu", "Phạm vi", "Mục tiêu", "Ghi chú"],
           ["{{ t.index }}", "{{ t.label }}", "{{ t.zone }}", "{{ t.value }}", "{{ t.note }}"],
           [14, 68, 35, 20, 28], "t in targets", left=(1, 4))
    para(doc, "{%p endif %}")
    _heading(doc, "VI. ĐỀ XUẤT, KIẾN NGHỊ")
    _section(doc, "proposals")
    para(doc, "{%p if collective or individual_count %}")
    para(doc, "Đề nghị khen thưởng:", italic=True)
    para(doc, "{%p for c in collective %}")
    para(doc, "{{ c.index }}. {{ c.award }} cho {{ c.name }}: {{ c.reason }}", indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p if individual_count %}")
    para(doc, "Đề nghị khen thưởng {{ individual_count }} cá nhân (có danh sách kèm theo).",
         indent=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")
    para(doc, "", after=6)
    table = doc.add_table(rows=1, cols=2)
    _widths(table, [int(text_width(doc) * 0.5), text_width(doc) - int(text_width(doc) * 0.5)])
    left, right = table.rows[0].cells
    _cell_text(left, [("{%p if joint %}", {}),
                      ("{{ iz_signer_on_behalf }}", {"bold": True}),
                      ("{{ iz_signer_title }}", {"bold": True}),
                      ("", {}), ("", {}), ("", {}),
                      ("{{ iz_signer_name }}", {"bold": True}),
                      ("{%p else %}", {}),
                      ("Nơi nhận:", {"align": LEFT, "bold": True, "italic": True, "size": 12}),
                      ("{%p for line in recipients %}", {"align": LEFT, "size": 11}),
                      ("{{ line }}", {"align": LEFT, "size": 11}),
                      ("{%p endfor %}", {"align": LEFT, "size": 11}),
                      ("{%p endif %}", {})])
    _cell_text(right, [("{{ signer_on_behalf }}", {"bold": True}),
                       ("{{ signer_title }}", {"bold": True}),
                       ("", {}), ("", {}), ("", {}),
                       ("{{ signer_name }}", {"bold": True})])
    para(doc, "{%p if joint %}")
    para(doc, "Nơi nhận:", align=LEFT, bold=True, italic=True, size=12, after=0)
    para(doc, "{%p for line in recipients %}", align=LEFT, size=11, after=0)
    para(doc, "{{ line }}", align=LEFT, size=11, after=0)
    para(doc, "{%p endfor %}", align=LEFT, size=11, after=0)
    para(doc, "{%p endif %}")


# File name -> (builder, landscape).
TEMPLATES = {
    "mau-6-knd-nghi-quyet-chi-bo.docx": (cell_resolution, True),
    "mau-9-knd-quyet-dinh-ket-nap.docx": (admission_decision, False),
    "mau-13-knd-nghi-quyet-cong-nhan.docx": (recognition_resolution, False),
    "mau-16-knd-quyet-dinh-cong-nhan.docx": (recognition_decision, False),
    "bao-cao-so-ket-tong-ket.docx": (review_report, False),
}


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for name, (build, landscape) in TEMPLATES.items():
        doc = new_document(landscape=landscape)
        build(doc)
        doc.save(output / name)
        print(output / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else
         Path(__file__).resolve().parent.parent / "templates" / "docx")
