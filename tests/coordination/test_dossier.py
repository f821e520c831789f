"""The candidate's dossier (DESIGN §7): the table of documents each step
needs, the service's rules, the scanned files and the pages.

Expected lists are worked out by hand from domain brief §1.2: the course gives
the certificate (CN-NTVĐ), the application 1-KNĐ and 2-KNĐ, the sponsorship
the sponsors' letters (3-KNĐ) or a union's resolution and one letter, the
verification its result, the assessments 5B/5C/5-KNĐ, the cell 6-KNĐ, the
grassroots committee 8-KNĐ (only where it applies), the decision 9-KNĐ.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from coordination import services
from coordination.dossier import expected_kinds, missing_kinds, valid_kinds
from coordination.dossier import services as dossier
from coordination.dossier.selectors import missing_counts
from coordination.models import AdmissionCandidate, DossierDocument
from core.models import PersonalDataAccess
from enterprises.models import PartyOrganization
from tests.enterprises.factories import make_enterprise, make_partyorg

from .factories import STEPS, advance, make_candidate, make_sponsor

pytestmark = pytest.mark.django_db

Stage = AdmissionCandidate.Stage
K = DossierDocument.Kind
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cell(zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty TNHH Cơ khí Hòa Phát")
    return make_partyorg("Chi bộ Công ty TNHH Cơ khí Hòa Phát", enterprise=enterprise)


@pytest.fixture
def subordinate(zone_a):
    enterprise = make_enterprise(zone_a, name="Công ty Cổ phần Dệt Nam Trực")
    committee = make_partyorg("Đảng bộ Công ty Cổ phần Dệt Nam Trực",
                              kind=PartyOrganization.Kind.GRASSROOTS_COMMITTEE,
                              enterprise=enterprise)
    return make_partyorg("Chi bộ Phân xưởng Dệt", kind=PartyOrganization.Kind.SUBORDINATE_CELL,
                         enterprise=enterprise, parent=committee)


def candidate_of(organization, until=None, **fields):
    candidate = make_candidate(organization.enterprise, responsible_organization=organization,
                               **fields)
    return advance(candidate, until) if until else candidate


def upload(name="ho-so.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the table -------------------------------------------------------------------------------


@pytest.mark.parametrize(("until", "expected"), [
    (None, []),
    (Stage.COURSE, [K.CERTIFICATE]),
    (Stage.APPLICATION, [K.CERTIFICATE, K.APPLICATION, K.AUTOBIOGRAPHY]),
    # Nobody recorded as sponsor (old records): two members' letters, the Charter's first way.
    (Stage.SPONSORSHIP, [K.CERTIFICATE, K.APPLICATION, K.AUTOBIOGRAPHY, K.SPONSOR_LETTER,
                         K.SECOND_SPONSOR_LETTER]),
    (Stage.CELL_RESOLUTION, [K.CERTIFICATE, K.APPLICATION, K.AUTOBIOGRAPHY, K.SPONSOR_LETTER,
                             K.SECOND_SPONSOR_LETTER, K.VERIFICATION, K.RESIDENCE_COMMENTS,
                             K.ORGANIZATION_COMMENTS, K.ASSESSMENT_SUMMARY,
                             K.CELL_RESOLUTION]),
    (Stage.DECISION, [K.CERTIFICATE, K.APPLICATION, K.AUTOBIOGRAPHY, K.SPONSOR_LETTER,
                      K.SECOND_SPONSOR_LETTER, K.VERIFICATION, K.RESIDENCE_COMMENTS,
                      K.ORGANIZATION_COMMENTS, K.ASSESSMENT_SUMMARY, K.CELL_RESOLUTION,
                      K.DECISION]),
])
def test_a_cells_case_needs_the_documents_of_the_steps_done(cell, until, expected):
    assert expected_kinds(candidate_of(cell, until)) == expected


def test_the_committees_resolution_only_where_its_step_applies(cell, subordinate):
    direct = candidate_of(cell, Stage.DECISION)
    through = candidate_of(subordinate, Stage.DECISION)
    assert K.COMMITTEE_RESOLUTION not in expected_kinds(direct)
    assert K.COMMITTEE_RESOLUTION not in valid_kinds(direct)
    assert expected_kinds(through)[-3:] == [K.CELL_RESOLUTION, K.COMMITTEE_RESOLUTION,
                                            K.DECISION]
    assert len(expected_kinds(through)) == 12


def _sponsored(candidate, kind, *sponsors):
    candidate = advance(candidate, Stage.APPLICATION)
    data = {"sponsor_kind": kind, "sponsor_1": sponsors[0]}
    if len(sponsors) > 1:
        data["sponsor_2"] = sponsors[1]
    return services.candidate_advance(candidate=candidate, on=date(2025, 4, 15), **data)


def test_the_sponsorships_documents_follow_who_sponsors(cell):
    first, second = make_sponsor(), make_sponsor()
    youth = _sponsored(candidate_of(cell), "youth_union", first)
    members = _sponsored(candidate_of(cell), "members", first, second)
    union = _sponsored(candidate_of(cell), "trade_union", first)
    assert expected_kinds(youth)[3:] == [K.YOUTH_UNION_RESOLUTION, K.SPONSOR_LETTER]
    assert expected_kinds(members)[3:] == [K.SPONSOR_LETTER, K.SECOND_SPONSOR_LETTER]
    assert expected_kinds(union)[3:] == [K.TRADE_UNION_RESOLUTION, K.SPONSOR_LETTER]
    # Before the sponsors are recorded any of the four may be filed.
    open_case = candidate_of(cell, Stage.APPLICATION)
    assert {K.YOUTH_UNION_RESOLUTION, K.TRADE_UNION_RESOLUTION} <= set(valid_kinds(open_case))
    assert K.YOUTH_UNION_RESOLUTION not in valid_kinds(members)
    assert len(valid_kinds(members)) == 11


def test_what_is_missing_is_what_is_expected_and_not_held(cell):
    candidate = candidate_of(cell, Stage.APPLICATION)
    assert missing_kinds(candidate, [K.APPLICATION]) == [K.CERTIFICATE, K.AUTOBIOGRAPHY]


# --- recording ---------------------------------------------------------------------------------


def test_a_document_is_recorded_with_its_scanned_file(cell, pc_officer, private_media):
    candidate = candidate_of(cell, Stage.COURSE)
    document = dossier.dossier_document_record(
        actor=pc_officer, candidate=candidate, kind=K.CERTIFICATE, issued_on=date(2025, 3, 1),
        number="CN-2025-01", note="  Bản chính  ", upload=upload("C:\\scan\\giay-cn.pdf"))
    document.refresh_from_db()
    assert (document.kind, document.issued_on, document.number, document.note) == (
        K.CERTIFICATE, date(2025, 3, 1), "CN-2025-01", "Bản chính")
    assert (document.original_name, document.mime_type, document.size) == (
        "giay-cn.pdf", "application/pdf", len(PDF))
    assert document.recorded_by == pc_officer
    assert document.file.name.startswith("dossiers/")
    assert "giay-cn" not in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == PDF
    assert missing_kinds(candidate, [document.kind]) == []


@pytest.mark.parametrize(("kind", "issued_on", "field", "message"), [
    (K.CERTIFICATE, TODAY + timedelta(days=1), "issued_on", "This date is in the future."),
    (K.CERTIFICATE, date(2025, 1, 9), "issued_on",
     "The document cannot be dated before the case began (10/01/2025)."),
    (K.COMMITTEE_RESOLUTION, date(2025, 7, 21), "kind",
     "This document does not belong to this case's procedure."),
])
def test_the_rules_of_a_document(cell, kind, issued_on, field, message):
    candidate = candidate_of(cell, Stage.CELL_RESOLUTION)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            dossier.dossier_document_record(candidate=candidate, kind=kind, issued_on=issued_on)
        assert caught.value.message_dict[field] == [message]
    assert not DossierDocument.objects.exists()


def test_the_committees_resolution_is_recorded_where_it_applies(subordinate):
    candidate = candidate_of(subordinate, Stage.COMMITTEE_RESOLUTION)
    document = dossier.dossier_document_record(candidate=candidate, kind=K.COMMITTEE_RESOLUTION,
                                               issued_on=date(2025, 7, 21))
    assert document.pk


def test_a_unions_resolution_does_not_fit_two_members_sponsoring(cell):
    candidate = _sponsored(candidate_of(cell), "members", make_sponsor(), make_sponsor())
    with pytest.raises(ValidationError) as caught:
        dossier.dossier_document_record(candidate=candidate, kind=K.YOUTH_UNION_RESOLUTION,
                                        issued_on=date(2025, 4, 10))
    assert "kind" in caught.value.message_dict


def test_one_document_of_each_kind(cell):
    candidate = candidate_of(cell, Stage.COURSE)
    dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                    issued_on=date(2025, 3, 1))
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                            issued_on=date(2025, 3, 2))
        assert caught.value.message_dict["kind"] == [
            "This document is already in the dossier: correct it instead."]
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierDocument.objects.create(candidate=candidate, kind=K.CERTIFICATE,
                                       issued_on=date(2025, 3, 2))


def test_a_file_is_described_or_absent():
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierDocument.objects.create(candidate=make_candidate(), kind=K.CERTIFICATE,
                                       issued_on=date(2025, 3, 2), file="dossiers/x")


@pytest.mark.parametrize(("name", "content"), [
    ("anh.pdf", PNG),  # the content decides: an image named .pdf
    ("ho-so.exe", PDF),  # and the name must agree with it
    ("rong.pdf", b""),
])
def test_a_file_is_checked_like_every_attachment(cell, private_media, name, content):
    candidate = candidate_of(cell, Stage.COURSE)
    with pytest.raises(ValidationError) as caught:
        dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                        issued_on=date(2025, 3, 1),
                                        upload=upload(name, content))
    assert list(caught.value.message_dict) == ["file"]
    assert not DossierDocument.objects.exists()
    assert not list((private_media / "dossiers").rglob("*")) if (
        private_media / "dossiers").exists() else True


def test_a_file_larger_than_allowed_is_refused(cell, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        dossier.dossier_document_record(candidate=candidate_of(cell), kind=K.CERTIFICATE,
                                        issued_on=date(2025, 3, 1),
                                        upload=upload(content=PDF + b"%" * 200))
    assert "file" in caught.value.message_dict


def test_only_party_development_editors_record(cell, iz_officer, pc_leader):
    candidate = candidate_of(cell)
    for actor in (iz_officer, pc_leader):
        with pytest.raises(PermissionDenied):
            dossier.dossier_document_record(actor=actor, candidate=candidate,
                                            kind=K.CERTIFICATE, issued_on=date(2025, 3, 1))
    assert not DossierDocument.objects.exists()


def test_a_correction_replaces_or_removes_the_file(cell, pc_officer, private_media,
                                                   django_capture_on_commit_callbacks):
    candidate = candidate_of(cell, Stage.COURSE)
    document = dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                               issued_on=date(2025, 3, 1), upload=upload())
    first = private_media / document.file.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        changed = dossier.dossier_document_update(
            actor=pc_officer, document=document, data={"number": "CN-7"},
            upload=upload("ban-moi.pdf", PDF + b"% moi\n"))
    assert changed == ["number", "file"]
    document.refresh_from_db()
    assert not first.exists()
    assert document.original_name == "ban-moi.pdf"
    second = private_media / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert dossier.dossier_document_update(document=document, data={}, remove_file=True) \
            == ["file"]
    document.refresh_from_db()
    assert not second.exists()
    assert (document.file.name, document.original_name, document.mime_type, document.size) == (
        "", "", "", None)
    assert dossier.dossier_document_update(document=document, data={"number": "CN-7"}) == []


def test_a_correction_keeps_the_rules(cell):
    candidate = candidate_of(cell, Stage.COURSE)
    document = dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                               issued_on=date(2025, 3, 1))
    with pytest.raises(ValidationError) as caught:
        dossier.dossier_document_update(document=document, data={"issued_on": date(2024, 1, 1)})
    assert "issued_on" in caught.value.message_dict
    document.refresh_from_db()
    assert document.issued_on == date(2025, 3, 1)


def test_missing_counts_of_many_cases_take_one_query(cell, django_assert_num_queries):
    cases = [candidate_of(cell, stage) for stage, _on, _data in STEPS[:6]]
    dossier.dossier_document_record(candidate=cases[2], kind=K.APPLICATION,
                                    issued_on=date(2025, 4, 1))
    cases = list(AdmissionCandidate.objects.filter(pk__in=[c.pk for c in cases])
                 .select_related("responsible_organization__parent").order_by("pk"))
    with django_assert_num_queries(1):
        counts = missing_counts(cases)
    # course 1, application 3, sponsorship 5 (one held: 4), verification 6, assessment 9,
    # cell resolution 10.
    assert [counts[c.pk] for c in cases] == [1, 3, 4, 6, 9, 10]


# --- the pages ---------------------------------------------------------------------------------


def test_the_candidate_page_shows_the_dossier_and_what_is_missing(client, cell, pc_officer):
    candidate = candidate_of(cell, Stage.APPLICATION)
    dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                    issued_on=date(2025, 3, 1), number="CN-2025-01")
    client.force_login(pc_officer)
    response = client.get(candidate.get_absolute_url())
    assert response.status_code == 200
    page = response.context["dossier"]
    assert page.missing == [(K.APPLICATION, K.APPLICATION.label),
                            (K.AUTOBIOGRAPHY, K.AUTOBIOGRAPHY.label)]
    states = {kind: doc is not None for step in page.steps for kind, _l, doc in step.documents}
    assert states[K.CERTIFICATE] and not states[K.APPLICATION]
    html = response.content.decode()
    assert 'data-testid="dossier-missing"' in html
    assert "Còn thiếu cho bước tiếp theo: 2 giấy tờ" in html
    assert "CN-2025-01" in html


def test_the_board_marks_cards_missing_documents(client, cell, pc_officer):
    candidate = candidate_of(cell, Stage.SPONSORSHIP)
    dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                    issued_on=date(2025, 3, 1))
    complete = candidate_of(cell, Stage.COURSE, given_name="Đủ")
    dossier.dossier_document_record(candidate=complete, kind=K.CERTIFICATE,
                                    issued_on=date(2025, 3, 1))
    client.force_login(pc_officer)
    response = client.get(reverse("coordination:pipeline"))
    cards = {c.pk: c.missing_documents for column in response.context["columns"]
             for c in column["cards"]}
    assert cards == {candidate.pk: 4, complete.pk: 0}
    html = response.content.decode()
    assert html.count('data-testid="missing-documents"') == 1
    assert "thiếu 4 giấy tờ" in html


def test_recording_through_the_page(client, cell, pc_officer):
    candidate = candidate_of(cell, Stage.COURSE)
    client.force_login(pc_officer)
    url = reverse("coordination:candidate_document_create", args=[candidate.pk])
    form = client.get(url, {"kind": K.CERTIFICATE})
    assert form.status_code == 200
    assert form.context["form"].initial["kind"] == K.CERTIFICATE
    refused = client.post(url, {"kind": K.CERTIFICATE, "issued_on": "05/01/2025",
                                "number": "CN-1", "file": upload()})
    assert refused.status_code == 200
    assert refused.context["form"].errors["issued_on"]
    assert not DossierDocument.objects.exists()
    response = client.post(url, {"kind": K.CERTIFICATE, "issued_on": "01/03/2025",
                                 "number": "CN-1", "file": upload()})
    assert response.status_code == 302
    assert response["Location"] == f"{candidate.get_absolute_url()}#dossier"
    document = DossierDocument.objects.get()
    assert (document.number, document.original_name) == ("CN-1", "ho-so.pdf")
    edit = reverse("coordination:dossier_document_update", args=[document.pk])
    assert client.get(edit).context["form"].fields["remove_file"]
    response = client.post(edit, {"kind": K.CERTIFICATE, "issued_on": "02/03/2025",
                                  "number": "CN-1", "remove_file": "on"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.issued_on, document.file.name) == (date(2025, 3, 2), "")


def test_the_scanned_file_goes_to_personal_data_readers_logged(client, cell, pc_leader,
                                                               iz_officer):
    candidate = candidate_of(cell, Stage.COURSE)
    document = dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                               issued_on=date(2025, 3, 1), upload=upload())
    url = reverse("coordination:dossier_document_file", args=[document.pk])
    client.force_login(pc_leader)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    row = PersonalDataAccess.objects.get()
    assert (row.action, row.record_id, row.detail) == (
        "export", candidate.pk, f"dossier file document={document.pk}")
    client.force_login(iz_officer)
    assert client.post(url).status_code == 403
    assert PersonalDataAccess.objects.count() == 1


def test_an_iz_officer_sees_no_dossier(client, cell, iz_officer):
    candidate = candidate_of(cell, Stage.COURSE)
    dossier.dossier_document_record(candidate=candidate, kind=K.CERTIFICATE,
                                    issued_on=date(2025, 3, 1))
    client.force_login(iz_officer)
    assert client.get(candidate.get_absolute_url()).status_code == 403
    board = client.get(reverse("coordination:pipeline"))
    assert board.status_code == 200
    html = board.content.decode()
    assert candidate.full_name not in html
    assert "missing-documents" not in html and "list-cells" not in html
