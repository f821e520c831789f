"""Each demo role signs in through a real browser and sees its Vietnamese home."""

import io
import random

import pytest
from django.core.management import call_command

from accounts import demo as accounts_demo
from accounts.demo import DEMO_PASSWORD
from core.management.commands.seed_demo import SeedContext
from enterprises import demo as enterprise_demo
from enterprises import services as enterprise_services

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    """The whole demo: its home page draws every chart."""
    call_command("seed_demo", "--seed", "1")


@pytest.fixture
def accounts(transactional_db):
    """The demo's zones and accounts, as seed_demo makes them: all that signing in
    needs (the whole demo takes some ten seconds for each test)."""
    ctx = SeedContext(size="small", rng=random.Random(1), stdout=io.StringIO())
    for code, name, commune in enterprise_demo.ZONES[:enterprise_demo.SIZES["small"]["zones"]]:
        ctx.zones.append(enterprise_services.zone_create(code=code, name=name, commune=commune))
    accounts_demo.seed(ctx)


ROLES = [
    ("canbo.dang", "Cán bộ · Đảng ủy", "Xem dữ liệu cá nhân", None),
    ("lanhdao.dang", "Lãnh đạo · Đảng ủy", "Phê duyệt kế hoạch", "Tạo báo cáo định kỳ"),
    ("canbo.bql", "Cán bộ · Ban Quản lý các khu công nghiệp", "Nhập và cập nhật doanh nghiệp",
     "Xem dữ liệu cá nhân"),
    ("lanhdao.bql", "Lãnh đạo · Ban Quản lý các khu công nghiệp", "Tải báo cáo",
     "Nhập và cập nhật doanh nghiệp"),
]


@pytest.mark.parametrize(("username", "role", "may", "may_not"), ROLES)
def test_role_signs_in_and_sees_its_vietnamese_home(accounts, page, screenshot, username, role,
                                                    may, may_not):
    sign_in(page, username, DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_test_id("role-badge").inner_text().strip() == role
    capabilities = page.get_by_test_id("capabilities").inner_text()
    assert may in capabilities
    if may_not:
        assert may_not not in capabilities
    screenshot(f"home-{username}")
    # Signing out returns to the login page.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")


def test_iz_officer_sees_only_its_zone(accounts, page):
    sign_in(page, "canbo.bql", DEMO_PASSWORD)
    zones = page.get_by_test_id("zones").inner_text()
    assert "Hòa Xá" in zones
    assert "Bảo Minh" not in zones


def test_wrong_password_shows_a_vietnamese_error(accounts, page, screenshot):
    sign_in(page, "canbo.dang", "sai-mat-khau")
    assert "tên đăng nhập và mật khẩu" in page.locator(".alert-danger").inner_text().lower()
    assert page.get_by_label("Tên đăng nhập").input_value() == "canbo.dang"
    screenshot("login-error")


def test_no_csp_violation_on_the_home_page(demo, page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, "canbo.dang", DEMO_PASSWORD)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert not [e for e in errors if "Content Security Policy" in e or "404" in e], errors


def _app_code(secret_text: str, *, step_offset: int = 0) -> str:
    """What an authenticator app shows for the key typed by hand (RFC 6238)."""
    import base64

    from django_otp.oath import totp

    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=step_offset):06d}"


def test_two_step_sign_in_set_up_then_used(accounts, page, screenshot, settings):
    """Where it is required, a Party Committee officer sets it up at sign-in; the
    next sign-in asks for the app's code before any page."""
    settings.MFA_REQUIRED = True
    sign_in(page, "canbo.dang", DEMO_PASSWORD)
    page.wait_for_url("**/accounts/two-step/setup/**")
    assert page.get_by_test_id("required").is_visible()
    assert page.get_by_test_id("qr").locator("svg").is_visible()
    secret = page.get_by_test_id("secret").inner_text()
    screenshot("two-step-setup")
    page.get_by_label("Mã xác thực").fill(_app_code(secret))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    assert page.get_by_test_id("backup-codes").locator("li").count() == 10
    page.get_by_role("link", name="Đã cất giữ mã: tiếp tục").click()
    assert page.get_by_test_id("role-badge").inner_text().strip() == "Cán bộ · Đảng ủy"

    page.context.clear_cookies()
    sign_in(page, "canbo.dang", DEMO_PASSWORD)
    page.wait_for_url("**/accounts/two-step/**")
    page.goto("/enterprises/")  # nothing opens before the code
    page.wait_for_url("**/accounts/two-step/**")
    page.get_by_label("Mã xác thực").fill("000000" if _app_code(secret, step_offset=1) != "000000"
                                          else "111111")
    page.get_by_role("button", name="Tiếp tục").click()
    assert "Mã không đúng" in page.locator(".invalid-feedback").inner_text()
    screenshot("two-step-wrong-code")
    page.wait_for_timeout(1100)  # a wrong code locks the device for a second
    page.get_by_label("Mã xác thực").fill(_app_code(secret, step_offset=1))
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/enterprises/")
    assert page.get_by_test_id("filters").is_visible()
