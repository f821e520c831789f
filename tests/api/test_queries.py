"""The API's lists ask a bounded number of queries, whatever the rows of a page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import make_enterprise, make_massorg, make_partyorg, make_workforce

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/zones/", "/api/v1/enterprises/", "/api/v1/mass-organizations/",
         "/api/v1/party-organizations/", "/api/v1/members/", "/api/v1/candidates/"]


def _add(zone, count):
    for _ in range(count):
        enterprise = make_enterprise(zone, established_on=date(2020, 1, 1))
        make_workforce(enterprise, 50, as_of=date(2025, 6, 30))
        make_massorg(enterprise)
        make_partyorg(enterprise=enterprise)
        make_member(enterprise)
        make_candidate(enterprise)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:200])
    return len(captured)


@pytest.mark.parametrize("url", LISTS)
def test_a_page_of_many_rows_asks_no_more_queries_than_a_page_of_few(api, zone_a, pc_officer,
                                                                       url):
    client = api.as_(pc_officer)
    client.get("/api/v1/zones/")  # the token's first use is written once a minute
    _add(zone_a, 2)
    few = _queries(client, url)
    _add(zone_a, 8)
    many = _queries(client, url)
    assert many == few, (url, few, many)
    assert many <= 8, (url, many)
