"""The Excel contract of the registry (DESIGN §4): columns and value lists.

Imports, exports and the downloadable templates all use these definitions,
so an export re-imports unchanged. Headers are Vietnamese, as in the files
provincial offices exchange; every header also matches ignoring case,
diacritics and spacing.
"""

from core.excel.reader import Column

from .models import Enterprise, MassOrganization, PartyOrganization

LF = Enterprise.LegalForm
CS = Enterprise.CapitalSource
ST = Enterprise.Status
PK = PartyOrganization.Kind

# (value, label shown in templates, *other spellings accepted)
LEGAL_FORMS = [
    (LF.PRIVATE, "Doanh nghiệp tư nhân", "DNTN", "Tư nhân"),
    (LF.LLC_ONE, "Công ty TNHH một thành viên", "TNHH một thành viên", "TNHH 1 thành viên",
     "TNHH 1TV", "TNHH MTV", "Công ty TNHH MTV", "Công ty TNHH 1 thành viên"),
    (LF.LLC_MULTI, "Công ty TNHH hai thành viên trở lên", "TNHH hai thành viên trở lên",
     "TNHH 2 thành viên trở lên", "TNHH 2TV", "TNHH 2TV+", "TNHH 2TV trở lên",
     "Công ty TNHH 2 thành viên trở lên", "TNHH"),
    (LF.JOINT_STOCK, "Công ty cổ phần", "Cổ phần", "CTCP", "Công ty CP", "CP"),
    (LF.PARTNERSHIP, "Công ty hợp danh", "Hợp danh"),
    (LF.OTHER, "Khác", "Loại hình khác"),
]
CAPITAL_SOURCES = [
    (CS.STATE, "Nhà nước", "Doanh nghiệp nhà nước", "DNNN", "Vốn nhà nước"),
    (CS.DOMESTIC_PRIVATE, "Ngoài nhà nước", "Ngoài nhà nước trong nước",
     "Doanh nghiệp ngoài nhà nước", "Tư nhân trong nước", "Trong nước", "DN ngoài nhà nước"),
    (CS.FDI, "FDI 100% vốn nước ngoài", "FDI", "100% vốn nước ngoài", "Vốn nước ngoài",
     "Có vốn đầu tư nước ngoài", "Doanh nghiệp FDI", "Nước ngoài"),
    (CS.JOINT_VENTURE, "Liên doanh", "Liên doanh với nước ngoài", "Doanh nghiệp liên doanh"),
]
STATUSES = [
    (ST.OPERATING, "Đang hoạt động", "Hoạt động", "Đang HĐ"),
    (ST.SUSPENDED, "Tạm ngừng hoạt động", "Tạm ngừng", "Tạm dừng hoạt động", "Tạm dừng"),
    (ST.DISSOLVED, "Giải thể", "Đã giải thể", "Ngừng hoạt động", "Chấm dứt hoạt động"),
]
PARTY_ORG_KINDS = [
    (PK.GRASSROOTS_COMMITTEE, "Đảng bộ cơ sở", "Đảng bộ", "ĐBCS"),
    (PK.GRASSROOTS_CELL, "Chi bộ cơ sở", "CBCS"),
    (PK.SUBORDINATE_CELL, "Chi bộ trực thuộc", "Chi bộ trực thuộc đảng bộ cơ sở", "Chi bộ"),
]


def label_of(options, value) -> str:
    """The template label of a stored choice value."""
    for option in options:
        if option[0] == value:
            return option[1]
    return ""


ZONE_COLUMNS = [
    Column("code", "Mã KCN", ("Mã khu công nghiệp", "Mã"), required=True),
    Column("name", "Tên khu công nghiệp", ("Tên KCN", "Khu công nghiệp", "Tên"), required=True),
    Column("commune", "Xã/Phường", ("Xã phường", "Địa điểm", "Địa bàn", "Xã", "Phường")),
    Column("province", "Tỉnh", ("Tỉnh/Thành phố", "Tỉnh thành")),
    Column("area_ha", "Diện tích (ha)", ("Diện tích", "Diện tích ha")),
    Column("established_on", "Ngày thành lập", ("Ngày quyết định thành lập",)),
    Column("is_active", "Đang hoạt động", ("Hoạt động",)),
]

