from datetime import date

import factory
from stdnum.vn import mst

from enterprises.models import Enterprise, MassOrganization, PartyOrganization, WorkforceRecord
from tests.factories import ZoneFactory


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
