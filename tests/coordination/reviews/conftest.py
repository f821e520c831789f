"""Fixtures of the reviews' tests: a small world whose figures are worked out
by hand, the regulation signed on 24/09/2025, and the clock on 07/12/2026
(09:00 in Hà Nội), so the regulation's first year (24/09/2025–23/09/2026)
is over whatever day the suite runs on.

The world, for the regulation's first year (24/09/2025–23/09/2026) and the
year before it (24/09/2024–23/09/2025):

- zone AAA: "Sông Hồng" (established 2015, a party cell since 2020) and
  "Nam Phong" (2015, no party organization);
- zone BBB: "Đông Á" (established 10/01/2026);
- members at Sông Hồng: one admitted 01/03/2019 (official 01/03/2020), one
  admitted 15/11/2025; at Đông Á one admitted 01/10/2026 (after the year).

So over the first year: 3 enterprises (2 before), 1 with a party
organization, 1 party organization, 2 members (1 before), 1 admitted
within the year (0 before); zone AAA 2 enterprises and 2 members, zone BBB
1 enterprise and no member.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from coordination.cycle import services as cycle_services
from coordination.reviews import services
from tests.coordination.factories import make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SIGNED = date(2025, 9, 24)
YEAR_ONE = (date(2025, 9, 24), date(2026, 9, 23))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PROVINCE_NAME = "Nam Định"
    settings.PARTY_COMMITTEE_NAME = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh"
    settings.PARTY_COMMITTEE_ABBR = "ĐUK"
    settings.PARTY_COMMITTEE_SUPERIOR = "Đảng bộ tỉnh"
    settings.IZ_BOARD_NAME = "Ban Quản lý các khu công nghiệp tỉnh"
    settings.IZ_BOARD_ABBR = "BQL"
    settings.DOCX_TEMPLATE_DIR = ""


@pytest.fixture
def regulation(db):
    return cycle_services.regulation_create(data={
        "number": "01-QC/ĐUK-BQL", "title": "Quy chế phối hợp", "signed_on": SIGNED,
        "effective_from": SIGNED, "in_force_until": None,
        "party_signatory_name": "Nguyễn Văn Thành", "party_signatory_title": "Bí thư",
        "iz_signatory_name": "Lê Quốc Hưng", "iz_signatory_title": "Trưởng ban",
        "summary": ""})


@pytest.fixture
def world(zone_a, zone_b, regulation):
    song_hong = EnterpriseFactory(zone=zone_a, name="Công ty TNHH May Sông Hồng",
                                  established_on=date(2015, 3, 1))
    cell = PartyOrganizationFactory(enterprise=song_hong, name="Chi bộ Công ty May Sông Hồng",
                                    established_on=date(2020, 5, 1))
    nam_phong = EnterpriseFactory(zone=zone_a, name="Công ty CP Nam Phong",
                                  established_on=date(2015, 3, 1))
    dong_a = EnterpriseFactory(zone=zone_b, name="Công ty TNHH Đông Á",
                               established_on=date(2026, 1, 10))
    veteran = make_member(song_hong, party_organization=cell, family_name="Phạm",
                          middle_name="Thị", given_name="Huyền", admitted_on=date(2019, 3, 1),
                          official_on=date(2020, 3, 1))
    newcomer = make_member(song_hong, party_organization=cell, given_name="Bắc",
                           admitted_on=date(2025, 11, 15))
    make_member(dong_a, given_name="Cường", admitted_on=date(2026, 10, 1))
    return {"song_hong": song_hong, "cell": cell, "nam_phong": nam_phong, "dong_a": dong_a,
            "veteran": veteran, "newcomer": newcomer, "regulation": regulation}


def review_data(regulation, **fields) -> dict:
    return {
        "kind": "interim", "regulation": regulation,
        "subject": "Sơ kết một năm thực hiện Quy chế phối hợp số 01-QC/ĐUK-BQL",
        "period_kind": "span", "period_start": YEAR_ONE[0], "period_end": YEAR_ONE[1],
        "number": "15-BC/ĐUK-BQL", "place": "Nam Định", "dated": date(2026, 10, 5),
        "joint": True, "signer_on_behalf": "T/M BAN THƯỜNG VỤ", "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Trần Văn Quang", "iz_signer_on_behalf": "BAN QUẢN LÝ CÁC KCN",
        "iz_signer_title": "TRƯỞNG BAN", "iz_signer_name": "Lê Quốc Hưng",
        "recipients": "- Thường trực Tỉnh ủy (b/c);\n- Lưu Văn phòng.",
        "situation": "Tình hình chung của các khu công nghiệp.",
        "results": "Hai bên phối hợp chặt chẽ.\nKết luận được chuyển thành nhiệm vụ.",
        "shortcomings": "Thành lập tổ chức đảng còn chậm.", "lessons": "Giao rõ việc.",
        "next_tasks": "Thành lập chi bộ ở doanh nghiệp đủ điều kiện.",
        "proposals": "Đề nghị Tỉnh ủy hướng dẫn chi bộ ghép.", **fields}


@pytest.fixture
def draft(world):
    return services.review_create(data=review_data(world["regulation"]))


@pytest.fixture
def finished(world, draft, pc_officer):
    services.review_target_create(review=draft, data={
        "indicator": "members_new", "zone": None, "target_value": 12, "note": "Công nhân"})
    services.commendation_create(review=draft, data={
        "recipient": "collective", "enterprise": world["song_hong"], "party_organization": None,
        "member": None, "award": "certificate", "awarded_by": "Ban Thường vụ Đảng ủy Khối",
        "proposed_by": "both", "reason": "Tạo điều kiện cho chi bộ hoạt động."})
    services.commendation_create(review=draft, data={
        "recipient": "individual", "member": world["veteran"], "enterprise": None,
        "party_organization": None, "award": "merit", "awarded_by": "Ban Thường vụ Tỉnh ủy",
        "proposed_by": "party_committee", "reason": "Tích cực tạo nguồn."})
    return services.review_finish(actor=pc_officer, review=draft)
