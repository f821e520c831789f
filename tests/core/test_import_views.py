"""The web import: upload → preview of every row → confirm (all or nothing)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportRun
from enterprises.models import Enterprise
from tests.enterprises.factories import ZoneFactory, valid_tax_code

pytestmark = pytest.mark.django_db

HEADER = ["Tên doanh nghiệp", "Mã số thuế", "Khu công nghiệp", "Loại hình doanh nghiệp",
          "Nguồn vốn", "Tổng số lao động"]


def upload_file(rows, name="ds.xlsx"):
    wb = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def hx(db):
    return ZoneFactory(code="HX", name="Khu công nghiệp Hòa Xá")


def _upload(client, rows, **extra):
    return client.post(reverse("core:import_upload", args=["enterprises"]),
                       {"file": upload_file(rows), "as_of": "30/06/2026", **extra})


def test_preview_then_confirm_writes_all_rows(client, pc_officer, hx):
    client.force_login(pc_officer)
    response = _upload(client, [["Công ty A", valid_tax_code(1), "HX", "Khác", "FDI", 10],
                                ["Công ty B", valid_tax_code(2), "HX", "Khác", "FDI", 20]])
    assert response.status_code == 302
    run = ImportRun.objects.get()
    preview = client.get(response["Location"])
    content = preview.content.decode()
    assert "Công ty A" in content and "Công ty B" in content
    assert not Enterprise.objects.exists()  # the preview writes nothing
    response = client.post(reverse("core:import_confirm", args=[run.pk]))
    assert response.status_code == 302
    assert Enterprise.objects.count() == 2
    run.refresh_from_db()
    assert (run.status, run.created_count) == ("applied", 2)
    # A second confirmation (double submit) writes nothing more.
    client.post(reverse("core:import_confirm", args=[run.pk]))
    assert Enterprise.objects.count() == 2


def test_preview_lists_row_errors_and_offers_no_confirmation(client, pc_officer, hx):
    client.force_login(pc_officer)
    response = _upload(client, [["Công ty A", "0100233489", "HX", "Khác", "FDI", 10]])
    content = client.get(response["Location"]).content.decode()
    assert "0100233489" in content
    assert reverse("core:import_confirm", args=[ImportRun.objects.get().pk]) not in content
    response = client.post(reverse("core:import_confirm", args=[ImportRun.objects.get().pk]))
    assert not Enterprise.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_plainly(client, pc_officer, hx):
    client.force_login(pc_officer)
    response = client.post(reverse("core:import_upload", args=["enterprises"]),
                           {"file": SimpleUploadedFile("ds.xlsx", b"hello"), "as_of": "01/01/2026"})
    # Refused on the form itself: nothing is stored from a file that is not a workbook.
    assert response.status_code == 200
    assert "xlsx" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_wrong_extension_keeps_the_form(client, pc_officer, hx):
    client.force_login(pc_officer)
    response = client.post(reverse("core:import_upload", args=["enterprises"]),
                           {"file": SimpleUploadedFile("ds.csv", b"a,b"), "as_of": "01/01/2026"})
    assert response.status_code == 200
    assert not ImportRun.objects.exists()


def test_an_import_is_visible_only_to_its_uploader(client, pc_officer, iz_officer, hx):
    client.force_login(pc_officer)
    _upload(client, [["Công ty A", valid_tax_code(1), "HX", "Khác", "FDI", 10]])
    run = ImportRun.objects.get()
    client.force_login(iz_officer)
    assert client.get(reverse("core:import_preview", args=[run.pk])).status_code == 404
    assert client.post(reverse("core:import_confirm", args=[run.pk])).status_code == 404


@pytest.mark.parametrize(
    ("fixture", "kind", "status"),
    [
        ("pc_officer", "enterprises", 200),
        ("iz_officer", "enterprises", 200),
        ("pc_leader", "enterprises", 403),
        ("iz_leader", "enterprises", 403),
        ("iz_officer", "party_organizations", 403),
        ("pc_officer", "party_organizations", 200),
        ("pc_officer", "zones", 403),
        ("administrator", "zones", 200),
        ("pc_officer", "no_such_kind", 404),
    ],
)
def test_who_may_import_what(client, request, fixture, kind, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("core:import_upload", args=[kind])).status_code == status
    if status == 200:
        template = client.get(reverse("core:import_template", args=[kind]))
        assert template.status_code == 200
        assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:import_upload", args=["enterprises"]))
    assert response.status_code == 302


def test_iz_officer_cannot_import_into_another_zone(client, iz_officer, zone_b):
    client.force_login(iz_officer)
    response = _upload(client, [["Công ty A", valid_tax_code(1), zone_b.code, "Khác", "FDI", 1]])
    run = ImportRun.objects.get()
    client.get(response["Location"])
    client.post(reverse("core:import_confirm", args=[run.pk]))
    assert not Enterprise.objects.exists()
