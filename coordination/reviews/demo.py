"""Demo data of the reviews (called by the working cycle's demo): the interim
review of the first year of the demo regulation, finished with its figures
frozen, its narrative, the targets agreed for the next year and two
commendations (an enterprise, a party member), and its Word report written.

While the regulation's first year has not ended yet (early in a year), the
review covers the days from its signing to the end of last month instead:
a review is finished once its period is over.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from enterprises.models import Enterprise, IndustrialZone

from ..models import PartyMember, Regulation
from . import rules, services
from .models import Commendation, Review

SITUATION = "\n".join((
    'Quy chế phối hợp được ký kết ngày {signed}, ngay sau đó hai bên tổ chức hội nghị '
    'liên tịch quán triệt, triển khai đến các chi bộ, đảng bộ cơ sở và doanh nghiệp trong'
    ' các khu công nghiệp.',
    'Các khu công nghiệp tiếp tục thu hút đầu tư, nhiều doanh nghiệp mới đi vào hoạt '
    'động, phần lớn là doanh nghiệp có vốn đầu tư nước ngoài; số lao động tăng nhưng biến'
    ' động lớn, nhiều công nhân là lao động thời vụ, ở trọ xa nơi làm việc.',
    'Một số chủ doanh nghiệp, nhất là doanh nghiệp FDI, chưa hiểu đầy đủ về vai trò của '
    'tổ chức đảng trong doanh nghiệp nên còn e ngại, chưa tạo điều kiện cho việc thành '
    'lập tổ chức đảng và sinh hoạt đảng.',
))
RESULTS = "\n".join((
    'Ban Chỉ đạo và Tổ công tác duy trì họp định kỳ, kết luận của các cuộc họp được '
    'chuyển thành nhiệm vụ trong kế hoạch phối hợp, giao rõ đơn vị chủ trì, người phụ '
    'trách và thời hạn hoàn thành.',
    'Ban Quản lý các khu công nghiệp cung cấp kịp thời danh sách doanh nghiệp mới đi vào '
    'hoạt động và số lao động; hai bên phối hợp khảo sát doanh nghiệp chưa có tổ chức '
    'đảng, phân loại để có giải pháp phù hợp với từng doanh nghiệp.',
    'Công tác tạo nguồn, bồi dưỡng quần chúng ưu tú được quan tâm; Đảng ủy Khối mở lớp '
    'bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú trong doanh nghiệp; một số doanh '
    'nghiệp đủ điều kiện đã được đề nghị thành lập chi bộ.',
))
SHORTCOMINGS = "\n".join((
    'Số doanh nghiệp có tổ chức đảng còn thấp so với tổng số doanh nghiệp đang hoạt động;'
    ' việc thành lập tổ chức đảng ở doanh nghiệp FDI còn chậm.',
    'Một số kết luận của Ban Chỉ đạo chưa hoàn thành đúng hạn; việc trao đổi thông tin '
    'giữa hai bên có lúc chưa kịp thời.',
    'Nguyên nhân: nhận thức của một bộ phận chủ doanh nghiệp còn hạn chế; lực lượng cán '
    'bộ làm công tác xây dựng Đảng trong doanh nghiệp còn mỏng, phần lớn kiêm nhiệm; công'
    ' nhân thường xuyên thay đổi nơi làm việc.',
))
LESSONS = "\n".join((
    'Phải có sự lãnh đạo thống nhất của Ban Thường vụ Đảng ủy Khối và sự vào cuộc của '
    'lãnh đạo Ban Quản lý các khu công nghiệp; kết luận nào cũng phải giao rõ người, rõ '
    'việc, rõ thời hạn.',
    'Làm tốt công tác tuyên truyền, đối thoại với chủ doanh nghiệp; phát huy vai trò của '
    'tổ chức công đoàn, đoàn thanh niên trong việc giới thiệu quần chúng ưu tú.',
))
NEXT_TASKS = "\n".join((
    'Tiếp tục thực hiện nghiêm Quy chế phối hợp; rà soát, bổ sung kế hoạch phối hợp năm '
    'tới với các chỉ tiêu đã thống nhất.',
    'Tập trung thành lập tổ chức đảng ở các doanh nghiệp đủ điều kiện; đẩy mạnh công tác '
    'tạo nguồn, kết nạp đảng viên là công nhân lao động trực tiếp sản xuất.',
    'Định kỳ hằng quý Tổ công tác báo cáo Ban Chỉ đạo kết quả thực hiện; tổ chức tổng kết'
    ' khi hết nhiệm kỳ thực hiện Quy chế.',
))
PROPOSALS = "\n".join((
    'Đề nghị Ban Tổ chức Tỉnh ủy hướng dẫn việc thành lập chi bộ ghép đối với các doanh '
    'nghiệp nhỏ chưa đủ điều kiện thành lập chi bộ riêng.',
    'Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành tạo điều kiện để Ban Quản lý các '
    'khu công nghiệp phối hợp chặt chẽ hơn trong công tác xây dựng Đảng ở doanh nghiệp.',
))
RECIPIENTS = "\n".join((
    '- Thường trực Tỉnh ủy (b/c);',
    '- Ban Tổ chức Tỉnh ủy (b/c);',
    '- Lãnh đạo Ban Quản lý các KCN tỉnh;',
    '- Các đảng bộ, chi bộ cơ sở trong các KCN;',
    '- Lưu Văn phòng Đảng ủy Khối.',
))
# The targets agreed for the next year: (indicator, target, note).
TARGETS = [
    ("party_orgs_new", 6, "Ưu tiên doanh nghiệp đủ điều kiện đã được khảo sát"),
    ("members_new", 60, "Trong đó công nhân trực tiếp sản xuất chiếm trên 70%"),
    ("candidates_course_completed", 90, ""),
    ("enterprises_surveyed", 40, "Doanh nghiệp chưa có tổ chức đảng"),
]


def seed(regulation: Regulation, today: date) -> Review | None:
    """Record and finish the demo review; None when it has no ended period."""
    period = rules.regulation_year(regulation.signed_on, 1)
    kind_words = "Sơ kết một năm"
    if period.end > today:
        end = today.replace(day=1) - timedelta(days=1)
        if end <= regulation.signed_on:
            return None
        period = rules.since_signing(regulation.signed_on, end)
        kind_words = "Sơ kết"
    subject = (f"{kind_words} thực hiện Quy chế phối hợp giữa {settings.PARTY_COMMITTEE_NAME} "
               f"và {settings.IZ_BOARD_NAME} trong lãnh đạo xây dựng tổ chức đảng, phát triển "
               "đảng viên trong doanh nghiệp các khu công nghiệp")
    review = services.review_create(data={
        "kind": Review.Kind.INTERIM, "regulation": regulation, "subject": subject,
        "period_kind": period.kind, "period_start": period.start, "period_end": period.end,
        "number": "15-BC/ĐUK-BQL", "place": settings.PROVINCE_NAME,
        "dated": min(today, period.end + timedelta(days=14)), "joint": True,
        "signer_on_behalf": "T/M BAN THƯỜNG VỤ", "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Trần Văn Quang", "iz_signer_on_behalf": "BAN QUẢN LÝ CÁC KCN",
        "iz_signer_title": "TRƯỞNG BAN", "iz_signer_name": "Lê Quốc Hưng",
        "recipients": RECIPIENTS,
        "situation": SITUATION.format(signed=regulation.signed_on.strftime("%d/%m/%Y")),
        "results": RESULTS, "shortcomings": SHORTCOMINGS, "lessons": LESSONS,
        "next_tasks": NEXT_TASKS, "proposals": PROPOSALS})
    for indicator, value, note in TARGETS:
        services.review_target_create(review=review, data={
            "indicator": indicator, "zone": None, "target_value": value, "note": note})
    zone = IndustrialZone.objects.order_by("code").first()
    if zone is not None:
        services.review_target_create(review=review, data={
            "indicator": "enterprises_with_party_org", "zone": zone, "target_value": 25,
            "note": ""})
    _commendations(review, period.end)
    review = services.review_finish(review=review)
    # The demo has its Word report without a worker (the task would find it done).
    services.review_document_generate(review_id=review.pk)
    return review


def _commendations(review: Review, end: date) -> None:
    enterprise = (Enterprise.objects.filter(status="operating", party_organizations__isnull=False)
                  .order_by("pk").first())
    if enterprise is not None:
        services.commendation_create(review=review, data={
            "recipient": Commendation.Recipient.COLLECTIVE, "enterprise": enterprise,
            "party_organization": None, "member": None,
            "award": Commendation.Award.CERTIFICATE,
            "awarded_by": f"Ban Thường vụ {settings.PARTY_COMMITTEE_NAME}",
            "proposed_by": Commendation.ProposedBy.BOTH,
            "reason": "Chủ doanh nghiệp tạo điều kiện cho tổ chức đảng hoạt động, giới thiệu "
                      "nhiều công nhân ưu tú để Đảng xem xét kết nạp."})
    member = PartyMember.objects.filter(admitted_on__lte=end, official_on__isnull=False) \
        .order_by("pk").first()
    if member is not None:
        services.commendation_create(review=review, data={
            "recipient": Commendation.Recipient.INDIVIDUAL, "member": member,
            "enterprise": None, "party_organization": None,
            "award": Commendation.Award.CERTIFICATE,
            "awarded_by": f"Ban Thường vụ {settings.PARTY_COMMITTEE_NAME}",
            "proposed_by": Commendation.ProposedBy.PARTY_COMMITTEE,
            "reason": "Bí thư chi bộ tích cực tạo nguồn, giúp đỡ quần chúng ưu tú phấn đấu "
                      "vào Đảng."})
