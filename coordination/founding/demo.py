"""Demo founding cases (called by ``coordination.demo``): enterprises that
qualify at each stage of founding their party organization, one case
abandoned, and one organization founded this year with its members moved."""

from __future__ import annotations

from datetime import date, timedelta

from ..selectors import qualifying
from . import services

# Cases per stage, among the enterprises that qualify (the rest have none yet).
PLAN = ["completed", "appointed", "decided", "proposed", "proposed", "qualifies", "qualifies",
        "abandoned"]


def seed(ctx, today: date) -> int:
    enterprises = list(qualifying(today).select_related("zone").order_by("pk")[:len(PLAN)])
    # The founding date of the completed case falls this year (when the year
    # has begun long enough), every step before today.
    decided = max(date(today.year, 1, 2), today - timedelta(days=100))
    if decided > today:
        decided = today
    for stage, enterprise in zip(PLAN, enterprises, strict=False):
        days_back = ctx.rng.randint(0, 40)
        started = decided - timedelta(days=60 + days_back)
        case = services.founding_start(enterprise=enterprise, on=started)
        if stage == "qualifies":
            continue
        if stage == "abandoned":
            services.founding_abandon(founding=case, on=started + timedelta(days=20),
                                      reason="Doanh nghiệp thu hẹp sản xuất, đảng viên chuyển đi")
            continue
        case = services.founding_propose(founding=case, on=started + timedelta(days=25),
                                         number=f"{ctx.rng.randint(10, 99)}-TTr/ĐUK")
        if stage == "proposed":
            continue
        name = enterprise.short_name or enterprise.name
        case = services.founding_decide(
            founding=case, on=decided, number=f"{ctx.rng.randint(100, 999)}-QĐ/ĐUK",
            body="Ban Thường vụ Đảng ủy Khối", name=f"Chi bộ {name}")
        if stage == "decided":
            continue
        appointed = min(today, decided + timedelta(days=7))
        members = services.members_to_move(case)
        case = services.founding_appoint(founding=case, on=appointed,
                                         secretary=members.first(),
                                         committee="Phó Bí thư chi bộ: được bầu tại đại hội")
        if stage == "appointed":
            continue
        services.founding_move_members(founding=case, on=appointed)
    return len(enterprises)
