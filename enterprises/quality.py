"""Registry checks of the data review (core.quality)."""

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core import quality
from core.quality import Check

from .models import Enterprise, WorkforceRecord
from .selectors import _active_on, party_organization_queryset

# A workforce figure older than this is stale: enterprises report at least yearly.
STALE_MONTHS = 12

OPERATING = Q(status=Enterprise.Status.OPERATING)


def _enterprises(access):
    return access.scope_zones(Enterprise.objects.all(), "zone")


def _records():
    return WorkforceRecord.objects.filter(enterprise=OuterRef("pk"))


CHECKS = [
    Check(
        code="no_workforce",
        label=_("Operating enterprises without any workforce figure"),
        hint=_("Record the number of workers, from the enterprise's report or a survey visit."),
        list_name="enterprises:enterprise_list",
        scope=_enterprises,
        condition=lambda today: OPERATING & ~Exists(_records()),
    ),
    Check(
        code="stale_workforce",
        label=_("Operating enterprises whose latest workforce figure is over 12 months old"),
        hint=_("Ask the enterprise for its current figures, or import its latest report."),
        list_name="enterprises:enterprise_list",
        scope=_enterprises,
        condition=lambda today: OPERATING & Exists(_records()) & ~Exists(
            _records().filter(as_of__gte=today - relativedelta(months=STALE_MONTHS))),
    ),
    Check(
        code="org_at_dissolved",
        label=_("Party organizations still active at a dissolved enterprise"),
        hint=_("Record the organization's dissolution, or its move, and transfer its members."),
        list_name="enterprises:partyorg_list",
        scope=lambda access: party_organization_queryset(access=access),
        condition=lambda today: _active_on(today) & Q(
            enterprise__status=Enterprise.Status.DISSOLVED),
    ),
]

quality.register(*CHECKS)
