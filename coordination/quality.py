"""Party development checks of the data review (core.quality).

IZ Board accounts see these counts (party data as counts only); the lists
behind them need Perm.VIEW_PERSONAL_DATA. The member checks look at each
member's current placement (the open period), the one the member lists show.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm
from core import quality
from core.quality import Check
from enterprises.models import Enterprise

from .founding import checks as founding_checks
from .models import AdmissionCandidate, PartyMember, Placement

DISSOLVED = Q(enterprise__status=Enterprise.Status.DISSOLVED)


def _placed_now(condition: Q) -> Q:
    """Members whose current placement (the open period) meets ``condition``."""
    return Q(pk__in=Placement.objects.filter(condition, ends_on__isnull=True)
             .values("member_id"))


def _members(access):
    return access.scope_zones(PartyMember.objects.all(), "enterprise__zone")


def _candidates(access):
    return access.scope_zones(AdmissionCandidate.objects.all(), "enterprise__zone")


CHECKS = [
    Check(
        code="members_at_dissolved",
        label=_("Party members still recorded at a dissolved enterprise"),
        hint=_("Record the enterprise where each works now, or their leaving."),
        list_name="coordination:member_list",
        scope=_members,
        condition=lambda today: _placed_now(DISSOLVED),
        list_perm=Perm.VIEW_PERSONAL_DATA,
    ),
    Check(
        code="members_without_org",
        label=_("Party members without the party organization they attend"),
        hint=_("Record the cell each attends (it may be a joint cell of several enterprises)."),
        list_name="coordination:member_list",
        scope=_members,
        condition=lambda today: _placed_now(Q(party_organization__isnull=True)),
        list_perm=Perm.VIEW_PERSONAL_DATA,
    ),
    Check(
        code="candidates_at_dissolved",
        label=_("Open admission cases at a dissolved enterprise"),
        hint=_("Record the worker's new enterprise, or close the case."),
        list_name="coordination:candidate_list",
        scope=_candidates,
        condition=lambda today: DISSOLVED & Q(closed_on__isnull=True, ceremony_on__isnull=True),
        list_perm=Perm.VIEW_PERSONAL_DATA,
    ),
]

quality.register(*CHECKS, *founding_checks.CHECKS)
