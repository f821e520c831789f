"""Indicators over party development: enterprises that qualify for a party
organization, members and candidates (DESIGN §5; see core.indicators).

Members count toward a zone through their workplace enterprise (their
placement at the period's end); candidates through theirs.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import indicators

from .models import AdmissionCandidate, PartyMember
from .selectors import current_members, official_members, open_candidates, qualifying

WORKPLACE_ZONE = "enterprise__zone"


@indicators.register(
    position=5, code="enterprises_qualifying",
    label="Doanh nghiệp đủ điều kiện thành lập tổ chức đảng",
    description=_("Operating enterprises without a party organization where at least 3 "
                  "official party members work at the end of the period."))
def enterprises_qualifying(period):
    return qualifying(period.end)


@indicators.register(
    position=8, code="members", label="Tổng số đảng viên", zone=WORKPLACE_ZONE,
    description=_("Party members admitted on or before the end of the period who had not left "
                  "on or before it."))
def members(period):
    return PartyMember.objects.filter(current_members(period.end))


@indicators.register(
    position=9, code="members_official", label="Đảng viên chính thức", zone=WORKPLACE_ZONE,
    description=_("Party members whose official date is on or before the end of the period."))
def members_official(period):
    return PartyMember.objects.filter(official_members(period.end))


@indicators.register(
    position=10, code="members_probationary", label="Đảng viên dự bị", zone=WORKPLACE_ZONE,
    description=_("Party members not yet official at the end of the period."))
def members_probationary(period):
    return members(period).filter(Q(official_on__isnull=True) | Q(official_on__gt=period.end))


@indicators.register(
    position=11, code="members_owners", label="Đảng viên là chủ doanh nghiệp", zone=WORKPLACE_ZONE,
    description=_("Party members at the end of the period who own their enterprise."))
def members_owners(period):
    return members(period).filter(is_enterprise_owner=True)


@indicators.register(
    position=12, code="members_new", label="Đảng viên kết nạp mới trong kỳ", zone=WORKPLACE_ZONE,
    description=_("Party members whose admission date is within the period, both ends "
                  "included."))
def members_new(period):
    return PartyMember.objects.filter(admitted_on__range=(period.start, period.end))


@indicators.register(
    position=13, code="candidates_open", label="Quần chúng ưu tú đang theo dõi",
    zone=WORKPLACE_ZONE,
    description=_("Outstanding workers identified on or before the end of the period, neither "
                  "admitted nor closed on or before it."))
def candidates_open(period):
    return AdmissionCandidate.objects.filter(open_candidates(period.end))


@indicators.register(
    position=14, code="candidates_course_completed",
    label="Quần chúng ưu tú hoàn thành lớp bồi dưỡng trong kỳ", zone=WORKPLACE_ZONE,
    description=_("Outstanding workers who completed the party awareness course within the "
                  "period."))
def candidates_course_completed(period):
    return AdmissionCandidate.objects.filter(
        course_completed_on__range=(period.start, period.end))
