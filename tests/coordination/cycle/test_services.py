"""Rules of the working cycle, in coordination.cycle.services: one
regulation in force at a time, who attends a meeting, conclusions made plan
tasks in one step and linked both ways, and who records which letter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from coordination.cycle import rules, services
from coordination.cycle.models import Conclusion, Correspondence, Meeting, Regulation
from coordination.models import CommitteeMember, PlanTask
from coordination.plans import services as plan_services
from core.attachments import attachments_of
from tests.enterprises.factories import EnterpriseFactory

from .conftest import YEAR, add_conclusion, days, make_letter, make_meeting, regulation_data, soon

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# --- The regulation ---------------------------------------------------------------------------


def test_a_regulation_is_recorded_with_its_signed_file(pc_officer):
    upload = SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf")
    regulation = services.regulation_create(actor=pc_officer, data=regulation_data(),
                                            uploads=[upload])
    assert regulation.is_in_force_on(days(0))
    assert not regulation.is_in_force_on(days(-401))
    assert [a.original_name for a in attachments_of(regulation)] == ["quy-che.pdf"]


@pytest.mark.parametrize("user", ["pc_leader", "iz_officer", "iz_leader"])
def test_only_party_committee_officers_record_the_regulation(request, user):
    with pytest.raises(PermissionDenied):
        services.regulation_create(actor=request.getfixturevalue(user), data=regulation_data())
    assert not Regulation.objects.exists()


def test_a_regulation_is_not_signed_in_the_future():
    with pytest.raises(ValidationError) as exc:
        services.regulation_create(data=regulation_data(signed_on=days(1),
                                                        effective_from=days(1)))
    assert "signed_on" in exc.value.error_dict


def test_it_comes_into_force_on_or_after_signing_in_the_database_too():
    with pytest.raises(ValidationError) as exc:
        services.regulation_create(data=regulation_data(effective_from=days(-401)))
    assert "effective_from" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Regulation.objects.create(**regulation_data(effective_from=days(-401)))


def test_two_regulations_are_never_in_force_on_the_same_day():
    services.regulation_create(data=regulation_data())
    with pytest.raises(ValidationError) as exc:
        services.regulation_create(data=regulation_data(number="02-QC/ĐUK-BQL",
                                                        signed_on=days(-30),
                                                        effective_from=days(-30)))
    assert "01-QC/ĐUK-BQL" in _messages(exc)
    assert Regulation.objects.count() == 1


def test_the_database_keeps_one_regulation_in_force_too(monkeypatch):
    first = services.regulation_create(data=regulation_data())
    # Written around the services: PostgreSQL refuses the overlap itself.
    with pytest.raises(IntegrityError), transaction.atomic():
        Regulation.objects.create(**regulation_data(number="02-QC/ĐUK-BQL",
                                                    signed_on=days(-30), effective_from=days(-30)))
    # The day after the first one ends is free.
    first.in_force_until = days(-31)
    first.save()
    Regulation.objects.create(**regulation_data(number="02-QC/ĐUK-BQL", signed_on=days(-30),
                                                effective_from=days(-30)))
    # Two requests at once both pass the services' check: the second one is
    # refused by the constraint, with the services' message.
    monkeypatch.setattr(services, "_check_overlap", lambda regulation: None)
    with pytest.raises(IntegrityError):
        services.regulation_create(data=regulation_data(number="03-QC/ĐUK-BQL",
                                                        signed_on=days(-10),
                                                        effective_from=days(-10)))
    assert Regulation.objects.count() == 2


def test_a_regulation_refused_by_the_constraint_gets_the_services_message(monkeypatch):
    services.regulation_create(data=regulation_data())
    checks = []
    real_check = services._check_overlap

    def passes_first_time(regulation):
        checks.append(regulation)
        if len(checks) > 1:  # the check made again after the database refused
            real_check(regulation)

    monkeypatch.setattr(services, "_check_overlap", passes_first_time)
    with pytest.raises(ValidationError) as exc:
        services.regulation_create(data=regulation_data(number="02-QC/ĐUK-BQL",
                                                        signed_on=days(-30),
                                                        effective_from=days(-30)))
    assert "01-QC/ĐUK-BQL" in _messages(exc)
    assert Regulation.objects.count() == 1


def test_a_regulation_that_replaces_another_ends_it_the_day_before(pc_officer):
    old = services.regulation_create(data=regulation_data())
    new = services.regulation_create(actor=pc_officer, replaces=old, data=regulation_data(
        number="02-QC/ĐUK-BQL", signed_on=days(-30), effective_from=days(-20)))
    old.refresh_from_db()
    assert old.in_force_until == days(-21)
    assert old.replaced_by == new
    assert not old.is_in_force_on(days(0)) and new.is_in_force_on(days(0))


def test_a_replacement_comes_into_force_after_the_one_it_replaces():
    old = services.regulation_create(data=regulation_data())
    with pytest.raises(ValidationError):
        services.regulation_create(replaces=old, data=regulation_data(
            number="02-QC/ĐUK-BQL", signed_on=days(-500), effective_from=days(-400)))
    old.refresh_from_db()
    assert old.in_force_until is None and old.replaced_by is None


def test_ending_a_regulation_lets_the_next_one_start():
    old = services.regulation_create(data=regulation_data())
    changed = services.regulation_update(regulation=old, data={"in_force_until": days(-50)})
    assert changed == ["in_force_until"]
    services.regulation_create(data=regulation_data(number="02-QC/ĐUK-BQL",
                                                    signed_on=days(-49),
                                                    effective_from=days(-49)))
    assert Regulation.objects.count() == 2


# --- Meetings ---------------------------------------------------------------------------------


def test_a_meeting_is_attended_by_members_in_office_that_day_and_the_chair_attends(
        compositions, pc_officer):
    meeting = make_meeting(compositions, attendees=["Vũ Đình Khánh"], actor=pc_officer)
    assert {m.full_name for m in meeting.attendees.all()} == {"Trần Văn Quang", "Vũ Đình Khánh"}
    assert meeting.recorded_by == pc_officer


def test_a_member_of_another_composition_or_who_left_does_not_attend(compositions):
    with pytest.raises(ValidationError) as exc:
        make_meeting(compositions, attendees=["Trần Văn Quang", "Lê Thu Hà"])
    assert "Lê Thu Hà" in _messages(exc)  # the working group's, not the steering committee's
    with pytest.raises(ValidationError) as exc:
        make_meeting(compositions, held_on=days(-5), attendees=["Mai Thị Hoa"])  # left on -10
    assert "Mai Thị Hoa" in _messages(exc)
    # Before she left she could.
    meeting = make_meeting(compositions, held_on=days(-11), attendees=["Mai Thị Hoa"])
    assert meeting.attendees.count() == 2
    with pytest.raises(ValidationError) as exc:
        make_meeting(compositions, held_on=days(-800), chair="Trần Văn Quang", attendees=())
    assert "chair" in exc.value.error_dict  # the composition took office 730 days ago
    assert Meeting.objects.count() == 1


def test_a_joint_conference_gathers_both_compositions(compositions):
    meeting = make_meeting(compositions, kind="joint", attendees=["Vũ Đình Khánh", "Lê Thu Hà"])
    assert meeting.attendees.count() == 3


def test_a_meeting_is_recorded_once_held_by_party_committee_officers(compositions, iz_officer):
    with pytest.raises(ValidationError) as exc:
        make_meeting(compositions, held_on=days(1))
    assert "held_on" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        make_meeting(compositions, actor=iz_officer)
    assert not Meeting.objects.exists()


def test_a_meeting_keeps_its_conclusions_due_on_or_after_it(compositions, pc_officer):
    meeting = make_meeting(compositions, held_on=days(-20))
    add_conclusion(meeting, pc_officer, due_on=days(-15))
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(meeting=meeting, data={"held_on": days(-14)})
    assert "held_on" in exc.value.error_dict
    assert services.meeting_update(meeting=meeting, data={"held_on": days(-16)}) == ["held_on"]


def test_a_member_who_attended_stays_in_the_composition(compositions):
    make_meeting(compositions)
    steering = compositions["steering"]
    rows = [{"pk": m.pk, "full_name": m.full_name, "organization": m.organization,
             "title": m.title, "position": m.position} for m in steering.members.all()
            if m.full_name != "Vũ Đình Khánh"]
    with pytest.raises(ValidationError) as exc:
        plan_services.committee_update(committee=steering, data={}, members=rows)
    assert "Vũ Đình Khánh" in _messages(exc)
    assert CommitteeMember.objects.filter(full_name="Vũ Đình Khánh").exists()


def test_a_member_serves_within_the_term_and_joins_before_leaving(compositions):
    group = compositions["group"]
    member = CommitteeMember(committee=group, full_name="Ngô Văn Hải", organization="Công đoàn",
                             serves_from=group.term_start - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert "serves_from" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(committee=group, full_name="Ngô Văn Hải",
                                       organization="Công đoàn", serves_from=days(-5),
                                       serves_until=days(-6))


# --- Conclusions ------------------------------------------------------------------------------


def test_a_conclusion_becomes_a_task_of_its_due_years_plan_linked_both_ways(
        compositions, plans, pc_officer):
    meeting = make_meeting(compositions)
    conclusion = add_conclusion(meeting, pc_officer, due_on=soon(5))
    task = services.conclusion_make_task(actor=pc_officer, conclusion=conclusion)
    conclusion.refresh_from_db()
    assert conclusion.task == task and task.conclusion == conclusion
    assert task.plan == plans[soon(5).year]
    assert (task.content, task.lead_side, task.owner, task.due_on, task.status) == (
        conclusion.text, "party_committee", pc_officer, soon(5), PlanTask.Status.NOT_STARTED)
    with pytest.raises(ValidationError) as exc:
        services.conclusion_make_task(actor=pc_officer, conclusion=conclusion)
    assert "already a plan task" in _messages(exc)
    assert PlanTask.objects.count() == 1


def test_a_conclusion_made_a_task_at_creation(compositions, plans, iz_officer):
    meeting = make_meeting(compositions)
    conclusion = add_conclusion(meeting, iz_officer, side="iz_board", make_task=True)
    assert conclusion.task.lead_side == "iz_board"
    assert conclusion.task.owner == iz_officer


def test_a_conclusion_waits_for_the_plan_of_its_year_to_be_approved(compositions, plans,
                                                                    pc_officer):
    meeting = make_meeting(compositions)
    next_year = add_conclusion(meeting, pc_officer, due_on=days(400))  # draft or no plan
    with pytest.raises(ValidationError) as exc:
        services.conclusion_make_task(conclusion=next_year)
    assert str(days(400).year) in _messages(exc)
    with pytest.raises(ValidationError):
        add_conclusion(meeting, pc_officer, due_on=days(401), make_task=True)
    next_year.refresh_from_db()
    assert next_year.task is None
    assert Conclusion.objects.count() == 1  # the second was refused as a whole


def test_a_closed_plan_takes_no_conclusion(compositions, plans, pc_officer, pc_leader):
    plan_services.plan_close(actor=pc_leader, plan=plans[YEAR])
    meeting = make_meeting(compositions, held_on=days(0))
    conclusion = add_conclusion(meeting, pc_officer, due_on=days(0))
    with pytest.raises(ValidationError):
        services.conclusion_make_task(conclusion=conclusion)


def test_a_conclusion_is_due_after_its_meeting_and_owned_by_the_leading_body(compositions,
                                                                             pc_officer,
                                                                             iz_officer):
    meeting = make_meeting(compositions, held_on=days(-20))
    with pytest.raises(ValidationError) as exc:
        add_conclusion(meeting, pc_officer, due_on=days(-21))
    assert "due_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        add_conclusion(meeting, iz_officer, side="party_committee")
    assert "owner" in exc.value.error_dict
    assert add_conclusion(meeting, iz_officer, side="both").owner == iz_officer


def test_a_conclusion_that_is_a_task_is_changed_through_the_task(compositions, plans,
                                                                 pc_officer):
    meeting = make_meeting(compositions)
    conclusion = add_conclusion(meeting, pc_officer, make_task=True)
    with pytest.raises(ValidationError):
        services.conclusion_update(conclusion=conclusion, data={"text": "Khác"})
    with pytest.raises(ValidationError):
        services.conclusion_delete(conclusion=conclusion)
    other = add_conclusion(meeting, pc_officer)
    assert services.conclusion_update(conclusion=other, data={"text": "Khác"}) == ["text"]
    services.conclusion_delete(conclusion=other)
    assert list(Conclusion.objects.all()) == [conclusion]


def test_the_conclusion_follows_its_task(compositions, plans, pc_officer):
    meeting = make_meeting(compositions, held_on=days(-20))
    conclusion = add_conclusion(meeting, pc_officer, due_on=days(-20), make_task=True)
    task = conclusion.task
    assert rules.conclusion_state(conclusion, days(0)) == rules.LATE
    assert rules.conclusion_state(conclusion, days(-20)) == rules.OPEN
    plan_services.task_progress_update(actor=pc_officer, task=task, status="done",
                                       completed_on=days(-1))
    conclusion.refresh_from_db()
    assert rules.conclusion_state(conclusion, days(0)) == rules.DONE
    plain = add_conclusion(meeting, pc_officer, due_on=days(-1))
    assert rules.conclusion_state(plain, days(0)) == rules.LATE
    assert rules.conclusion_state(plain, days(-1)) == rules.NO_TASK


# --- Correspondence ---------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "direction", "allowed"), [
    ("pc_officer", "pc_to_iz", True), ("pc_officer", "iz_in", True),
    ("iz_officer", "iz_to_pc", True), ("iz_officer", "pc_to_iz", True),
    ("iz_officer", "iz_out", True), ("iz_officer", "iz_in", True),
    ("iz_officer", "pc_out", False), ("iz_officer", "pc_in", False),
    ("pc_leader", "pc_to_iz", False), ("iz_leader", "iz_to_pc", False),
])
def test_who_records_which_letters(request, user, direction, allowed):
    actor = request.getfixturevalue(user)
    data = {"counterpart": "Sở Nội vụ"} if direction not in rules.BETWEEN_BODIES else {}
    if allowed:
        letter = make_letter(actor=actor, direction=direction, **data)
        assert letter.recorded_by == actor
    else:
        with pytest.raises(PermissionDenied):
            make_letter(actor=actor, direction=direction, **data)
        assert not Correspondence.objects.exists()


def test_iz_officers_link_enterprises_of_their_zones_and_keep_the_others(
        zone_a, zone_b, pc_officer, iz_officer):
    mine, other = EnterpriseFactory(zone=zone_a), EnterpriseFactory(zone=zone_b)
    with pytest.raises(ValidationError) as exc:
        make_letter(actor=iz_officer, direction="iz_to_pc", enterprises=[other])
    assert "enterprises" in exc.value.error_dict
    letter = make_letter(actor=pc_officer, enterprises=[mine, other])
    # The IZ officer corrects it choosing only among the zone's enterprises.
    changed = services.correspondence_update(actor=iz_officer, letter=letter, data={
        "subject": "Đề nghị cung cấp danh sách (sửa)"}, enterprises=[])
    assert set(changed) == {"subject", "enterprises"}
    assert list(letter.enterprises.all()) == [other]


def test_only_accounts_that_see_personal_data_mark_a_letter_as_holding_it(pc_officer,
                                                                          iz_officer):
    with pytest.raises(ValidationError) as exc:
        make_letter(actor=iz_officer, direction="iz_to_pc", personal_data=True)
    assert "personal_data" in exc.value.error_dict
    assert make_letter(actor=pc_officer, personal_data=True).personal_data


def test_a_letter_with_another_body_names_it_in_the_database_too():
    with pytest.raises(ValidationError) as exc:
        make_letter(direction="pc_out")
    assert "counterpart" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Correspondence.objects.create(direction="pc_out", number="1", dated=days(0),
                                      subject="x")
    # Between the two bodies there is none: anything typed there is dropped.
    assert make_letter(counterpart="Sở Nội vụ").counterpart == ""


def test_a_letter_is_dated_today_at_the_latest_and_its_reply_not_before_it():
    with pytest.raises(ValidationError) as exc:
        make_letter(dated=days(1))
    assert "dated" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        make_letter(dated=days(-5), reply_due_on=days(-6))
    assert "reply_due_on" in exc.value.error_dict


def test_a_reply_letter_answers_the_letter_going_the_other_way(pc_officer, iz_officer):
    asked = make_letter(actor=pc_officer, dated=days(-15), reply_due_on=days(-5))
    with pytest.raises(ValidationError) as exc:
        make_letter(actor=pc_officer, number="16-CV/ĐUK", in_reply_to=asked)
    assert "in_reply_to" in exc.value.error_dict  # same direction
    with pytest.raises(ValidationError):
        make_letter(actor=iz_officer, direction="iz_to_pc", number="9/BQL", dated=days(-16),
                    in_reply_to=asked)  # dated before it
    reply = make_letter(actor=iz_officer, direction="iz_to_pc", number="9/BQL",
                        dated=days(-3), in_reply_to=asked)
    asked.refresh_from_db()
    assert (asked.reply, asked.replied_on, asked.reply_number) == (reply, days(-3), "9/BQL")
    assert rules.reply_status(asked, days(0)) == rules.ANSWERED
    with pytest.raises(ValidationError) as exc:
        make_letter(actor=iz_officer, direction="iz_to_pc", number="10/BQL", in_reply_to=asked)
    assert "already answered" in _messages(exc)
    # Correcting the reply's date or number corrects the answered letter.
    services.correspondence_update(actor=iz_officer, letter=reply,
                                   data={"number": "9/BQL-VP", "dated": days(-2)})
    asked.refresh_from_db()
    assert (asked.replied_on, asked.reply_number) == (days(-2), "9/BQL-VP")


def test_a_reply_recorded_by_its_date_and_number(pc_officer, iz_officer):
    letter = make_letter(actor=pc_officer, dated=days(-15), reply_due_on=days(-5))
    assert rules.reply_status(letter, days(0)) == rules.OVERDUE
    assert rules.reply_status(letter, days(-5)) == rules.AWAITING
    with pytest.raises(ValidationError) as exc:
        services.correspondence_record_reply(actor=iz_officer, letter=letter,
                                             replied_on=days(1))
    assert "replied_on" in exc.value.error_dict
    services.correspondence_record_reply(actor=iz_officer, letter=letter, replied_on=days(-1),
                                         reply_number="58/BQL")
    letter.refresh_from_db()
    assert rules.reply_status(letter, days(0)) == rules.ANSWERED
    assert rules.reply_status(make_letter(number="2"), days(0)) == rules.NO_REPLY


def test_a_reply_number_needs_its_date_in_the_database():
    letter = make_letter()
    with pytest.raises(IntegrityError), transaction.atomic():
        Correspondence.objects.filter(pk=letter.pk).update(reply_number="9/BQL")


def test_an_iz_officer_never_changes_a_letter_of_the_party_committee_alone(
        zone_a, pc_officer, iz_officer):
    letter = make_letter(actor=pc_officer, direction="pc_out", counterpart="Tỉnh ủy",
                         enterprises=[EnterpriseFactory(zone=zone_a)], reply_due_on=days(5))
    with pytest.raises(PermissionDenied):
        services.correspondence_update(actor=iz_officer, letter=letter, data={"subject": "x"})
    with pytest.raises(PermissionDenied):
        services.correspondence_record_reply(actor=iz_officer, letter=letter,
                                             replied_on=days(0))
    letter.refresh_from_db()
    assert letter.subject != "x" and letter.replied_on is None


def test_the_body_that_answers_for_a_reply():
    assert rules.responsible_side("pc_to_iz") == "iz_board"
    assert rules.responsible_side("iz_to_pc") == "party_committee"
    assert rules.responsible_side("pc_out") == "party_committee"
    assert rules.responsible_side("iz_in") == "iz_board"
    assert {d: rules.reply_direction(d) for d in rules.Direction.values} == {
        "pc_to_iz": "iz_to_pc", "iz_to_pc": "pc_to_iz", "pc_out": "pc_in",
        "pc_in": "pc_out", "iz_out": "iz_in", "iz_in": "iz_out"}
