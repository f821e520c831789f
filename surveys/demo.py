"""Demo data of the surveys (seed_demo): two campaigns of the working group.

This year's campaign covers three zones and has visited about 60 % of its
enterprises (a mix of A/B/C, follow-ups done, open and overdue, some
findings applied to the registry, a few workers registered as candidates);
last year's campaign is finished. Everything goes through the services, as
the pages do, so the rules and the change history are the real ones.
"""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import User
from accounts.policy import access_for
from coordination.models import Committee, CoordinationPlan
from core import registry
from enterprises.models import Enterprise, MassOrganization

from . import selectors, services
from .models import SurveyVisit

WORKING_GROUP_DECISION = "125-QĐ/ĐUK"
PER_ZONE = {"small": 10, "large": 14}
PARTICIPANTS = [
    "Đ/c Nguyễn Thị Hồng Nhung (Ban Tổ chức Đảng ủy); đ/c Phạm Minh Đức (BQL các KCN)",
    "Đ/c Trần Văn Quang (Phó Bí thư Đảng ủy); đ/c Lê Thu Hà (BQL các KCN); "
    "đại diện Công đoàn các KCN",
    "Tổ công tác: đ/c Vũ Đình Khánh, đ/c Phạm Minh Đức, đại diện Đoàn Thanh niên các KCN",
]
FINDINGS = {
    "A": ["Có 3 đảng viên chính thức đang sinh hoạt ghép ở chi bộ KCN; chủ doanh nghiệp đồng "
          "ý tạo điều kiện thành lập chi bộ.",
          "Công đoàn hoạt động tốt; nhiều công nhân là quần chúng ưu tú đã học lớp bồi dưỡng."],
    "B": ["Có đảng viên làm việc nhưng chưa đủ 3 đảng viên chính thức.",
          "Có quần chúng ưu tú do Công đoàn giới thiệu, cần bồi dưỡng thêm."],
    "C": ["Doanh nghiệp mới đi vào hoạt động, chưa có đảng viên.",
          "Chủ doanh nghiệp chưa quan tâm đến việc thành lập tổ chức đảng."],
}
RECOMMENDATIONS = {
    "A": "Đề nghị Đảng ủy chỉ đạo chuẩn bị hồ sơ thành lập chi bộ cơ sở trong năm.",
    "B": "Tiếp tục bồi dưỡng quần chúng ưu tú, giới thiệu đi học lớp nhận thức về Đảng.",
    "C": "Tuyên truyền, vận động chủ doanh nghiệp; đưa vào danh sách khảo sát năm sau.",
}
ACTIONS = [
    "Làm việc với chủ doanh nghiệp về việc thành lập chi bộ",
    "Giới thiệu quần chúng ưu tú đi học lớp bồi dưỡng nhận thức về Đảng",
    "Hướng dẫn Công đoàn cơ sở giới thiệu đoàn viên ưu tú",
    "Báo cáo Ban Chỉ đạo kết quả khảo sát",
    "Phối hợp Đoàn Thanh niên thành lập chi đoàn",
]
CANDIDATES = [
    ("Nguyễn", "Thị Thu", "Hằng", "female", date(1996, 4, 12)),
    ("Trần", "Quốc", "Việt", "male", date(1993, 9, 3)),
    ("Lê", "Thị", "Phượng", "female", date(1998, 1, 25)),
    ("Phạm", "Văn", "Toàn", "male", date(1991, 11, 8)),
]


def _working_group(today: date) -> Committee:
    """The latest working group (the plans' demo may have made one), else ours."""
    group = Committee.objects.filter(kind=Committee.Kind.WORKING_GROUP).order_by(
        "-decided_on", "-pk").first()
    if group is not None:
        return group
    decided = date(today.year - 2, 3, 15)
    group, _created = Committee.objects.get_or_create(
        kind=Committee.Kind.WORKING_GROUP, decision_number=WORKING_GROUP_DECISION,
        defaults={
            "name": "Tổ công tác phát triển đảng viên trong doanh nghiệp các KCN",
            "decided_on": decided, "term_start": decided,
            "duties": "Khảo sát, nắm tình hình doanh nghiệp; tham mưu Ban Chỉ đạo.",
        })
    return group


def _officers(ctx):
    accounts = ctx.accounts or list(User.objects.all())
    pc = next((u for u in accounts if u.organization == User.Organization.PARTY_COMMITTEE
               and u.role == User.Role.OFFICER), None)
    owners = [u for u in accounts if u.role == User.Role.OFFICER and u.organization]
    return pc, owners or [pc]


def seed(ctx) -> None:
    today = ctx.extra.setdefault("today", date.today())
    actor, owners = _officers(ctx)
    if actor is None or not ctx.zones:
        return
    group = _working_group(today)
    zones = ctx.zones
    per_zone = PER_ZONE[ctx.size]

    current = _campaign(
        ctx, actor, group, zones[:3], per_zone,
        name=f"Khảo sát doanh nghiệp chưa có tổ chức đảng năm {today.year}",
        starts_on=today - timedelta(days=150), ends_on=today + timedelta(days=45),
        plan=CoordinationPlan.objects.filter(year=today.year).first())
    past_zones = zones[3:6] or zones[:3]
    past_start = date(today.year - 1, 4, 1)
    past = _campaign(
        ctx, actor, group, past_zones, per_zone - 2,
        name=f"Khảo sát doanh nghiệp FDI năm {today.year - 1}",
        starts_on=past_start, ends_on=date(today.year - 1, 10, 31),
        plan=CoordinationPlan.objects.filter(year=today.year - 1).first(),
        day=past_start)
    _visits(ctx, current, actor, owners, today, share=0.6, register=True)
    _visits(ctx, past, actor, owners, today, share=0.9, register=False)
    ctx.report("survey campaigns", 2)
    ctx.report("survey visits", SurveyVisit.objects.count())


