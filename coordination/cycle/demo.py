"""Demo data of the working cycle (called by coordination.demo after the
plans): the regulation signed on 24 September of last year, a year of
meetings of the steering committee and the working group (and the joint
conference that launched the regulation) whose conclusions became tasks of
this year's plan (done once due, but one left overdue), and letters between
the two bodies (one answered by a letter, one by a date and number, one
reply overdue, one awaiting its reply), and the review of the regulation's
first year (:mod:`coordination.reviews.demo`).

Everything goes through the services, as the pages do. Only what has
happened by ``today`` is recorded, so the same day gives the same data.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from accounts.models import User
from enterprises.models import Enterprise

from ..models import Committee, PlanTask
from ..plans import services as plan_services
from ..reviews import demo as review_demo
from . import selectors, services
from .models import Meeting

NUMBER = "01-QC/ĐUK-BQL"

# Meetings: (kind, month, day, year offset, title, place, notice, conclusions), the
# conclusions as (text, lead side, owner, due month, due day). Conclusions are due in
# this year (the plan they become tasks of).
_PLACE_PC = "Phòng họp Đảng ủy Khối"
_PLACE_IZ = "Hội trường Ban Quản lý các khu công nghiệp tỉnh"
_MEETINGS = [
    ("joint", 10, 15, -1, "Hội nghị liên tịch triển khai Quy chế phối hợp", _PLACE_IZ,
     "01-TB/ĐUK-BQL", [
         ("Ban Quản lý các KCN cung cấp danh sách doanh nghiệp mới đi vào hoạt động và số lao "
          "động để Đảng ủy nắm tình hình", "iz_board", "canbo.bql", 1, 31),
         ("Ban Tổ chức Đảng ủy xây dựng kế hoạch mở lớp bồi dưỡng nhận thức về Đảng cho quần "
          "chúng ưu tú trong doanh nghiệp các KCN", "party_committee", "canbo.dang", 3, 31),
     ]),
    ("steering", 12, 20, -1, "Họp Ban Chỉ đạo quý IV", _PLACE_PC, "05-TB/BCĐ", [
        ("Thống nhất danh sách doanh nghiệp đủ điều kiện thành lập tổ chức đảng trong năm",
         "both", "canbo.dang", 2, 28),
    ]),
    ("working_group", 3, 12, 0, "Họp Tổ công tác triển khai đợt khảo sát quý I", _PLACE_IZ,
     "", [
         ("Khảo sát các doanh nghiệp FDI chưa có tổ chức đảng tại KCN Hòa Xá", "iz_board",
          "canbo.bql", 4, 30),
     ]),
    ("steering", 6, 25, 0, "Họp Ban Chỉ đạo sơ kết 6 tháng đầu năm", _PLACE_PC, "09-TB/BCĐ", [
        ("Hoàn thiện hồ sơ đề nghị thành lập chi bộ tại các doanh nghiệp đủ điều kiện",
         "party_committee", "canbo.dang", 7, 31),
        ("Làm việc với chủ doanh nghiệp chưa đồng ý thành lập tổ chức đảng, báo cáo kết quả "
         "về Ban Chỉ đạo", "both", "canbo.bql", 9, 30),
    ]),
    ("working_group", 9, 17, 0, "Họp Tổ công tác quý III", _PLACE_IZ, "", [
        ("Tổng hợp kết quả khảo sát, đề xuất quần chúng ưu tú đưa vào nguồn kết nạp",
         "party_committee", "canbo.dang", 10, 31),
    ]),
    ("steering", 11, 18, 0, "Họp Ban Chỉ đạo chuẩn bị tổng kết năm", _PLACE_PC, "12-TB/BCĐ", [
        ("Chuẩn bị báo cáo tổng kết năm thực hiện Quy chế phối hợp", "both", "canbo.dang",
         12, 31),
    ]),
]
# The conclusion left open past its due date (the others are done once due).
_LATE = "Làm việc với chủ doanh nghiệp chưa đồng ý"
_GUESTS = "Đại diện lãnh đạo các khu công nghiệp; Công đoàn các khu công nghiệp tỉnh"
_AGENDA = ("Đánh giá kết quả thực hiện Quy chế phối hợp và Kế hoạch phối hợp; thống nhất "
           "nhiệm vụ trọng tâm thời gian tới; phân công đơn vị chủ trì, thời hạn hoàn thành.")


def seed(ctx, today: date) -> int:
    """Record the cycle; returns how many meetings were recorded."""
    accounts = {u.username: u for u in User.objects.filter(
        username__in=["canbo.dang", "canbo.bql"])}
    if len(accounts) < 2 or not Committee.objects.exists():
        return 0
    year = today.year
    signed = date(year - 1, 9, 24)
    regulation = services.regulation_create(data={
        "number": NUMBER,
        "title": f"Quy chế phối hợp giữa {settings.PARTY_COMMITTEE_NAME} và "
                 f"{settings.IZ_BOARD_NAME} trong lãnh đạo xây dựng tổ chức đảng, phát triển "
                 "đảng viên trong doanh nghiệp các khu công nghiệp",
        "signed_on": signed, "effective_from": signed, "in_force_until": None,
        "party_signatory_name": "Nguyễn Văn Thành", "party_signatory_title": "Bí thư",
        "iz_signatory_name": "Lê Quốc Hưng", "iz_signatory_title": "Trưởng ban",
        "summary": "Quy chế gồm 4 chương, 15 điều: nguyên tắc, nội dung và phương thức phối "
                   "hợp; trách nhiệm của mỗi bên; Ban Chỉ đạo và Tổ công tác; chế độ họp định "
                   "kỳ, thông tin, báo cáo và sơ kết, tổng kết hằng năm."})
    meetings = _meetings(accounts, today)
    _letters(accounts, today)
    review_demo.seed(regulation, today)
    return meetings


def _meetings(accounts, today: date) -> int:
    count = 0
    for kind, month, day, offset, title, place, notice, conclusions in _MEETINGS:
        held = date(today.year + offset, month, day)
        if held > today:
            continue
        members = selectors.eligible_members(kind=kind, day=held)
        chair = next((m for m in members if m.position == "head"), None)
        meeting = services.meeting_create(data={
            "kind": kind, "title": _titled(title, kind, held.year),
            "held_on": held, "place": place, "chair": chair, "notice_number": notice,
            "guests": _GUESTS if kind == Meeting.Kind.JOINT else "", "agenda": _AGENDA},
            attendees=members)
        count += 1
        for text, side, owner, due_month, due_day in conclusions:
            due = date(today.year, due_month, due_day)
            conclusion = services.conclusion_create(
                meeting=meeting, data={"text": text, "lead_side": side,
                                       "owner": accounts[owner], "due_on": due},
                make_task=True)
            _progress(conclusion.task, held, today, late=text.startswith(_LATE))
    return count


def _titled(title: str, kind: str, year: int) -> str:
    """A periodic meeting's title with its year ("... quý IV năm 2025")."""
    if kind == Meeting.Kind.JOINT:
        return title
    return f"{title} {year}" if title.endswith("năm") else f"{title} năm {year}"


