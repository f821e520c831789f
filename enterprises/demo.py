"""Demo data of the registry (seed_demo): zones, enterprises, organizations.

Deterministic for a given seed; realistic for a province with several
industrial zones: a mix of FDI and domestic enterprises of every size, most
with a trade union, fewer with a youth union, a few with a party organization.
"""

from datetime import date, timedelta
from decimal import Decimal

from stdnum.vn import mst

from accounts import demo as accounts_demo
from core import registry

from .models import Enterprise, IndustrialZone, MassOrganization, PartyOrganization

ZONES = [
    ("HX", "Khu công nghiệp Hòa Xá", "Phường Mỹ Xá"),
    ("BM", "Khu công nghiệp Bảo Minh", "Xã Liên Minh"),
    ("MT", "Khu công nghiệp Mỹ Trung", "Xã Mỹ Thịnh"),
    ("TA", "Khu công nghiệp Thành An", "Xã Hiển Khánh"),
    ("RD", "Khu công nghiệp Dệt may Rạng Đông", "Xã Rạng Đông"),
    ("HT", "Khu công nghiệp Hồng Tiến", "Xã Hồng Tiến"),
    ("VH", "Khu công nghiệp Việt Hải", "Xã Giao Hải"),
    ("TT", "Khu công nghiệp Trung Thành", "Xã Trung Thành"),
    ("MTH", "Khu công nghiệp Mỹ Thuận", "Xã Mỹ Thuận"),
    ("GN", "Khu công nghiệp Giao Ninh", "Xã Giao Ninh"),
    ("NT", "Khu công nghiệp Nghĩa Tân", "Xã Nghĩa Tân"),
    ("XK", "Khu công nghiệp Xuân Kiên", "Xã Xuân Kiên"),
    ("YB", "Khu công nghiệp Yên Bằng", "Xã Yên Bằng"),
    ("HH", "Khu công nghiệp Hải Hậu", "Xã Hải Hưng"),
    ("NH", "Khu công nghiệp Nam Hồng", "Xã Nam Hồng"),
    ("TC", "Khu công nghiệp Trực Chính", "Xã Trực Chính"),
    ("VB", "Khu công nghiệp Vụ Bản", "Xã Liên Bảo"),
    ("YT", "Khu công nghiệp Ý Yên", "Xã Yên Thọ"),
    ("NHG", "Khu công nghiệp Nghĩa Hưng", "Xã Nghĩa Sơn"),
    ("XT", "Khu công nghiệp Xuân Trường", "Xã Xuân Thành"),
]

SIZES = {
    "small": {"zones": 6, "enterprises": 300},
    "large": {"zones": 20, "enterprises": 5000},
}

