"""The registry pages: lists, filters, profile, forms, htmx panels, export.

Labels are checked in English (the "lang" cookie) or not at all: the data
(names, codes) is what the assertions look for.
"""

from __future__ import annotations

import io
import re
from datetime import date

import lxml.html
import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import panels
from enterprises import services
from enterprises.models import Enterprise, MassOrganization, PartyOrganization, WorkforceRecord
from tests.pages import field_feedback, input_value

from .factories import (
    make_enterprise,
    make_full_enterprise,
    make_massorg,
    make_partyorg,
    make_workforce,
)

pytestmark = pytest.mark.django_db

Kind = PartyOrganization.Kind

# --- Helpers ----------------------------------------------------------------------


@pytest.fixture
def as_user(client):
    """Log the test client in with English labels; returns the client."""

    def _as(user):
        client.force_login(user)
        client.cookies["lang"] = "en"
        return client

    return _as


def names_in(response) -> list[str]:
    return [e.name for e in response.context["page_obj"].object_list]


LIST = reverse("enterprises:enterprise_list")
PARTYORG_LIST = reverse("enterprises:partyorg_list")


# --- Enterprise list ----------------------------------------------------------------------


def test_list_shows_only_enterprises_in_scope(as_user, iz_officer, zone_a, zone_b):
    make_enterprise(zone_a, name="Công ty Khu A")
    make_enterprise(zone_b, name="Công ty Khu B")
    response = as_user(iz_officer).get(LIST)
    assert response.status_code == 200
    assert names_in(response) == ["Công ty Khu A"]
    zone_choices = list(response.context["filter"].form.fields["zone"].queryset)
    assert zone_choices == [zone_a]
    content = response.content.decode()
    assert "Công ty Khu B" not in content
    assert zone_b.name not in content


@pytest.mark.parametrize("q", ["duc", "DUC", "đức", "Đức", "  đỨc  ", "duc thanh"])
def test_search_ignores_case_and_diacritics(as_user, pc_officer, zone_a, q):
    make_enterprise(zone_a, name="Công ty Cổ phần Đức Thành")
    make_enterprise(zone_a, name="Công ty TNHH Dục Anh")
    make_enterprise(zone_a, name="Công ty TNHH Hòa Bình")
    response = as_user(pc_officer).get(LIST, {"q": q})
    assert "Công ty Cổ phần Đức Thành" in names_in(response)
    assert "Công ty TNHH Hòa Bình" not in names_in(response)


def test_search_by_short_name_and_tax_code(as_user, pc_officer, zone_a):
    make_enterprise(zone_a, name="Công ty TNHH Điện tử Minh Long", short_name="MINHLONG ELEC")
    branch = make_enterprise(zone_a, name="Chi nhánh Sông Hồng", tax_code="0100233488-001")
    client = as_user(pc_officer)
    assert names_in(client.get(LIST, {"q": "minhlong"})) == ["Công ty TNHH Điện tử Minh Long"]
    assert names_in(client.get(LIST, {"q": "0100233488-001"})) == [branch.name]
    # Typed without its dash.
    assert names_in(client.get(LIST, {"q": "0100233488001"})) == [branch.name]


def test_empty_search_shows_the_empty_state_with_a_reset_link(as_user, pc_officer, zone_a):
    make_enterprise(zone_a, name="Công ty TNHH Hòa Bình")
    response = as_user(pc_officer).get(LIST, {"q": "không có"})
    assert names_in(response) == []
    doc = lxml.html.fromstring(response.content)
    empty = doc.xpath('//*[@data-testid="empty-state"]')[0]
    assert "No enterprise matches" in empty.text_content()
    reset = empty.xpath('.//a[@data-testid="reset-filters"]')[0]
    assert reset.get("href") == LIST


