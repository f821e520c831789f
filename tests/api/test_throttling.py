"""Requests per token and minute; answers past the rate are problem details
with Retry-After. Each token counts apart, even of the same account."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(API_THROTTLE_RATES={"read": "3/minute", "write": "1/minute"})
def test_a_token_past_its_rate_waits(api, iz_officer):
    first = api.as_(iz_officer)
    answers = [first.get("/api/v1/zones/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = first.get("/api/v1/zones/")
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    # Another token of the same account has its own count.
    assert api.as_(iz_officer).get("/api/v1/zones/").status_code == 200


@override_settings(API_THROTTLE_RATES={"read": "100/minute", "write": "1/minute"})
def test_writes_have_their_own_rate(api, iz_officer):
    client = api.as_(iz_officer)
    assert client.post("/api/v1/enterprises/sync/", {"items": []}, format="json") \
        .status_code == 400
    assert client.post("/api/v1/enterprises/sync/", {"items": []}, format="json") \
        .status_code == 429
    assert client.get("/api/v1/zones/").status_code == 200


def test_an_unknown_api_address_is_a_problem_not_a_page(api, iz_officer):
    response = api.as_(iz_officer).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/api/v1/problems/not-found"
