"""Report test data.

- ``populate(zone, *, size=1, seed=0)``: enterprises, members and candidates of every
  kind the dashboard counts, ``size`` times over (``this_year(month, day=10)``: a day
  of this year, never after today; ``YEAR`` and ``THIS_YEAR``: this year and its
  period so far); ``populate_both(zone_a, zone_b)``: the dashboard tests' data.
- ``make_report(*, kind=QUARTERLY, period="2026-Q1", zone=None, personal=True,
  status=READY, figures=None, content=..., generated_at=None, **fields)``: a report
  row as the services leave it; ``some_data(zone_a, zone_b)``: a few enterprises
  so that figures are not all 0.
- ``build_world(zone_a, zone_b, *, plan=True)``: the hand-made data of the workbook
  tests for ``PERIOD`` (2025-Q2), with ``official``, ``admitted_candidate``,
  ``workforce`` and ``mass_org``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from coordination.models import Committee, CoordinationPlan, PlanTarget, PlanTask
from core.periods import Period
from enterprises.models import Enterprise, IndustrialZone, MassOrganization, WorkforceRecord
from reports.models import Report
from surveys.models import SurveyCampaign, SurveyVisit
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, WorkforceFactory
from tests.factories import UserFactory

TODAY = timezone.localdate()
YEAR = TODAY.year
THIS_YEAR = Period.of("year", YEAR).so_far(TODAY)
PERIOD = Period.parse("2025-Q2")
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1 Công ty Dệt", "@SUM(A1) Công ty",
           "-5 Doanh nghiệp"]

Kind = MassOrganization.Kind
Status = Enterprise.Status
Capital = Enterprise.CapitalSource


# --- The dashboard -------------------------------------------------------------------------


def this_year(month: int, day: int = 10) -> date:
    """A day of this year, never after today."""
    return min(date(YEAR, month, day), TODAY)


def populate(zone, *, size: int = 1, seed: int = 0):
    """Enterprises, members and candidates of every kind the dashboard counts,
    ``size`` times over, in ``zone``."""
    for i in range(size):
        with_org = EnterpriseFactory(zone=zone, established_on=date(2015, 1, 1))
        PartyOrganizationFactory(enterprise=with_org, established_on=date(2020, 5, 1))
        PartyOrganizationFactory(enterprise=EnterpriseFactory(zone=zone),
                                 established_on=this_year(2))      # new this year
        EnterpriseFactory(zone=zone, established_on=this_year(3))  # new, without one
        qualifying = EnterpriseFactory(zone=zone)
        for _n in range(3):
            make_member(enterprise=qualifying, admitted_on=date(2020, 3, 1),
                        official_on=date(2021, 3, 1))
        make_member(enterprise=with_org, admitted_on=this_year(1 + (i + seed) % 6))
        make_member(enterprise=with_org, admitted_on=date(YEAR - 1, 6, 1))
        make_candidate(enterprise=with_org, identified_on=date(YEAR - 1, 10, 1))
        make_candidate(enterprise=qualifying, identified_on=date(YEAR - 1, 10, 1),
                       course_completed_on=this_year(2), certificate_number=f"CN-{i}")
        # Past the 60 working days of the decision: overdue.
        cell = TODAY - timedelta(days=200)
        make_candidate(
            enterprise=with_org, identified_on=cell - timedelta(days=300),
            course_completed_on=cell - timedelta(days=250), certificate_number=f"CX-{i}",
            application_on=cell - timedelta(days=200), sponsorship_on=cell - timedelta(days=150),
            verification_on=cell - timedelta(days=100), assessment_on=cell - timedelta(days=50),
            cell_resolution_on=cell, votes_for=3, cell_official_members=3)


def populate_both(zone_a, zone_b) -> dict:
    """The dashboard tests' data: ``populate`` in zone A once, in zone B twice
    (zone B differs from zone A in every figure); returns both zones."""
    populate(zone_a, size=1)
    populate(zone_b, size=2, seed=1)
    return {"zone_a": zone_a, "zone_b": zone_b}


# --- Report rows ---------------------------------------------------------------------------


def make_report(*, kind=Report.Kind.QUARTERLY, period="2026-Q1", zone=None, personal=True,
                status=Report.Status.READY, figures=None, content=b"PK\x03\x04 test workbook",
                generated_at=None, **fields) -> Report:
    """A report row as the services leave it, without building a workbook."""
    report = Report.objects.create(kind=kind, period=period, zone=zone, personal=personal,
                                   status=Report.Status.PENDING, **fields)
    if status == Report.Status.READY:
        report.file.save(f"{period}.xlsx", ContentFile(content), save=False)
        report.size = len(content)
        report.figures = {"enterprises": 12, "members": 30} if figures is None else figures
        report.generated_at = generated_at or timezone.now()
        report.progress = 100
    elif status == Report.Status.FAILED:
        report.error = "The generation failed (RuntimeError)."
    report.status = status
    report.save()
    return report


def some_data(zone_a, zone_b) -> None:
    """A few enterprises with workers and party organizations, so figures are not all 0."""
    for i, zone in enumerate([zone_a, zone_a, zone_b]):
        enterprise = EnterpriseFactory(zone=zone, established_on=date(2015, 1, 1 + i))
        WorkforceFactory(enterprise=enterprise, as_of=date(2025, 1, 1), total_workers=100 * (i + 1),
                         female_workers=50)
    PartyOrganizationFactory(enterprise=EnterpriseFactory(zone=zone_a), zone=zone_a,
                             established_on=date(2020, 1, 1))


# --- The workbook's world ------------------------------------------------------------------


def mass_org(enterprise, kind=Kind.TRADE_UNION, **fields):
    org = MassOrganization(enterprise=enterprise, kind=kind,
                           **{"established_on": date(2016, 1, 1), **fields})
    org.full_clean()
    org.save()
    return org


def workforce(enterprise, as_of, total):
    record = WorkforceRecord(enterprise=enterprise, as_of=as_of, total_workers=total)
    record.full_clean()
    record.save()
    return record


def official(enterprise, **fields):
    """A member official since 2021, still there."""
    return make_member(enterprise=enterprise, **{"admitted_on": date(2020, 3, 1),
                                                 "official_on": date(2021, 3, 1), **fields})


def admitted_candidate(enterprise, ceremony_on):
    """A candidate through every step of the procedure up to the ceremony (no
    member record is created: the indicators count the candidate). No
    responsible organization, so no grassroots committee's resolution (8-KNĐ
    belongs only to a đảng bộ cơ sở): the cell's resolution goes straight up."""
    return make_candidate(
        enterprise=enterprise, identified_on=date(2024, 1, 10),
        course_completed_on=date(2024, 2, 1), certificate_number="CN-01",
        application_on=date(2024, 3, 1), sponsorship_on=date(2024, 3, 10),
        verification_on=date(2024, 4, 1), assessment_on=date(2024, 4, 10),
        cell_resolution_on=date(2024, 5, 2), votes_for=3, cell_official_members=3,
        decision_on=date(2024, 7, 1),
        decision_number="123-QĐ/ĐU", ceremony_on=ceremony_on, admit=False,
    )


