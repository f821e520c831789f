"""Demo accounts, one per role (seed_demo). Never created in production."""

from .models import User

# dev-only demo password, printed by `make run`; seed_demo refuses to run
# unless DEMO_DATA_ALLOWED (never in production settings).
DEMO_PASSWORD = "KcnDemo@2026"  # noqa: S105 - dev-only

Org = User.Organization
Role = User.Role

ACCOUNTS = [
    # username, full name, organization, role, zones (indexes) or "all", staff
    ("canbo.dang", "Nguyễn Thị Hồng Nhung", Org.PARTY_COMMITTEE, Role.OFFICER, "all", False),
    ("lanhdao.dang", "Trần Văn Quang", Org.PARTY_COMMITTEE, Role.LEADER, "all", False),
    ("canbo.bql", "Phạm Minh Đức", Org.IZ_BOARD, Role.OFFICER, [0], False),
    ("canbo.bql2", "Lê Thu Hà", Org.IZ_BOARD, Role.OFFICER, [1, 2], False),
    ("lanhdao.bql", "Vũ Đình Khánh", Org.IZ_BOARD, Role.LEADER, "all", False),
    ("quantri", "Quản trị hệ thống", "", "", None, True),
]

TITLES = {
    (Org.PARTY_COMMITTEE, Role.OFFICER): "Chuyên viên Ban Tổ chức",
    (Org.PARTY_COMMITTEE, Role.LEADER): "Phó Bí thư Đảng ủy",
    (Org.IZ_BOARD, Role.OFFICER): "Chuyên viên Phòng Quản lý doanh nghiệp",
    (Org.IZ_BOARD, Role.LEADER): "Phó Trưởng ban",
}


def seed(ctx) -> None:
    """The demo accounts, created by the bootstrap (services.bootstrapping):
    seed_demo fills an empty database, where no Party Committee leader exists
    yet to approve them."""
    from .services import account_create, bootstrapping

    with bootstrapping(reason="demo data"):
        _seed(ctx, account_create)


def _seed(ctx, account_create) -> None:
    for username, full_name, org, role, zones, staff in ACCOUNTS:
        user = account_create(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            organization=org,
            role=role,
            title=TITLES.get((org, role), "Quản trị viên"),
            all_zones=(zones == "all" and org == Org.IZ_BOARD),
            zones=[ctx.zones[i] for i in zones] if isinstance(zones, list) else [],
            is_staff=staff,
            is_superuser=staff,
        )
        ctx.accounts.append(user)


def describe() -> list[tuple[str, str, str]]:
    """(username, password, role) of each demo account that exists."""
    rows = []
    for user in User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).order_by("pk"):
        scope = ""
        if user.organization == Org.IZ_BOARD and not user.all_zones:
            scope = " (" + ", ".join(z.code for z in user.zones.order_by("code")) + ")"
        rows.append((user.username, DEMO_PASSWORD, user.role_label + scope))
    return rows
