"""The enterprise profile's panel of members and candidates (coordination.panels).

It names the first PANEL_ROWS members and open candidates in alphabetical
order and, when there are more, links to the member or candidate list
filtered by the enterprise, whose rows are all of them.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.panels import PANEL_ROWS
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

# Given names in the same order in the Vietnamese alphabet and in ASCII, so the
# order the panel must follow is plain: one more than the panel shows, and two.
GIVEN = ["An", "Ba", "Ca", "Da", "Em", "Gia", "Ha", "Kha", "La", "Ma", "Na", "Oanh", "Pha",
         "Qua", "Ra", "Sa", "Ta", "Uy", "Va", "Xa", "Yen", "Yeu"]


def _panel(client, user, enterprise):
    client.force_login(user)
    response = client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content).xpath('//*[@data-testid="panel-members"]')[0]


def _names(column):
    return [a.text_content().strip() for a in column.xpath(".//li/a")
            if "data-testid" not in a.getparent().attrib]


def test_a_long_list_shows_its_first_names_and_links_to_the_whole_list(client, pc_officer):
    assert PANEL_ROWS == 20 and len(GIVEN) == PANEL_ROWS + 2
    enterprise = EnterpriseFactory()
    other = EnterpriseFactory()
    for given in reversed(GIVEN):
        make_member(enterprise, given_name=given)
    make_member(other, given_name="Bảo")
    gone = make_member(enterprise, given_name="Anh")
    services.member_leave(member=gone, on=timezone.localdate() - timedelta(days=1),
                          reason="resigned")
    for given in ("Hoa", "Lan"):
        make_candidate(enterprise, given_name=given)
    members, candidates = _panel(client, pc_officer, enterprise).xpath(
        './/div[contains(@class, "col-md-6")]')
    assert _names(members) == [f"Nguyễn Văn {given}" for given in GIVEN[:PANEL_ROWS]]
    more = members.xpath('.//*[@data-testid="panel-members-more"]//a')[0]
    assert f"{PANEL_ROWS}" in more.text_content() and f"{len(GIVEN)}" in more.text_content()
    url = urlsplit(more.get("href"))
    assert url.path == reverse("coordination:member_list")
    assert parse_qs(url.query) == {"enterprise": [enterprise.tax_code], "status": ["on_rolls"]}
    # The link's list holds every member on the enterprise's rolls, and only them.
    listing = client.get(more.get("href")).content.decode()
    for given in GIVEN:
        assert f"Nguyễn Văn {given}<" in listing
    assert "Nguyễn Văn Bảo" not in listing
    assert "Nguyễn Văn Anh" not in listing
    assert "Nguyễn Văn Anh<" in client.get(reverse("coordination:member_list"), {
        "enterprise": enterprise.tax_code}).content.decode()
    # Two candidates: both named, no link; a long list links to the open cases.
    assert _names(candidates) == ["Trần Thị Hoa", "Trần Thị Lan"]
    assert not candidates.xpath('.//*[@data-testid="panel-candidates-more"]')


def test_a_short_list_shows_every_name_without_a_link(client, pc_officer):
    enterprise = EnterpriseFactory()
    for given in GIVEN[:3]:
        make_member(enterprise, given_name=given)
    panel = _panel(client, pc_officer, enterprise)
    assert [a for a in panel.xpath(".//li/a")][0].text_content().strip() == "Nguyễn Văn An"
    assert len(panel.xpath(".//li/a")) == 3
    assert not panel.xpath('.//*[@data-testid="panel-members-more"]')


def test_the_candidates_link_opens_the_enterprise_s_open_cases(client, pc_officer):
    enterprise = EnterpriseFactory()
    for given in GIVEN:
        make_candidate(enterprise, given_name=given)
    candidates = _panel(client, pc_officer, enterprise).xpath(
        './/div[contains(@class, "col-md-6")]')[1]
    assert _names(candidates) == [f"Trần Thị {given}" for given in GIVEN[:PANEL_ROWS]]
    more = candidates.xpath('.//*[@data-testid="panel-candidates-more"]//a')[0]
    url = urlsplit(more.get("href"))
    assert url.path == reverse("coordination:candidate_list")
    assert parse_qs(url.query) == {"enterprise": [enterprise.tax_code], "stage": ["open"]}
    listing = client.get(more.get("href")).content.decode()
    for given in GIVEN:
        assert f"Trần Thị {given}<" in listing
