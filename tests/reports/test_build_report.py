"""``manage.py build_report``: the same workbook as ``write_report``, clear errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.management.commands.build_report import Command
from reports.workbook import write_report

from .factories import PERIOD, build_world
from .support import values, workbook


@pytest.fixture
def world(zone_a, zone_b):
    return build_world(zone_a, zone_b)


def contents(data: bytes) -> dict[str, list[list]]:
    """Every cell of every sheet, without the two lines that carry the time of
    generation (the place-and-date line and the ``Lập lúc`` stamp)."""
    book = workbook(data)
    return {ws.title: [[None if isinstance(v, str) and (v.startswith("Lập lúc") or ", ngày " in v)
                        else v for v in row] for row in values(ws)]
            for ws in book.worksheets}


def expected_bytes(**options) -> bytes:
    buffer = io.BytesIO()
    write_report(buffer, period=PERIOD, **options)
    return buffer.getvalue()


def test_writes_the_same_workbook_as_write_report(world, tmp_path):
    output = tmp_path / "bao-cao.xlsx"
    out = io.StringIO()
    call_command("build_report", "--period", "2025-q2", "--output", str(output), stdout=out)
    assert contents(output.read_bytes()) == contents(expected_bytes())
    assert "Đã ghi báo cáo quý II năm 2025 (toàn tỉnh)" in out.getvalue()
    assert not list(tmp_path.glob(".build_report.*"))  # no partial file left behind


def test_zone_number_and_no_personal_are_passed_on(world, tmp_path):
    output = tmp_path / "kcn.xlsx"
    call_command("build_report", "--period", "2025-Q2", "--output", str(output), "--zone", "aaa",
                 "--no-personal", "--number", "15", stdout=io.StringIO())
    data = output.read_bytes()
    assert contents(data) == contents(expected_bytes(zone=world.zone_a, personal=False,
                                                     number="15"))
    assert "Đảng viên mới" not in workbook(data).sheetnames
    texts = [v for row in values(workbook(data)["Tổng hợp"]) for v in row if v]
    assert "Số 15-BC/ĐUK" in texts


@pytest.mark.parametrize("period", ["2025-Q5", "2025-13", "năm 2025", ""])
def test_invalid_period_is_a_clear_vietnamese_error(tmp_path, period):
    output = tmp_path / "x.xlsx"
    with pytest.raises(CommandError) as error:
        call_command("build_report", "--period", period, "--output", str(output))
    assert str(error.value).startswith("Kỳ báo cáo")
    assert "2026-Q1 đến 2026-Q4" in str(error.value)
    assert not output.exists()


def test_invalid_period_exits_with_status_1(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "build_report", "--period", "2025-Q9",
                                 "--output", str(tmp_path / "x.xlsx")])
    assert exit_.value.code == 1
    assert "Kỳ báo cáo '2025-Q9' không hợp lệ" in capsys.readouterr().err


def test_unknown_zone_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="Không có khu công nghiệp mã 'ZZZ'"):
        call_command("build_report", "--period", "2025", "--output", str(tmp_path / "x.xlsx"),
                     "--zone", "ZZZ")
    assert not (tmp_path / "x.xlsx").exists()
