"""The page shell: headers, language, navigation by role, error pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_csp_and_no_store(client, pc_officer):
    client.force_login(pc_officer)
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_script_in_the_shell(client, pc_officer):
    client.force_login(pc_officer)
    content = client.get(reverse("core:home")).content.decode()
    # Every <script> loads a file; none carries code.
    import re

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", content, re.S)
    assert scripts
    for attrs, body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs
        assert body.strip() == "" or 'type="application/json"' in attrs


def test_static_assets_are_vendored_not_from_a_cdn(client, pc_officer):
    client.force_login(pc_officer)
    content = client.get(reverse("core:home")).content.decode()
    assert "http://" not in content.replace("http://www.w3.org", "")
    assert "https://" not in content
    from django.contrib.staticfiles import finders

    for path in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/chartjs/chart.umd.min.js",
    ):
        assert finders.find(path), path


def test_english_can_be_selected(client, pc_officer):
    client.force_login(pc_officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get(reverse("core:home")).content.decode()
    assert 'lang="en"' in content
    assert "Sign out" in content


@pytest.mark.parametrize(
    ("fixture", "expected", "absent"),
    [
        ("pc_officer", ["Xem dữ liệu cá nhân", "Tạo báo cáo định kỳ"], ["Phê duyệt kế hoạch"]),
        ("pc_leader", ["Phê duyệt kế hoạch", "Xem dữ liệu cá nhân"], ["Tạo báo cáo định kỳ"]),
        ("iz_officer", ["Nhập và cập nhật doanh nghiệp"], ["Xem dữ liệu cá nhân"]),
        ("iz_leader", ["Tải báo cáo"], ["Nhập và cập nhật doanh nghiệp", "Xem dữ liệu cá nhân"]),
    ],
)
def test_home_shows_what_each_role_may_do(client, request, fixture, expected, absent):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    content = client.get(reverse("core:home")).content.decode()
    for text in expected:
        assert text in content, text
    for text in absent:
        assert text not in content, text


def test_iz_officer_home_lists_only_its_zones(client, iz_officer, zone_a, zone_b):
    client.force_login(iz_officer)
    content = client.get(reverse("core:home")).content.decode()
    assert zone_a.name in content
    assert zone_b.name not in content


def test_unknown_page_is_a_vietnamese_404(client, pc_officer):
    client.force_login(pc_officer)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_home_query_count_is_bounded(client, iz_officer, django_assert_max_num_queries):
    client.force_login(iz_officer)
    # The dashboard computes about one query per indicator on a cold cache; equality on
    # small and larger data is asserted in tests/reports/test_dashboard_queries.py.
    with django_assert_max_num_queries(60):
        assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize(
    ("fixture", "status"),
    [("administrator", 200), ("pc_officer", 302), ("iz_officer", 302)],
)
def test_only_administrators_enter_the_admin(client, request, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("admin:index")).status_code == status


def test_administrator_manages_accounts_and_zones_in_the_admin(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:enterprises_industrialzone_changelist")).status_code == 200
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200


def test_home_shows_this_years_figures_scoped_to_the_account(client, iz_officer, zone_a, zone_b):
    from tests.enterprises.factories import EnterpriseFactory

    EnterpriseFactory(zone=zone_a)
    EnterpriseFactory(zone=zone_b)
    EnterpriseFactory(zone=zone_b)
    client.force_login(iz_officer)
    response = client.get(reverse("core:home"))
    import lxml.html

    page = lxml.html.fromstring(response.content)
    value = page.xpath('//div[@data-code="enterprises"]//div[@class="stat-value"]/text()')
    assert value == ["1"]
    # Personal lists are not offered to an IZ account.
    assert not page.xpath('//div[@data-code="members"]//a')
    assert page.xpath('//div[@data-code="enterprises_qualifying"]//a')


def test_administrator_home_has_no_figures(client, administrator):
    client.force_login(administrator)
    content = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="main-figures"' not in content


def test_the_area_of_the_page_is_highlighted_by_the_longest_matching_address(pc_officer):
    from core.navigation import nav_for

    def active(path):
        return [item["url"] for item in nav_for(pc_officer, path) if item["active"]]

    assert active("/") == ["/"]
    assert active("/party-development/candidates/3/") == ["/party-development/"]
    assert active("/party-development/plans/4/") == ["/party-development/plans/"]
    assert active("/party-development/committees/") == ["/party-development/plans/"]
    assert active("/surveys/visits/9/") == ["/party-development/plans/"]
    assert active("/enterprises/12/") == ["/enterprises/"]
    assert active("/reports/") == ["/reports/"]
    assert active("/notifications/") == []