FOREIGN_BRANDS = [
    ("Hàn Quốc", ["Daeshin", "Hanwoo", "Sungjin", "Youngpoong", "Kumho Tech", "Dongil", "Seoyon",
                  "Hyunjin", "Myungsung", "Jinwoo Vina", "Samil", "Taekwang"]),
    ("Nhật Bản", ["Kotobuki", "Yamaden", "Nishikawa", "Sumiyoshi", "Takara Seiki", "Okamura",
                  "Hoshino", "Matsuda Parts", "Fujimoto"]),
    ("Trung Quốc", ["Shengda", "Fulong", "Huayang", "Jinxin", "Tianma", "Xinhe", "Hongfa",
                    "Longsheng"]),
    ("Đài Loan", ["Formosa Textile", "Chin Lee", "Tah Hsin", "Kao Fong", "Yuen Foong"]),
    ("Singapore", ["Pacific Rim", "Meridian", "Straits Packaging"]),
    ("Hoa Kỳ", ["Allied Apparel", "Keystone Components"]),
]
PRODUCTS = [
    ("May mặc", "Sản xuất hàng may mặc", 0.8),
    ("Dệt", "Sản xuất sợi, vải dệt", 0.7),
    ("Điện tử", "Sản xuất linh kiện điện tử", 0.65),
    ("Cơ khí", "Gia công cơ khí chính xác", 0.2),
    ("Giày da", "Sản xuất giày dép, túi xách", 0.75),
    ("Nhựa", "Sản xuất sản phẩm nhựa", 0.4),
    ("Bao bì", "Sản xuất bao bì giấy, carton", 0.45),
    ("Thực phẩm", "Chế biến thực phẩm", 0.55),
    ("Gỗ", "Chế biến gỗ, đồ nội thất", 0.3),
    ("Vật liệu xây dựng", "Sản xuất vật liệu xây dựng", 0.15),
    ("Dược phẩm", "Sản xuất dược phẩm", 0.5),
    ("Phụ tùng ô tô", "Sản xuất phụ tùng ô tô, xe máy", 0.25),
]
DOMESTIC_NAMES = [
    "Thành Công", "Hồng Hà", "Sông Đào", "Minh Phát", "Phú Thịnh", "An Phát", "Việt Tiến",
    "Hưng Long", "Đại Dương", "Thiên Trường", "Nam Thành", "Bảo Châu", "Quang Minh",
    "Đức Thành", "Hoàng Gia", "Tân Phong", "Hải Âu", "Trường Sơn", "Kim Ngân", "Phương Đông",
    "Vạn Xuân", "Lạc Hồng", "Sao Vàng", "Đông Á", "Hòa Bình", "Thăng Long", "Bình Minh",
    "Hữu Nghị", "Thịnh Vượng", "Gia Khánh",
]
STREETS = ["Đường D1", "Đường D2", "Đường N1", "Đường N3", "Đường Trục chính", "Lô"]
PEOPLE = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Quốc Bảo", "Kim Min-jun",
          "Tanaka Hiroshi", "Vũ Thị Thu", "Đặng Văn Long", "Hoàng Thị Mai", "Lee Sang-woo",
          "Chen Wei", "Bùi Văn Nam", "Đỗ Thị Hương", "Ngô Quang Huy"]


def _tax_code(province: int, sequence: int) -> str:
    """A valid 10-digit tax code: province code, sequence, check digit."""
    while True:
        body = f"{province:02d}{sequence:07d}"
        check = mst.calc_check_digit(body)
        if check != "10":  # the check digit cannot be 10: skip that sequence
            return body + check
        sequence += 1