def test_filters(as_user, pc_officer, zone_a, zone_b):
    state = make_enterprise(zone_a, name="Nhà nước A", capital_source="nha_nuoc",
                            legal_form="co_phan")
    fdi = make_enterprise(zone_b, name="FDI B", capital_source="fdi", legal_form="tnhh_1tv")
    closed = make_enterprise(zone_a, name="Giải thể A", status="dissolved",
                             status_since=date(2024, 6, 30))
    make_partyorg("Chi bộ Nhà nước A", enterprise=state)
    make_massorg(fdi, MassOrganization.Kind.TRADE_UNION)
    make_massorg(state, MassOrganization.Kind.YOUTH_UNION)
    # A dissolved party organization does not count.
    make_partyorg("Chi bộ cũ", enterprise=closed, dissolved_on=date(2024, 6, 30))
    client = as_user(pc_officer)

    def names(**params):
        return sorted(names_in(client.get(LIST, params)))

    assert names(zone=zone_b.pk) == ["FDI B"]
    assert names(capital_source="nha_nuoc") == ["Nhà nước A"]
    assert names(legal_form="tnhh_1tv") == ["FDI B"]
    assert names(status="dissolved") == ["Giải thể A"]
    assert names(has_party_org="yes") == ["Nhà nước A"]
    assert names(has_party_org="no") == ["FDI B", "Giải thể A"]
    assert names(has_union="yes") == ["FDI B"]
    assert names(has_youth_union="yes") == ["Nhà nước A"]
    assert names(has_youth_union="no", zone=zone_a.pk) == ["Giải thể A"]
    assert names(has_party_org="") == ["FDI B", "Giải thể A", "Nhà nước A"]


def test_a_zone_outside_scope_in_the_url_filters_nothing_more(as_user, iz_officer, zone_a,
                                                              zone_b):
    make_enterprise(zone_a, name="Công ty Khu A")
    make_enterprise(zone_b, name="Công ty Khu B")
    response = as_user(iz_officer).get(LIST, {"zone": zone_b.pk})
    assert "Công ty Khu B" not in names_in(response)


def test_sorting(as_user, pc_officer, zone_a, zone_b):
    make_enterprise(zone_b, name="Đức Giang")
    make_enterprise(zone_a, name="Dương Minh")
    make_enterprise(zone_a, name="An Phát")
    ang = make_enterprise(zone_b, name="Ánh Dương", established_on=date(2001, 1, 1))
    make_workforce(ang, 300)
    make_workforce(Enterprise.objects.get(name="An Phát"), 50)
    client = as_user(pc_officer)
    # Vietnamese order: a < á (tone) ... d < đ.
    assert names_in(client.get(LIST)) == ["An Phát", "Ánh Dương", "Dương Minh", "Đức Giang"]
    assert names_in(client.get(LIST, {"sort": "-name"})) == [
        "Đức Giang", "Dương Minh", "Ánh Dương", "An Phát"]
    assert names_in(client.get(LIST, {"sort": "zone"}))[:2] == ["An Phát", "Dương Minh"]
    # Unknown figures come last both ways.
    assert names_in(client.get(LIST, {"sort": "-workers"}))[:2] == ["Ánh Dương", "An Phát"]
    assert names_in(client.get(LIST, {"sort": "workers"}))[:2] == ["An Phát", "Ánh Dương"]
    assert names_in(client.get(LIST, {"sort": "established_on"}))[0] == "Ánh Dương"
    # Only whitelisted columns.
    response = client.get(LIST, {"sort": "search_text"})
    assert response.status_code == 200
    assert response.context["sort"] == "name"


def test_sort_links_keep_the_filters_and_toggle(as_user, pc_officer, zone_a):
    make_enterprise(zone_a, name="An Phát")
    response = as_user(pc_officer).get(LIST, {"q": "an", "sort": "name", "page": "1"})
    doc = lxml.html.fromstring(response.content)
    hrefs = [a.get("href") for a in doc.xpath("//thead//a")]
    assert "?q=an&sort=-name" in hrefs  # toggles, keeps q, drops page
    assert "?q=an&sort=workers" in hrefs
    # The filter form carries a chosen sort along.
    response = as_user(pc_officer).get(LIST, {"q": "an", "sort": "-workers"})
    doc = lxml.html.fromstring(response.content)
    hidden = doc.xpath('//form[@data-testid="filters"]//input[@name="sort"]')
    assert hidden[0].get("value") == "-workers"


def test_pagination_keeps_the_filters(as_user, pc_officer, zone_a, zone_b):
    for i in range(120):
        make_enterprise(zone_a, name=f"Công ty Phân trang {i:03d}")
    make_enterprise(zone_b, name="Công ty Khác")
    client = as_user(pc_officer)
    first = client.get(LIST, {"zone": zone_a.pk, "sort": "-name"})
    page = first.context["page_obj"]
    assert page.paginator.count == 120
    assert len(page.object_list) == 50
    assert names_in(first)[0] == "Công ty Phân trang 119"
    doc = lxml.html.fromstring(first.content)
    next_link = doc.xpath('//a[@rel="next"]')[0].get("href")
    assert next_link == f"?zone={zone_a.pk}&sort=-name&page=2"
    last = client.get(LIST, {"zone": zone_a.pk, "sort": "-name", "page": 3})
    assert len(last.context["page_obj"].object_list) == 20
    assert names_in(last)[-1] == "Công ty Phân trang 000"
    # A page past the end shows the last one; garbage shows the first.
    assert client.get(LIST, {"page": 99}).context["page_obj"].number == 3
    assert client.get(LIST, {"page": "abc"}).context["page_obj"].number == 1


