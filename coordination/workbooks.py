"""The Excel contract of party development (DESIGN §4): columns and value lists.

Imports, exports and the downloadable templates all use these definitions,
so an export re-imports unchanged. Headers are Vietnamese, as in the files
provincial offices exchange; every header also matches ignoring case,
diacritics and spacing.

``Họ và tên`` holds the full name, split the Vietnamese way: family name =
first word, given name = last word, middle name = the words between. Files
that keep the name in two columns (``Họ và tên đệm`` + ``Tên``) are read too:
the optional ``Tên`` column completes the first one unless that one already
ends with it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.translation import gettext as _

from core.excel import values as v
from core.excel.reader import Column
from core.text import clean_text, fold

from .models import AdmissionCandidate, Gender, PartyMember
from .reasons import OTHER, WORDS_MAX_LENGTH

LR = PartyMember.LeftReason
CR = AdmissionCandidate.CloseReason

# (value, label shown in templates, *other spellings accepted)
GENDERS = [
    (Gender.MALE, "Nam", "Male", "M", "Trai"),
    (Gender.FEMALE, "Nữ", "Female", "F", "Gái"),
]
# Reason columns also take any other text: see parse_reason. The labels the
# pages show (the Vietnamese of the choices) are accepted too.
LEFT_REASONS = [
    (LR.TRANSFERRED, "Chuyển sinh hoạt", "Chuyển sinh hoạt đảng", "Chuyển sinh hoạt Đảng đi",
     "Chuyển đi", "Chuyển sinh hoạt chính thức", "Chuyển sinh hoạt đi nơi khác"),
    (LR.CHANGED_JOB, "Nghỉ việc tại doanh nghiệp", "Nghỉ việc", "Thôi việc",
     "Chuyển công tác", "Không còn làm việc tại doanh nghiệp"),
    (LR.DECEASED, "Từ trần", "Qua đời", "Đã mất", "Mất", "Chết"),
    (LR.REMOVED, "Xóa tên/Khai trừ", "Xóa tên", "Khai trừ", "Xóa tên khỏi danh sách",
     "Khai trừ khỏi Đảng", "Xóa tên, khai trừ", "Khai trừ hoặc xóa tên khỏi Đảng"),
    (LR.RESIGNED, "Xin ra khỏi Đảng", "Ra khỏi Đảng", "Tự nguyện xin ra khỏi Đảng",
     "Xin thôi sinh hoạt Đảng"),
    (LR.OTHER, "Khác", "Lý do khác"),
]
CLOSE_REASONS = [
    (CR.LEFT_ENTERPRISE, "Nghỉ việc tại doanh nghiệp", "Nghỉ việc", "Thôi việc",
     "Chuyển công tác", "Không còn làm việc tại doanh nghiệp"),
    (CR.NOT_ELIGIBLE, "Không đủ điều kiện", "Không đủ tiêu chuẩn",
     "Không đủ điều kiện, tiêu chuẩn", "Không đủ điều kiện kết nạp",
     "Không đủ tiêu chuẩn kết nạp"),
    (CR.WITHDREW, "Tự rút", "Rút đơn", "Xin rút", "Không còn nguyện vọng", "Tự nguyện rút",
     "Xin rút khỏi danh sách", "Rút khỏi danh sách"),
    (CR.VOTE_FAILED, "Chi bộ không tán thành", "Không đủ 2/3 tán thành",
     "Biểu quyết không đạt", "Không được tán thành"),
    (CR.OTHER, "Khác", "Lý do khác"),
]
# Only for the template's list of allowed values: see parse_education.
EDUCATION_EXAMPLES = [
    (9, "9/12"), (12, "12/12"), (9, "7/10 (hệ 10 năm cũ)"), (9, "THCS"), (12, "THPT"),
]
YES_NO = [(True, "Có"), (False, "Không")]


def label_of(options, value) -> str:
    """The template label of a stored choice value."""
    for option in options:
        if option[0] == value:
            return option[1]
    return ""


# "Khác: <words>", "Khác - <words>", "Khác (<words>)": the words are the reason.
_AFTER_OTHER = re.compile(r"\s*[:(\-–—]\s*")


def parse_reason(value, *, options) -> tuple[str | None, str]:
    """A reason cell (``Lý do``, ``Lý do dừng``): (category, the user's words).

    A listed reason, matched ignoring case, diacritics, spacing and
    punctuation, gives its category and no words. Any other text is the
    reason in the user's own words, kept as written under Other; so is the
    text after "Khác:" (or "Khác -", "Khác (...)"). (None, "") when blank.
    """
    text = v.parse_text(value)
    if not text:
        return None, ""
    try:
        return v.parse_choice(text, options), ""
    except ValueError:
        pass
    words = _words_after_other(text, options) or text
    if len(words) > WORDS_MAX_LENGTH:
        raise ValueError(_(
            "A reason in words is at most %(limit)s characters long; this one has %(length)s: "
            "shorten it.") % {"limit": WORDS_MAX_LENGTH, "length": len(words)})
    return OTHER, words


def _words_after_other(text: str, options) -> str:
    match = _AFTER_OTHER.search(text)
    if match is None or match.start() == 0:
        return ""
    other = next(option for option in options if option[0] == OTHER)
    try:
        if v.parse_choice(text[:match.start()], [other]) != OTHER:
            return ""
    except ValueError:
        return ""
    words = text[match.end():]
    if match.group().strip() == "(" and words.endswith(")"):
        words = words[:-1]
    return words.strip()


def reason_cell(options, reason: str, words: str) -> str:
    """How a stored reason is written in the files, so that it reads back the same.

    Other with words: the words (after "Khác: " when they alone would read
    as a listed reason); otherwise the category's label.
    """
    if reason == OTHER and words:
        if parse_reason(words, options=options) == (OTHER, words):
            return words
        return f"{label_of(options, OTHER)}: {words}"
    return label_of(options, reason)


# --- Person columns, shared by both kinds --------------------------------------------

FULL_NAME = Column("full_name", "Họ và tên", (
    "Họ tên", "Họ, tên", "Họ và tên đệm", "Họ và chữ đệm", "Họ và tên khai sinh",
    "Họ và tên đảng viên", "Họ tên đảng viên", "Họ và tên quần chúng",
    "Họ tên quần chúng", "Họ và tên quần chúng ưu tú",
), required=True)
GIVEN_NAME = Column("given", "Tên", ("Tên gọi",))
DATE_OF_BIRTH = Column("date_of_birth", "Ngày sinh", (
    "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày", "Ngày/tháng/năm sinh",
    "NTNS",
), required=True)
GENDER = Column("gender", "Giới tính", ("Nam/Nữ", "Nam, nữ", "Phái"), required=True)
CITIZEN_ID = Column("citizen_id", "Số CCCD", (
    "CCCD", "Số căn cước", "Số căn cước công dân", "Căn cước công dân", "Căn cước",
    "Số định danh cá nhân", "Số định danh", "Mã định danh", "Mã định danh cá nhân",
    "CMND/CCCD", "Số CMND/CCCD", "Số CMND/CCCD/Định danh",
), required=True)
TAX_CODE_ALIASES = (
    "MST doanh nghiệp", "Mã số thuế", "MST", "Mã số doanh nghiệp", "MST nơi làm việc",
    "Mã số thuế nơi làm việc", "Nơi làm việc", "Doanh nghiệp", "Tên doanh nghiệp",
    "Đơn vị công tác", "Doanh nghiệp nơi làm việc",
)

MEMBER_COLUMNS = [
    FULL_NAME,
    DATE_OF_BIRTH,
    GENDER,
    CITIZEN_ID,
    Column("admitted_on", "Ngày vào Đảng", (
        "Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày kết nạp vào Đảng", "Ngày vào Đảng dự bị",
        "Ngày vào Đảng (dự bị)",
    ), required=True),
    Column("official_on", "Ngày chính thức", (
        "Ngày công nhận chính thức", "Ngày vào Đảng chính thức", "Ngày đảng viên chính thức",
        "Ngày chuyển chính thức",
    )),
    Column("party_card_number", "Số thẻ đảng viên", ("Số thẻ Đảng", "Số thẻ ĐV", "Số thẻ")),
    Column("tax_code", "Mã số thuế doanh nghiệp", TAX_CODE_ALIASES),
    Column("party_organization", "Tổ chức đảng", (
        "Tên tổ chức đảng", "Tổ chức đảng sinh hoạt", "Chi bộ", "Chi bộ sinh hoạt",
        "Sinh hoạt tại chi bộ", "Nơi sinh hoạt", "Nơi sinh hoạt đảng", "Đảng bộ, chi bộ",
    )),
    # Since when the member works and attends where the row says (a move, a
    # transfer in, a return); blank: the admission date for a new member, the
    # date of the import (--as-of) for a move.
    Column("placed_on", "Ngày chuyển đến", (
        "Ngày chuyển sinh hoạt đến", "Ngày chuyển về", "Ngày đến", "Ngày đến sinh hoạt",
        "Ngày bắt đầu sinh hoạt", "Ngày nhận sinh hoạt", "Sinh hoạt từ ngày",
    )),
    Column("is_enterprise_owner", "Chủ doanh nghiệp", (
        "Là chủ doanh nghiệp", "Chủ DN", "Đảng viên là chủ doanh nghiệp",
    )),
    Column("left_on", "Ngày ra khỏi danh sách", (
        "Ngày ra khỏi", "Ngày rời danh sách", "Ngày ra khỏi Đảng bộ",
    )),
    Column("left_reason", "Lý do", ("Lý do ra khỏi danh sách", "Lý do ra khỏi")),
    GIVEN_NAME,
]

CANDIDATE_COLUMNS = [
    FULL_NAME,
    DATE_OF_BIRTH,
    GENDER,
    CITIZEN_ID,
    Column("tax_code", "Mã số thuế doanh nghiệp", TAX_CODE_ALIASES, required=True),
    Column("identified_on", "Ngày đưa vào danh sách", (
        "Ngày đưa vào danh sách theo dõi", "Ngày đưa vào diện quần chúng ưu tú",
        "Ngày đưa vào nguồn", "Ngày tạo nguồn", "Ngày phát hiện",
    ), required=True),
    Column("education_grade", "Trình độ học vấn", (
        "Học vấn", "Trình độ văn hóa", "Văn hóa", "Giáo dục phổ thông",
        "Trình độ giáo dục phổ thông", "Trình độ GDPT",
    )),
    Column("responsible_organization", "Tổ chức đảng phụ trách", (
        "Chi bộ phụ trách", "Tổ chức đảng", "Chi bộ", "Chi bộ theo dõi",
        "Tổ chức đảng theo dõi",
    )),
    Column("course_completed_on", "Ngày hoàn thành lớp bồi dưỡng", (
        "Ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng", "Ngày học lớp nhận thức về Đảng",
        "Ngày học lớp cảm tình Đảng", "Lớp bồi dưỡng nhận thức về Đảng",
        "Ngày cấp giấy chứng nhận",
    )),
    Column("certificate_number", "Số giấy chứng nhận", (
        "Số GCN", "Số chứng nhận", "Số giấy chứng nhận lớp bồi dưỡng",
    )),
    Column("application_on", "Ngày nộp đơn", (
        "Ngày làm đơn", "Ngày nộp đơn xin vào Đảng", "Ngày đơn xin vào Đảng",
    )),
    Column("sponsorship_on", "Ngày giới thiệu", (
        "Ngày được giới thiệu", "Ngày đảng viên giới thiệu", "Ngày giới thiệu kết nạp",
    )),
    Column("verification_on", "Ngày thẩm tra lý lịch", (
        "Ngày thẩm tra", "Ngày kết luận thẩm tra lý lịch", "Thẩm tra lý lịch",
    )),
    Column("assessment_on", "Ngày tổng hợp nhận xét", (
        "Ngày tổng hợp ý kiến nhận xét", "Ngày nhận xét", "Tổng hợp nhận xét",
    )),
    Column("cell_resolution_on", "Ngày chi bộ xét", (
        "Ngày chi bộ xét kết nạp", "Ngày chi bộ họp xét", "Ngày nghị quyết chi bộ",
    )),
    Column("votes_for", "Số phiếu tán thành", ("Số đảng viên tán thành", "Tán thành")),
    Column("cell_official_members", "Số đảng viên chính thức của chi bộ", (
        "Số đảng viên chính thức", "Tổng số đảng viên chính thức",
        "Số đảng viên chính thức chi bộ",
    )),
    Column("age_override_reference", "Quyết định cho kết nạp trên 60 tuổi", (
        "Số quyết định cho kết nạp trên 60 tuổi", "Quyết định kết nạp trên 60 tuổi",
    )),
    Column("committee_resolution_on", "Ngày đảng ủy cơ sở xét", (
        "Ngày nghị quyết đảng ủy cơ sở", "Ngày đảng ủy xét", "Ngày nghị quyết đảng ủy",
    )),
    Column("decision_on", "Ngày quyết định kết nạp", (
        "Ngày ra quyết định kết nạp", "Ngày QĐ kết nạp", "Ngày quyết định",
    )),
    Column("decision_number", "Số quyết định", (
        "Số quyết định kết nạp", "Số QĐ", "Số QĐ kết nạp",
    )),
    Column("decision_body", "Cơ quan ra quyết định", (
        "Cấp ra quyết định", "Cơ quan quyết định", "Nơi ra quyết định",
    )),
    Column("decision_received_on", "Ngày nhận quyết định", (
        "Ngày nhận được quyết định", "Ngày chi bộ nhận quyết định",
    )),
    Column("closed_on", "Ngày dừng theo dõi", ("Ngày dừng", "Ngày thôi theo dõi")),
    Column("closed_reason", "Lý do dừng", ("Lý do dừng theo dõi", "Lý do thôi theo dõi")),
    GIVEN_NAME,
]
# Read only to refuse it: admitted people are imported as party members.
CEREMONY = Column("ceremony_on", "Ngày kết nạp", (
    "Ngày vào Đảng", "Ngày lễ kết nạp", "Ngày tổ chức lễ kết nạp",
))


# --- Parsers --------------------------------------------------------------------------

# A milestone known to have happened whose date is not (old records): the
# export writes UNDATED_MARK in the date column, the import reads it and the
# usual ways of ticking a box.
UNDATED_MARK = "Đã thực hiện, không rõ ngày"
UNDATED = object()
# Milestone columns: a date, or "done, date not recorded" (UNDATED).
MILESTONES = ("course_completed_on", "application_on", "sponsorship_on", "verification_on",
              "assessment_on", "cell_resolution_on", "committee_resolution_on", "decision_on")
_UNDATED_WORDS = {fold(word) for word in (
    UNDATED_MARK, "Không rõ ngày", "Đã thực hiện", "Có", "x", "Đã", "Rồi", "Yes")}


def parse_milestone(value):
    """A milestone column: a date, :data:`UNDATED` (done, date not recorded),
    or None (not done)."""
    if isinstance(value, str) and fold(clean_text(value)) in _UNDATED_WORDS:
        return UNDATED
    return v.parse_date(value)



def split_full_name(full_name: str, given: str = "") -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name.

    The family name is the first word, the given name the last one, the middle
    name the words between. ``given`` comes from a separate ``Tên`` column: it
    completes ``full_name`` unless ``full_name`` already ends with it.
    """
    words = clean_text(full_name).split()
    given_words = clean_text(given).split()
    if given_words and fold(" ".join(words[-len(given_words):])) != fold(" ".join(given_words)):
        words += given_words
    if len(words) < 2:
        raise ValueError(_(
            "'%(value)s' is not a full name: give the family name, the middle names if any "
            "and the given name (e.g. Nguyễn Văn An)."
        ) % {"value": clean_text(full_name)})
    return words[0], " ".join(words[1:-1]), words[-1]


_MASK = "•"
_ID_SEPARATORS = re.compile(r"[\s.\-]")


def parse_citizen_id(value) -> str:
    """A 12-digit citizen ID; "" when blank.

    A number cell lost the leading zeros (province codes 001-096): they are
    restored. Spaces, dots and dashes between the digit groups are ignored.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(_citizen_id_error(value))
    if isinstance(value, int | float):
        if not float(value).is_integer():
            raise ValueError(_citizen_id_error(value))
        digits = str(int(value))
        return digits.zfill(12) if len(digits) in (10, 11) else _check_citizen_id(digits, value)
    text = v.parse_text(value)
    if not text:
        return ""
    if _MASK in text or "*" in text:
        raise ValueError(_(
            "'%(value)s' is a masked citizen ID: give all 12 digits (use an export with the "
            "full IDs)."
        ) % {"value": text})
    return _check_citizen_id(_ID_SEPARATORS.sub("", text), value)


def _check_citizen_id(digits: str, value) -> str:
    if not re.fullmatch(r"[0-9]{12}", digits):
        raise ValueError(_citizen_id_error(value))
    return digits


def _citizen_id_error(value) -> str:
    return _("'%(value)s' is not a citizen ID (CCCD): it has exactly 12 digits.") % {
        "value": v.parse_text(value)}


_FRACTION = re.compile(
    r"(\d{1,2})\s*/\s*(\d{1,2})\s*(?:\(?\s*(?:bt|btvh|bo tuc|bo tuc van hoa|he \d+ nam.*)\s*\)?)?"
)
_LEVELS = {
    9: ("thcs", "trung hoc co so", "cap 2", "cap ii", "pho thong co so", "ptcs"),
    12: ("thpt", "trung hoc pho thong", "cap 3", "cap iii", "bo tuc thpt", "pho thong trung hoc",
         "ptth", "trung cap", "cao dang", "dai hoc", "dh", "cd", "thac si", "tien si",
         "sau dai hoc", "cu nhan", "ky su"),
    5: ("tieu hoc", "cap 1", "cap i"),
}
_LEVEL_BY_KEY = {re.sub(r"\W", "", key): grade for grade, keys in _LEVELS.items()
                 for key in keys}


def parse_education(value) -> int | None:
    """General education as a grade of the 12-year system; None when blank.

    ``N/12`` is grade N; the old 10-year system's ``N/10`` is N + 2 from grade 7
    (7/10 = lower secondary = 9/12, 10/10 = 12/12) and N below; THCS = 9,
    THPT = 12, and a vocational or higher degree (trung cấp, cao đẳng, đại học)
    implies 12. A bare number is a grade of 12. A cell Excel turned into a
    date ("9/12" typed as 9 December) is read back as the fraction typed.
    """
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return _from_excel_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 12:
            return int(value)
        raise ValueError(_education_error(value))
    text = v.parse_text(value)
    if not text:
        return None
    key = fold(text)
    match = _FRACTION.fullmatch(key)
    if match:
        return _grade(int(match.group(1)), int(match.group(2)), value)
    if re.fullmatch(r"\d{1,2}", key) and 1 <= int(key) <= 12:
        return int(key)
    grade = _LEVEL_BY_KEY.get(re.sub(r"\W", "", key))
    if grade is None:
        raise ValueError(_education_error(value))
    return grade


def _grade(grade: int, scale: int, value) -> int:
    if scale not in (10, 12) or not 1 <= grade <= scale:
        raise ValueError(_education_error(value))
    if scale == 10 and grade >= 7:
        return grade + 2
    return grade


def _from_excel_date(day: date) -> int:
    # Typed "9/12" became 9 December (dd/mm) or September 12 (mm/dd).
    if day.month in (10, 12) and day.day <= day.month:
        return _grade(day.day, day.month, day)
    if day.day in (10, 12) and day.month <= day.day:
        return _grade(day.month, day.day, day)
    raise ValueError(_education_error(day))


def _education_error(value) -> str:
    return _(
        "'%(value)s' is not an education level: write N/12 (e.g. 9/12, 12/12), the old N/10 "
        "(e.g. 7/10), THCS or THPT, or leave it blank."
    ) % {"value": v.parse_text(value)}


def education_label(grade: int | None) -> str:
    """How an education grade is written in the files: ``N/12``."""
    return f"{grade}/12" if grade else ""
