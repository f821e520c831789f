"""Demo data of the registry (seed_demo)."""

from datetime import date
from decimal import Decimal

from .models import IndustrialZone

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

SIZES = {"small": {"zones": 6}, "large": {"zones": 20}}


def seed(ctx) -> None:
    from .services import zone_create

    count = SIZES[ctx.size]["zones"]
    for i, (code, name, commune) in enumerate(ZONES[:count]):
        zone = zone_create(
            code=code,
            name=name,
            commune=commune,
            area_ha=Decimal(ctx.rng.randrange(80, 650)),
            established_on=date(1998 + 2 * i, ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)),
        )
        ctx.zones.append(zone)
    ctx.report("zones", IndustrialZone.objects.count())
