"""The rows of the enterprise list, to the character, in Vietnamese and English.

The rows are written in Python (``enterprise_tags.RowWriter``) with the link,
the labels and the formats looked up once per page. The HTML expected here is
written out by hand: what the list drew when each row was a ``format_html`` of
Django's own helpers (``reverse``, ``get_FOO_display``, ``intcomma``,
``date_format``), every text from the database escaped.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from enterprises.models import Enterprise, MassOrganization

from .factories import ZoneFactory, make_enterprise, make_massorg, make_partyorg, make_workforce

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:enterprise_list")
ROW = re.compile(r'<tr data-testid="enterprise-row">.*?</tr>', re.S)

YES = {
    "vi": '<i class="bi bi-check-circle-fill text-success" aria-hidden="true" title="Có"></i>'
          '<span class="visually-hidden">Có</span>',
    "en": '<i class="bi bi-check-circle-fill text-success" aria-hidden="true" title="Yes"></i>'
          '<span class="visually-hidden">Yes</span>',
}
NO = {
    "vi": '<i class="bi bi-dash text-secondary" aria-hidden="true" title="Không"></i>'
          '<span class="visually-hidden">Không</span>',
    "en": '<i class="bi bi-dash text-secondary" aria-hidden="true" title="No"></i>'
          '<span class="visually-hidden">No</span>',
}
# Per language: legal form, capital source, the workers of the first row, status.
WORDS = {
    "vi": ("Công ty cổ phần", "Liên doanh", "12.345", "Tạm ngừng hoạt động",
           "Công ty hợp danh", "Nhà nước", "Giải thể"),
    "en": ("Joint-stock company", "Joint venture", "12,345", "Suspended",
           "Partnership", "State", "Dissolved"),
}


@pytest.fixture
def hostile_rows():
    """Two enterprises whose texts need escaping, the second with nothing optional."""
    zone = ZoneFactory(code="B&N", name='KCN "Bắc" & <Nam>')
    first = make_enterprise(
        zone, name="Công ty <script>alert(1)</script> & Con", short_name="A&B <b>",
        legal_form=Enterprise.LegalForm.JOINT_STOCK,
        capital_source=Enterprise.CapitalSource.JOINT_VENTURE,
        established_on=date(2010, 3, 5), status=Enterprise.Status.SUSPENDED,
        status_since=date(2024, 2, 1),
    )
    make_workforce(first, 12345)
    make_partyorg("Chi bộ A&B", enterprise=first)
    second = make_enterprise(
        zone, name="Doanh nghiệp 'Hợp' & danh", legal_form=Enterprise.LegalForm.PARTNERSHIP,
        capital_source=Enterprise.CapitalSource.STATE, status=Enterprise.Status.DISSOLVED,
        status_since=date(2024, 2, 1),
    )
    make_massorg(second, MassOrganization.Kind.TRADE_UNION)
    make_massorg(second, MassOrganization.Kind.YOUTH_UNION)
    return first, second


def expected_rows(first, second, lang: str) -> list[str]:
    legal, capital, workers, status, legal2, capital2, status2 = WORDS[lang]
    yes, no = YES[lang], NO[lang]
    zone = '<td class="text-nowrap"><abbr title="KCN &quot;Bắc&quot; &amp; &lt;Nam&gt;">B&amp;N</abbr></td>'
    return [
        '<tr data-testid="enterprise-row">'
        f'<td><a class="fw-semibold" href="/enterprises/{first.pk}/">'
        "Công ty &lt;script&gt;alert(1)&lt;/script&gt; &amp; Con</a>"
        '<div class="small text-muted">A&amp;B &lt;b&gt;</div>'
        f'<div class="small text-muted d-xxl-none">{legal} · {capital}</div></td>'
        f'<td class="text-nowrap font-monospace small">{first.tax_code}</td>'
        f"{zone}"
        f'<td class="d-none d-xxl-table-cell small">{legal}</td>'
        f'<td class="d-none d-xxl-table-cell small">{capital}</td>'
        f'<td class="text-end">{workers}</td>'
        f'<td class="text-center">{yes}</td>'
        f'<td class="text-center">{no}</td>'
        f'<td class="text-center">{no}</td>'
        '<td class="d-none d-xxl-table-cell text-nowrap">05/03/2010</td>'
        '<td><span class="badge rounded-pill text-bg-warning" data-status="suspended">'
        f"{status}</span></td>"
        "</tr>",
        '<tr data-testid="enterprise-row">'
        f'<td><a class="fw-semibold" href="/enterprises/{second.pk}/">'
        "Doanh nghiệp &#x27;Hợp&#x27; &amp; danh</a>"
        f'<div class="small text-muted d-xxl-none">{legal2} · {capital2}</div></td>'
        f'<td class="text-nowrap font-monospace small">{second.tax_code}</td>'
        f"{zone}"
        f'<td class="d-none d-xxl-table-cell small">{legal2}</td>'
        f'<td class="d-none d-xxl-table-cell small">{capital2}</td>'
        '<td class="text-end"><span class="text-muted">—</span></td>'
        f'<td class="text-center">{no}</td>'
        f'<td class="text-center">{yes}</td>'
        f'<td class="text-center">{yes}</td>'
        '<td class="d-none d-xxl-table-cell text-nowrap">—</td>'
        '<td><span class="badge rounded-pill text-bg-secondary" data-status="dissolved">'
        f"{status2}</span></td>"
        "</tr>",
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_rows_are_escaped_and_drawn_as_before(client, pc_officer, hostile_rows, lang):
    first, second = hostile_rows
    client.force_login(pc_officer)
    client.cookies["lang"] = lang
    body = client.get(LIST, {"sort": "name"}).content.decode()
    assert ROW.findall(body) == expected_rows(first, second, lang)
    assert "<script>alert(1)" not in body and "<b>" not in body


def test_the_flags_are_those_of_the_day_the_page_is_drawn(client, pc_officer, zone_a):
    """The rows' conditions are built once a day (selectors._row_query): a trade
    union founded on 1 May 2015 is not there the day before, and is that day."""
    enterprise = make_enterprise(zone_a)
    make_massorg(enterprise, MassOrganization.Kind.TRADE_UNION, established_on=date(2015, 5, 1))
    seen = []
    for day in (date(2015, 4, 30), date(2015, 5, 1), date(2015, 4, 30)):
        with time_machine.travel(datetime(day.year, day.month, day.day, 12), tick=False):
            client.force_login(pc_officer)
            [row] = client.get(LIST).context["page_obj"].object_list
            seen.append(row.has_union)
    assert seen == [False, True, False]