def _progress(task: PlanTask | None, held: date, today: date, *, late: bool) -> None:
    if task is None:
        return
    if task.due_on < today and not late:
        completed = max(held + timedelta(days=1), min(today, task.due_on - timedelta(days=4)))
        plan_services.task_progress_update(actor=None, task=task, status="done",
                                           completed_on=completed,
                                           result="Đã hoàn thành, báo cáo Ban Chỉ đạo.")
    else:
        plan_services.task_progress_update(actor=None, task=task, status="in_progress",
                                           result="Đang triển khai.")


def _letters(accounts, today: date) -> None:
    year = today.year
    pc, iz = accounts["canbo.dang"], accounts["canbo.bql"]
    zone_hx = list(Enterprise.objects.filter(zone__code="HX", status="operating")
                   .order_by("pk")[:3])
    asked = services.correspondence_create(actor=pc, data={
        "direction": "pc_to_iz", "number": "15-CV/ĐUK", "dated": date(year - 1, 10, 2),
        "subject": "Đề nghị cung cấp danh sách doanh nghiệp và tình hình tổ chức đảng, đoàn "
                   "thể trong các khu công nghiệp",
        "summary": "Phục vụ xây dựng Kế hoạch phối hợp năm sau.",
        "reply_due_on": date(year - 1, 10, 31)})
    services.correspondence_create(actor=iz, in_reply_to=asked, data={
        "direction": "iz_to_pc", "number": "112/BQL-QLDN", "dated": date(year - 1, 10, 28),
        "subject": "Cung cấp danh sách doanh nghiệp đang hoạt động trong các khu công nghiệp",
        "summary": "Gửi kèm danh sách doanh nghiệp và số lao động đến ngày 30/9."})
    survey = date(year, 1, 20)
    if survey <= today:
        letter = services.correspondence_create(actor=iz, enterprises=zone_hx[:2], data={
            "direction": "iz_to_pc", "number": "45/BQL-VP", "dated": survey,
            "subject": "Đề nghị phối hợp khảo sát doanh nghiệp FDI tại KCN Hòa Xá",
            "reply_due_on": date(year, 2, 15)})
        if date(year, 2, 10) <= today:
            services.correspondence_record_reply(actor=pc, letter=letter,
                                                 replied_on=date(year, 2, 10),
                                                 reply_number="58-CV/ĐUK")
    services.correspondence_create(actor=pc, data={
        "direction": "pc_out", "number": "61-BC/ĐUK", "dated": min(today, date(year, 1, 5)),
        "counterpart": "Ban Tổ chức Tỉnh ủy",
        "subject": "Báo cáo kết quả thực hiện Chỉ thị 33-CT/TW trong doanh nghiệp các khu "
                   "công nghiệp"})
    late_task = PlanTask.objects.filter(conclusion__text__startswith=_LATE).first()
    # One reply overdue, one awaited: relative to today, so the demo always shows both.
    services.correspondence_create(
        actor=pc, enterprises=zone_hx[2:3], tasks=[late_task] if late_task else [], data={
            "direction": "pc_to_iz", "number": "88-CV/ĐUK", "dated": today - timedelta(days=20),
            "subject": "Đề nghị báo cáo kết quả làm việc với chủ doanh nghiệp về thành lập tổ "
                       "chức đảng",
            "reply_due_on": today - timedelta(days=5)})
    services.correspondence_create(actor=iz, data={
        "direction": "iz_to_pc", "number": "203/BQL-QLDN", "dated": today - timedelta(days=3),
        "subject": "Đề nghị Đảng ủy cho ý kiến về kế hoạch đối thoại với chủ doanh nghiệp "
                   "các khu công nghiệp",
        "reply_due_on": today + timedelta(days=10)})
    services.correspondence_create(actor=pc, data={
        "direction": "pc_in", "number": "27-CV/ĐU", "dated": today - timedelta(days=12),
        "counterpart": "Đảng ủy xã Mỹ Lộc",
        "subject": "Kết quả thẩm tra lý lịch quần chúng ưu tú", "personal_data": True})
