"""Files that are not what their name claims, built in memory."""

import io
import random
import struct
import zipfile

from openpyxl import Workbook

MB = 1024 * 1024
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
# An OLE2 compound file header, as an Excel 97-2003 .xls starts.
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b">\x00\x03\x00\xfe\xff" + b"\x00" * 4066
HTML = (b"<!DOCTYPE html><html><head><title>Danh s\xc3\xa1ch</title></head><body><table>"
        b"<tr><td>T\xc3\xaan doanh nghi\xe1\xbb\x87p</td></tr></table>"
        b"<script>alert(1)</script></body></html>")


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    data = random.Random(seed).randbytes(size)
    return b"\x80\x81" + data  # never valid UTF-8 text


def workbook_bytes(rows=(("Tên doanh nghiệp", "Mã số thuế"),)) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_members(extra: dict[str, bytes], base: bytes | None = None) -> bytes:
    """A real workbook's zip with ``extra`` members added (or replacing some)."""
    source = zipfile.ZipFile(io.BytesIO(base or workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename not in extra:
                archive.writestr(info.filename, source.read(info.filename))
        for name, content in extra.items():
            archive.writestr(zipfile.ZipInfo(name), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb(expanded: int = 20 * MB) -> bytes:
    """A workbook whose sheet inflates from a few KB to ``expanded`` bytes."""
    return with_members({"xl/worksheets/sheet1.xml": b" " * expanded})


def lying_zip_bomb(expanded: int = 40 * MB, declared: int = 1000) -> bytes:
    """A workbook whose sheet claims ``declared`` bytes but holds ``expanded``.

    The sizes are rewritten in both the local header and the central directory,
    as a hostile tool would, to slip past checks that trust the directory.
    """
    data = bytearray(with_members({"xl/worksheets/sheet1.xml": b" " * expanded}))
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30: local + 30 + name_length] == name:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def traversal_zip(name: str = "../../../../tmp/kcn-evil.txt") -> bytes:
    """A real workbook plus a member whose name climbs out of any folder."""
    return with_members({name: b"owned"})


def plain_zip_with(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
