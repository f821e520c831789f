"""Indicators over the registry: enterprises, party organizations, mass
organizations and the workforce (DESIGN §5; see core.indicators).

Each indicator is a condition on the rows of one model (its ``source``), so
the enterprises' figures are counted together in one query and the party
organizations' in another. The enterprises' stocks at a date are counted from
the spans that contain it (:mod:`enterprises.spans`: one row per operating
enterprise, saying what holds for it then); the tests pin each to the same
figure counted from the registry's dated facts.
"""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from core import indicators

from . import spans
from .models import EnterpriseSpan, IndustrialZone, PartyOrganization


def stock(**options):
    """Register an enterprises' stock: a condition on the spans of a date
    (at most one per enterprise, so a date picks few of them: selective)."""
    return indicators.register(kind=indicators.STOCK, source=EnterpriseSpan, selective=True,
                               **options)


@indicators.register_zones
def zone_ids():
    return IndustrialZone.objects.order_by("code").values_list("pk", flat=True)


@stock(
    position=1, code="enterprises",
    label="Tổng số doanh nghiệp",
    description=_("Enterprises operating at the end of the period: established on or before "
                  "that day (or without a date) and not dissolved on or before it. Suspended "
                  "enterprises count."))
def operating(period):
    return spans.on(period.end)


@stock(
    position=2, code="enterprises_foreign",
    label="Doanh nghiệp có vốn đầu tư nước ngoài",
    description=_("Operating enterprises whose capital source is wholly foreign-owned (FDI) or "
                  "a joint venture."))
def foreign(period):
    return operating(period) & Q(foreign_capital=True)


@stock(
    position=3, code="enterprises_with_party_org",
    label="Doanh nghiệp có tổ chức đảng",
    description=_("Operating enterprises with a party organization of their own active at the "
                  "end of the period."))
def with_party_org(period):
    return operating(period) & Q(party_organization=True)


@stock(
    position=4, code="enterprises_without_party_org",
    label="Doanh nghiệp chưa có tổ chức đảng",
    description=_("Operating enterprises without a party organization of their own active at "
                  "the end of the period."))
def without_party_org(period):
    return operating(period) & Q(party_organization=False)


# Position 5, the enterprises that qualify for a party organization, counts
# party members: coordination declares it.


@indicators.register(
    position=6, code="party_orgs", kind=indicators.STOCK, source=PartyOrganization,
    label="Tổ chức đảng",
    description=_("Party organizations of every kind, joint cells included, established on or "
                  "before the end of the period and not dissolved on or before it."))
def party_orgs(period):
    return Q(established_on__lte=period.end) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end))


@indicators.register(
    position=7, code="party_orgs_new", kind=indicators.FLOW, source=PartyOrganization,
    label="Tổ chức đảng thành lập mới trong kỳ",
    description=_("Party organizations established within the period, both ends included."))
def party_orgs_new(period):
    return Q(established_on__range=(period.start, period.end))


# Positions 8 to 14, members and candidates: coordination.


@stock(
    position=15, code="enterprises_with_union",
    label="Doanh nghiệp có công đoàn",
    description=_("Operating enterprises with a trade union established on or before the end "
                  "of the period (or without a date) and not dissolved on or before it."))
def with_union(period):
    return operating(period) & Q(trade_union=True)


@stock(
    position=16, code="enterprises_with_youth_union",
    label="Doanh nghiệp có tổ chức Đoàn",
    description=_("Operating enterprises with a youth union established on or before the end "
                  "of the period (or without a date) and not dissolved on or before it."))
def with_youth_union(period):
    return operating(period) & Q(youth_union=True)


def total_workers(period, filter=None):
    """Each counted enterprise's latest workforce record on or before the
    period's end (its span's), summed (0 without any)."""
    return Sum("workers", filter=filter, default=0)


@stock(
    position=17, code="workers",
    label="Tổng số lao động",
    description=_("Total workers of the enterprises operating at the end of the period, each "
                  "from its latest workforce record dated on or before that day."),
    total=total_workers)
def workers(period):
    return operating(period)


# Position 18, the enterprises surveyed: surveys.
