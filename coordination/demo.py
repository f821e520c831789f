"""Demo data of party development (seed_demo): members, candidates, recognitions.

Members work mostly in enterprises with a party organization; enterprises
without one have a few members attending their zone's joint cell (some now
qualify to set up their own) and most of the outstanding workers being
followed, at every stage of the procedure, some of them overdue.

Most members have one period where they work and attend, from their
admission; about one in six has a history: moves between enterprises (some
to another zone) or between the cells of one organization, transfers in from
outside the province (a few in temporary attendance, their official record
kept by their home organization), transfers out, leaving the rolls (deceased,
resigned, removed), and leaving then coming back (two separate periods). The
periods of a member never overlap and the member's mirror fields are the
latest period's, as the placement services would leave them.

Objects are validated with the models' own rules (``clean()``) and written
in batches with their history, so the large size (60,000 members) stays fast.

Then the coordination regulation at work: the steering committee (current and
past compositions), a working group, last year's plan (closed) and this year's
(approved), through the plan services; targets are set near the data's own
figures so their progress bars show a mix, and tasks of both sides are done,
in progress or overdue depending on today's date. Last, the working cycle
(:mod:`coordination.cycle.demo`): the regulation, a year of meetings whose
conclusions became tasks of this year's plan, and correspondence.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core import indicators, registry
from enterprises.models import Enterprise, PartyOrganization

from . import placements, quorum
from .calendar import add_months, add_working_days
from .cycle import demo as cycle_demo
from .dossier import demo as dossier_demo
from .founding import demo as founding_demo
from .models import (
    AdmissionCandidate,
    CoordinationPlan,
    PartyMember,
    Placement,
    PlanTask,
    Recognition,
    RecognitionVote,
)
from .plans import rules, selectors
from .plans import services as plans

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

Began, Ended, Attendance = Placement.Began, Placement.Ended, Placement.Attendance
# The histories of members (weights out of 1000); "plain" is one period from admission.
HISTORIES = [("plain", 832), ("moved", 75), ("transfer_in", 38), ("temporary", 7),
             ("transfer_out", 22), ("left", 14), ("returned", 12)]
# Where members transferred in come from, or go to (other provinces, 2025 units).
ELSEWHERE = ["Hà Nội", "Hải Phòng", "Bắc Ninh", "Hưng Yên", "Quảng Ninh", "Thanh Hóa",
             "Nghệ An", "Phú Thọ", "Thái Nguyên", "Lào Cai", "Hà Tĩnh", "TP. Hồ Chí Minh"]
HOME_UNITS = ["Đảng bộ xã {place}", "Chi bộ Công ty TNHH {company}",
              "Đảng bộ Công ty cổ phần {company}", "Chi bộ thôn {place}",
              "Đảng bộ phường {place}"]
PLACES = ["Tân Hòa", "Đông Phong", "Yên Trung", "Quang Minh", "Phú Lộc", "Hồng Thái",
          "An Khánh", "Thanh Xuân", "Bình Minh", "Đại Đồng"]
LEFT_REASONS = ["deceased", "resigned", "deceased", "removed", "resigned", "deceased", "other"]
# The words of an "other" reason (DESIGN §4: the user's own words), in turn.
OTHER_LEFT_WORDS = ["Định cư ở nước ngoài", "Đi lao động có thời hạn ở nước ngoài",
                    "Chuyển về sinh hoạt tại nơi cư trú do nghỉ hưu"]
COMPANIES = ["Minh Phát", "Hòa Bình", "Thành Công", "Sông Hồng", "Việt Tiến", "Đại Nam",
             "Phúc Thịnh", "An Phát"]


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

    places = _Places(with_org, orgs, cells)
    members, histories = _members(ctx, people, config["members"], with_org, without_org, orgs,
                                  cells, joint, today, places)
    _bulk(PartyMember, members)
    # bulk_create gave the members their ids; the periods pick them up.
    _bulk(Placement, [Placement(member=member, **period)
                      for member, periods in zip(members, histories, strict=True)
                      for period in periods])
    ctx.report("party members", PartyMember.objects.count())
    ctx.report("placements", Placement.objects.count())

    created = list(PartyMember.objects.filter(citizen_id__in=[m.citizen_id for m in members])
                   .only("pk", "admitted_on", "official_on", "left_on").order_by("pk"))
    _recognitions(rng, created, today)
    ctx.report("recognitions", Recognition.objects.count())

    sponsors = _Sponsors(rng, PartyMember.objects.filter(
        official_on__isnull=False, party_organization__isnull=False)
        .only("pk", "admitted_on", "official_on", "left_on", "party_organization_id")
        .prefetch_related("placements").order_by("pk"))
    _candidates(ctx, people, config["candidates"], with_org, without_org, orgs, joint, today,
                sponsors)
    ctx.report("admission candidates", AdmissionCandidate.objects.count())

    # The members and placements were written in bulk (no signals): their
    # enterprises' spans of three official members are written once here.
    ctx.report("spans with three official members", quorum.rebuild())
    ctx.report("founding cases", founding_demo.seed(ctx, today))
    ctx.report("dossier documents", dossier_demo.seed(ctx, today))

    _seed_plans(ctx, today)
    ctx.report("meetings of the regulation's working cycle", cycle_demo.seed(ctx, today))


def _members(ctx, people, total, with_org, without_org, orgs, cells, joint, today, places):
    """The members and, for each, its periods (the last where the member is now)."""
    rng = ctx.rng
    members, histories = [], []

    def add(enterprise, org):
        member, periods = _member(rng, people, enterprise, org, today, places)
        members.append(member)
        histories.append(periods)

    # Enterprises with their own organization hold ~85 % of the members.
    weights = [3 if orgs[e.pk].kind == "dang_bo_co_so" else 1 for e in with_org]
    for _i in range(int(total * 0.85)):
        enterprise = rng.choices(with_org, weights)[0]
        org = orgs[enterprise.pk]
        add(enterprise, rng.choice(cells.get(org.pk, [org])))
    # The others: a few members each, attending the zone's joint cell.
    remaining = total - len(members)
    while remaining > 0 and without_org:
        enterprise = rng.choice(without_org)
        for _i in range(min(remaining, rng.choice([1, 1, 2, 3, 4]))):
            add(enterprise, joint.get(enterprise.zone_id))
            remaining -= 1
    return members, histories


class _Places:
    """Other places a member may have worked and attended before."""

    def __init__(self, with_org, orgs, cells):
        self.orgs, self.cells = orgs, cells
        self.all = with_org
        self.by_zone = {}
        for enterprise in with_org:
            self.by_zone.setdefault(enterprise.zone_id, []).append(enterprise)
        # The organization (or cell) each cell belongs to, for moves between cells.
        self.siblings = {cell.pk: group for group in cells.values() if len(group) > 1
                         for cell in group}
        # Why members left the rolls, in turn (every reason shows, whatever the seed).
        self.left_reasons = itertools.cycle(LEFT_REASONS)
        self.other_words = itertools.cycle(OTHER_LEFT_WORDS)

    def other(self, rng, enterprise, org):
        """Another place: a sibling cell (same enterprise), an enterprise of the
        same zone, or one of another zone."""
        siblings = self.siblings.get(getattr(org, "pk", None))
        if siblings and rng.random() < 0.35:
            return enterprise, rng.choice([c for c in siblings if c.pk != org.pk])
        same_zone = self.by_zone.get(enterprise.zone_id, [])
        pool = same_zone if same_zone and rng.random() < 0.65 else self.all
        choice = rng.choice(pool)
        if choice.pk == enterprise.pk:
            choice = rng.choice(self.all)
        if choice.pk == enterprise.pk:
            return enterprise, org
        own = self.orgs[choice.pk]
        return choice, rng.choice(self.cells.get(own.pk, [own]))


def _member(rng, people, enterprise, org, today, places):
    person = people.person(born_from=1965, born_to=2003)
    earliest = max(date(person["date_of_birth"].year + 19, 1, 1), date(1995, 1, 1))
    span = max(1, (today - timedelta(days=20) - earliest).days)
    admitted = earliest + timedelta(days=rng.randint(0, span))
    ends = add_months(admitted, 12)
    official = ends if ends <= today - timedelta(days=rng.choice([0, 10, 40, 90])) else None
    kind = rng.choices([k for k, _w in HISTORIES], [w for _k, w in HISTORIES])[0]
    periods = _history(rng, kind, admitted, official, today, enterprise, org, places)
    last = periods[-1]
    gone = last["ended"] in (Ended.TRANSFER_OUT, Ended.LEFT)
    left_on = last["ends_on"] if gone else None
    member = PartyMember(
        **person, enterprise=last["enterprise"], party_organization=last["party_organization"],
        admitted_on=admitted,
        official_on=official if not left_on or (official and official <= left_on) else None,
        party_card_number=f"{rng.randint(10, 99)}.{rng.randint(100000, 999999)}"
        if official else "",
        is_enterprise_owner=rng.random() < 0.02, left_on=left_on,
        left_reason=last["leave_reason"] if gone else "", left_note=last["end_note"] if gone else "",
    )
    return member, periods


def _period(enterprise, org, starts_on, *, began=Began.ADMISSION, ends_on=None, ended="",
            reason="", attendance=Attendance.OFFICIAL, home="", destination="", note="",
            end_note=""):
    return {"enterprise": enterprise, "party_organization": org, "starts_on": starts_on,
            "ends_on": ends_on, "began": began, "ended": ended, "leave_reason": reason,
            "attendance": attendance, "home_organization": home, "destination": destination,
            "note": note, "end_note": end_note}


def _elsewhere(rng) -> str:
    unit = rng.choice(HOME_UNITS).format(place=rng.choice(PLACES), company=rng.choice(COMPANIES))
    return f"{unit}, {rng.choice(ELSEWHERE)}"


def _history(rng, kind, admitted, official, today, enterprise, org, places) -> list[dict]:
    """The member's periods, never overlapping, the last at ``enterprise``/``org``
    (where the member is now, or was last)."""
    days = (today - admitted).days
    if days < 400 or (kind == "returned" and (official is None or (today - official).days < 200)):
        kind = "plain"
    if kind == "plain":
        return [_period(enterprise, org, admitted)]
    if kind == "moved":
        moves = sorted(rng.sample(range(30, days - 1), rng.choice([1, 1, 1, 2])))
        stops = [(enterprise, org)]
        for _move in moves:
            stops.insert(0, places.other(rng, *stops[0]))
        starts = [admitted] + [admitted + timedelta(days=d) for d in moves]
        periods = []
        for index, ((ent, cell), start) in enumerate(zip(stops, starts, strict=True)):
            final = index == len(stops) - 1
            periods.append(_period(ent, cell, start, began=Began.MOVE if index else Began.ADMISSION,
                                   ends_on=None if final else starts[index + 1],
                                   ended="" if final else Ended.MOVE))
        return periods
    if kind in ("transfer_in", "temporary"):
        start = admitted + timedelta(days=rng.randint(60, days - 10))
        temporary = kind == "temporary"
        return [_period(enterprise, org, start, began=Began.TRANSFER_IN,
                        attendance=Attendance.TEMPORARY if temporary else Attendance.OFFICIAL,
                        home=_elsewhere(rng),
                        note="Sinh hoạt tạm thời" if temporary else "")]
    if kind == "transfer_out":
        end = admitted + timedelta(days=rng.randint(90, days - 1))
        reason = rng.choice(["transferred", "transferred", "changed_job"])
        return [_period(enterprise, org, admitted, ends_on=end, ended=Ended.TRANSFER_OUT,
                        reason=reason,
                        destination=_elsewhere(rng) if reason == "transferred" else "")]
    if kind == "left":
        end = admitted + timedelta(days=rng.randint(90, days - 1))
        reason = next(places.left_reasons)
        return [_period(enterprise, org, admitted, ends_on=end, ended=Ended.LEFT,
                        reason=reason,
                        end_note=next(places.other_words) if reason == "other" else "")]
    # Left (a job outside the zones) after the official date, then came back.
    left = official + timedelta(days=rng.randint(30, (today - official).days - 150))
    back = left + timedelta(days=rng.randint(30, min(700, (today - left).days - 1)))
    before = places.other(rng, enterprise, org) if rng.random() < 0.6 else (enterprise, org)
    return [_period(*before, admitted, ends_on=left, ended=Ended.TRANSFER_OUT,
                    reason="changed_job"),
            _period(enterprise, org, back, began=Began.TRANSFER_IN,
                    home=_elsewhere(rng) if rng.random() < 0.5 else "")]


_DECIDING_BODY = "Ban Thường vụ Đảng ủy Khối"


def _recognitions(rng, members, today) -> None:
    """A recognition for every official member: with the cell's vote and the
    decision for the last three years, from old records (no details) before.
    A few probationary members whose months have ended show the other states:
    a vote short of two thirds, a vote passed awaiting the decision, and three
    failed votes (the upper committee decides)."""
    recognitions, votes = [], []
    for member in members:
        if not member.official_on:
            continue
        if member.admitted_on >= date(today.year - 3, 1, 1):
            resolution = add_working_days(member.official_on, rng.randint(3, 25))
            if resolution > today:
                resolution = member.official_on
            official = rng.randint(5, 25)
            votes.append(RecognitionVote(member=member, held_on=resolution,
                                         votes_for=official - rng.randint(0, official // 3),
                                         official_members=official))
            recognitions.append(Recognition(
                member=member, cell_resolution_on=resolution, deciding_body=_DECIDING_BODY,
                decision_number=f"{rng.randint(10, 999)}-QĐ/ĐUK",
                decision_on=min(today, add_working_days(resolution, rng.randint(2, 20)))))
        else:
            recognitions.append(Recognition(member=member))
    waiting = [m for m in members if not m.official_on and not m.left_on
               and add_months(m.admitted_on, 12) <= today - timedelta(days=30)]
    for index, member in enumerate(waiting[:6]):
        ends = add_months(member.admitted_on, 12)
        first = add_working_days(ends, 3)
        if index % 3 == 0:    # one vote short of two thirds
            votes.append(RecognitionVote(member=member, held_on=first, votes_for=5,
                                         official_members=9))
        elif index % 3 == 1:  # passed, the decision awaited
            votes.append(RecognitionVote(member=member, held_on=first, votes_for=7,
                                         official_members=9))
        else:                 # three attempts without two thirds
            for attempt in range(3):
                votes.append(RecognitionVote(member=member,
                                             held_on=first + timedelta(days=7 * attempt),
                                             votes_for=4 + attempt, official_members=10))
    for vote in votes:
        vote.clean_fields()
    bulk_create_with_history(votes, RecognitionVote, batch_size=BATCH)
    bulk_create_with_history(recognitions, Recognition, batch_size=BATCH)


class _Sponsors:
    """Official members of each party organization, to sponsor candidates."""

    def __init__(self, rng, members):
        self.rng = rng
        self.by_org = {}
        for member in members:
            self.by_org.setdefault(member.party_organization_id, []).append(member)

    def pick(self, org, day) -> dict:
        """Two official members of ``org`` on ``day``; or a union committee and
        one; nothing when the organization has none (recorded without sponsors)."""
        if org is None:
            return {}
        pool = self.by_org.get(org.pk, [])
        start = self.rng.randrange(len(pool)) if pool else 0
        found = []
        for member in pool[start:] + pool[:start]:
            if member.status_on(day) == PartyMember.Status.OFFICIAL:
                found.append(member)
                if len(found) == 2:
                    break
        if len(found) == 2 and self.rng.random() < 0.6:
            return {"sponsor_kind": AdmissionCandidate.SponsorKind.MEMBERS,
                    "sponsor_1": found[0], "sponsor_2": found[1]}
        if found:
            return {"sponsor_kind": self.rng.choice([AdmissionCandidate.SponsorKind.YOUTH_UNION,
                                                     AdmissionCandidate.SponsorKind.TRADE_UNION]),
                    "sponsor_1": found[0]}
        return {}


# How far candidates have gone: every stage represented, most in the early ones.
_REACHED = {
    "identified": 18, "course": 16, "application": 12, "sponsorship": 10, "verification": 9,
    "assessment": 8, "cell_resolution": 8, "committee_resolution": 6, "decision": 6,
    "ceremony": 7,
}


def _candidates(ctx, people, total, with_org, without_org, orgs, joint, today, sponsors):
    rng = ctx.rng
    admitted_members, candidates = [], []
    for _i in range(total):
        in_without = without_org and (rng.random() < 0.75 or not with_org)
        enterprise = rng.choice(without_org if in_without else with_org)
        org = orgs.get(enterprise.pk) or joint.get(enterprise.zone_id)
        person = people.person(born_from=1972, born_to=2006)
        # Step 9 only where the responsible organization is a đảng bộ cơ sở.
        steps = AdmissionCandidate(responsible_organization=org).steps()
        reached = rng.choices(range(len(steps)), [_REACHED[stage] for stage, _f in steps])[0]
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
            if stage == AdmissionCandidate.Stage.SPONSORSHIP:
                data.update(sponsors.pick(org, day))
            if stage == AdmissionCandidate.Stage.COURSE:
                data["certificate_number"] = f"CN-{day.year}-{rng.randint(1, 999):03d}"
            elif stage == AdmissionCandidate.Stage.CELL_RESOLUTION:
                official = rng.randint(3, 25)
                data.update(votes_for=max(2, -(-official * 2 // 3) + rng.randint(0, 2)),
                            cell_official_members=official)
                data["votes_for"] = min(data["votes_for"], official)
            elif stage == AdmissionCandidate.Stage.DECISION:
                data["decision_number"] = f"{rng.randint(10, 999)}-QĐ/ĐUK"
                data["decision_body"] = _DECIDING_BODY
                data["decision_received_on"] = min(today, day + timedelta(days=rng.randint(0, 4)))
        if data.get("cell_resolution_on") and rng.random() < 0.05:
            # From old records: the steps between application and the cell's
            # vote are known to have happened, their dates are not.
            for field in ("sponsorship_on", "verification_on", "assessment_on"):
                data.pop(field, None)
            data.update(undated_steps=["sponsorship_on", "verification_on", "assessment_on"],
                        sponsor_kind="", sponsor_1=None, sponsor_2=None)
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
                party_organization=org, admitted_on=candidate.ceremony_on,
                decision_on=candidate.decision_on, decision_number=candidate.decision_number,
                probation_helper=candidate.helper_member)
            admitted_members.append(member)
            candidate.member = member
        candidates.append(candidate)
    _bulk(PartyMember, admitted_members)
    _bulk(Placement, [placements.initial_placement(m) for m in admitted_members])
    # bulk_create gave the members their ids; the candidates' links pick them up.
    _bulk(AdmissionCandidate, candidates)


# --- The coordination regulation at work: committees and annual plans ---------------------

_PC = settings.PARTY_COMMITTEE_NAME
_IZ = settings.IZ_BOARD_NAME
_UNION = "Công đoàn các khu công nghiệp tỉnh"
_BODIES = {_PC: "party_committee", _IZ: "iz_board"}
_YOUTH = "Đoàn Thanh niên Khối các cơ quan và doanh nghiệp tỉnh"
_STEERING = ("Ban Chỉ đạo thực hiện Quy chế phối hợp phát triển đảng viên, tổ chức cơ sở đảng "
             "trong doanh nghiệp các khu công nghiệp")
_WORKING = "Đoàn công tác khảo sát, phát triển đảng viên trong doanh nghiệp các khu công nghiệp"

# (full name, title, organization, position) of each composition.
_STEERING_PAST = [
    ("Đinh Quang Vinh", "Phó Bí thư Thường trực", _PC, "head"),
    ("Lương Văn Thịnh", "Phó Trưởng ban", _IZ, "deputy"),
    ("Hoàng Thị Thu Hằng", "Trưởng Ban Tổ chức", _PC, "standing"),
    ("Đỗ Văn Thắng", "Chủ tịch", _UNION, "member"),
    ("Mai Thị Hoa", "Bí thư", _YOUTH, "member"),
]
_STEERING_NOW = [
    ("Trần Văn Quang", "Phó Bí thư", _PC, "head"),
    ("Vũ Đình Khánh", "Phó Trưởng ban", _IZ, "deputy"),
    ("Hoàng Thị Thu Hằng", "Trưởng Ban Tổ chức", _PC, "standing"),
    ("Đỗ Văn Thắng", "Chủ tịch", _UNION, "member"),
    ("Bùi Thị Ngọc Lan", "Bí thư", _YOUTH, "member"),
    ("Nguyễn Thị Hồng Nhung", "Chuyên viên Ban Tổ chức", _PC, "member"),
]
_WORKING_NOW = [
    ("Hoàng Thị Thu Hằng", "Trưởng Ban Tổ chức", _PC, "head"),
    ("Phạm Minh Đức", "Chuyên viên Phòng Quản lý doanh nghiệp", _IZ, "deputy"),
    ("Nguyễn Thị Hồng Nhung", "Chuyên viên Ban Tổ chức", _PC, "member"),
    ("Lê Thu Hà", "Chuyên viên Phòng Quản lý doanh nghiệp", _IZ, "member"),
    ("Ngô Văn Hải", "Phó Chủ tịch", _UNION, "member"),
]

# Targets of this year's plan: (indicator, zone index or None, factor, note).
# The factor scales the year's pace of a flow indicator (counted within the
# period) or the figure so far of a stock (a total at a date): below 1 the
# target is reached or on track, above 1 it is ahead of the data.
_TARGETS = [
    ("members_new", None, 1.15, "Kết nạp đảng viên mới trong công nhân lao động"),
    ("candidates_course_completed", None, 0.9, ""),
    ("party_orgs_new", None, 1.4, "Thành lập mới tổ chức đảng trong doanh nghiệp"),
    ("enterprises_with_party_org", None, 1.06, ""),
    ("members", None, 1.03, ""),
    ("enterprises_with_union", None, 0.97, ""),
    ("enterprises_with_youth_union", 0, 1.25, ""),
    ("members_new", 1, 0.9, ""),
    ("candidates_open", 2, 1.1, "Tạo nguồn quần chúng ưu tú"),
]
_LAST_YEAR_TARGETS = [
    ("members_new", None, 0.95), ("party_orgs_new", None, 1.0),
    ("candidates_course_completed", None, 1.1), ("enterprises_with_union", None, 0.98),
]

# Tasks: (content, lead side, coordinating units, owner, month, day, fate once due,
# fate before due). Fates: done, late (still open past its date), in_progress,
# not_started, cancelled.
_TASKS = [
    ("Rà soát, cập nhật danh sách doanh nghiệp chưa có tổ chức đảng, doanh nghiệp đủ điều "
     "kiện thành lập tổ chức đảng trong các khu công nghiệp", "both",
     "Công đoàn các KCN", "canbo.bql", 3, 31, "done", "in_progress"),
    ("Mở lớp bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú trong doanh nghiệp các KCN",
     "party_committee", "Trung tâm Chính trị tỉnh", "canbo.dang", 4, 30, "done", "not_started"),
    ("Cung cấp thông tin doanh nghiệp mới đầu tư vào các KCN cho Đảng ủy hằng quý",
     "iz_board", "", "canbo.bql", 4, 15, "done", "in_progress"),
    ("Khảo sát, nắm tình hình công nhân, tổ chức công đoàn, đoàn thanh niên tại các doanh "
     "nghiệp FDI", "iz_board", "Đoàn công tác; Công đoàn các KCN", "canbo.bql", 6, 30,
     "late", "in_progress"),
    ("Làm việc với chủ doanh nghiệp về thành lập tổ chức đảng tại doanh nghiệp đủ điều kiện",
     "both", "Ban Tổ chức Đảng ủy; Phòng Quản lý doanh nghiệp", "canbo.dang", 7, 31, "late",
     "not_started"),
    ("Sơ kết 6 tháng thực hiện Kế hoạch phối hợp", "both", "", "canbo.dang", 7, 15, "done",
     "not_started"),
    ("Hướng dẫn thủ tục kết nạp đảng viên cho chi bộ ghép các doanh nghiệp",
     "party_committee", "Các chi bộ ghép", "canbo.dang", 8, 31, "done", "in_progress"),
    ("Phối hợp tổ chức đối thoại với chủ doanh nghiệp về công tác xây dựng Đảng",
     "both", "Hiệp hội doanh nghiệp tỉnh", "canbo.bql", 9, 30, "cancelled", "not_started"),
    ("Đề xuất cơ chế tạo điều kiện cho tổ chức đảng hoạt động trong doanh nghiệp FDI",
     "iz_board", "Sở Nội vụ", "canbo.bql", 10, 31, "late", "not_started"),
    ("Thành lập chi bộ cơ sở tại doanh nghiệp đã có đủ ba đảng viên chính thức",
     "party_committee", "Ban Quản lý các KCN", "canbo.dang", 11, 30, "done", "in_progress"),
    ("Biểu dương công nhân tiêu biểu, quần chúng ưu tú được kết nạp trong năm",
     "party_committee", _UNION, "canbo.dang", 12, 15, "done", "not_started"),
    ("Tổng kết năm thực hiện Kế hoạch phối hợp, xây dựng kế hoạch năm sau", "both", "",
     "canbo.dang", 12, 31, "done", "not_started"),
]
_RESULTS = {
    "done": "Đã hoàn thành; báo cáo kết quả gửi Ban Chỉ đạo.",
    "cancelled": "Lùi sang năm sau theo chỉ đạo của Ban Chỉ đạo.",
    "in_progress": "Đang triển khai.",
    "late": "Đang triển khai, chậm so với kế hoạch.",
}


def _seed_plans(ctx, today: date) -> None:
    """Committees (the steering committee's current and past compositions, a
    working group), last year's plan (closed) and this year's (approved), with
    targets near the data's figures and tasks of both sides."""
    accounts = {u.username: u for u in User.objects.filter(
        username__in=["canbo.dang", "lanhdao.dang", "canbo.bql"])}
    if len(accounts) < 3:
        return
    year = today.year
    _composition(plans, "steering", _STEERING, "86-QĐ/ĐUK", date(year - 5, 3, 16),
                 date(year - 1, 10, 14), _STEERING_PAST)
    _composition(plans, "steering", _STEERING, "215-QĐ/ĐUK", date(year - 1, 10, 15),
                 date(year + 4, 10, 14), _STEERING_NOW)
    _composition(plans, "working_group", _WORKING, "03-QĐ/BCĐ", date(year - 1, 11, 5),
                 date(year + 4, 10, 14), _WORKING_NOW)
    ctx.report("committees", 3)

    leader = accounts["lanhdao.dang"]
    last = _plan(plans, year - 1, "03-KH/ĐUK-BQL", today)
    for code, zone, factor in _LAST_YEAR_TARGETS:
        actual = selectors.target_actual(_probe(code, zone, ctx), year=year - 1, today=today) or 0
        plans.target_create(plan=last, data={"indicator": code, "zone": None, "note": "",
                                             "target_value": max(1, round(actual * factor))})
    _tasks(plans, last, accounts)
    _approve(plans, last, leader)
    for task in last.tasks.all():
        _progress(plans, task, today, due_passed=True)
    plans.plan_close(actor=leader, plan=last)
    CoordinationPlan.objects.filter(pk=last.pk).update(
        closed_at=min(timezone.now(), _at(date(year, 1, 8), 15)))

    current = _plan(plans, year, "05-KH/ĐUK-BQL", today)
    fraction = max(float(rules.elapsed_fraction(year, today)), 1 / 12)
    for code, zone, factor, note in _TARGETS:
        actual = selectors.target_actual(_probe(code, zone, ctx), year=year, today=today) or 0
        # A flow's figure so far, run to the year's end; a stock's as it stands.
        base = actual if indicators.get(code).is_stock else actual / fraction
        plans.target_create(plan=current, data={
            "indicator": code, "zone": ctx.zones[zone] if zone is not None else None,
            "target_value": max(1, round(base * factor)), "note": note})
    _tasks(plans, current, accounts)
    _approve(plans, current, leader)
    for task in current.tasks.all():
        _progress(plans, task, today, due_passed=task.due_on < today)
    ctx.report("coordination plans", CoordinationPlan.objects.count())
    ctx.report("plan tasks", PlanTask.objects.count())


