"""Indicators over party development: enterprises that qualify for a party
organization, members and candidates (DESIGN §5; see core.indicators).

Members are counted from their placements, never from the member's mirror
fields: on the rolls at the period's end where the placement of that day is
(official attendance only), and the admitted of the period where they were
placed at admission. The rows are placements, one per member and day (periods
of one member never overlap); the figure counts distinct members. Candidates
count through their workplace enterprise.

Each indicator is a condition on the rows of one model (its ``source``): the
member figures are counted together in one query over the placements, the
candidates' in one over the candidates, and the enterprises that qualify with
the registry's enterprises (their spans, :mod:`enterprises.spans`). The
admissions of a period are the rows of
:func:`coordination.selectors.admitted_within` (its condition,
``admitted_condition``), so the new members' list and the figure never
differ. The enterprises that qualify are
:func:`coordination.selectors.qualifying`'s rule written as a condition (see
:func:`enterprises_qualifying`); the tests pin it to that queryset.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core import indicators
from enterprises import spans
from enterprises.models import EnterpriseSpan

from . import quorum
from .models import AdmissionCandidate, Placement
from .selectors import (
    admitted_condition,
    official_on,
    on_rolls,
    open_candidates,
)

WORKPLACE_ZONE = "enterprise__zone"


def distinct_members(period, filter=None):
    """The figure of a member indicator: its placements' distinct members."""
    return Count("member", distinct=True, filter=filter)


@indicators.register(
    position=5, code="enterprises_qualifying", kind=indicators.STOCK, source=EnterpriseSpan,
    selective=True,
    label="Doanh nghiệp đủ điều kiện thành lập tổ chức đảng",
    description=_("Operating enterprises without a party organization where at least 3 "
                  "official party members are placed at the end of the period (official "
                  "attendance)."))
def enterprises_qualifying(period):
    # The rule of coordination.selectors.qualifying (the qualifying page's
    # rows): operating, without a party organization, with at least 3
    # official members placed there at the end. Counted from the registry's
    # spans of that day (enterprises.spans, with the other enterprises'
    # stocks); the last condition is read from the spans kept by
    # coordination.quorum (a lookup among a few thousand rows) instead of
    # counting the placements joined to their members at each date (about
    # 60 ms a date on the large demo data); the tests pin the figure to the
    # live count of that selector after each kind of change.
    day = period.end
    return spans.on(day) & Q(party_organization=False) & Q(
        enterprise_id__in=quorum.qualifying_ids(day))


@indicators.register(
    position=8, code="members", kind=indicators.STOCK,
    label="Tổng số đảng viên", zone=WORKPLACE_ZONE,
    source=Placement,
    description=_("Party members on the rolls at the end of the period (admitted on or before "
                  "it, not left by then), each counted where placed that day. Members "
                  "attending temporarily are not counted: another organization keeps their "
                  "official record."))
def members(period):
    return on_rolls(period.end)


@indicators.register(
    position=9, code="members_official", kind=indicators.STOCK,
    label="Đảng viên chính thức", zone=WORKPLACE_ZONE,
    source=Placement,
    description=_("Party members on the rolls at the end of the period whose official date is "
                  "on or before it."))
def members_official(period):
    return members(period) & official_on(period.end, "member__")


@indicators.register(
    position=10, code="members_probationary", kind=indicators.STOCK,
    label="Đảng viên dự bị", zone=WORKPLACE_ZONE,
    source=Placement,
    description=_("Party members on the rolls at the end of the period, not yet official "
                  "then."))
def members_probationary(period):
    return members(period) & ~official_on(period.end, "member__")


@indicators.register(
    position=11, code="members_owners", kind=indicators.STOCK,
    label="Đảng viên là chủ doanh nghiệp", zone=WORKPLACE_ZONE,
    source=Placement,
    description=_("Party members on the rolls at the end of the period who own their "
                  "enterprise."))
def members_owners(period):
    return members(period) & Q(member__is_enterprise_owner=True)


@indicators.register(
    position=12, code="members_new", kind=indicators.FLOW,
    label="Đảng viên kết nạp mới trong kỳ", zone=WORKPLACE_ZONE,
    source=Placement, total=distinct_members,
    description=_("Party members whose admission date is within the period, both ends "
                  "included, counted where they were placed at admission (a member admitted "
                  "elsewhere and transferred in is not counted)."))
def members_new(period):
    # admitted_within's rows, as a condition (a join to the member rather
    # than one subquery per period: a dashboard asks for 14 periods at once).
    return admitted_condition(period.start, period.end)


@indicators.register(
    position=13, code="candidates_open", kind=indicators.STOCK,
    label="Quần chúng ưu tú đang theo dõi", zone=WORKPLACE_ZONE,
    source=AdmissionCandidate,
    description=_("Outstanding workers identified on or before the end of the period, neither "
                  "admitted nor closed on or before it."))
def candidates_open(period):
    return open_candidates(period.end)


@indicators.register(
    position=14, code="candidates_course_completed", kind=indicators.FLOW,
    label="Quần chúng ưu tú hoàn thành lớp bồi dưỡng trong kỳ", zone=WORKPLACE_ZONE,
    source=AdmissionCandidate,
    description=_("Outstanding workers who completed the party awareness course within the "
                  "period."))
def candidates_course_completed(period):
    return Q(course_completed_on__range=(period.start, period.end))


# The regulation's working cycle (meetings, conclusions, replies), outside
# DESIGN §5's table.
from .cycle import indicators as cycle_indicators  # noqa: E402, F401
