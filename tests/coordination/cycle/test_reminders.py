"""Daily reminders of replies due: to the officers of the body that answers
for the reply who may see the letter, once a day, until it is answered.
Conclusions are reminded as the plan tasks they are."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import User
from coordination.cycle import services
from core.models import Notification
from core.notifications import collect_reminders, send_reminders
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import UserFactory

from .conftest import add_conclusion, days, make_letter, make_meeting, soon

pytestmark = pytest.mark.django_db


def _letters(reminders) -> dict[str, set[str]]:
    return {r.key: {u.username for u in r.recipients} for r in reminders
            if r.key.startswith("correspondence:")}


@pytest.fixture
def officers(pc_officer, iz_officer, iz_officer_b, pc_leader, iz_leader):
    pc_officer.email = "canbo@example.vn"
    pc_officer.save()
    return {"pc": pc_officer, "iz_a": iz_officer, "iz_b": iz_officer_b}


def test_a_reply_overdue_goes_to_the_body_that_owes_it(officers, zone_a):
    owed_by_iz = make_letter(number="1", enterprises=[EnterpriseFactory(zone=zone_a)],
                             reply_due_on=days(-1))
    owed_by_pc = make_letter(number="2", direction="iz_to_pc", reply_due_on=days(-3))
    chased_by_pc = make_letter(number="3", direction="pc_out", counterpart="Sở Nội vụ",
                               reply_due_on=days(-2))
    got = _letters(collect_reminders(days(0)))
    # Zone A's enterprise: zone A's IZ officer, not zone B's; leaders never.
    assert got == {
        f"correspondence:{owed_by_iz.pk}:overdue": {"iz_officer"},
        f"correspondence:{owed_by_pc.pk}:overdue": {"pc_officer"},
        f"correspondence:{chased_by_pc.pk}:overdue": {"pc_officer"},
    }


def test_a_letter_about_no_enterprise_goes_to_every_iz_officer(officers):
    letter = make_letter(reply_due_on=days(3))
    got = _letters(collect_reminders(days(0)))
    assert got == {f"correspondence:{letter.pk}:due": {"iz_officer", "iz_officer_b"}}


def test_a_reply_due_within_seven_days_then_overdue_then_answered(officers):
    letter = make_letter(dated=days(-20), reply_due_on=days(7), direction="iz_to_pc")
    assert _letters(collect_reminders(days(-1))) == {}
    assert set(_letters(collect_reminders(days(0)))) == {f"correspondence:{letter.pk}:due"}
    assert set(_letters(collect_reminders(days(8)))) == {
        f"correspondence:{letter.pk}:overdue"}
    services.correspondence_record_reply(letter=letter, replied_on=days(0))
    assert _letters(collect_reminders(days(8))) == {}


def test_a_letter_with_personal_data_is_reminded_to_the_party_committee_without_its_subject(
        officers):
    make_letter(number="27-CV/ĐU", personal_data=True, reply_due_on=days(-1),
                subject="Thẩm tra lý lịch Nguyễn Văn A")
    [reminder] = [r for r in collect_reminders(days(0)) if r.key.startswith("correspondence")]
    assert {u.username for u in reminder.recipients} == {"pc_officer"}
    assert "27-CV/ĐU" in reminder.title and "Nguyễn Văn A" not in reminder.title


def test_without_an_officer_of_the_owing_body_the_party_committee_is_told(pc_officer):
    letter = make_letter(reply_due_on=days(-1))  # owed by the IZ Board, which has no officer
    assert _letters(collect_reminders(days(0))) == {
        f"correspondence:{letter.pk}:overdue": {"pc_officer"}}


def test_the_daily_job_tells_each_once_a_day_and_emails_it(officers):
    make_letter(direction="iz_to_pc", reply_due_on=days(-1), subject="Đề nghị cho ý kiến")
    first = send_reminders(days(0))
    again = send_reminders(days(0))
    notes = Notification.objects.filter(key__startswith="correspondence:")
    assert notes.count() == 1 and notes.get().recipient == officers["pc"]
    assert first["created"] >= 1 and again["created"] == 0
    assert any("Đề nghị cho ý kiến" in m.body for m in mail.outbox)


def test_a_conclusion_is_reminded_as_its_task(compositions, plans, iz_officer):
    meeting = make_meeting(compositions)
    conclusion = add_conclusion(meeting, iz_officer, side="iz_board", due_on=soon(2),
                                make_task=True)
    keys = {r.key: r.recipients for r in collect_reminders(days(0))}
    assert keys[f"plantask:{conclusion.task.pk}:due"] == (iz_officer,)


def test_an_inactive_officer_is_not_reminded(officers):
    officers["iz_a"].is_active = False
    officers["iz_a"].save()
    UserFactory(username="iz_c", organization=User.Organization.IZ_BOARD,
                role=User.Role.OFFICER, all_zones=True)
    letter = make_letter(reply_due_on=days(-1))
    assert _letters(collect_reminders(days(0))) == {
        f"correspondence:{letter.pk}:overdue": {"iz_officer_b", "iz_c"}}