@dataclass
class World:
    zone_a: IndustrialZone
    zone_b: IndustrialZone
    user: object
    campaign: SurveyCampaign
    plan: CoordinationPlan | None = None
    hostile: dict = field(default_factory=dict)

    def visit(self, enterprise, on, **fields):
        fields = {"owner_attitude": "supportive", "classification": "B", **fields}
        visit = SurveyVisit(campaign=self.campaign, enterprise=enterprise, visited_on=on,
                            recorded_by=self.user, **fields)
        visit.full_clean()
        visit.save()
        return visit

    def grow(self, n: int) -> None:
        """``n`` more enterprises per zone, each with a member admitted in the
        period, an open candidate and a survey visit: rows on every sheet."""
        for zone in (self.zone_a, self.zone_b):
            for i in range(n):
                enterprise = EnterpriseFactory(zone=zone, name=f"Công ty thêm {zone.code} {i}")
                workforce(enterprise, date(2025, 1, 1), 50 + i)
                make_member(enterprise=enterprise, admitted_on=date(2025, 5, 1))
                official(enterprise)
                make_candidate(enterprise=enterprise, identified_on=date(2025, 2, 1))
                self.visit(enterprise, date(2025, 5, 5))


def build_world(zone_a, zone_b, *, plan: bool = True) -> World:
    user = UserFactory(full_name="Trần Văn Phụ Trách")
    group = Committee.objects.create(kind=Committee.Kind.WORKING_GROUP, name="Tổ công tác",
                                     decision_number="01-QĐ/ĐUK", decided_on=date(2024, 1, 5),
                                     term_start=date(2024, 1, 5))
    campaign = SurveyCampaign.objects.create(name="Đợt khảo sát năm 2025", working_group=group,
                                             starts_on=date(2025, 1, 1),
                                             ends_on=date(2025, 12, 31), created_by=user)
    world = World(zone_a=zone_a, zone_b=zone_b, user=user, campaign=campaign)

    # Zone A
    a1 = EnterpriseFactory(zone=zone_a, name=HOSTILE[0], capital_source=Capital.FDI)
    PartyOrganizationFactory(enterprise=a1, name="Chi bộ A1", established_on=date(2020, 5, 1))
    mass_org(a1)
    workforce(a1, date(2025, 1, 1), 500)
    workforce(a1, date(2025, 7, 1), 900)  # after the period: not counted
    a2 = EnterpriseFactory(zone=zone_a, name=HOSTILE[1], capital_source=Capital.DOMESTIC_PRIVATE,
                           legal_form=Enterprise.LegalForm.JOINT_STOCK)
    mass_org(a2, Kind.YOUTH_UNION)
    workforce(a2, date(2024, 6, 1), 120)
    a3 = EnterpriseFactory(zone=zone_a, name="Công ty Đã Giải Thể", status=Status.DISSOLVED,
                           status_since=date(2025, 5, 1))
    workforce(a3, date(2025, 1, 1), 300)
    EnterpriseFactory(zone=zone_a, name="Công ty Mới Lập", established_on=date(2025, 7, 15))
    EnterpriseFactory(zone=zone_a, name=HOSTILE[2], status=Status.DISSOLVED,
                      status_since=date(2025, 8, 1))
    PartyOrganizationFactory(enterprise=None, zone=zone_a, kind="chi_bo_co_so",
                             name="Chi bộ ghép KCN A", established_on=date(2021, 1, 1))
    # Zone B
    b1 = EnterpriseFactory(zone=zone_b, name=HOSTILE[3], capital_source=Capital.JOINT_VENTURE)
    PartyOrganizationFactory(enterprise=b1, name="Chi bộ B1", established_on=date(2025, 5, 10))
    mass_org(b1, dissolved_on=date(2025, 6, 1))
    b2 = EnterpriseFactory(zone=zone_b, name="Công ty Tạm Ngừng", status=Status.SUSPENDED,
                           status_since=date(2025, 3, 1),
                           capital_source=Capital.DOMESTIC_PRIVATE)
    workforce(b2, date(2025, 2, 1), 80)
    PartyOrganizationFactory(enterprise=b2, name="Chi bộ B2", established_on=date(2019, 1, 1),
                             dissolved_on=date(2025, 4, 10))
    # Directly under the IZ Board: no zone.
    PartyOrganizationFactory(enterprise=None, zone=None, kind="chi_bo_co_so",
                             name="Chi bộ ghép Ban Quản lý", established_on=date(2022, 1, 1))

    # Members
    official(a2, is_enterprise_owner=True, family_name="Lý", given_name="Chủ")
    official(a2)
    official(a2)
    make_member(enterprise=a1, admitted_on=date(2025, 4, 15), family_name="Hoàng",
                middle_name="Thị", given_name="Mới", citizen_id="001190012345")
    make_member(enterprise=a1, admitted_on=date(2025, 6, 30), family_name="Đặng",
                given_name="Cuối Kỳ")
    make_member(enterprise=a1, admitted_on=date(2025, 7, 2), family_name="Sau", given_name="Kỳ")
    make_member(enterprise=a1, admitted_on=date(2019, 3, 1), official_on=date(2020, 3, 1),
                left_on=date(2025, 5, 1), left_reason="transferred")
    make_member(enterprise=b1, admitted_on=date(2025, 4, 1), family_name="Phan",
                given_name="Đầu Kỳ")
    make_member(enterprise=b1, admitted_on=date(2024, 3, 1), official_on=date(2025, 3, 1))
    make_member(enterprise=b1, admitted_on=date(2024, 7, 1), official_on=date(2025, 7, 1))

    # Candidates
    make_candidate(enterprise=a1, identified_on=date(2025, 1, 10),
                   course_completed_on=date(2025, 5, 1), certificate_number="CN-22",
                   application_on=date(2025, 7, 10), family_name="Vũ", given_name="Ưu Tú",
                   citizen_id="036195000777")
    make_candidate(enterprise=a2, identified_on=date(2024, 11, 1))
    make_candidate(enterprise=b1, identified_on=date(2024, 9, 1), closed_on=date(2025, 5, 15),
                   closed_reason="withdrew")
    admitted_candidate(b1, date(2025, 6, 1))
    make_candidate(enterprise=b2, identified_on=date(2025, 7, 1))

    # Survey visits
    world.visit(a1, date(2025, 4, 20), workers=480, party_members_found=1,
                outstanding_workers=2)
    world.visit(a1, date(2025, 5, 20))
    world.visit(b1, date(2025, 6, 30), classification="A", owner_attitude="reluctant")
    world.visit(a2, date(2025, 7, 5))
    world.visit(b2, date(2025, 3, 31))

    if plan:
        # Approved: a report never carries a draft plan.
        world.plan = CoordinationPlan.objects.create(year=2025, title="Kế hoạch phối hợp 2025",
                                                     document_number="05-KH/ĐUK-BQL",
                                                     signed_on=date(2025, 1, 15),
                                                     status=CoordinationPlan.Status.APPROVED,
                                                     approved_by=user,
                                                     approved_at=timezone.now())
        PlanTarget.objects.create(plan=world.plan, indicator="members_new", target_value=10,
                                  order=1)
        PlanTarget.objects.create(plan=world.plan, indicator="enterprises_with_party_org",
                                  zone=zone_a, target_value=4, order=2)
        PlanTarget.objects.create(plan=world.plan, indicator="members", zone=zone_b,
                                  target_value=5, order=3)
        PlanTask.objects.create(plan=world.plan, content="Khảo sát doanh nghiệp FDI",
                                lead_side=PlanTask.LeadSide.BOTH, coordinating_units="Công đoàn",
                                owner=user, due_on=date(2025, 6, 30),
                                status=PlanTask.Status.DONE, completed_on=date(2025, 5, 1),
                                result="Đã khảo sát 3 doanh nghiệp")
        PlanTask.objects.create(plan=world.plan, content="=cmd|' /C calc'!A0",
                                lead_side=PlanTask.LeadSide.IZ_BOARD, due_on=date(2025, 9, 30))
    return world