def test_the_number_of_queries_does_not_grow_with_the_rows(client, pc_officer, iz_officer,
                                                           zone_a, django_assert_num_queries):
    users = (pc_officer, iz_officer)

    def warm_up(user):
        client.force_login(user)
        client.get(LIST)  # session, caches
        reset_queries()

    for i in range(5):
        make_full_enterprise(zone_a, i)
    counts = {}
    for user in users:
        warm_up(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"sort": "-workers", "has_union": "yes"})
        assert len(response.context["page_obj"].object_list) == 5
        counts[user] = len(queries)
    for i in range(5, 60):
        make_full_enterprise(zone_a, i)
    for user in users:
        warm_up(user)
        with django_assert_num_queries(counts[user]):
            response = client.get(LIST, {"sort": "-workers", "has_union": "yes"})
        rows = response.context["page_obj"].object_list
        assert len(rows) == 50
        assert rows[0].workers == 259


def test_buttons_follow_the_policy(as_user, pc_officer, iz_leader, zone_a):
    make_enterprise(zone_a)
    editor = lxml.html.fromstring(as_user(pc_officer).get(LIST, {"status": "operating"}).content)
    assert editor.xpath('//a[@data-testid="add-enterprise"]')
    # The export is a POST with the list's filters in its action.
    export = editor.xpath('//button[@data-testid="export"]/ancestor::form[1]')[0]
    assert export.get("method") == "post" and export.xpath('.//input[@name="csrfmiddlewaretoken"]')
    assert export.get("action") == reverse("enterprises:enterprise_export") + "?status=operating"
    imports = [a.get("href") for a in editor.xpath('//a[@data-testid="import"]')]
    assert imports == [reverse("core:import_upload", args=["enterprises"])]
    reader = lxml.html.fromstring(as_user(iz_leader).get(LIST).content)
    assert not reader.xpath('//a[@data-testid="add-enterprise"]')
    assert not reader.xpath('//a[@data-testid="import"]')
    assert reader.xpath('//button[@data-testid="export"]')


def test_list_flags_and_latest_workforce(as_user, pc_officer, zone_a):
    enterprise = make_full_enterprise(zone_a, 7)
    row = as_user(pc_officer).get(LIST).context["page_obj"].object_list[0]
    assert row.pk == enterprise.pk
    assert row.workers == 207
    assert row.has_party_org and row.has_union and row.has_youth_union


# --- Zones ----------------------------------------------------------------------


def test_zone_list_counts_and_links(as_user, iz_officer, zone_a, zone_b):
    operating = make_enterprise(zone_a)
    make_enterprise(zone_a, status="suspended", status_since=date(2025, 2, 1))
    make_enterprise(zone_a, status="dissolved", status_since=date(2025, 2, 1))
    make_partyorg("Chi bộ A", enterprise=operating)
    make_partyorg("Chi bộ ghép A", zone=zone_a)
    make_enterprise(zone_b)
    response = as_user(iz_officer).get(reverse("enterprises:zone_list"))
    zones = list(response.context["zones"])
    assert zones == [zone_a]
    assert zones[0].enterprise_count == 2
    assert zones[0].party_org_count == 2
    doc = lxml.html.fromstring(response.content)
    link = doc.xpath('//a[@data-testid="zone-enterprises"]')[0]
    assert link.get("href") == f"{LIST}?zone={zone_a.pk}"
    assert link.text_content().strip() == "2"


# --- Create / update ----------------------------------------------------------------------

CREATE = reverse("enterprises:enterprise_create")