def _composition(plans, kind, name, number, start, end, members) -> None:
    plans.committee_create(
        data={"kind": kind, "name": name, "decision_number": number, "decided_on": start,
              "term_start": start, "term_end": end, "duties": ""},
        members=[{"full_name": n, "title": t, "organization": o, "position": p,
                  "body": _BODIES.get(o, "other")} for n, t, o, p in members])


def _plan(plans, year: int, number: str, today: date) -> CoordinationPlan:
    signed = min(date(year, 1, 15), today)
    return plans.plan_create(data={
        "year": year, "document_number": number, "signed_on": signed,
        "title": f"Kế hoạch phối hợp phát triển đảng viên, tổ chức cơ sở đảng trong doanh "
                 f"nghiệp các khu công nghiệp năm {year}",
        "summary": "Nâng cao hiệu quả phối hợp giữa Đảng ủy và Ban Quản lý các khu công "
                   "nghiệp trong tạo nguồn, kết nạp đảng viên và thành lập tổ chức đảng "
                   "trong doanh nghiệp; mỗi nhiệm vụ có đơn vị chủ trì, người phụ trách và "
                   "thời hạn hoàn thành."})


def _probe(code: str, zone: int | None, ctx):
    """An unsaved target, to measure the figure a target will be set against."""
    from .models import PlanTarget

    return PlanTarget(indicator=code, zone=ctx.zones[zone] if zone is not None else None)


