"""The party development lists ask as many queries for 45 candidates and
members as for 5: the pipeline board, the candidates, the members, the
enterprises that qualify and the recognitions due, for each account that opens
them.

The rows are written once for the module (tests/conftest.py's module_data): 5
of each, the query count of every page for every account, then 40 more; each
test counts its page's queries again on the 45.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import AdmissionCandidate
from enterprises import services as registry
from tests.conftest import make_role_users, make_zone_a, module_data
from tests.enterprises.factories import make_enterprise

from .factories import advance, make_candidate, make_member

pytestmark = pytest.mark.django_db

Stage = AdmissionCandidate.Stage

BOARD = reverse("coordination:pipeline")
CANDIDATES = reverse("coordination:candidate_list")
MEMBERS = reverse("coordination:member_list")
QUALIFYING = reverse("coordination:qualifying")
RECOGNITION_DUE = reverse("coordination:recognition_due")

PAGES = [
    (BOARD, {}),
    (CANDIDATES, {"stage": "open"}),
    (MEMBERS, {"status": "official"}),
    (QUALIFYING, {"list": "close"}),
    (RECOGNITION_DUE, {}),
]


def _fill(zone, count, start):
    """``count`` candidates spread over the first stages, with organizations and helpers."""
    enterprise = make_enterprise(zone)
    organization = registry.party_organization_create(data={
        "name": f"Chi bộ Phụ trách {start}", "kind": "chi_bo_co_so", "enterprise": enterprise,
        "established_on": date(2018, 1, 1)})
    helper = make_member(enterprise, party_organization=organization,
                         official_on=date(2021, 3, 1))
    stages = [Stage.IDENTIFIED, Stage.COURSE, Stage.APPLICATION, Stage.CELL_RESOLUTION,
              Stage.DECISION]
    for i in range(start, start + count):
        candidate = make_candidate(enterprise, given_name=f"Thử{i:03d}",
                                   responsible_organization=organization, helper_member=helper)
        target = stages[i % len(stages)]
        if target != Stage.IDENTIFIED:
            advance(candidate, target)
        make_member(enterprise, given_name=f"Viên{i:03d}", party_organization=organization,
                    official_on=None if i % 2 else date(2021, 3, 1))


def _accounts(url: str) -> tuple[str, ...]:
    return ("pc_officer", "iz_officer") if url in (BOARD, QUALIFYING) else ("pc_officer",)


def _count(client, user, url, params) -> int:
    """The queries of the page, once the account's session and caches are warm."""
    client.force_login(user)
    client.get(url, params)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker):
    """5 candidates and members, every page's query count for each account,
    then 40 more."""
    with module_data(django_db_blocker):
        zone_a = make_zone_a()
        users = make_role_users(zone_a)
        _fill(zone_a, 5, 0)
        client = Client()
        small = {(url, user): _count(client, users[user], url, params)
                 for url, params in PAGES for user in _accounts(url)}
        _fill(zone_a, 40, 5)
        yield {"users": users, "small": small}


@pytest.mark.parametrize(("url", "params"), PAGES)
def test_the_number_of_queries_does_not_grow_with_the_rows(client, rows, url, params,
                                                           django_assert_num_queries):
    for user in _accounts(url):
        client.force_login(rows["users"][user])
        client.get(url, params)
        reset_queries()
        with django_assert_num_queries(rows["small"][url, user]):
            response = client.get(url, params)
    if url == CANDIDATES:
        assert response.context["page_obj"].paginator.count == 45
    if url == BOARD:
        assert response.context["total"] == 45
