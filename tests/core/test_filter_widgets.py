"""The lists' filter forms write their inputs and selects in Python
(``core.filters.FilterWidgetRenderer``): the same HTML as Django's widget
templates, which are the reference here."""

from __future__ import annotations

import pytest
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from accounts.policy import access_for
from coordination.filters import CandidateFilter, MemberFilter
from core.filters import FilterWidgetRenderer
from enterprises.filters import EnterpriseFilter, PartyOrganizationFilter
from tests.enterprises.factories import ZoneFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> \"quoted\" & 'single'"
DATA = [
    None,
    {},
    # Every filter of every list, valid where it can be, the text ones hostile.
    {"q": HOSTILE, "enterprise": HOSTILE, "organization": HOSTILE, "zone": "ZONE",
     "capital_source": "fdi", "legal_form": "co_phan", "has_party_org": "yes",
     "has_union": "no", "has_youth_union": "yes", "status": "operating",
     "kind": "chi_bo", "state": "active", "stage": "open", "overdue": "no",
     "issue": "no_workforce"},
    # Invalid choices: the selects carry aria-invalid and their errors.
    {"zone": "abc", "status": HOSTILE, "has_union": "maybe", "issue": "<b>", "stage": "x&y"},
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("filterset", [EnterpriseFilter, PartyOrganizationFilter,
                                       MemberFilter, CandidateFilter])
@pytest.mark.parametrize("data", DATA)
def test_the_filter_widgets_are_written_as_their_templates_write_them(
        monkeypatch, pc_officer, zone_a, filterset, data, lang):
    zone = ZoneFactory(code="K&1", name='KCN <i>"Bắc"</i> & \'Nam\'')
    if data and data.get("zone") == "ZONE":
        data = {**data, "zone": str(zone.pk)}
    access = access_for(pc_officer)
    with translation.override(lang):
        form = filterset(data, queryset=filterset._meta.model.objects.none(), access=access).form
        assert isinstance(form.renderer, FilterWidgetRenderer)
        # Written without a single template.
        with monkeypatch.context() as patched:
            patched.setattr(DjangoTemplates, "get_template", _no_template)
            written = [str(field) for field in form]
        form.renderer = DjangoTemplates()
        rendered = [str(field) for field in form]
    assert written == rendered
    assert "<script>" not in "".join(written)


def _no_template(self, template_name):
    raise AssertionError(f"{template_name} was rendered by its template")