def _tasks(plans, plan, accounts) -> None:
    for content, side, units, owner, month, day, _done, _open in _TASKS:
        plans.task_create(plan=plan, data={
            "content": content, "lead_side": side, "coordinating_units": units,
            "owner": accounts[owner], "due_on": date(plan.year, month, day)})


def _at(day: date, hour: int):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _approve(plans, plan, leader) -> None:
    plans.plan_approve(actor=leader, plan=plan)
    CoordinationPlan.objects.filter(pk=plan.pk).update(
        approved_at=min(timezone.now(), _at(plan.signed_on, 9)))


def _progress(plans, task, today: date, *, due_passed: bool) -> None:
    fates = {content: (done, open_) for content, *_rest, done, open_ in _TASKS}
    fate = fates[task.content][0 if due_passed else 1]
    if task.plan.year < today.year and fate == "late":
        fate = "in_progress"  # left open when the year's plan closed
    if fate == "not_started":
        return
    if fate == "done":
        completed = min(today, task.due_on - timedelta(days=3 + task.order % 9))
        plans.task_progress_update(actor=None, task=task, status="done",
                                   completed_on=completed, result=_RESULTS["done"])
    elif fate == "cancelled":
        # Called off a month before it was due (or today, if that is earlier).
        plans.task_progress_update(actor=None, task=task, status="cancelled",
                                   cancelled_on=min(today, task.due_on - timedelta(days=30)),
                                   result=_RESULTS[fate])
    else:
        status = "in_progress" if fate == "late" else fate
        plans.task_progress_update(actor=None, task=task, status=status,
                                   result=_RESULTS[fate])


registry.register_demo(seed)
