"""Every API route × role × in / out of the account's scope, with tokens.

The routes come from the resolver (``tests.test_permission_matrix``, where
each one has its row of answers, asked there with a session): a new route
without a row fails there, and here each row is asked again with each
account's own token, which must get exactly the same answers. Then every
route is asked with a POST, which is never answered more generously.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api import services
from tests.test_permission_matrix import (  # noqa: F401 - fixtures
    EXPECTED,
    ROLES,
    administrator,
    iz_leader,
    iz_officer,
    matrix_data,
    pc_leader,
    pc_officer,
    project_urls,
    url_for,
    world,
    zone_a,
    zone_b,
)

pytestmark = pytest.mark.django_db

API_ROUTES = sorted(name for name in project_urls() if name.startswith("api:"))


def test_the_api_has_routes_and_each_has_a_row():
    assert len(API_ROUTES) >= 20
    assert set(API_ROUTES) <= set(EXPECTED)


@pytest.fixture
def tokens(world):  # noqa: F811
    return {role: services.token_create(actor=None, account=user, name=role).secret
            for role, user in world["users"].items()}


def _ask(tokens, role, method, url):
    client = APIClient()
    if role != "anon":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[role]}")
    return getattr(client, method)(url).status_code


@pytest.mark.parametrize("name", API_ROUTES)
def test_a_token_gets_what_its_account_gets(world, tokens, name):  # noqa: F811
    pattern = project_urls()[name]
    got = {side: [_ask(tokens, role, "get", url_for(name, pattern, world, side, role))
                  for role in ROLES]
           for side in EXPECTED[name]}
    assert got == EXPECTED[name]


@pytest.mark.parametrize("name", API_ROUTES)
def test_a_post_is_never_answered_more_generously(world, tokens, name):  # noqa: F811
    pattern = project_urls()[name]
    for side, answers in EXPECTED[name].items():
        for role, on_get in zip(ROLES, answers, strict=True):
            if on_get not in (401, 403, 404):
                continue
            got = _ask(tokens, role, "post", url_for(name, pattern, world, side, role))
            allowed = {401: {401}, 403: {403, 405}, 404: {404, 405}}[on_get]
            assert got in allowed, (name, side, role, on_get, got)
