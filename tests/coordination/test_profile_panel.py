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


def _link(client, column, testid, url_name):
    """The column's link to the whole list: its text, its query and the page it opens."""
    more = column.xpath(f'.//*[@data-testid="{testid}"]//a')[0]
    url = urlsplit(more.get("href"))
    assert url.path == reverse(url_name)
    return more.text_content(), parse_qs(url.query), client.get(more.get("href")).content.decode()


def _names(column):
    return [a.text_content().strip() for a in column.xpath(".//li/a")
            if "data-testid" not in a.getparent().attrib]


# Per kind of row: how to make one, its name's first words, its column on the
# panel, its link's test id, the list it opens and the link's own filter.
KINDS = {
    "members": (make_member, "Nguyễn Văn", 0, "panel-members-more",
                "coordination:member_list", {"status": ["on_rolls"]}),
    "candidates": (make_candidate, "Trần Thị", 1, "panel-candidates-more",
                   "coordination:candidate_list", {"stage": ["open"]}),
}


def _columns(client, user, enterprise):
    return _panel(client, user, enterprise).xpath('.//div[contains(@class, "col-md-6")]')


@pytest.mark.parametrize("kind", KINDS)
def test_a_long_list_shows_its_first_names_and_links_to_the_whole_list(client, pc_officer,
                                                                        kind):
    assert PANEL_ROWS == 20 and len(GIVEN) == PANEL_ROWS + 2
    make, prefix, column, testid, url_name, own_filter = KINDS[kind]
    enterprise = EnterpriseFactory()
    for given in reversed(GIVEN):
        make(enterprise, given_name=given)
    make(EnterpriseFactory(), given_name="Bảo")  # another enterprise's
    rows = _columns(client, pc_officer, enterprise)[column]
    assert _names(rows) == [f"{prefix} {given}" for given in GIVEN[:PANEL_ROWS]]
    text, query, listing = _link(client, rows, testid, url_name)
    assert f"{PANEL_ROWS}" in text and f"{len(GIVEN)}" in text
    assert query == {"enterprise": [enterprise.tax_code], **own_filter}
    # The link's list holds every one of the enterprise, and only them.
    for given in GIVEN:
        assert f"{prefix} {given}<" in listing
    assert f"{prefix} Bảo" not in listing


def test_a_member_who_left_is_neither_on_the_panel_nor_in_its_list(client, pc_officer):
    enterprise = EnterpriseFactory()
    for given in GIVEN:
        make_member(enterprise, given_name=given)
    gone = make_member(enterprise, given_name="Anh")
    services.member_leave(member=gone, on=timezone.localdate() - timedelta(days=1),
                          reason="resigned")
    members = _columns(client, pc_officer, enterprise)[0]
    assert "Nguyễn Văn Anh" not in _names(members)
    _text, _query, listing = _link(client, members, "panel-members-more",
                                   "coordination:member_list")
    assert "Nguyễn Văn Anh<" not in listing
    # Without the link's status filter, the enterprise's list shows the member who left.
    assert "Nguyễn Văn Anh<" in client.get(reverse("coordination:member_list"), {
        "enterprise": enterprise.tax_code}).content.decode()


def test_a_short_list_shows_every_name_without_a_link(client, pc_officer):
    enterprise = EnterpriseFactory()
    for given in GIVEN[:3]:
        make_member(enterprise, given_name=given)
    for given in ("Hoa", "Lan"):
        make_candidate(enterprise, given_name=given)
    members, candidates = _columns(client, pc_officer, enterprise)
    assert _names(members) == [f"Nguyễn Văn {given}" for given in GIVEN[:3]]
    assert _names(candidates) == ["Trần Thị Hoa", "Trần Thị Lan"]
    assert not members.xpath('.//*[@data-testid="panel-members-more"]')
    assert not candidates.xpath('.//*[@data-testid="panel-candidates-more"]')
