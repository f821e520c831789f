"""The published OpenAPI schema: generated without a warning, identical to the
committed docs/openapi.yaml, and its documentation served without a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def test_the_committed_schema_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "vi", "--validate", "--fail-on-warn",
                 "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml is stale: make openapi")


def test_the_schema_is_served(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer",
        "description": "An API token created by an administrator (shown once)."}
    sync = schema["paths"]["/api/v1/enterprises/sync/"]["post"]
    assert {"200", "400", "401", "403", "409", "413", "415", "422", "429"} <= set(
        sync["responses"])
    assert set(sync["responses"]["422"]["content"]) == {"application/problem+json"}


def test_the_documentation_uses_only_the_sites_own_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, page
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert any("swagger-ui" in src for src in sources)
    assert "cdn" not in page.lower()
