"""Registry test data: zones, enterprises, workforce, mass and party organizations.

Model factories (full_clean + save, for data a test only needs to exist):
``ZoneFactory``, ``EnterpriseFactory``, ``WorkforceFactory``,
``MassOrganizationFactory``, ``PartyOrganizationFactory``.

Through ``enterprises.services``, like every other write:
``make_enterprise(zone=None, *, party_org=False, **fields)``,
``make_workforce(enterprise, total, *, as_of=date(2025, 1, 1), **figures)``,
``make_massorg(enterprise, kind=TRADE_UNION, established_on=date(2015, 5, 1))``,
``make_partyorg(name=None, *, kind=GRASSROOTS_CELL, enterprise=None, zone=None, parent=None,
established_on=date(2018, 3, 1), **fields)`` and
``make_full_enterprise(zone, index)`` (an enterprise with everything the list shows).

``valid_tax_code(n)`` gives the n-th valid tax code.
"""

import itertools
from datetime import date

import factory
from stdnum.vn import mst

from enterprises import services
from enterprises.models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)

Kind = PartyOrganization.Kind


def valid_tax_code(n: int) -> str:
    """The n-th valid 10-digit tax code of province 06."""
    sequence = 2000000 + n * 3
    while True:
        body = f"06{sequence:07d}"
        check = mst.calc_check_digit(body)
        if check != "10":
            return body + check
        sequence += 1


FACTORY_TAX_CODES = 1_000_000
SERVICE_TAX_CODES = 2_000_000  # make_enterprise: far from the factory's and the tests' own


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialZone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Z{n:02d}")
    name = factory.Sequence(lambda n: f"Khu công nghiệp Thử nghiệm {n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    # Far from the small numbers tests write into import files themselves.
    tax_code = factory.Sequence(lambda n: valid_tax_code(FACTORY_TAX_CODES + n))
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}")
    zone = factory.SubFactory(ZoneFactory)
    legal_form = Enterprise.LegalForm.LLC_ONE
    capital_source = Enterprise.CapitalSource.FDI
    established_on = date(2015, 3, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.full_clean()
        obj.save()
        return obj


class WorkforceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkforceRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    as_of = date(2026, 1, 1)
    total_workers = 500
    female_workers = 300


class MassOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MassOrganization

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = MassOrganization.Kind.TRADE_UNION
    established_on = date(2016, 1, 1)


class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    name = factory.Sequence(lambda n: f"Chi bộ Thử nghiệm {n}")
    kind = PartyOrganization.Kind.GRASSROOTS_CELL
    enterprise = factory.SubFactory(EnterpriseFactory)
    established_on = date(2020, 5, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.full_clean()
        obj.save()
        return obj


# --- Through the services --------------------------------------------------------------------

_numbers = itertools.count(1)


def make_enterprise(zone=None, *, party_org: bool = False, **fields) -> Enterprise:
    """An enterprise created by ``services.enterprise_create`` (in a new zone
    unless one is given); ``party_org=True`` gives it a grassroots party cell."""
    n = next(_numbers)
    data = {
        "tax_code": valid_tax_code(SERVICE_TAX_CODES + n),
        "name": f"Công ty TNHH Thử nghiệm {n}",
        "zone": zone if zone is not None else ZoneFactory(),
        "legal_form": Enterprise.LegalForm.LLC_MULTI,
        "capital_source": Enterprise.CapitalSource.FDI,
    }
    data.update(fields)
    enterprise = services.enterprise_create(data=data)
    if party_org:
        make_partyorg(enterprise=enterprise)
    return enterprise


def make_workforce(enterprise, total, *, as_of=date(2025, 1, 1), **figures):
    return services.workforce_record(enterprise=enterprise, as_of=as_of, total_workers=total,
                                     **figures)


def make_massorg(enterprise, kind=MassOrganization.Kind.TRADE_UNION,
                 established_on=date(2015, 5, 1)):
    return services.mass_organization_create(enterprise=enterprise, kind=kind,
                                             established_on=established_on)


def make_partyorg(name=None, *, kind=Kind.GRASSROOTS_CELL, enterprise=None, zone=None,
                  parent=None, established_on=date(2018, 3, 1), **fields):
    data = {"name": name or f"Chi bộ Thử nghiệm {next(_numbers)}", "kind": kind,
            "enterprise": enterprise, "zone": zone, "parent": parent,
            "established_on": established_on, **fields}
    return services.party_organization_create(data=data)


def make_full_enterprise(zone, index: int) -> Enterprise:
    """An enterprise with everything the list shows."""
    enterprise = make_enterprise(zone, name=f"Công ty Cổ phần Đầy đủ {index:03d}")
    make_workforce(enterprise, 100 + index, as_of=date(2024, 1, 1))
    make_workforce(enterprise, 200 + index, as_of=date(2025, 1, 1))
    make_massorg(enterprise, MassOrganization.Kind.TRADE_UNION)
    make_massorg(enterprise, MassOrganization.Kind.YOUTH_UNION)
    make_partyorg(f"Chi bộ Đầy đủ {index:03d}", enterprise=enterprise)
    return enterprise
