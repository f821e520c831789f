"""Uploads that are not what they claim, too large, zip bombs and zip path traversal.

Both doors are tried: the import upload page (which must refuse the file before
storing anything) and ``core.attachments.check_upload``/``attach``. Every refusal
is the specific Vietnamese message, compared with its gettext.
"""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.attachments import allowed_types_label, attach, check_upload
from core.excel.reader import WorkbookError, read_table
from core.models import Attachment, ImportRun
from enterprises.workbooks import ENTERPRISE_COLUMNS
from tests.enterprises.factories import EnterpriseFactory

from . import hostile_files as files

pytestmark = pytest.mark.django_db

NOT_XLSX = "The file is not an Excel .xlsx file."
OLD_XLS = ("This is an old .xls (Excel 97-2003) file, which is not supported; "
           "open it in Excel and save it as .xlsx (Excel Workbook).")
TEXT = ("The file is text (CSV, HTML or similar), not an Excel .xlsx file; "
        "open it in Excel and save it as .xlsx (Excel Workbook).")
DAMAGED = "The file is damaged or is not a readable .xlsx file."
BOMB = "The file contains an abnormally compressed part and is refused."
UNSAFE = "The file contains a part with an unsafe name (such as '../') and is refused."
EXPANDS = "The file expands to more than %(limit)s MB when unpacked and is refused."
CHOOSE_XLSX = "Choose an Excel .xlsx file."


