"""An administrator creates an API token in a real browser and sees it once;
the API's documentation renders under the Content-Security-Policy."""

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_token_is_created_shown_once_and_works(page, signed_in, screenshot, zone_a):
    UserFactory(username="quan.tri", organization="", role="", is_staff=True,
                is_superuser=True)
    officer = UserFactory(username="bql.hx", full_name="Đỗ Thị Hòa", organization="iz_board",
                          role="officer", zones=[zone_a])
    signed_in("quan.tri")
    page.goto("/admin/api/apitoken/add/")
    page.select_option("select[name=account]", value=str(officer.pk))
    page.fill("input[name=name]", "Hệ thống doanh nghiệp BQL")
    page.click("input[name=_save]")
    secret = page.get_by_test_id("api-token-secret").inner_text()
    assert secret.startswith("kcn_")
    assert "Đỗ Thị Hòa (bql.hx)" in page.content()
    screenshot("api-token-created")
    answer = page.request.get("/api/v1/zones/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert [zone["code"] for zone in answer.json()["results"]] == ["AAA"]
    page.goto("/admin/api/apitoken/")
    assert secret not in page.content()


def test_the_documentation_renders_without_breaking_the_policy(page, screenshot):
    problems = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/enterprises/sync/").first.wait_for()
    assert page.get_by_role("button", name="Authorize").is_visible()
    screenshot("api-docs")
    assert problems == []