def enterprise_post(zone, **overrides) -> dict:
    data = {
        "tax_code": "0100233488001",
        "name": "Công ty TNHH Điện tử Sông Hồng",
        "short_name": "SONGHONG",
        "zone": zone.pk,
        "address": "Lô B2, Khu công nghiệp An Bình",
        "legal_form": "tnhh_2tv",
        "capital_source": "lien_doanh",
        "investor_country": "Hàn Quốc",
        "sector": "Điện tử",
        "established_on": "15/03/2010",
        "status": "operating",
        "status_since": "",
        "representative": "Nguyễn Văn An",
        "phone": "0228 3456 789",
        "email": "lienhe@songhong.vn",
        "as_of": "01/06/2025",
        "total_workers": "1200",
        "female_workers": "700",
        "union_members": "1100",
        "youth_union_members": "300",
    }
    data.update(overrides)
    return data


def test_create_enterprise_with_first_workforce_figures(as_user, iz_officer, zone_a):
    client = as_user(iz_officer)
    form_page = client.get(CREATE)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    # Dates are typed dd/mm/yyyy in a text input, not the browser's date picker.
    doc = lxml.html.fromstring(html)
    established = doc.get_element_by_id("id_established_on")
    assert established.get("type") == "text"
    assert established.get("placeholder") == "dd/mm/yyyy"
    assert input_value(html, "id_as_of") == timezone.localdate().strftime("%d/%m/%Y")

    response = client.post(CREATE, enterprise_post(zone_a))
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == enterprise.get_absolute_url()
    assert enterprise.tax_code == "0100233488-001"  # normalised by the model
    assert enterprise.established_on == date(2010, 3, 15)
    assert enterprise.zone == zone_a
    record = enterprise.workforce_records.get()
    assert (record.as_of, record.figures()) == (date(2025, 6, 1), (1200, 700, 1100, 300))
    assert enterprise.history.get().history_user == iz_officer

    profile = client.get(response["Location"])
    content = profile.content.decode()
    assert "Enterprise “Công ty TNHH Điện tử Sông Hồng” has been added." in content
    assert "15/03/2010" in content
    assert "0100233488-001" in content


def test_create_without_workforce_figures(as_user, pc_officer, zone_a):
    response = as_user(pc_officer).post(CREATE, enterprise_post(
        zone_a, total_workers="", female_workers="", union_members="", youth_union_members=""))
    assert response.status_code == 302
    assert not WorkforceRecord.objects.exists()


def test_invalid_tax_code_shows_on_its_field_and_keeps_what_was_typed(as_user, iz_officer,
                                                                      zone_a):
    response = as_user(iz_officer).post(CREATE, enterprise_post(zone_a, tax_code="0100233489"))
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    html = response.content.decode()
    assert "wrong check digit" in field_feedback(html, "tax_code")
    assert field_feedback(html, "name") == ""
    assert input_value(html, "id_tax_code") == "0100233489"
    assert input_value(html, "id_name") == "Công ty TNHH Điện tử Sông Hồng"
    assert input_value(html, "id_established_on") == "15/03/2010"
    assert input_value(html, "id_total_workers") == "1200"


def test_service_errors_land_on_the_right_fields(as_user, pc_officer, zone_a):
    make_enterprise(zone_a, tax_code="0100233488")
    client = as_user(pc_officer)
    duplicate = client.post(CREATE, enterprise_post(zone_a, tax_code="0100 233 488"))
    assert "already exists" in field_feedback(duplicate.content.decode(), "tax_code")

    dissolved = client.post(CREATE, enterprise_post(zone_a, status="dissolved"))
    assert "dissolution date" in field_feedback(dissolved.content.decode(), "status_since")

    too_many = client.post(CREATE, enterprise_post(zone_a, female_workers="5000"))
    html = too_many.content.decode()
    assert "cannot exceed total workers" in field_feedback(html, "female_workers")
    assert input_value(html, "id_female_workers") == "5000"

    bad_date = client.post(CREATE, enterprise_post(zone_a, established_on="31/02/2010"))
    assert field_feedback(bad_date.content.decode(), "established_on")

    missing_total = client.post(CREATE, enterprise_post(zone_a, total_workers=""))
    assert "total number of workers" in field_feedback(missing_total.content.decode(),
                                                       "total_workers")
    assert Enterprise.objects.count() == 1


def test_zone_choices_are_limited_to_the_scope(as_user, iz_officer, zone_a, zone_b):
    client = as_user(iz_officer)
    assert list(client.get(CREATE).context["form"].fields["zone"].queryset) == [zone_a]
    response = client.post(CREATE, enterprise_post(zone_b))
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "zone")
    assert not Enterprise.objects.exists()


