"""Word documents (.docx) filled from templates the province can edit.

A template is a .docx file written in Word or LibreOffice with Jinja tags
(``{{ candidate.full_name }}``, ``{%tr for row in rows %}`` for table rows:
the syntax of docxtpl). :func:`render_docx` looks for it first in
``settings.DOCX_TEMPLATE_DIR`` (the province's own copies, when set), then
among the built-in templates under ``templates/docx/`` (made by
``scripts/make_docx_templates.py``). Documents follow the party document
format (Quy định 66-QĐ/TW, Hướng dẫn 36-HD/VPTW); the values they need are
prepared by the caller, and the helpers here give the shared parts: the
issuing bodies, the place and the date as documents write them.

Templates run in Jinja's sandbox with autoescaping: a value never breaks the
document's XML and a template cannot reach the application's internals.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jinja2.sandbox import SandboxedEnvironment

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BUILT_IN = Path(settings.BASE_DIR) / "templates" / "docx"


def template_path(template_name: str) -> Path:
    """The file of ``template_name``: the province's copy in
    ``DOCX_TEMPLATE_DIR`` when there is one, else the built-in template."""
    if Path(template_name).name != template_name or not template_name.endswith(".docx"):
        raise ValueError(f"not a template name: {template_name!r}")
    own = getattr(settings, "DOCX_TEMPLATE_DIR", "")
    if own:
        candidate = Path(own) / template_name
        if candidate.is_file():
            return candidate
    built_in = BUILT_IN / template_name
    if not built_in.is_file():
        raise ImproperlyConfigured(f"No Word template {template_name} in DOCX_TEMPLATE_DIR or "
                                   f"{BUILT_IN}")
    return built_in


def render_docx(template_name: str, context: dict) -> bytes:
    """The document ``template_name`` filled with ``context``, as bytes."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(template_path(template_name)))
    environment = SandboxedEnvironment(autoescape=True)
    template.render({**common_context(), **context}, jinja_env=environment, autoescape=True)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


def document_date(day: date | None) -> str:
    """``ngày 05 tháng 02 năm 2026``: days below 10 and the months 1 and 2 take
    a leading zero, as state and party documents write dates; without a day,
    the dotted line an officer fills in by hand."""
    if day is None:
        return "ngày ..... tháng ..... năm ........"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def common_context() -> dict:
    """What every template may use: the province and the signatory bodies
    (configuration, DESIGN §1), and the date helpers."""
    return {
        "province": settings.PROVINCE_NAME,
        "party_committee": settings.PARTY_COMMITTEE_NAME,
        "party_committee_upper": settings.PARTY_COMMITTEE_NAME.upper(),
        "party_committee_abbr": settings.PARTY_COMMITTEE_ABBR,
        "party_committee_superior": settings.PARTY_COMMITTEE_SUPERIOR.upper(),
        "dots": "." * 30,
        "dots_short": "." * 8,
    }