def vi(msgid: str, values: dict | None = None) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % values if values else text


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """A media folder of this test's own: other workers store files meanwhile."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def uploader(client, pc_officer):
    client.force_login(pc_officer)
    before = stored_files()

    def post(name: str, content: bytes):
        response = client.post(reverse("core:import_upload", args=["enterprises"]),
                               {"file": SimpleUploadedFile(name, content), "as_of": "01/01/2026"})
        assert response.status_code == 200, "the form must be shown again"
        assert not ImportRun.objects.exists()
        assert stored_files() == before
        return response.content.decode()

    return post


def test_the_messages_are_translated():
    for msgid in (NOT_XLSX, OLD_XLS, TEXT, DAMAGED, BOMB, CHOOSE_XLSX):
        assert vi(msgid) != msgid, msgid


@pytest.mark.parametrize(("name", "content", "message"), [
    ("anh.xlsx", files.PNG, NOT_XLSX),
    ("danh-sach.xlsx", files.XLS, OLD_XLS),
    ("danh-sach.xls", files.XLS, CHOOSE_XLSX),
    ("ngau-nhien.xlsx", files.random_bytes(), NOT_XLSX),
    ("trang.xlsx", files.HTML, TEXT),
    ("trang.html", files.HTML, CHOOSE_XLSX),
    ("trong.xlsx", b"", None),
    ("bom.xlsx", files.zip_bomb(), BOMB),
    ("bom-noi-doi.xlsx", files.lying_zip_bomb(), DAMAGED),
    ("vuot-thu-muc.xlsx", files.traversal_zip(), UNSAFE),
    ("tuyet-doi.xlsx", files.traversal_zip("/etc/cron.d/kcn"), UNSAFE),
    ("zip-thuong.xlsx", files.plain_zip_with("a.txt", b"abc"), NOT_XLSX),
], ids=lambda value: value if isinstance(value, str) and value.endswith((".xlsx", ".xls", ".html"))
    else "-")
def test_import_upload_refuses_what_is_not_an_xlsx_and_stores_nothing(uploader, name, content,
                                                                      message):
    started = time.monotonic()
    html = uploader(name, content)
    assert time.monotonic() - started < 10
    if message is None:  # an empty file: Django's own "the submitted file is empty"
        with translation.override("vi"):
            from django import forms
            assert escape(str(forms.FileField.default_error_messages["empty"])) in html
    else:
        assert escape(vi(message)) in html, message


def test_import_upload_refuses_an_oversized_file(uploader, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1_000_000
    html = uploader("lon.xlsx", files.random_bytes(1_200_000))
    with translation.override("vi"):
        expected = translation.gettext("The file is %(size).1f MB; the limit is %(limit).0f MB.") \
            % {"size": 1.2, "limit": 1}
    assert escape(expected) in html


def test_import_upload_refuses_a_file_expanding_beyond_the_limit(uploader, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * files.MB
    html = uploader("bom.xlsx", files.zip_bomb(8 * files.MB))
    assert escape(vi(EXPANDS, {"limit": "5"})) in html


def test_the_form_shown_again_keeps_the_date_as_typed(uploader):
    html = uploader("trang.xlsx", files.HTML)
    assert 'value="01/01/2026"' in html


def test_the_empty_form_shows_today_as_dd_mm_yyyy(client, pc_officer):
    from django.utils import timezone

    client.force_login(pc_officer)
    html = client.get(reverse("core:import_upload", args=["enterprises"])).content.decode()
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in html


def test_a_real_workbook_still_goes_through(client, pc_officer):
    client.force_login(pc_officer)
    response = client.post(reverse("core:import_upload", args=["enterprises"]), {
        "file": SimpleUploadedFile("ds.xlsx", files.workbook_bytes()), "as_of": "01/01/2026"})
    assert response.status_code == 302
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize(("content", "message"), [
    (files.lying_zip_bomb(), DAMAGED),
    (files.traversal_zip(), UNSAFE),
    (files.zip_bomb(), BOMB),
])
def test_the_reader_refuses_hostile_archives_in_bounded_time(content, message):
    """The command and the preview read through ``read_table``: the same refusals."""
    started = time.monotonic()
    with pytest.raises(WorkbookError) as error, translation.override("vi"):
        read_table(content, ENTERPRISE_COLUMNS, max_bytes=10 * files.MB,
                   max_uncompressed_bytes=100 * files.MB, max_rows=100)
    assert time.monotonic() - started < 10
    assert error.value.message == vi(message)


def test_the_traversal_member_is_never_written_anywhere(uploader):
    uploader("vuot-thu-muc.xlsx", files.traversal_zip("../../../../tmp/kcn-evil-marker.txt"))
    assert not Path("/tmp/kcn-evil-marker.txt").exists()


# --- attachments ------------------------------------------------------------------------


def refused_attachment(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        check_upload(SimpleUploadedFile(name, content))
    return error.value.messages[0]


def not_accepted(name: str) -> str:
    with translation.override("vi"):
        return translation.gettext(
            "The file “%(name)s” is not an accepted type. Accepted: %(types)s."
        ) % {"name": name, "types": allowed_types_label()}


@pytest.mark.parametrize(("name", "content"), [
    ("bang.xlsx", files.XLS),
    ("bang.xls", files.XLS),
    ("ngau-nhien.pdf", files.random_bytes()),
    ("trang.html", files.HTML),
    ("trang.pdf", files.HTML),
    ("zip-thuong.xlsx", files.plain_zip_with("a.txt", b"abc")),
], ids=lambda value: value if isinstance(value, str) else "-")
def test_attachments_refuse_content_of_no_accepted_type(name, content):
    assert refused_attachment(name, content) == not_accepted(name)


def test_attachments_refuse_an_empty_file():
    with translation.override("vi"):
        expected = translation.gettext("The file “%(name)s” is empty.") % {"name": "trong.pdf"}
    assert refused_attachment("trong.pdf", b"") == expected


def test_attachments_refuse_an_oversized_file(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    message = refused_attachment("lon.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    with translation.override("vi"):
        expected = translation.gettext(
            "The file “%(name)s” is %(size)s MB; files may be at most %(limit)s MB."
        ) % {"name": "lon.pdf", "size": "2.0", "limit": "1"}
    assert message == expected


def test_attach_stores_nothing_when_one_file_is_refused(pc_officer):
    owner = EnterpriseFactory()
    before = stored_files()
    good = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    with pytest.raises(ValidationError):
        attach(owner, [good, SimpleUploadedFile("trang.pdf", files.HTML)], user=pc_officer)
    assert not Attachment.objects.exists()
    assert stored_files() == before


def test_attachments_check_zip_bombs_without_unpacking_them():
    started = time.monotonic()
    refused_attachment("bom.xlsx", files.plain_zip_with("a.xml", b" " * (20 * files.MB)))
    assert time.monotonic() - started < 2


def test_attachments_refuse_a_png_renamed_xlsx():
    refused_attachment("bao-cao.xlsx", files.PNG)


def test_attachments_refuse_an_xlsx_zip_bomb():
    refused_attachment("bom.xlsx", files.zip_bomb())


def test_attachments_refuse_an_xlsx_with_path_traversal_names():
    refused_attachment("vuot.xlsx", files.traversal_zip())


@pytest.mark.parametrize("name", ["..\\..\\evil.txt", "C:/Windows/evil.txt", "xl/../../evil.xml",
                                  "\\\\server\\share\\evil", "xl/a\x01b.xml"])
def test_every_escaping_part_name_is_refused(name):
    with pytest.raises(WorkbookError) as error, translation.override("vi"):
        read_table(files.traversal_zip(name), ENTERPRISE_COLUMNS, max_bytes=10 * files.MB,
                   max_uncompressed_bytes=100 * files.MB, max_rows=100)
    assert error.value.message == vi(UNSAFE)


def test_ordinary_part_names_are_accepted():
    table = read_table(files.with_members({"xl/media/ảnh 1.png": files.PNG,
                                           "customXml/item1.xml": b"<a/>"}),
                       ENTERPRISE_COLUMNS[:2], max_bytes=10 * files.MB,
                       max_uncompressed_bytes=100 * files.MB, max_rows=100)
    assert table.rows == []
