"""The retention schedule of personal data (core.retention)."""

import os
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coordination.dossier import services as dossier
from coordination.models import AdmissionCandidate, PartyMember
from coordination.selectors import placed_at
from core import retention
from core.models import ImportRun
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import make_enterprise, valid_tax_code

from .test_import_views import _upload, hx  # noqa: F401  (the zone fixture)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_an_applied_upload_is_deleted_at_once(client, pc_officer, hx,  # noqa: F811
                                              django_capture_on_commit_callbacks):
    client.force_login(pc_officer)
    _upload(client, [["Công ty A", valid_tax_code(1), "HX", "Khác", "FDI", 10]])
    run = ImportRun.objects.get()
    path = run.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "applied" and run.created_count == 1  # the row and counts stay
    assert not run.file and run.file_deleted_at is not None
    assert not os.path.exists(path)


def test_previews_are_kept_30_days_then_deleted(client, pc_officer, hx):  # noqa: F811
    client.force_login(pc_officer)
    for _ in range(2):
        _upload(client, [["Công ty A", valid_tax_code(1), "HX", "Khác", "FDI", 10]])
    old, recent = ImportRun.objects.order_by("pk")
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    ImportRun.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=29))
    dry = retention.apply(dry_run=True)
    assert dry.counts["import uploads deleted"] == 1
    assert os.path.exists(old.file.path)
    done = retention.apply()
    assert done.counts["import uploads deleted"] == 1
    old.refresh_from_db(), recent.refresh_from_db()
    assert not old.file and os.path.exists(recent.file.path)
    assert retention.apply().counts["import uploads deleted"] == 0  # idempotent


def _left(enterprise, name, years_ago):
    return make_member(enterprise, given_name=name, admitted_on=date(2010, 3, 1),
                       date_of_birth=date(1985, 8, 17), party_card_number="01.234567",
                       left_on=TODAY - timedelta(days=round(365.25 * years_ago)),
                       left_reason="deceased")


def test_people_no_longer_followed_are_pseudonymised_after_the_years_set(settings, zone_a,
                                                                        tmp_path):
    enterprise = make_enterprise(zone_a)
    old = _left(enterprise, "Cũ", 6)
    real_id = old.citizen_id
    recent = _left(enterprise, "Gần", 4)
    closed = make_candidate(enterprise, given_name="Đóng", identified_on=date(2015, 1, 5),
                            closed_on=date(2015, 6, 1), closed_reason="withdrew")
    settings.MEDIA_ROOT = tmp_path
    scan = tmp_path / dossier.dossier_document_record(
        candidate=closed, kind="certificate", issued_on=date(2015, 3, 1), note="Bản chính",
        upload=SimpleUploadedFile("cn.pdf", b"%PDF-1.4\n%%EOF\n")).file.name
    assert scan.exists()
    day = date(2018, 6, 30)
    before = placed_at(day).filter(enterprise=enterprise).count()
    # Default: kept.
    assert retention.apply().counts["party members pseudonymised"] == 0
    settings.PSEUDONYMISE_AFTER_YEARS = 5
    assert retention.apply(dry_run=True).counts == {
        "import uploads deleted": 0, "export files deleted": 0, "stuck exports failed": 0,
        "party members pseudonymised": 1, "closed admission cases pseudonymised": 1}
    assert PartyMember.objects.get(pk=old.pk).given_name == "Cũ"
    retention.apply()
    old = PartyMember.objects.get(pk=old.pk)
    assert (old.full_name, old.citizen_id, old.date_of_birth, old.party_card_number) == (
        f"Ẩn danh {old.pk}", f"000{old.pk:09d}", date(1985, 1, 1), "")
    assert old.left_on is not None and old.admitted_on == date(2010, 3, 1)
    # The change history holds no trace of the person either.
    assert set(old.history.values_list("given_name", flat=True)) == {f"Ẩn danh {old.pk}"}
    assert not PartyMember.history.filter(citizen_id=real_id).exists()
    assert PartyMember.objects.get(pk=recent.pk).given_name == "Gần"
    closed = AdmissionCandidate.objects.get(pk=closed.pk)
    assert closed.citizen_id.startswith("000") and closed.given_name.startswith("Ẩn danh")
    # Its dossier keeps what there was and when; not the scan, not the note.
    document = closed.documents.get()
    assert (document.kind, document.issued_on, document.note, document.file.name) == (
        "certificate", date(2015, 3, 1), "", "")
    assert not scan.exists()
    assert set(document.history.values_list("note", flat=True)) == {""}
    # Figures of past periods do not move.
    assert placed_at(day).filter(enterprise=enterprise).count() == before
    assert retention.apply().counts["party members pseudonymised"] == 0  # idempotent


def test_the_command_has_a_dry_run(capsys, settings, zone_a):
    settings.PSEUDONYMISE_AFTER_YEARS = 5
    member = _left(make_enterprise(zone_a), "Cũ", 6)
    call_command("apply_retention", "--dry-run")
    assert "(dry run) party members pseudonymised: 1" in capsys.readouterr().out
    assert PartyMember.objects.get(pk=member.pk).given_name == "Cũ"
    call_command("apply_retention")
    assert "party members pseudonymised: 1" in capsys.readouterr().out
    assert PartyMember.objects.get(pk=member.pk).citizen_id.startswith("000")


def test_the_retention_job_runs_every_night_in_vietnam_time(beat_schedules):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="core.tasks.apply_retention")
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert task.enabled


def test_administrators_see_the_register_of_processing(client, administrator, pc_officer,
                                                       settings):
    settings.PSEUDONYMISE_AFTER_YEARS = 7
    client.force_login(pc_officer)
    assert client.get(reverse("core:processing_register")).status_code == 403
    client.force_login(administrator)
    page = client.get(reverse("core:processing_register"))
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count('data-testid="processing"') == 6
    assert "core.ImportRun" in content and "core.ExportJob" in content and "7" in content
