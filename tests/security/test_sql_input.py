"""SQL-looking input is only ever data: in search boxes, filters and import cells."""

import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from coordination.models import AdmissionCandidate, PartyMember
from enterprises.models import Enterprise, PartyOrganization
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, valid_tax_code

pytestmark = pytest.mark.django_db

# Tax codes no factory makes, so a file's rows are always new enterprises.
UNUSED = 500_000

SQL = [
    "'; DROP TABLE enterprises_enterprise; --",
    "%' OR 1=1 --",
    "' OR '1'='1",
    "\\'; DELETE FROM coordination_partymember; --",
    "_%",
]
TABLES = ["enterprises_enterprise", "enterprises_partyorganization", "coordination_partymember",
          "coordination_admissioncandidate"]


@pytest.fixture
def data(zone_a):
    enterprises = [EnterpriseFactory(zone=zone_a) for _ in range(3)]
    enterprises.append(EnterpriseFactory(zone=zone_a, name="Công ty TNHH O'Neil Việt Nam"))
    for enterprise in enterprises[:2]:
        PartyOrganizationFactory(enterprise=enterprise)
        make_member(enterprise=enterprise)
        make_candidate(enterprise=enterprise)
    return enterprises


def tables_intact():
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT to_regclass(%s)", [table])
            assert cursor.fetchone()[0] is not None, table
    return (Enterprise.objects.count(), PartyOrganization.objects.count(),
            PartyMember.objects.count(), AdmissionCandidate.objects.count())


def listed(response) -> int:
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


@pytest.mark.parametrize("text", SQL)
def test_enterprise_and_party_org_search(client, pc_officer, data, text):
    client.force_login(pc_officer)
    before = tables_intact()
    assert listed(client.get(reverse("enterprises:enterprise_list"), {"q": text})) == 0
    assert listed(client.get(reverse("enterprises:partyorg_list"), {"q": text})) == 0
    # Every filter and the sort and page parameters get the text too: ignored, not run.
    everything = {name: text for name in ("zone", "capital_source", "legal_form", "status",
                                          "has_party_org", "has_union", "has_youth_union",
                                          "sort", "page", "kind", "state")}
    assert listed(client.get(reverse("enterprises:enterprise_list"), everything)) <= len(data)
    assert listed(client.get(reverse("enterprises:partyorg_list"), everything)) <= 2
    export = client.post(f'{reverse("enterprises:enterprise_export")}?{urlencode({"q": text})}')
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only
    assert tables_intact() == before


@pytest.mark.parametrize("text", SQL)
def test_member_and_candidate_search(client, pc_officer, data, text):
    client.force_login(pc_officer)
    before = tables_intact()
    for list_name in ("coordination:member_list", "coordination:candidate_list"):
        url = reverse(list_name)
        assert client.post(url, {"q": text}).status_code == 302  # kept in the session
        assert listed(client.get(url)) == 0, list_name
        assert listed(client.get(url, {"zone": text, "enterprise": text, "status": text,
                                       "organization": text, "page": text})) == 0
        client.post(url, {"clear": "1"})
        assert listed(client.get(url)) == 2
    assert tables_intact() == before


def test_a_quote_in_a_real_name_is_found(client, pc_officer, data):
    client.force_login(pc_officer)
    assert listed(client.get(reverse("enterprises:enterprise_list"), {"q": "o'neil"})) == 1


def test_sql_in_import_cells_is_stored_as_text_or_refused(tmp_path, zone_a, data, capsys):
    header = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
              "Nguồn vốn", "Tổng số lao động", "Địa chỉ"]
    rows = [[SQL[0], valid_tax_code(UNUSED + 1), zone_a.code, "Khác", "FDI", 10, SQL[1]],
            [SQL[2], valid_tax_code(UNUSED + 2), zone_a.code, "Khác", "FDI", 10, SQL[4]]]
    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(good)
    before = tables_intact()
    call_command("import_workbook", "--kind", "enterprises", str(good))
    assert tables_intact()[0] == before[0] + 2
    stored = Enterprise.objects.get(tax_code=valid_tax_code(UNUSED + 1))
    assert (stored.name, stored.address) == (SQL[0], SQL[1])
    assert Enterprise.objects.get(tax_code=valid_tax_code(UNUSED + 2)).address == SQL[4]

    bad = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    for row in [header, ["Công ty Y", SQL[1], zone_a.code, "Khác", "FDI", 10, ""],
                ["Công ty Z", valid_tax_code(UNUSED + 3), SQL[0], "Khác", "FDI", 10, ""],
                ["Công ty W", valid_tax_code(UNUSED + 4), zone_a.code, "Khác", "FDI", SQL[2], ""]]:
        book.active.append(row)
    book.save(bad)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", "--kind", "enterprises", str(bad))
    assert exit_.value.code == 1
    errors = capsys.readouterr().err
    assert "Dòng 2, cột 'Mã số thuế'" in errors
    assert "Dòng 3, cột 'Khu công nghiệp'" in errors
    assert "Dòng 4, cột 'Tổng số lao động'" in errors
    assert tables_intact()[0] == before[0] + 2
