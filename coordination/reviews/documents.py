"""The Word review report (DESIGN §7) from the template
``templates/docx/bao-cao-so-ket-tong-ket.docx`` (``core.documents``; a
province may put its own copy in DOCX_TEMPLATE_DIR).

Its content comes from the review's own fields and its **frozen figures**
only, so the same review always gives the same document, whoever asks and
whenever: the download of the review's page and ``build_report --output
F.docx`` write the same XML. Individual commendations are counted, never
named: the list of people goes with the report as an annex the Party
Committee keeps, so the report itself holds no personal data.

The context holds plain text and numbers, never model instances.
"""

from __future__ import annotations

from django.conf import settings

from core.documents import document_date, render_docx

from . import figures as review_figures
from .models import Commendation, Review

TEMPLATE = "bao-cao-so-ket-tong-ket.docx"
MISSING = "—"
# The columns of the per-zone table (the page is too narrow for all).
ZONE_COLUMNS = ("enterprises", "enterprises_with_party_org", "party_orgs", "members",
                "members_new", "candidates_open")
SECTIONS = ("situation", "results", "shortcomings", "lessons", "next_tasks", "proposals")


def number(value) -> str:
    """``12.345``: thousands as Vietnamese documents write them."""
    if value is None:
        return MISSING
    return f"{value:,}".replace(",", ".")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number_line(review: Review) -> str:
    """``Số 15-BC/ĐUK``; spaces for the number while it is not given."""
    abbr = settings.PARTY_COMMITTEE_ABBR
    if review.joint:
        abbr = f"{abbr}-{settings.IZ_BOARD_ABBR}"
    if not review.number:
        return f"Số        -BC/{abbr}"
    if "/" in review.number:
        return f"Số {review.number}"
    return f"Số {review.number}-BC/{abbr}"


def _zone_rows(figures: dict) -> tuple[list[dict], list[str]]:
    rows = []
    for index, zone in enumerate(figures.get("zones", []), start=1):
        values = zone.get("values", {})
        rows.append({"index": index, "name": zone["name"],
                     "cells": [number(values.get(code)) for code in ZONE_COLUMNS]})
    totals = []
    for code in ZONE_COLUMNS:
        column = [zone.get("values", {}).get(code) for zone in figures.get("zones", [])]
        totals.append(MISSING if any(v is None for v in column) else number(sum(column)))
    return rows, totals


def review_context(review: Review, *, targets=None, commendations=None) -> dict:
    """What the template fills, from the review and its frozen figures."""
    from ..plans.rules import indicator_label

    frozen = review.figures or {}
    labels = {item["code"]: item["label"] for item in frozen.get("indicators", [])}
    zones, totals = _zone_rows(frozen)
    targets = list(review.targets.select_related("zone").order_by("order", "pk")
                   if targets is None else targets)
    commendations = list(review.commendations.select_related("enterprise",
                                                              "party_organization")
                         .order_by("recipient", "order", "pk")
                         if commendations is None else commendations)
    collective = [c for c in commendations if not c.is_individual]
    individuals = [c for c in commendations if c.is_individual]
    period = frozen.get("period") or {}
    previous = frozen.get("previous") or {}
    return {
        "joint": review.joint,
        "iz_board_upper": settings.IZ_BOARD_NAME.upper(),
        "number": _number_line(review),
        "place": review.place,
        "date_text": document_date(review.dated),
        "subject": review.subject,
        "period_label": period.get("label", ""),
        "previous_label": previous.get("label", ""),
        **{name: _lines(getattr(review, name)) for name in SECTIONS},
        "figures": [{"index": i, "label": row["label"], "value": number(row["value"]),
                     "previous": number(row["previous"])}
                    for i, row in enumerate(review_figures.rows(frozen), start=1)],
        "zone_headings": [labels.get(code, code) for code in ZONE_COLUMNS],
        "zones": zones,
        "zone_totals": totals,
        "targets": [{"index": i, "label": indicator_label(t.indicator),
                     "zone": t.zone.name if t.zone_id else "Toàn tỉnh",
                     "value": number(t.target_value), "note": t.note}
                    for i, t in enumerate(targets, start=1)],
        "collective": [{"index": i, "name": (c.enterprise or c.party_organization).name,
                        "award": _award(c), "reason": c.reason}
                       for i, c in enumerate(collective, start=1)],
        "individual_count": len(individuals),
        "signer_on_behalf": review.signer_on_behalf,
        "signer_title": review.signer_title,
        "signer_name": review.signer_name,
        "iz_signer_on_behalf": review.iz_signer_on_behalf,
        "iz_signer_title": review.iz_signer_title,
        "iz_signer_name": review.iz_signer_name,
        "recipients": _lines(review.recipients) or ["- Lưu văn phòng."],
    }


def _award(commendation: Commendation) -> str:
    kind = "Giấy khen" if commendation.award == Commendation.Award.CERTIFICATE else "Bằng khen"
    return f"{kind} của {commendation.awarded_by}"


def render_review(review: Review) -> bytes:
    """The Word review report of ``review`` (bytes)."""
    return render_docx(TEMPLATE, review_context(review))
