"""Demo data of party development (seed_demo): members, candidates, recognitions.

Members work mostly in enterprises with a party organization; enterprises
without one have a few members attending their zone's joint cell (some now
qualify to set up their own) and most of the outstanding workers being
followed, at every stage of the procedure, some of them overdue.

Objects are validated with the models' own rules (``clean()``) and written
in batches with their history, so the large size (60,000 members) stays fast.
"""

from __future__ import annotations

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from enterprises.models import Enterprise, PartyOrganization

from .calendar import add_months, add_working_days
from .models import AdmissionCandidate, PartyMember, Recognition

SIZES = {"small": {"members": 1100, "candidates": 180},
         "large": {"members": 60000, "candidates": 15000}}

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
          ("Phan", 4), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 2),
          ("Lý", 1), ("Đinh", 1), ("Mai", 1), ("Trịnh", 1), ("Đào", 1)]
MIDDLE = {"male": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Đình"],
          "female": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Thị Thu", "Hồng"]}
GIVEN = {"male": ["Hùng", "Dũng", "Tuấn", "Nam", "Long", "Đức", "Hải", "Sơn", "Phong", "Quân",
                  "Huy", "Khánh", "Bảo", "Trung", "Thắng", "An", "Bình", "Cường", "Đạt", "Tùng"],
         "female": ["Lan", "Hương", "Mai", "Hoa", "Linh", "Trang", "Thảo", "Hà", "Ngọc", "Yến",
                    "Nhung", "Hạnh", "Thủy", "Dung", "Vân", "Anh", "Huyền", "Giang", "Oanh"]}
BATCH = 2000


class _People:
    """Deterministic Vietnamese people with unique citizen IDs."""

    def __init__(self, rng):
        self.rng, self.sequence = rng, 0
        self.families = [f for f, _w in FAMILY]
        self.weights = [w for _f, w in FAMILY]

    def person(self, *, born_from: int, born_to: int) -> dict:
        rng = self.rng
        gender = "female" if rng.random() < 0.55 else "male"
        born = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        self.sequence += 1
        century = (0 if born.year < 2000 else 2) + (1 if gender == "female" else 0)
        return {
            "family_name": rng.choices(self.families, self.weights)[0],
            "middle_name": rng.choice(MIDDLE[gender]),
            "given_name": rng.choice(GIVEN[gender]),
            "gender": gender,
            "date_of_birth": born,
            "citizen_id": f"036{century}{born.year % 100:02d}{self.sequence:06d}",
        }


def _bulk(model, objects):
    for obj in objects:
        obj.clean()  # the model's rules; computes sort keys and the stage
    bulk_create_with_history(objects, model, batch_size=BATCH)


def seed(ctx) -> None:
    rng = ctx.rng
    today = ctx.extra.setdefault("today", date.today())
    people = _People(rng)
    config = SIZES[ctx.size]
    enterprises = list(Enterprise.objects.exclude(status=Enterprise.Status.DISSOLVED)
                       .select_related("zone").order_by("pk"))
    orgs = {o.enterprise_id: o for o in PartyOrganization.objects.filter(
        enterprise__isnull=False, parent__isnull=True).order_by("pk")}
    cells = {}
    for cell in PartyOrganization.objects.filter(parent__isnull=False).order_by("pk"):
        cells.setdefault(cell.parent_id, []).append(cell)
    joint = {o.zone_id: o for o in PartyOrganization.objects.filter(enterprise__isnull=True)}
    with_org = [e for e in enterprises if e.pk in orgs]
    without_org = [e for e in enterprises if e.pk not in orgs]

    members = _members(ctx, people, config["members"], with_org, without_org, orgs, cells, joint,
                       today)
    _bulk(PartyMember, members)
    ctx.report("party members", PartyMember.objects.count())

    created = list(PartyMember.objects.filter(citizen_id__in=[m.citizen_id for m in members])
                   .only("pk", "admitted_on", "official_on"))
    recognitions = []
    for member in created:
        if member.official_on and member.admitted_on >= date(today.year - 3, 1, 1):
            resolution = add_working_days(member.official_on, rng.randint(3, 25))
            recognitions.append(Recognition(
                member=member, cell_resolution_on=resolution,
                decision_number=f"{rng.randint(10, 999)}-QĐ/ĐUK",
                decision_on=add_working_days(resolution, rng.randint(2, 20))))
    bulk_create_with_history(recognitions, Recognition, batch_size=BATCH)
    ctx.report("recognitions", len(recognitions))

    _candidates(ctx, people, config["candidates"], with_org, without_org, orgs, joint, today)
    ctx.report("admission candidates", AdmissionCandidate.objects.count())


def _members(ctx, people, total, with_org, without_org, orgs, cells, joint, today):
    rng = ctx.rng
    members = []
    # Enterprises with their own organization hold ~85 % of the members.
    weights = [3 if orgs[e.pk].kind == "dang_bo_co_so" else 1 for e in with_org]
    for _i in range(int(total * 0.85)):
        enterprise = rng.choices(with_org, weights)[0]
        org = orgs[enterprise.pk]
        org = rng.choice(cells.get(org.pk, [org]))
        members.append(_member(rng, people, enterprise, org, today))
    # The others: a few members each, attending the zone's joint cell.
    remaining = total - len(members)
    while remaining > 0 and without_org:
        enterprise = rng.choice(without_org)
        for _i in range(min(remaining, rng.choice([1, 1, 2, 3, 4]))):
            members.append(_member(rng, people, enterprise, joint.get(enterprise.zone_id), today))
            remaining -= 1
    return members


def _member(rng, people, enterprise, org, today) -> PartyMember:
    person = people.person(born_from=1965, born_to=2003)
    earliest = max(date(person["date_of_birth"].year + 19, 1, 1), date(1995, 1, 1))
    span = max(1, (today - timedelta(days=20) - earliest).days)
    admitted = earliest + timedelta(days=rng.randint(0, span))
    ends = add_months(admitted, 12)
    official = ends if ends <= today - timedelta(days=rng.choice([0, 10, 40, 90])) else None
    left_on = reason = None
    if rng.random() < 0.04 and (today - admitted).days > 60:
        left_on = admitted + timedelta(days=rng.randint(30, (today - admitted).days))
        reason = rng.choice(["transferred", "changed_job", "changed_job", "deceased", "other"])
    return PartyMember(
        **person, enterprise=enterprise, party_organization=org, admitted_on=admitted,
        official_on=official if not left_on or (official and official <= left_on) else None,
        party_card_number=f"{rng.randint(10, 99)}.{rng.randint(100000, 999999)}"
        if official else "",
        is_enterprise_owner=rng.random() < 0.02, left_on=left_on, left_reason=reason or "",
    )


def _candidates(ctx, people, total, with_org, without_org, orgs, joint, today):
    rng = ctx.rng
    steps = AdmissionCandidate.STEPS
    admitted_members, candidates = [], []
    for _i in range(total):
        in_without = without_org and (rng.random() < 0.75 or not with_org)
        enterprise = rng.choice(without_org if in_without else with_org)
        org = orgs.get(enterprise.pk) or joint.get(enterprise.zone_id)
        person = people.person(born_from=1972, born_to=2006)
        # How far along: every stage represented, most in the early ones.
        reached = rng.choices(range(len(steps)), [18, 16, 12, 10, 9, 8, 8, 6, 6, 7])[0]
        # Late stages are mostly recent, so only some of them are overdue.
        spread = 400 if reached < 6 else 90
        start = today - timedelta(days=rng.randint(25 * (reached + 1), 25 * (reached + 1) + spread))
        start = max(start, date(person["date_of_birth"].year + 18, 6, 1))
        data = {"identified_on": start}
        day = start
        for index in range(1, reached + 1):
            stage, field = steps[index]
            if stage == AdmissionCandidate.Stage.DECISION:
                day = add_working_days(day, rng.choice([20, 45, 70]))
            else:
                day = day + timedelta(days=rng.randint(10, 45))
            if day > today:
                break
            data[field] = day
            if stage == AdmissionCandidate.Stage.COURSE:
                data["certificate_number"] = f"CN-{day.year}-{rng.randint(1, 999):03d}"
            elif stage == AdmissionCandidate.Stage.CELL_RESOLUTION:
                official = rng.randint(3, 25)
                data.update(votes_for=max(2, -(-official * 2 // 3) + rng.randint(0, 2)),
                            cell_official_members=official)
                data["votes_for"] = min(data["votes_for"], official)
            elif stage == AdmissionCandidate.Stage.DECISION:
                data["decision_number"] = f"{rng.randint(10, 999)}-QĐ/ĐUK"
        candidate = AdmissionCandidate(
            **person, enterprise=enterprise, responsible_organization=org,
            education_grade=rng.choice([9, 9, 12, 12, 12, 12]),
            proposing_body=rng.choice(["youth_union", "trade_union", "party_cell"]), **data)
        if candidate.cell_resolution_on and candidate.age_in_months(
                candidate.cell_resolution_on) > AdmissionCandidate.MAX_AGE_MONTHS:
            candidate.age_override_reference = "Quyết định của Ban Thường vụ Tỉnh ủy"
        if not candidate.cell_resolution_on and rng.random() < 0.06:
            candidate.closed_on = min(today, start + timedelta(days=rng.randint(20, 200)))
            candidate.closed_reason = rng.choice(["left_enterprise", "withdrew", "not_eligible"])
        if candidate.ceremony_on:
            member = PartyMember(
                family_name=candidate.family_name, middle_name=candidate.middle_name,
                given_name=candidate.given_name, date_of_birth=candidate.date_of_birth,
                gender=candidate.gender, citizen_id=candidate.citizen_id, enterprise=enterprise,
                party_organization=org, admitted_on=candidate.ceremony_on)
            admitted_members.append(member)
            candidate.member = member
        candidates.append(candidate)
    _bulk(PartyMember, admitted_members)
    # bulk_create gave the members their ids; the candidates' links pick them up.
    _bulk(AdmissionCandidate, candidates)
