"""Every list page extends templates/core/list_page.html."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory

LIST_PAGE = "core/list_page.html"


def _template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def test_member_and_candidate_lists_share_the_list_page(client, pc_officer, zone_a):
    """They differ only in their columns, filters and texts."""
    enterprise = EnterpriseFactory(zone=zone_a)
    make_member(enterprise)
    make_candidate(enterprise, identified_on=date(2025, 1, 10))
    client.force_login(pc_officer)
    for url_name, row in (("coordination:member_list", "member-row"),
                          ("coordination:candidate_list", "candidate-row")):
        response = client.get(reverse(url_name))
        assert response.status_code == 200
        names = _template_names(response)
        assert LIST_PAGE in names
        assert "coordination/person_list.html" in names
        assert f'data-testid="{row}"' in response.content.decode()


@pytest.mark.parametrize("url_name", [
    "enterprises:enterprise_list", "enterprises:zone_list", "enterprises:partyorg_list",
    "reports:report_list", "surveys:campaign_list", "core:notification_list",
])
def test_other_lists_extend_the_list_page(client, pc_officer, zone_a, url_name):
    client.force_login(pc_officer)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert LIST_PAGE in _template_names(response)


@pytest.mark.parametrize("url_name", [
    "enterprises:enterprise_list", "enterprises:partyorg_list", "coordination:member_list",
    "coordination:candidate_list", "reports:report_list",
])
def test_an_empty_list_still_shows_its_count(client, pc_officer, url_name):
    client.force_login(pc_officer)
    response = client.get(reverse(url_name))
    content = response.content.decode()
    assert 'data-testid="empty-state"' in content
    assert 'data-testid="result-count">0</span>' in content