def seed(ctx) -> None:
    from . import services

    config = SIZES[ctx.size]
    rng = ctx.rng
    for i, (code, name, commune) in enumerate(ZONES[: config["zones"]]):
        zone = services.zone_create(
            code=code,
            name=name,
            commune=commune,
            area_ha=Decimal(rng.randrange(80, 650)),
            established_on=date(1998 + i, rng.randint(1, 12), rng.randint(1, 28)),
        )
        ctx.zones.append(zone)
    ctx.report("zones", IndustrialZone.objects.count())

    today = ctx.extra.setdefault("today", date.today())
    # The small size is written row by row through the services; larger ones
    # are checked by the same services and written in batches (same data).
    writer = _RowWriter(services) if ctx.size == "small" else _BatchWriter(services)
    used_names: set[str] = set()
    sequence = 1000
    for n in range(config["enterprises"]):
        zone = ctx.zones[n % len(ctx.zones)] if n < len(ctx.zones) * 3 else rng.choice(ctx.zones)
        product, sector, female_share = rng.choice(PRODUCTS)
        foreign = rng.random() < 0.45
        if foreign:
            country, brands = rng.choice(FOREIGN_BRANDS)
            brand = rng.choice(brands)
            name = f"Công ty TNHH {brand} {product} Việt Nam"
            legal_form = Enterprise.LegalForm.LLC_ONE if rng.random() < 0.8 else \
                Enterprise.LegalForm.LLC_MULTI
            capital = Enterprise.CapitalSource.FDI if rng.random() < 0.85 else \
                Enterprise.CapitalSource.JOINT_VENTURE
            workers = rng.randint(150, 4500)
            short = brand.upper().replace(" ", "")[:12] + " VINA"
        else:
            country = ""
            label = rng.choice(DOMESTIC_NAMES)
            form = rng.choices(
                [Enterprise.LegalForm.JOINT_STOCK, Enterprise.LegalForm.LLC_MULTI,
                 Enterprise.LegalForm.LLC_ONE, Enterprise.LegalForm.PRIVATE],
                weights=[35, 35, 20, 10],
            )[0]
            prefix = {"co_phan": "Công ty cổ phần", "tnhh_2tv": "Công ty TNHH",
                      "tnhh_1tv": "Công ty TNHH", "dntn": "Doanh nghiệp tư nhân"}[form]
            name = f"{prefix} {product} {label}"
            legal_form = form
            capital = Enterprise.CapitalSource.DOMESTIC_PRIVATE if rng.random() < 0.93 else \
                Enterprise.CapitalSource.STATE
            workers = rng.randint(15, 900)
            short = ""
        base_name, k = name, 2
        while name in used_names:
            name = f"{base_name} {k}"
            k += 1
        used_names.add(name)
        established = date(2003, 1, 1) + timedelta(days=rng.randint(0, 8000))
        status, since = Enterprise.Status.OPERATING, None
        roll = rng.random()
        if roll < 0.05:
            status = Enterprise.Status.DISSOLVED if roll < 0.03 else Enterprise.Status.SUSPENDED
            since = max(established, today - timedelta(days=rng.randint(10, 900)))
        tax_code = _tax_code(6, sequence)
        sequence = int(tax_code[2:9]) + rng.randint(1, 40)
        data = {
            "tax_code": tax_code,
            "name": name,
            "short_name": short,
            "zone": zone,
            "address": f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {zone.name}",
            "legal_form": legal_form,
            "capital_source": capital,
            "investor_country": country,
            "sector": sector,
            "established_on": established,
            "status": status,
            "status_since": since,
            "representative": rng.choice(PEOPLE),
            "phone": f"0228 3{rng.randint(100000, 999999)}",
        }
        female = round(workers * min(0.95, max(0.05, rng.gauss(female_share, 0.08))))
        union = round(workers * rng.uniform(0.6, 0.98)) if workers >= 50 or rng.random() < 0.4 \
            else None
        youth = round(workers * rng.uniform(0.1, 0.45)) if rng.random() < 0.5 else None
        last_year = date(today.year - 1, 12, 31)
        records = []
        if rng.random() < 0.6:
            records.append({
                "as_of": last_year,
                "total_workers": max(1, round(workers * rng.uniform(0.85, 1.1))),
                "source": "Báo cáo năm",
            })
        records.append({
            "as_of": date(today.year, 6, 30) if today.month > 6 else date(today.year, 1, 1),
            "total_workers": workers, "female_workers": female, "union_members": union,
            "youth_union_members": youth, "source": "Báo cáo 6 tháng",
        })
        # A few operating enterprises for the data review: one in 50 has sent no
        # figures yet, one in 50 none since two years ago. Chosen from the tax
        # code, so the random sequence (and the rest of the data) is unchanged.
        gap = int(tax_code[2:9]) % 50
        if status == Enterprise.Status.OPERATING and gap == 0:
            records = []
        elif status == Enterprise.Status.OPERATING and gap == 1:
            records = [{"as_of": date(today.year - 2, 12, 31), "total_workers": workers,
                        "source": "Báo cáo năm"}]
        unions = []
        if union is not None:
            unions.append((MassOrganization.Kind.TRADE_UNION,
                           established + timedelta(days=rng.randint(60, 900))))
        if youth is not None:
            unions.append((MassOrganization.Kind.YOUTH_UNION,
                           established + timedelta(days=rng.randint(200, 1500))))
        party = None
        if status != Enterprise.Status.DISSOLVED and (
            rng.random() < (0.35 if capital == Enterprise.CapitalSource.STATE or workers > 1500
                            else 0.1)
        ):
            kind = PartyOrganization.Kind.GRASSROOTS_COMMITTEE if workers > 2500 else \
                PartyOrganization.Kind.GRASSROOTS_CELL
            word = "Đảng bộ" if kind == PartyOrganization.Kind.GRASSROOTS_COMMITTEE else "Chi bộ"
            founded = max(established, date(2010, 1, 1)) + timedelta(days=rng.randint(100, 2500))
            party = {
                "name": f"{word} {name}",
                "kind": kind,
                "established_on": min(founded, today - timedelta(days=30)),
                "decision_number": f"{rng.randint(10, 990)}-QĐ/ĐUK",
            }
            cells = []
            if kind == PartyOrganization.Kind.GRASSROOTS_COMMITTEE:
                cells = [f"Chi bộ {part}" for part in
                         ("Khối văn phòng", "Phân xưởng 1", "Phân xưởng 2")[: rng.randint(2, 3)]]
            party["cells"] = cells
        writer.add(data, records, unions, party)
    writer.flush()
    for zone in ctx.zones:
        services.party_organization_create(data={
            "name": f"Chi bộ ghép các doanh nghiệp {zone.name}",
            "kind": PartyOrganization.Kind.GRASSROOTS_CELL,
            "zone": zone,
            "established_on": date(2019, rng.randint(4, 12), rng.randint(1, 28)),
            "decision_number": f"{rng.randint(10, 990)}-QĐ/ĐUK",
        })
    ctx.report("enterprises", Enterprise.objects.count())
    ctx.report("party organizations", PartyOrganization.objects.count())
    # The demo accounts come with the zones they work on. (accounts sits
    # below core and has no registry to join.)
    accounts_demo.seed(ctx)