def test_update_enterprise_and_see_the_change_in_the_history(as_user, iz_officer, zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Cũ", phone="0228 111")
    client = as_user(iz_officer)
    url = reverse("enterprises:enterprise_update", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(zone=zone_a.pk, name="Công ty TNHH Mới", phone="0228 222",
                established_on="01/02/2003")
    response = client.post(url, data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "Công ty TNHH Mới"
    assert enterprise.established_on == date(2003, 2, 1)

    profile = client.get(enterprise.get_absolute_url())
    entry = profile.context["history"][0]
    assert entry["who"] == iz_officer.full_name
    changes = {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}
    assert changes["Enterprise name"] == ("Công ty TNHH Cũ", "Công ty TNHH Mới")
    assert changes["Phone"] == ("0228 111", "0228 222")
    assert changes["Established on"] == ("—", "01/02/2003")
    # The creation by the system (no account) is listed too.
    assert profile.context["history"][-1]["who"] == "system"
    doc = lxml.html.fromstring(profile.content)
    history = doc.xpath('//*[@data-testid="history"]')[0].text_content()
    assert iz_officer.full_name in history
    assert "Công ty TNHH Cũ" in history and "Công ty TNHH Mới" in history


def test_update_errors_keep_the_typed_values_and_the_stored_title(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty Ổn định")
    client = as_user(pc_officer)
    url = reverse("enterprises:enterprise_update", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(zone=zone_a.pk, name="Tên mới", established_on="01/01/2020",
                status="dissolved", status_since="01/01/2019")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "before the establishment date" in field_feedback(html, "status_since")
    assert input_value(html, "id_name") == "Tên mới"
    assert "Edit “Công ty Ổn định”" in html
    enterprise.refresh_from_db()
    assert enterprise.name == "Công ty Ổn định"


def test_a_status_change_without_a_date_takes_effect_today(as_user, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a, status="suspended", status_since=date(2020, 1, 1))
    client = as_user(pc_officer)
    url = reverse("enterprises:enterprise_update", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert data["status_since"] == date(2020, 1, 1)
    data.update(zone=zone_a.pk, status="operating", status_since="01/01/2020")
    assert client.post(url, data).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == "operating"
    assert enterprise.status_since == timezone.localdate()


# --- Profile panels ----------------------------------------------------------------------


def test_profile_shows_everything(as_user, pc_officer, zone_a, monkeypatch):
    enterprise = make_enterprise(zone_a, name="Công ty Hồ sơ", investor_country="Nhật Bản",
                                 status="suspended", status_since=date(2025, 3, 4))
    make_workforce(enterprise, 120, as_of=date(2024, 1, 1))
    make_workforce(enterprise, 150, as_of=date(2025, 1, 1), female_workers=80)
    make_massorg(enterprise)
    org = make_partyorg("Chi bộ Công ty Hồ sơ", enterprise=enterprise, decision_number="12-QĐ/ĐUK")
    monkeypatch.setitem(panels._registry, "enterprise_profile", [
        (10, lambda request, obj, access: f'<section data-testid="panel-x">{obj.pk}</section>'),
        (20, lambda request, obj, access: None),
    ])
    response = as_user(pc_officer).get(enterprise.get_absolute_url())
    html = response.content.decode()
    doc = lxml.html.fromstring(html)
    identity = doc.xpath('//*[@data-testid="identity"]')[0].text_content()
    assert "Nhật Bản" in identity
    assert "04/03/2025" in doc.xpath('//*[@data-testid="status"]')[0].text_content()
    rows = doc.xpath('//*[@data-testid="workforce-table"]/tbody/tr')
    assert [r.xpath("td")[0].text_content() for r in rows] == ["01/01/2025", "01/01/2024"]
    assert doc.xpath('//*[@data-testid="massorg-row"]')[0].get("data-kind") == "trade_union"
    partyorgs = doc.xpath('//*[@data-testid="party-organizations"]')[0]
    assert org.get_absolute_url() in [a.get("href") for a in partyorgs.xpath(".//a")]
    assert "12-QĐ/ĐUK" in partyorgs.text_content()
    assert doc.xpath('//section[@data-testid="panel-x"]')[0].text == str(enterprise.pk)
    assert doc.xpath('//a[@data-testid="edit"]')


def test_the_profile_queries_do_not_grow_with_its_records(client, pc_officer, zone_a, zone_b,
                                                         django_assert_num_queries):
    enterprise = make_enterprise(zone_a)
    services.enterprise_update(enterprise=enterprise, data={"zone": zone_b, "phone": "1"})
    make_workforce(enterprise, 10, as_of=date(2020, 1, 1))
    make_massorg(enterprise)
    make_partyorg("Chi bộ 1", enterprise=enterprise)
    client.force_login(pc_officer)
    url = enterprise.get_absolute_url()
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    counted = len(queries)  # now: the log is reset by later requests
    for i in range(12):
        make_workforce(enterprise, 20 + i, as_of=date(2021 + i, 1, 1))
        services.enterprise_update(enterprise=enterprise, data={"phone": str(i)})
    make_massorg(enterprise, MassOrganization.Kind.YOUTH_UNION)
    make_massorg(enterprise, MassOrganization.Kind.WOMEN)
    services.enterprise_update(enterprise=enterprise, data={"zone": zone_a})
    for i in range(2, 8):
        make_partyorg(f"Chi bộ {i}", enterprise=enterprise)
    client.get(url)
    reset_queries()
    with django_assert_num_queries(counted):
        response = client.get(url)
    assert len(response.context["workforce_records"]) == 13
    assert len(response.context["history"]) > 20


def test_the_party_organization_list_queries_do_not_grow(client, pc_officer, zone_a,
                                                        django_assert_num_queries):
    def add(count, start):
        for i in range(start, start + count):
            enterprise = make_enterprise(zone_a)
            parent = make_partyorg(f"Đảng bộ {i}", kind=Kind.GRASSROOTS_COMMITTEE,
                                   enterprise=enterprise)
            make_partyorg(f"Chi bộ {i}", kind=Kind.SUBORDINATE_CELL, enterprise=enterprise,
                          parent=parent)

    add(2, 0)
    client.force_login(pc_officer)
    client.get(PARTYORG_LIST)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(PARTYORG_LIST)
    counted = len(queries)
    add(30, 2)
    client.get(PARTYORG_LIST)
    reset_queries()
    with django_assert_num_queries(counted):
        response = client.get(PARTYORG_LIST)
    assert len(response.context["page_obj"]) == 50


def test_profile_of_a_reader_has_no_forms(as_user, iz_leader, zone_a):
    enterprise = make_enterprise(zone_a)
    doc = lxml.html.fromstring(as_user(iz_leader).get(enterprise.get_absolute_url()).content)
    assert not doc.xpath('//a[@data-testid="edit"]')
    assert not doc.xpath('//form[@data-testid="workforce-form"]')
    assert not doc.xpath('//form[@data-testid="massorg-form"]')


def workforce_url(enterprise):
    return reverse("enterprises:workforce_create", args=[enterprise.pk])


def test_add_workforce_figures_without_javascript(as_user, iz_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    response = as_user(iz_officer).post(workforce_url(enterprise), {
        "workforce-as_of": "01/07/2025", "workforce-total_workers": "450",
        "workforce-female_workers": "200",
    })
    assert response.status_code == 302
    assert response["Location"] == f"{enterprise.get_absolute_url()}#workforce"
    record = enterprise.workforce_records.get()
    assert (record.as_of, record.total_workers, record.female_workers) == (
        date(2025, 7, 1), 450, 200)


def test_add_workforce_figures_with_htmx(as_user, iz_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    response = as_user(iz_officer).post(
        workforce_url(enterprise),
        {"workforce-as_of": "01/07/2025", "workforce-total_workers": "450"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    doc = lxml.html.fragments_fromstring(html)
    assert doc[0].get("id") == "workforce-panel"
    assert "450" in doc[0].xpath('.//*[@data-testid="workforce-table"]')[0].text_content()
    # The history is refreshed out of band.
    assert doc[1].get("id") == "history-panel"
    assert doc[1].get("hx-swap-oob") == "true"
    assert iz_officer.full_name in doc[1].text_content()


def test_workforce_errors_are_shown_in_the_panel(as_user, iz_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    client = as_user(iz_officer)
    data = {"workforce-as_of": "01/07/2025", "workforce-total_workers": "100",
            "workforce-union_members": "150"}
    htmx = client.post(workforce_url(enterprise), data, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    html = htmx.content.decode()
    assert 'id="workforce-panel"' in html and "<html" not in html
    assert "cannot exceed total workers" in field_feedback(html, "workforce-union_members")
    assert input_value(html, "id_workforce-union_members") == "150"
    plain = client.post(workforce_url(enterprise), {**data, "workforce-as_of": "2025/07/01"})
    assert plain.status_code == 200
    assert field_feedback(plain.content.decode(), "workforce-as_of")
    assert not WorkforceRecord.objects.exists()


def test_add_and_dissolve_a_mass_organization(as_user, iz_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    client = as_user(iz_officer)
    url = reverse("enterprises:massorg_create", args=[enterprise.pk])
    data = {"massorg-kind": "youth_union", "massorg-established_on": "26/03/2016",
            "massorg-note": "Chi đoàn"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    organization = enterprise.mass_organizations.get()
    assert (organization.kind, organization.established_on) == ("youth_union", date(2016, 3, 26))
    assert 'id="massorg-panel"' in response.content.decode()

    # A second active youth union is refused, on the kind field.
    again = client.post(url, data, headers={"HX-Request": "true"})
    assert "already has an active organization" in field_feedback(again.content.decode(),
                                                                  "massorg-kind")

    dissolve = reverse("enterprises:massorg_dissolve", args=[enterprise.pk, organization.pk])
    too_early = client.post(dissolve, {"dissolved_on": "01/01/2016"},
                            headers={"HX-Request": "true"})
    assert "before the establishment date" in field_feedback(
        too_early.content.decode(), f"dissolve{organization.pk}_dissolved_on")
    response = client.post(dissolve, {"dissolved_on": "30/06/2025"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.dissolved_on == date(2025, 6, 30)
    # Once dissolved, a new one may be established.
    assert client.post(url, data).status_code == 302
    assert enterprise.mass_organizations.count() == 2


def test_a_mass_organization_of_another_enterprise_is_not_found(as_user, pc_officer, zone_a):
    one, other = make_enterprise(zone_a), make_enterprise(zone_a)
    organization = make_massorg(other)
    url = reverse("enterprises:massorg_dissolve", args=[one.pk, organization.pk])
    assert as_user(pc_officer).post(url, {"dissolved_on": "30/06/2025"}).status_code == 404


# --- Party organizations ----------------------------------------------------------------------

def test_party_organization_list_filters(as_user, pc_officer, iz_officer, zone_a, zone_b):
    duc = make_enterprise(zone_a, name="Công ty Đức Phát")
    committee = make_partyorg("Đảng bộ Công ty Đức Phát", kind=Kind.GRASSROOTS_COMMITTEE,
                              enterprise=duc)
    make_partyorg("Chi bộ Phân xưởng 1", kind=Kind.SUBORDINATE_CELL, enterprise=duc,
                  parent=committee)
    make_partyorg("Chi bộ ghép Khu B", zone=zone_b)
    make_partyorg("Chi bộ đã giải thể", zone=zone_a, dissolved_on=date(2024, 1, 1))
    client = as_user(pc_officer)

    def names(**params):
        return [o.name for o in client.get(PARTYORG_LIST, params).context["page_obj"]]

    assert names() == ["Chi bộ đã giải thể", "Chi bộ ghép Khu B", "Chi bộ Phân xưởng 1",
                       "Đảng bộ Công ty Đức Phát"]
    assert names(q="duc phat") == ["Chi bộ Phân xưởng 1", "Đảng bộ Công ty Đức Phát"]
    assert names(kind="chi_bo_truc_thuoc") == ["Chi bộ Phân xưởng 1"]
    assert names(zone=zone_b.pk) == ["Chi bộ ghép Khu B"]
    assert names(state="dissolved") == ["Chi bộ đã giải thể"]
    assert "Chi bộ đã giải thể" not in names(state="active")
    # An IZ officer sees the organizations of its zones only.
    iz = as_user(iz_officer).get(PARTYORG_LIST).context["page_obj"]
    assert "Chi bộ ghép Khu B" not in [o.name for o in iz]
    assert len(iz) == 3


def partyorg_post(**overrides):
    data = {"name": "Chi bộ Công ty Sông Hồng", "kind": "chi_bo_co_so", "enterprise": "",
            "zone": "", "parent": "", "established_on": "03/02/2024",
            "decision_number": "125-QĐ/ĐUK", "dissolved_on": ""}
    data.update(overrides)
    return data


def test_create_edit_and_dissolve_a_party_organization(as_user, pc_officer, zone_a, zone_b):
    enterprise = make_enterprise(zone_a, name="Công ty Sông Hồng")
    client = as_user(pc_officer)
    create = reverse("enterprises:partyorg_create")
    prefilled = client.get(create, {"enterprise": enterprise.pk}).context["form"]
    assert prefilled["enterprise"].value() == enterprise.pk
    # An enterprise's organization takes the enterprise's zone, whatever was chosen.
    response = client.post(create, partyorg_post(enterprise=enterprise.pk, zone=zone_b.pk))
    organization = PartyOrganization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    assert (organization.enterprise, organization.zone) == (enterprise, zone_a)
    assert organization.established_on == date(2024, 2, 3)

    update = reverse("enterprises:partyorg_update", args=[organization.pk])
    response = client.post(update, partyorg_post(enterprise=enterprise.pk,
                                                 kind="dang_bo_co_so",
                                                 name="Đảng bộ Công ty Sông Hồng"))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.kind == "dang_bo_co_so"

    cell = make_partyorg("Chi bộ Phân xưởng", kind=Kind.SUBORDINATE_CELL, enterprise=enterprise,
                         parent=organization)
    detail = client.get(organization.get_absolute_url())
    assert [c.name for c in detail.context["children"]] == ["Chi bộ Phân xưởng"]
    history = detail.context["history"][0]
    assert history["who"] == pc_officer.full_name
    assert {c["field"] for c in history["changes"]} == {"Name", "Kind"}

    dissolve = reverse("enterprises:partyorg_dissolve", args=[organization.pk])
    refused = client.post(dissolve, {"dissolved_on": "01/07/2025"})
    assert refused.status_code == 200
    assert "Chi bộ Phân xưởng" in field_feedback(refused.content.decode(), "dissolved_on")
    services.party_organization_dissolve(organization=cell, on=date(2025, 6, 30))
    response = client.post(dissolve, {"dissolved_on": "01/07/2025"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.dissolved_on == date(2025, 7, 1)


def test_party_organization_errors_on_their_fields(as_user, pc_officer, zone_a):
    client = as_user(pc_officer)
    create = reverse("enterprises:partyorg_create")
    orphan = client.post(create, partyorg_post(kind="chi_bo_truc_thuoc", zone=zone_a.pk))
    assert orphan.status_code == 200
    assert "superior party organization" in field_feedback(orphan.content.decode(), "parent")
    make_partyorg("Chi bộ ghép An Bình", zone=zone_a)
    duplicate = client.post(create, partyorg_post(name="Chi bộ ghép An Bình", zone=zone_a.pk))
    assert "already exists" in field_feedback(duplicate.content.decode(), "name")
    assert input_value(duplicate.content.decode(), "id_decision_number") == "125-QĐ/ĐUK"


def test_parent_choices_are_active_grassroots_committees(as_user, pc_officer, zone_a):
    active = make_partyorg("Đảng bộ A", kind=Kind.GRASSROOTS_COMMITTEE, zone=zone_a)
    make_partyorg("Đảng bộ cũ", kind=Kind.GRASSROOTS_COMMITTEE, zone=zone_a,
                  dissolved_on=date(2020, 1, 1))
    make_partyorg("Chi bộ cơ sở", zone=zone_a)
    form = as_user(pc_officer).get(reverse("enterprises:partyorg_create")).context["form"]
    assert list(form.fields["parent"].queryset) == [active]


# --- Export ----------------------------------------------------------------------


def test_export_returns_the_filtered_list_as_xlsx(as_user, iz_officer, zone_a, zone_b):
    import openpyxl

    make_enterprise(zone_a, name="Công ty Xuất Một", capital_source="fdi")
    make_enterprise(zone_a, name="Công ty Nhà nước Hai", capital_source="nha_nuoc")
    make_enterprise(zone_b, name="Công ty Ngoài phạm vi", capital_source="fdi")
    url = reverse("enterprises:enterprise_export") + "?capital_source=fdi"
    assert as_user(iz_officer).get(url).status_code == 405  # an export is a POST
    response = as_user(iz_officer).post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"doanh-nghiep-{timezone.localdate():%Y%m%d}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
             for cell in row if cell.value is not None}
    assert "Công ty Xuất Một" in cells
    assert "Công ty Nhà nước Hai" not in cells
    assert "Công ty Ngoài phạm vi" not in cells


# --- Language ----------------------------------------------------------------------


def test_pages_render_in_vietnamese_by_default(client, pc_officer, zone_a):
    enterprise = make_enterprise(zone_a)
    client.force_login(pc_officer)
    for url in (LIST, enterprise.get_absolute_url(), CREATE, PARTYORG_LIST,
                reverse("enterprises:zone_list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="vi"' in response.content.decode()
        assert not re.search(r'style="', response.content.decode()), url
