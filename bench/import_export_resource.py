"""The django-import-export side of the import bench: a Resource doing what
``import_workbook --kind enterprises`` does with the same file.

What it does, per row of the file (headers in Vietnamese, as exported by
``export_workbook --kind enterprises``):

* matches the enterprise by ``Mã số thuế`` (``import_id_fields``), creates it
  or updates it, with the same fields: name, tax code, zone (by its code,
  ``ForeignKeyWidget``), legal form, capital source and status (the labels of
  the template turned into stored values), short name, established date,
  investor country, sector, address, representative, phone, email;
* validates the instance with ``full_clean()`` (``clean_model_instances``):
  the same field checks, model rules and constraints as our services;
* after saving, records the workforce figures as of the import date in a
  ``WorkforceRecord`` and creates the trade union / youth union the row
  says exist (``MassOrganization``), each validated with ``full_clean()``;
* saves with ``save()``, so django-simple-history records every row, as ours.

It runs in one transaction (``use_transactions``), like ours. It does not
match zones by name, nor accept the many spellings of the list values, nor
collect every error of a row with its column: ours does, and is still faster.
"""

from __future__ import annotations

from datetime import date

from import_export import fields, resources, widgets

from enterprises.models import Enterprise, IndustrialZone, MassOrganization, WorkforceRecord
from enterprises.workbooks import CAPITAL_SOURCES, LEGAL_FORMS, STATUSES


class LabelWidget(widgets.Widget):
    """A value from a fixed list, given by its template label."""

    def __init__(self, options):
        super().__init__()
        self.values = {label: value for value, label, *_others in options}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        try:
            return self.values[str(value).strip()]
        except KeyError as exc:
            raise ValueError(f"Unknown value {value!r}") from exc


def _field(attribute, header, widget=None):
    return fields.Field(attribute=attribute, column_name=header,
                        widget=widget or widgets.CharWidget())


DATE = widgets.DateWidget(format="%d/%m/%Y")
INT = widgets.IntegerWidget()


class EnterpriseResource(resources.ModelResource):
    name = _field("name", "Tên doanh nghiệp")
    tax_code = _field("tax_code", "Mã số thuế")
    zone = _field("zone", "Khu công nghiệp", widgets.ForeignKeyWidget(IndustrialZone, "code"))
    legal_form = _field("legal_form", "Loại hình doanh nghiệp", LabelWidget(LEGAL_FORMS))
    capital_source = _field("capital_source", "Nguồn vốn", LabelWidget(CAPITAL_SOURCES))
    short_name = _field("short_name", "Tên viết tắt")
    established_on = _field("established_on", "Ngày thành lập", DATE)
    status = _field("status", "Tình trạng", LabelWidget(STATUSES))
    investor_country = _field("investor_country", "Quốc gia đầu tư")
    sector = _field("sector", "Ngành nghề")
    address = _field("address", "Địa chỉ")
    representative = _field("representative", "Người đại diện")
    phone = _field("phone", "Điện thoại")
    email = _field("email", "Email")

    as_of = date.today()

    class Meta:
        model = Enterprise
        import_id_fields = ("tax_code",)
        fields = ("name", "tax_code", "zone", "legal_form", "capital_source", "short_name",
                  "established_on", "status", "investor_country", "sector", "address",
                  "representative", "phone", "email")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        # A dissolved enterprise: its dissolution date is the status date.
        dissolved = DATE.clean(row.get("Ngày giải thể"))
        if dissolved:
            row["Tình trạng"] = "Giải thể"
        self._dissolved = dissolved

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if self._dissolved:
            instance.status_since = self._dissolved

    def after_save_instance(self, instance, row, **kwargs):
        total = INT.clean(row.get("Tổng số lao động"))
        if total is not None:
            figures = (total, INT.clean(row.get("Lao động nữ")),
                       INT.clean(row.get("Số đoàn viên công đoàn")),
                       INT.clean(row.get("Số đoàn viên thanh niên")))
            latest = instance.workforce_records.order_by("-as_of", "-pk").first()
            if latest is None or latest.figures() != figures:
                record = WorkforceRecord(enterprise=instance, as_of=self.as_of,
                                         total_workers=figures[0], female_workers=figures[1],
                                         union_members=figures[2],
                                         youth_union_members=figures[3],
                                         source="Nhập từ Excel")
                record.full_clean()
                record.save()
        for kind, has, since in (
            (MassOrganization.Kind.TRADE_UNION, "Có công đoàn", "Ngày thành lập công đoàn"),
            (MassOrganization.Kind.YOUTH_UNION, "Có tổ chức Đoàn", "Ngày thành lập tổ chức Đoàn"),
        ):
            established = DATE.clean(row.get(since))
            present = str(row.get(has) or "").strip().lower() in ("có", "x") or established
            if present and not instance.mass_organizations.filter(
                    kind=kind, dissolved_on__isnull=True).exists():
                organization = MassOrganization(enterprise=instance, kind=kind,
                                                established_on=established)
                organization.full_clean()
                organization.save()
