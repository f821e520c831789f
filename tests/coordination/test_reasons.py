"""Reasons in the user's own words (DESIGN §4): the rule that Other needs
words (written through the services, old rows untouched), and the pages
that show the words as the reason."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coordination import placements, services
from coordination.models import AdmissionCandidate, PartyMember, Placement
from tests.enterprises.factories import EnterpriseFactory, valid_tax_code
from tests.pages import field_feedback, input_value

from .factories import make_candidate, make_member

pytestmark = pytest.mark.django_db

TAX = valid_tax_code(21)
TODAY = timezone.localdate()
WORDS = "Chuyển công tác khỏi doanh nghiệp"
ABROAD = "Định cư ở nước ngoài"
OTHER_NEEDS_WORDS_VI = "Lý do “Khác”: ghi rõ lý do cụ thể bằng lời."


@pytest.fixture
def enterprise(zone_a):
    return EnterpriseFactory(tax_code=TAX, zone=zone_a, name="Công ty TNHH Đức Thành")


# --- The rule in the services -----------------------------------------------------------------


def test_closing_a_case_with_other_needs_words(enterprise):
    candidate = make_candidate(enterprise)
    with pytest.raises(ValidationError) as refused:
        services.candidate_close(candidate=candidate, on=date(2025, 2, 1), reason="other",
                                 note="  ")
    assert list(refused.value.message_dict) == ["closed_note"]
    with pytest.raises(ValidationError) as refused:
        make_candidate(enterprise, closed_on=date(2025, 2, 1), closed_reason="other")
    assert list(refused.value.message_dict) == ["closed_note"]
    closed = services.candidate_close(candidate=candidate, on=date(2025, 2, 1),
                                      reason="other", note=WORDS)
    assert (closed.closed_reason, closed.closed_reason_text) == ("other", WORDS)
    # Clearing the words of Other is writing Other without words.
    with pytest.raises(ValidationError):
        services.candidate_update(candidate=closed, data={"closed_note": ""})


def test_a_case_closed_with_other_before_the_rule_stays_valid(enterprise):
    case = make_candidate(enterprise, closed_on=date(2025, 2, 1), closed_reason="withdrew")
    AdmissionCandidate.objects.filter(pk=case.pk).update(closed_reason="other")
    assert services.candidate_update(candidate=case, data={"given_name": "Bích"}) == [
        "given_name"]
    case.refresh_from_db()
    assert (case.closed_reason, case.closed_reason_text) == (
        "other", AdmissionCandidate.CloseReason.OTHER.label)
    services.candidate_update(candidate=case, data={"closed_note": WORDS})
    case.refresh_from_db()
    assert case.closed_reason_text == WORDS


def test_leaving_the_rolls_with_other_needs_words(enterprise):
    member = make_member(enterprise)
    with pytest.raises(ValidationError) as refused:
        placements.member_leave_rolls(member=member, on=date(2025, 2, 1), reason="other")
    assert list(refused.value.message_dict) == ["note"]
    with pytest.raises(ValidationError) as refused:
        services.member_leave(member=member, on=date(2025, 2, 1), reason="other")
    assert list(refused.value.message_dict) == ["left_note"]
    with pytest.raises(ValidationError) as refused:
        make_member(enterprise, left_on=date(2025, 2, 1), left_reason="other")
    assert list(refused.value.message_dict) == ["left_note"]
    member = services.member_leave(member=member, on=date(2025, 2, 1), reason="other",
                                   note=ABROAD)
    assert (member.left_reason, member.left_note, member.left_reason_text) == (
        "other", ABROAD, ABROAD)


def test_a_period_corrected_to_other_needs_words(enterprise):
    member = make_member(enterprise)
    placement = placements.member_leave_rolls(member=member, on=date(2025, 2, 1),
                                              reason="deceased")
    with pytest.raises(ValidationError) as refused:
        placements.placement_correct(placement=placement, data={"leave_reason": "other"})
    assert list(refused.value.message_dict) == ["end_note"]
    placements.placement_correct(placement=placement,
                                 data={"leave_reason": "other", "end_note": ABROAD})
    member.refresh_from_db()
    assert (member.left_reason, member.left_note) == ("other", ABROAD)


def test_a_member_who_left_with_other_before_the_rule_stays_valid(enterprise):
    member = make_member(enterprise)
    placement = placements.member_leave_rolls(member=member, on=date(2025, 2, 1),
                                              reason="deceased")
    Placement.objects.filter(pk=placement.pk).update(leave_reason="other")
    PartyMember.objects.filter(pk=member.pk).update(left_reason="other")
    assert services.member_update(member=member, data={"given_name": "Bình"}) == ["given_name"]
    assert placements.placement_correct(placement=placement,
                                        data={"destination": "Hà Nội"}) == ["destination"]


# --- The pages --------------------------------------------------------------------------------


def by_testid(response, testid):
    return lxml.html.fromstring(response.content.decode()).xpath(f'//*[@data-testid="{testid}"]')


def test_closing_with_other_asks_for_the_words_and_shows_them(client, pc_officer, enterprise):
    candidate = make_candidate(enterprise)
    client.force_login(pc_officer)  # Vietnamese, the default
    url = reverse("coordination:candidate_close", args=[candidate.pk])
    response = client.post(url, {"close-closed_on": "01/02/2025", "close-closed_reason": "other",
                                 "close-closed_note": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert field_feedback(html, "close-closed_note") == OTHER_NEEDS_WORDS_VI
    # What was typed is kept.
    assert input_value(html, "id_close-closed_on") == "01/02/2025"
    chosen = lxml.html.fromstring(html).xpath('//select[@id="id_close-closed_reason"]'
                                              '/option[@selected]/@value')
    assert chosen == ["other"]
    candidate.refresh_from_db()
    assert candidate.closed_on is None

    response = client.post(url, {"close-closed_on": "01/02/2025", "close-closed_reason": "other",
                                 "close-closed_note": WORDS})
    assert response.status_code == 302
    page = client.get(candidate.get_absolute_url())
    alert = by_testid(page, "closed")[0].text_content()
    assert WORDS in alert and "Khác" not in alert
    assert alert.count(WORDS) == 1


def test_a_listed_reason_shows_its_label_and_the_note(client, pc_officer, enterprise):
    candidate = make_candidate(enterprise)
    services.candidate_close(candidate=candidate, on=date(2025, 2, 1), reason="withdrew",
                             note="Viết đơn ngày 30/01/2025")
    client.force_login(pc_officer)
    alert = by_testid(client.get(candidate.get_absolute_url()), "closed")[0].text_content()
    assert "Tự rút" in alert and "Viết đơn ngày 30/01/2025" in alert


def test_leaving_with_other_asks_for_the_words_and_shows_them(client, pc_officer, enterprise):
    member = make_member(enterprise, admitted_on=TODAY - timedelta(days=800))
    client.force_login(pc_officer)
    url = reverse("coordination:member_leave", args=[member.pk])
    on = TODAY.strftime("%d/%m/%Y")
    response = client.post(url, {"leave-on": on, "leave-reason": "other", "leave-note": ""})
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "leave-note") == OTHER_NEEDS_WORDS_VI
    assert input_value(response.content.decode(), "id_leave-on") == on
    response = client.post(url, {"leave-on": on, "leave-reason": "other", "leave-note": ABROAD})
    assert response.status_code == 302
    page = client.get(member.get_absolute_url())
    left = by_testid(page, "left")[0].text_content()
    assert ABROAD in left and left.count(ABROAD) == 1
    assert ABROAD in by_testid(page, "period-ended")[0].text_content()
    assert not by_testid(page, "end-note")


def test_correcting_a_period_to_other_asks_for_the_words(client, pc_officer, enterprise):
    member = make_member(enterprise)
    placement = placements.member_leave_rolls(member=member, on=date(2025, 2, 1),
                                              reason="deceased")
    client.force_login(pc_officer)
    url = reverse("coordination:placement_correct", args=[placement.pk])
    page = client.get(url).content.decode()
    data = {"correct-starts_on": "01/03/2020", "correct-ends_on": "01/02/2025",
            "correct-enterprise": input_value(page, "id_correct-enterprise"),
            "correct-began": "admission", "correct-attendance": "official",
            "correct-ended": "left", "correct-leave_reason": "other", "correct-end_note": ""}
    response = client.post(url, data)
    assert field_feedback(response.content.decode(), "correct-end_note") == OTHER_NEEDS_WORDS_VI
    response = client.post(url, {**data, "correct-end_note": ABROAD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_reason_text == ABROAD