ENTERPRISE_COLUMNS = [
    Column("name", "Tên doanh nghiệp", ("Tên DN", "Tên công ty", "Doanh nghiệp",
                                        "Tên doanh nghiệp đầy đủ"), required=True),
    Column("tax_code", "Mã số thuế", ("MST", "Mã số doanh nghiệp", "Mã số DN",
                                      "Mã số thuế doanh nghiệp"), required=True),
    Column("zone", "Khu công nghiệp", ("KCN", "Tên KCN", "Mã KCN", "Thuộc KCN"), required=True),
    Column("legal_form", "Loại hình doanh nghiệp", ("Loại hình", "Loại hình DN"), required=True),
    Column("capital_source", "Nguồn vốn", ("Nguồn vốn đầu tư", "Loại vốn"), required=True),
    Column("total_workers", "Tổng số lao động", ("Số lao động", "Tổng số LĐ", "Lao động",
                                                 "Tổng lao động"), required=True, blank=True),
    Column("female_workers", "Lao động nữ", ("Số lao động nữ", "LĐ nữ", "Nữ")),
    Column("short_name", "Tên viết tắt", ("Tên giao dịch", "Tên ngắn")),
    Column("established_on", "Ngày thành lập", ("Ngày thành lập doanh nghiệp",
                                                "Ngày cấp giấy chứng nhận đăng ký doanh nghiệp",
                                                "Ngày cấp GCN")),
    Column("status", "Tình trạng", ("Tình trạng hoạt động", "Trạng thái")),
    Column("dissolved_on", "Ngày giải thể", ("Ngày ngừng hoạt động",)),
    Column("has_union", "Có công đoàn", ("Công đoàn", "Đã có công đoàn")),
    Column("union_established_on", "Ngày thành lập công đoàn", ("Ngày thành lập CĐ",
                                                                "Ngày thành lập công đoàn cơ sở")),
    Column("union_members", "Số đoàn viên công đoàn", ("Đoàn viên công đoàn", "Số ĐVCĐ",
                                                       "Số đoàn viên CĐ")),
    Column("has_youth_union", "Có tổ chức Đoàn", ("Tổ chức Đoàn", "Đã có tổ chức Đoàn",
                                                 "Có Đoàn thanh niên")),
    Column("youth_union_established_on", "Ngày thành lập tổ chức Đoàn",
           ("Ngày thành lập Đoàn", "Ngày thành lập chi đoàn")),
    Column("youth_union_members", "Số đoàn viên thanh niên", ("Đoàn viên thanh niên",
                                                             "Số đoàn viên Đoàn")),
    Column("investor_country", "Quốc gia đầu tư", ("Quốc gia", "Nước đầu tư",
                                                   "Quốc tịch nhà đầu tư")),
    Column("sector", "Ngành nghề", ("Ngành nghề kinh doanh", "Lĩnh vực", "Ngành")),
    Column("address", "Địa chỉ", ("Địa chỉ trụ sở", "Trụ sở")),
    Column("representative", "Người đại diện", ("Người đại diện theo pháp luật",
                                                "Người đại diện pháp luật", "Giám đốc")),
    Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT")),
    Column("email", "Email", ("Thư điện tử", "E-mail")),
]

PARTY_ORG_COLUMNS = [
    Column("name", "Tên tổ chức đảng", ("Tên tổ chức cơ sở đảng", "Tổ chức đảng", "Tên"),
           required=True),
    Column("kind", "Loại", ("Loại hình", "Loại tổ chức đảng", "Loại hình tổ chức"),
           required=True),
    Column("established_on", "Ngày thành lập", ("Ngày quyết định thành lập",), required=True),
    Column("tax_code", "Mã số thuế doanh nghiệp", ("Mã số thuế", "MST", "MST doanh nghiệp")),
    Column("zone", "Khu công nghiệp", ("KCN", "Mã KCN")),
    Column("parent", "Tổ chức đảng cấp trên", ("Cấp trên", "Trực thuộc", "Đảng bộ cấp trên")),
    Column("decision_number", "Số quyết định", ("Số QĐ", "Quyết định thành lập",
                                                "Số quyết định thành lập")),
    Column("dissolved_on", "Ngày giải thể", ()),
]

TRADE_UNION = MassOrganization.Kind.TRADE_UNION
YOUTH_UNION = MassOrganization.Kind.YOUTH_UNION
