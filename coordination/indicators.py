"""Indicators over party development: enterprises that qualify for a party
organization, members and candidates (DESIGN §5; see core.indicators).

Members are counted from their placements, never from the member's mirror
fields: on the rolls at the period's end where the placement of that day is
(official attendance only), and the admitted of the period where they were
placed at admission. The rows are placements, one per member and day (periods
of one member never overlap); the figure counts distinct members. Candidates
count through their workplace enterprise.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core import indicators

from .models import AdmissionCandidate
from .selectors import admitted_within, official_on, open_candidates, placed_at, qualifying

WORKPLACE_ZONE = "enterprise__zone"


def distinct_members(period):
    """The figure of a member indicator: its placements' distinct members."""
    return Count("member", distinct=True)


@indicators.register(
    position=5, code="enterprises_qualifying", kind=indicators.STOCK,
    label="Doanh nghiệp đủ điều kiện thành lập tổ chức đảng",
    description=_("Operating enterprises without a party organization where at least 3 "
                  "official party members are placed at the end of the period (official "
                  "attendance)."))
def enterprises_qualifying(period):
    return qualifying(period.end)


@indicators.register(
    position=8, code="members", kind=indicators.STOCK,
    label="Tổng số đảng viên", zone=WORKPLACE_ZONE,
    total=distinct_members,
    description=_("Party members on the rolls at the end of the period (admitted on or before "
                  "it, not left by then), each counted where placed that day. Members "
                  "attending temporarily are not counted: another organization keeps their "
                  "official record."))
def members(period):
    return placed_at(period.end)


@indicators.register(
    position=9, code="members_official", kind=indicators.STOCK,
    label="Đảng viên chính thức", zone=WORKPLACE_ZONE,
    total=distinct_members,
    description=_("Party members on the rolls at the end of the period whose official date is "
                  "on or before it."))
def members_official(period):
    return members(period).filter(official_on(period.end, "member__"))


@indicators.register(
    position=10, code="members_probationary", kind=indicators.STOCK,
    label="Đảng viên dự bị", zone=WORKPLACE_ZONE,
    total=distinct_members,
    description=_("Party members on the rolls at the end of the period, not yet official "
                  "then."))
def members_probationary(period):
    return members(period).exclude(official_on(period.end, "member__"))


@indicators.register(
    position=11, code="members_owners", kind=indicators.STOCK,
    label="Đảng viên là chủ doanh nghiệp", zone=WORKPLACE_ZONE,
    total=distinct_members,
    description=_("Party members on the rolls at the end of the period who own their "
                  "enterprise."))
def members_owners(period):
    return members(period).filter(member__is_enterprise_owner=True)


@indicators.register(
    position=12, code="members_new", kind=indicators.FLOW,
    label="Đảng viên kết nạp mới trong kỳ", zone=WORKPLACE_ZONE,
    total=distinct_members,
    description=_("Party members whose admission date is within the period, both ends "
                  "included, counted where they were placed at admission (a member admitted "
                  "elsewhere and transferred in is not counted)."))
def members_new(period):
    return admitted_within(period.start, period.end)


@indicators.register(
    position=13, code="candidates_open", kind=indicators.STOCK,
    label="Quần chúng ưu tú đang theo dõi", zone=WORKPLACE_ZONE,
    description=_("Outstanding workers identified on or before the end of the period, neither "
                  "admitted nor closed on or before it."))
def candidates_open(period):
    return AdmissionCandidate.objects.filter(open_candidates(period.end))


@indicators.register(
    position=14, code="candidates_course_completed", kind=indicators.FLOW,
    label="Quần chúng ưu tú hoàn thành lớp bồi dưỡng trong kỳ", zone=WORKPLACE_ZONE,
    description=_("Outstanding workers who completed the party awareness course within the "
                  "period."))
def candidates_course_completed(period):
    return AdmissionCandidate.objects.filter(
        course_completed_on__range=(period.start, period.end))