class _RowWriter:
    """Each enterprise with its figures, unions and party organizations, one service call each."""

    def __init__(self, services):
        self.services = services

    def add(self, data, records, unions, party) -> None:
        services = self.services
        enterprise = services.enterprise_create(data=data)
        for figures in records:
            services.workforce_record(enterprise=enterprise, **figures)
        for kind, established_on in unions:
            services.mass_organization_create(enterprise=enterprise, kind=kind,
                                              established_on=established_on)
        if party is not None:
            org = services.party_organization_create(data={
                **{k: v for k, v in party.items() if k != "cells"}, "enterprise": enterprise})
            for cell in party["cells"]:
                services.party_organization_create(data={
                    "name": cell,
                    "kind": PartyOrganization.Kind.SUBORDINATE_CELL,
                    "enterprise": enterprise,
                    "parent": org,
                    "established_on": org.established_on,
                    "decision_number": org.decision_number,
                })

    def flush(self) -> None:
        pass


class _BatchWriter:
    """The same rows, checked by the services one by one and written in batches."""

    def __init__(self, services):
        self.services = services
        self.items = []
        self.parties = []

    def add(self, data, records, unions, party) -> None:
        item = self.services.enterprise_build(data=data, workforce_records=records,
                                              mass_organizations=unions)
        self.items.append(item)
        if party is not None:
            self.parties.append((item.enterprise, party))

    def flush(self) -> None:
        services = self.services
        services.enterprise_bulk_create(items=self.items)
        tops = [PartyOrganization(enterprise=enterprise,
                                  **{k: v for k, v in party.items() if k != "cells"})
                for enterprise, party in self.parties]
        services.party_organization_bulk_create(organizations=tops)
        cells = [
            PartyOrganization(name=cell, kind=PartyOrganization.Kind.SUBORDINATE_CELL,
                              enterprise=org.enterprise, parent=org,
                              established_on=org.established_on,
                              decision_number=org.decision_number)
            for org, (_enterprise, party) in zip(tops, self.parties, strict=True)
            for cell in party["cells"]
        ]
        services.party_organization_bulk_create(organizations=cells)


def present() -> bool:
    return IndustrialZone.objects.exists()


registry.register_demo(seed, present=present)