def _campaign(ctx, actor, group, zones, per_zone, *, name, starts_on, ends_on, plan,
              day=None):
    rng = ctx.rng
    chosen = []
    for zone in zones:
        pool = list(selectors.default_enterprises(access=None, zone_ids=[zone.pk],
                                                  day=day or starts_on))
        chosen += sorted(rng.sample(pool, min(per_zone, len(pool))), key=lambda e: e.pk)
    return services.campaign_create(
        actor=actor, zones=zones, enterprises=chosen or None,
        data={"name": name, "working_group": group, "plan": plan, "starts_on": starts_on,
              "ends_on": ends_on,
              "note": "Theo Quy chế phối hợp giữa Đảng ủy và Ban Quản lý các KCN."})


def _visits(ctx, campaign, actor, owners, today, *, share, register):
    rng = ctx.rng
    enterprises = list(campaign.enterprises.select_related("zone").order_by("pk"))
    visited = sorted(rng.sample(enterprises, round(len(enterprises) * share)),
                     key=lambda e: e.pk)
    last_day = min(today, campaign.ends_on)
    span = (last_day - campaign.starts_on).days
    people = iter(CANDIDATES if register else [])
    for enterprise in visited:
        day = campaign.starts_on + timedelta(days=rng.randint(0, span))
        if enterprise.established_on and enterprise.established_on > day:
            continue
        visit = services.visit_create(
            actor=actor, campaign=campaign, enterprise=enterprise,
            data=_findings(rng, enterprise, day),
            follow_ups=[(None, f) for f in _follow_ups(rng, [
                owner for owner in owners if access_for(owner).sees_zone(enterprise.zone_id)
            ] or owners, day)])
        for follow_up in visit.follow_ups.all():
            done = follow_up.due_on - timedelta(days=rng.randint(0, 20))
            if done <= today and done >= day and rng.random() < (0.5 if register else 0.9):
                services.follow_up_done(actor=actor, follow_up=follow_up, on=done)
        if visit.workers is not None and rng.random() < 0.4:
            services.visit_apply_workforce(actor=actor, visit=visit)
        if register and visit.classification == "A" and visit.outstanding_workers:
            person = next(people, None)
            if person is not None:
                _register(visit, actor, person)


def _findings(rng, enterprise: Enterprise, day: date) -> dict:
    latest = enterprise.workforce_records.filter(as_of__lte=day).order_by("-as_of").first()
    workers = round(latest.total_workers * rng.uniform(0.95, 1.08)) if latest else \
        rng.randint(40, 600)
    classification = rng.choices(["A", "B", "C"], [25, 45, 30])[0]
    active = set(enterprise.mass_organizations.filter(dissolved_on__isnull=True)
                 .values_list("kind", flat=True))
    present, absent = SurveyVisit.UnionStatus.PRESENT, SurveyVisit.UnionStatus.ABSENT
    trade_union = present if MassOrganization.Kind.TRADE_UNION in active or (
        rng.random() < 0.3) else absent
    youth_union = present if MassOrganization.Kind.YOUTH_UNION in active else rng.choice(
        [absent, absent, SurveyVisit.UnionStatus.UNKNOWN, present])
    members = {"A": rng.randint(2, 4), "B": rng.randint(1, 2), "C": rng.choice([0, 0, 1])}
    return {
        "visited_on": day,
        "participants": rng.choice(PARTICIPANTS),
        "workers": workers,
        "female_workers": round(workers * rng.uniform(0.3, 0.75)),
        "party_members_found": members[classification],
        "trade_union": trade_union,
        "trade_union_members": round(workers * rng.uniform(0.6, 0.95))
        if trade_union == present else None,
        "youth_union": youth_union,
        "youth_union_members": round(workers * rng.uniform(0.1, 0.35))
        if youth_union == present else None,
        "owner_attitude": rng.choices(
            ["supportive", "neutral", "reluctant"],
            {"A": [8, 2, 0], "B": [4, 5, 1], "C": [1, 4, 5]}[classification])[0],
        "outstanding_workers": {"A": rng.randint(1, 4), "B": rng.randint(0, 3),
                                "C": rng.choice([0, 0, 1])}[classification],
        "findings": rng.choice(FINDINGS[classification]),
        "classification": classification,
        "recommendations": RECOMMENDATIONS[classification],
    }


def _follow_ups(rng, owners, day: date) -> list[dict]:
    return [{"action": action, "owner": rng.choice(owners),
             "due_on": day + timedelta(days=rng.randint(20, 75))}
            for action in rng.sample(ACTIONS, rng.choice([0, 1, 1, 2]))]


def _register(visit, actor, person) -> None:
    family, middle, given, gender, born = person
    century = (0 if born.year < 2000 else 2) + (1 if gender == "female" else 0)
    services.visit_register_candidate(actor=actor, visit=visit, data={
        "family_name": family, "middle_name": middle, "given_name": given, "gender": gender,
        "date_of_birth": born, "citizen_id": f"037{century}{born.year % 100:02d}{visit.pk:06d}",
        "education_grade": 12, "proposing_body": "trade_union",
    })


registry.register_demo(seed)
