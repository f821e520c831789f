"""Every definition of DESIGN §5 pinned on hand-built data with edge dates.

The period is 2025-Q2: [START, END] = [01/04/2025, 30/06/2025].
"""

from datetime import date, timedelta

import pytest

from accounts.policy import access_for
from coordination.models import Committee
from core import indicators
from core.indicators import Scope, by_zone, compute_all, get
from core.periods import Period
from enterprises.models import Enterprise, MassOrganization, PartyOrganization
from surveys.models import SurveyCampaign, SurveyVisit
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory
from tests.factories import UserFactory

from .factories import admitted_candidate, build_world, mass_org, official, workforce

PERIOD = Period.parse("2025-Q2")
START, END = PERIOD.start, PERIOD.end
DAY = timedelta(days=1)
PROVINCE = Scope.province()

Kind = MassOrganization.Kind
Capital = Enterprise.CapitalSource
Status = Enterprise.Status


def value(code, scope=PROVINCE, period=PERIOD):
    return get(code).compute(scope, period)


def enterprise(zone, **fields):
    return EnterpriseFactory(zone=zone, **fields)


def dissolved(zone, on, **fields):
    return enterprise(zone, status=Status.DISSOLVED, status_since=on, **fields)


def party_org(enterprise=None, **fields):
    """An enterprise's party organization, or a joint cell (give its zone)."""
    return PartyOrganizationFactory(enterprise=enterprise, **fields)


def visit(enterprise, on):
    """A survey visit of ``enterprise`` on ``on`` (one campaign for all)."""
    campaign = SurveyCampaign.objects.first()
    if campaign is None:
        group = Committee.objects.create(
            kind=Committee.Kind.WORKING_GROUP, name="Tổ công tác", decision_number="01-QĐ/ĐUK",
            decided_on=date(2020, 1, 5), term_start=date(2020, 1, 5))
        campaign = SurveyCampaign.objects.create(
            name="Đợt khảo sát", working_group=group, starts_on=date(2020, 1, 1),
            ends_on=date(2030, 12, 31), created_by=UserFactory())
    return SurveyVisit.objects.create(
        campaign=campaign, enterprise=enterprise, visited_on=on, recorded_by=campaign.created_by,
        owner_attitude="supportive", classification="B")


def left(**fields):
    return {"left_on": fields.pop("on"), "left_reason": "transferred", **fields}


# --- the catalogue itself ----------------------------------------------------------------

LABELS = [
    "Tổng số doanh nghiệp",
    "Doanh nghiệp có vốn đầu tư nước ngoài",
    "Doanh nghiệp có tổ chức đảng",
    "Doanh nghiệp chưa có tổ chức đảng",
    "Doanh nghiệp đủ điều kiện thành lập tổ chức đảng",
    "Tổ chức đảng",
    "Tổ chức đảng thành lập mới trong kỳ",
    "Tổng số đảng viên",
    "Đảng viên chính thức",
    "Đảng viên dự bị",
    "Đảng viên là chủ doanh nghiệp",
    "Đảng viên kết nạp mới trong kỳ",
    "Quần chúng ưu tú đang theo dõi",
    "Quần chúng ưu tú hoàn thành lớp bồi dưỡng trong kỳ",
    "Doanh nghiệp có công đoàn",
    "Doanh nghiệp có tổ chức Đoàn",
    "Tổng số lao động",
    "Doanh nghiệp được khảo sát trong kỳ",
]


def test_catalogue_has_the_18_indicators_of_design_in_order_with_exact_labels():
    assert [indicator.label for indicator in indicators.CATALOGUE] == LABELS
    codes = [indicator.code for indicator in indicators.CATALOGUE]
    assert len(set(codes)) == 18
    for indicator in indicators.CATALOGUE:
        assert get(indicator.code) is indicator
        assert str(indicator.description)  # an English definition, translated via gettext


def test_get_unknown_code_raises_key_error():
    with pytest.raises(KeyError):
        get("nope")


def test_empty_database_gives_zeros(db):
    values = {indicator.code: v for indicator, v in compute_all(PROVINCE, PERIOD)}
    assert set(values.values()) == {0}


def test_an_indicator_is_declared_once():
    first = indicators.CATALOGUE[0]
    with pytest.raises(ValueError):
        indicators.register(position=99, code=first.code, label="x", description="x",
                            kind=indicators.STOCK)(lambda period: None)
    with pytest.raises(ValueError):
        indicators.register(position=first.position, code="other", label="x",
                            description="x", kind=indicators.FLOW)(lambda period: None)
    assert "other" not in indicators.INDICATORS
    assert len(indicators.CATALOGUE) == 18


# The indicators DESIGN §5 counts "within the period"; every other one is a
# figure "at end", a total at a date.
FLOW_LABELS = {
    "Tổ chức đảng thành lập mới trong kỳ",
    "Đảng viên kết nạp mới trong kỳ",
    "Quần chúng ưu tú hoàn thành lớp bồi dưỡng trong kỳ",
    "Doanh nghiệp được khảo sát trong kỳ",
}


def test_each_indicator_is_a_stock_or_a_flow_as_design_defines_it():
    kinds = {indicator.label: indicator.kind for indicator in indicators.CATALOGUE}
    assert {label for label, kind in kinds.items() if kind == indicators.FLOW} == FLOW_LABELS
    assert {label for label, kind in kinds.items() if kind == indicators.STOCK} == \
        set(LABELS) - FLOW_LABELS
    assert get("members").is_stock and not get("members_new").is_stock


def test_a_declaration_must_say_its_kind():
    with pytest.raises(TypeError):
        indicators.register(position=98, code="no_kind", label="x", description="x")
    with pytest.raises(ValueError):
        indicators.register(position=98, code="bad_kind", label="x", description="x",
                            kind="level")
    assert "no_kind" not in indicators.INDICATORS and "bad_kind" not in indicators.INDICATORS


def test_a_stocks_figure_depends_on_its_periods_end_only(zone_a, zone_b):
    """What makes a stock a stock: 2025-Q2 and 2025-H1 both end on 30 June."""
    build_world(zone_a, zone_b, plan=False)
    quarter, half = Period.parse("2025-Q2"), Period.parse("2025-H1")
    for indicator in indicators.CATALOGUE:
        if indicator.is_stock:
            assert value(indicator.code, period=quarter) == value(indicator.code, period=half), \
                indicator.code
    # A flow counts what happened within: B2 was surveyed on 31 March.
    assert value("enterprises_surveyed", period=half) == \
        value("enterprises_surveyed", period=quarter) + 1


# --- enterprises -----------------------------------------------------------------------


def test_enterprises_operating_at_end(zone_a):
    enterprise(zone_a, established_on=END)                       # counts
    enterprise(zone_a, established_on=END + DAY)                 # not yet
    enterprise(zone_a, established_on=None)                      # undated counts
    dissolved(zone_a, END)                                       # dissolved on the last day
    dissolved(zone_a, END + DAY)                                 # dissolved the day after counts
    dissolved(zone_a, date(2024, 1, 1))
    enterprise(zone_a, status=Status.SUSPENDED, status_since=date(2025, 1, 1))  # counts
    assert value("enterprises") == 4


def test_foreign_invested_enterprises(zone_a):
    enterprise(zone_a, capital_source=Capital.FDI)
    enterprise(zone_a, capital_source=Capital.JOINT_VENTURE)
    enterprise(zone_a, capital_source=Capital.STATE)
    enterprise(zone_a, capital_source=Capital.DOMESTIC_PRIVATE)
    dissolved(zone_a, END, capital_source=Capital.FDI)
    enterprise(zone_a, capital_source=Capital.FDI, established_on=END + DAY)
    assert value("enterprises_foreign") == 2
    assert value("enterprises") == 4


def test_enterprises_with_and_without_party_organization(zone_a):
    with_org_from_end = enterprise(zone_a)
    party_org(with_org_from_end, established_on=END)
    not_yet = enterprise(zone_a)
    party_org(not_yet, established_on=END + DAY)
    dissolved_at_end = enterprise(zone_a)
    party_org(dissolved_at_end, established_on=date(2020, 1, 1), dissolved_on=END)
    dissolved_after = enterprise(zone_a)
    party_org(dissolved_after, established_on=date(2020, 1, 1), dissolved_on=END + DAY)
    enterprise(zone_a)  # none at all
    # Members of a small enterprise attend a joint cell: the enterprise still has none.
    small = enterprise(zone_a)
    cell = party_org(None, zone=zone_a, established_on=date(2020, 1, 1))
    official(small, party_organization=cell)
    # A dissolved enterprise is in neither figure.
    gone = dissolved(zone_a, END)
    party_org(gone, established_on=date(2020, 1, 1))

    assert value("enterprises_with_party_org") == 2
    assert value("enterprises_without_party_org") == 4
    assert value("enterprises") == 6


def test_party_organizations_active_at_end_and_new_in_period(zone_a):
    firm = enterprise(zone_a)
    party_org(firm, established_on=END)                                  # active, new
    party_org(firm, established_on=END + DAY)                            # neither
    party_org(firm, established_on=START)                                # active, new
    party_org(firm, established_on=START - DAY)                          # active, not new
    party_org(firm, established_on=START, dissolved_on=END)              # new, not active
    party_org(firm, established_on=date(2020, 1, 1), dissolved_on=END + DAY)  # active
    party_org(firm, established_on=date(2020, 1, 1), dissolved_on=END)        # neither
    # All kinds count, joint cells included.
    committee = party_org(enterprise(zone_a), kind=PartyOrganization.Kind.GRASSROOTS_COMMITTEE,
                          established_on=date(2019, 1, 1))
    party_org(committee.enterprise, kind=PartyOrganization.Kind.SUBORDINATE_CELL,
              parent=committee, established_on=date(2019, 2, 1))
    party_org(None, zone=zone_a, established_on=date(2019, 3, 1))

    assert value("party_orgs") == 4 + 3
    assert value("party_orgs_new") == 3


# --- members -----------------------------------------------------------------------------


def test_party_members_at_end_and_new_in_period(zone_a):
    firm = enterprise(zone_a)
    make_member(enterprise=firm, admitted_on=START)                      # new, probationary
    make_member(enterprise=firm, admitted_on=START - DAY)                # probationary, not new
    make_member(enterprise=firm, admitted_on=END)                        # new, probationary
    make_member(enterprise=firm, admitted_on=END + DAY)                  # not yet a member
    make_member(enterprise=firm, admitted_on=date(2023, 1, 10),
                official_on=date(2024, 1, 10))                           # official
    make_member(enterprise=firm, admitted_on=date(2024, 6, 30), official_on=END)  # official
    make_member(enterprise=firm, admitted_on=date(2024, 7, 1),
                official_on=END + DAY)                                   # still probationary
    official(firm, **left(on=END))                                       # left on the last day
    official(firm, **left(on=END + DAY))                                 # official at end
    official(firm, is_enterprise_owner=True)                             # official, owner
    official(firm, is_enterprise_owner=True, **left(on=START))           # gone owner
    make_member(enterprise=firm, admitted_on=START, **left(on=END))      # new, but gone at end

    assert value("members") == 8
    assert value("members_official") == 4
    assert value("members_probationary") == 4
    assert value("members_owners") == 1
    assert value("members_new") == 3  # admission dates within the period, whatever came after


# --- candidates --------------------------------------------------------------------------


def test_open_candidates_at_end(zone_a):
    firm = enterprise(zone_a)
    make_candidate(enterprise=firm, identified_on=END)                   # open
    make_candidate(enterprise=firm, identified_on=END + DAY)             # not yet
    make_candidate(enterprise=firm, closed_on=END, closed_reason="withdrew")      # closed
    make_candidate(enterprise=firm, closed_on=END + DAY, closed_reason="withdrew")  # open
    admitted_candidate(firm, ceremony_on=END)                            # admitted
    admitted_candidate(firm, ceremony_on=END + DAY)                      # open at end
    assert value("candidates_open") == 3


def test_candidates_course_completed_within_the_period(zone_a):
    firm = enterprise(zone_a)
    for completed in (START - DAY, START, END, END + DAY):
        make_candidate(enterprise=firm, identified_on=date(2025, 1, 10),
                       course_completed_on=completed, certificate_number="CN-1")
    make_candidate(enterprise=firm)  # no course yet
    # Counted even if the case closed later within the period.
    make_candidate(enterprise=firm, course_completed_on=START + DAY, certificate_number="CN-2",
                   closed_on=END, closed_reason="withdrew")
    assert value("candidates_course_completed") == 3


# --- mass organizations and workforce -----------------------------------------------------


def test_enterprises_with_trade_union_and_youth_union(zone_a):
    since_end = enterprise(zone_a)
    mass_org(since_end, established_on=END)                                    # union
    mass_org(since_end, kind=Kind.YOUTH_UNION, established_on=date(2020, 1, 1))  # youth
    mass_org(enterprise(zone_a), established_on=END + DAY)
    mass_org(enterprise(zone_a), established_on=date(2020, 1, 1), dissolved_on=END)
    mass_org(enterprise(zone_a), established_on=date(2020, 1, 1), dissolved_on=END + DAY)  # union
    mass_org(enterprise(zone_a), established_on=None)                          # undated union
    youth_only = enterprise(zone_a)
    mass_org(youth_only, kind=Kind.YOUTH_UNION, established_on=None)           # youth
    mass_org(youth_only, kind=Kind.WOMEN, established_on=None)
    mass_org(youth_only, kind=Kind.YOUTH_UNION, established_on=date(2020, 1, 1),
             dissolved_on=date(2021, 1, 1))
    mass_org(enterprise(zone_a, established_on=None), kind=Kind.YOUTH_UNION,
             established_on=END + DAY)
    gone = dissolved(zone_a, END)
    mass_org(gone, established_on=date(2020, 1, 1))
    mass_org(gone, kind=Kind.YOUTH_UNION, established_on=date(2020, 1, 1))

    assert value("enterprises_with_union") == 3
    assert value("enterprises_with_youth_union") == 2


def test_workforce_sums_the_latest_record_on_or_before_end(zone_a, zone_b):
    firm = enterprise(zone_a)
    workforce(firm, date(2025, 1, 1), 100)
    workforce(firm, END, 150)                       # the latest on/before end
    workforce(firm, END + DAY, 999)                 # later: ignored
    workforce(enterprise(zone_a), date(2024, 12, 31), 80)
    workforce(enterprise(zone_a), END + DAY, 500)   # nothing yet at end
    enterprise(zone_a)                              # no record at all
    workforce(dissolved(zone_a, END), date(2025, 1, 1), 1000)      # not operating
    workforce(enterprise(zone_a, established_on=END + DAY), END + DAY, 70)
    workforce(enterprise(zone_b), date(2025, 5, 5), 20)

    assert value("workers") == 250
    assert value("workers", Scope.zone(zone_a.pk)) == 230
    assert value("workers", Scope.zone(zone_b.pk)) == 20
    assert value("workers", period=Period.parse("2024")) == 80
    assert value("workers", period=Period.parse("2025-Q3")) == 999 + 80 + 500 + 20 + 70


# --- qualifying to establish a party organization ------------------------------------------


def test_enterprises_qualifying_to_establish_a_party_organization(zone_a):
    three = enterprise(zone_a)
    for _ in range(3):
        official(three)
    two = enterprise(zone_a)
    official(two)
    official(two)
    make_member(enterprise=two, admitted_on=date(2024, 9, 1))   # probationary
    make_member(enterprise=two, admitted_on=date(2024, 9, 1))
    with_org = enterprise(zone_a)
    party_org(with_org, established_on=date(2020, 1, 1))
    for _ in range(5):
        official(with_org)
    # One of three becomes official only the day after the end.
    late = enterprise(zone_a)
    official(late)
    official(late)
    make_member(enterprise=late, admitted_on=date(2024, 7, 1), official_on=END + DAY)
    # One of three left on the last day.
    leaver = enterprise(zone_a)
    official(leaver)
    official(leaver)
    official(leaver, **left(on=END))
    # Official on the last day counts.
    on_end = enterprise(zone_a)
    official(on_end)
    official(on_end)
    make_member(enterprise=on_end, admitted_on=date(2024, 6, 30), official_on=END)
    # Not operating.
    gone = dissolved(zone_a, END)
    for _ in range(3):
        official(gone)
    # Its party organization was dissolved on the last day: it has none at end.
    org_dissolved = enterprise(zone_a)
    party_org(org_dissolved, established_on=date(2020, 1, 1), dissolved_on=END)
    for _ in range(3):
        official(org_dissolved)
    # Members attending a joint cell: the enterprise has no organization of its own.
    small = enterprise(zone_a)
    cell = party_org(None, zone=zone_a, established_on=date(2020, 1, 1))
    for _ in range(3):
        official(small, party_organization=cell)
    # Official members in another enterprise do not add up.
    official(enterprise(zone_a))

    assert value("enterprises_qualifying") == 4  # three, on_end, org_dissolved, small


# --- the survey indicator, declared by the surveys app ------------------------------------


def test_surveyed_enterprises_counts_distinct_enterprises_visited_in_the_period(zone_a, zone_b):
    visited_a = enterprise(zone_a)
    visited_b = enterprise(zone_b)
    before = enterprise(zone_a)
    enterprise(zone_a)  # not visited
    # Two visits of the same enterprise count it once.
    visit(visited_a, START)
    visit(visited_a, date(2025, 5, 2))
    visit(visited_b, END)
    visit(before, START - DAY)
    assert value("enterprises_surveyed") == 2
    assert value("enterprises_surveyed", Scope.zone(zone_a.pk)) == 1
    assert value("enterprises_surveyed", period=Period.parse("2025-Q1")) == 1
    table = by_zone(PERIOD)
    assert table[zone_a.pk]["enterprises_surveyed"] == 1
    assert table[zone_b.pk]["enterprises_surveyed"] == 1


# --- scope, zones, query counts ------------------------------------------------------------


def build_zone(zone, size):
    """``size`` of everything in ``zone``: each indicator is ``size`` there
    (workers 100 * size; surveyed: one visit in the period)."""
    for i in range(size):
        firm = enterprise(zone, capital_source=Capital.FDI)
        party_org(firm, established_on=date(2025, 5, 1))
        make_member(enterprise=firm, admitted_on=date(2025, 5, 1))           # probationary, new
        make_member(enterprise=firm, admitted_on=date(2020, 1, 1), official_on=date(2021, 1, 1),
                    is_enterprise_owner=True)                                # official, owner
        make_candidate(enterprise=firm, identified_on=date(2025, 1, 10),
                       course_completed_on=date(2025, 5, 1), certificate_number=f"CN-{i}")
        mass_org(firm, established_on=date(2020, 1, 1))
        mass_org(firm, kind=Kind.YOUTH_UNION, established_on=date(2020, 1, 1))
        workforce(firm, date(2025, 5, 1), 100)
        visit(firm, date(2025, 5, 1))
        bare = enterprise(zone, capital_source=Capital.STATE)
        for _ in range(3):
            make_member(enterprise=bare, admitted_on=date(2019, 1, 1),
                        official_on=date(2020, 1, 1))


def test_scope_filters_every_indicator_and_by_zone_adds_up(zone_a, zone_b, iz_officer):
    build_zone(zone_a, 1)
    build_zone(zone_b, 2)
    # A joint cell directly under the IZ Board belongs to no zone.
    party_org(None, zone=None, established_on=date(2025, 4, 15))

    province = {i.code: v for i, v in compute_all(PROVINCE, PERIOD)}
    in_a = {i.code: v for i, v in compute_all(Scope.zone(zone_a.pk), PERIOD)}
    in_b = {i.code: v for i, v in compute_all(Scope.zone(zone_b.pk), PERIOD)}
    expected_a = {
        "enterprises": 2, "enterprises_foreign": 1, "enterprises_with_party_org": 1,
        "enterprises_without_party_org": 1, "enterprises_qualifying": 1, "party_orgs": 1,
        "party_orgs_new": 1, "members": 5, "members_official": 4, "members_probationary": 1,
        "members_owners": 1, "members_new": 1, "candidates_open": 1,
        "candidates_course_completed": 1, "enterprises_with_union": 1,
        "enterprises_with_youth_union": 1, "workers": 100, "enterprises_surveyed": 1,
    }
    assert in_a == expected_a
    assert in_b == {code: 2 * v for code, v in expected_a.items()}
    # The joint cell of the IZ Board counts province-wide only.
    assert province == {
        code: 3 * v + (1 if code in ("party_orgs", "party_orgs_new") else 0)
        for code, v in expected_a.items()
    }
    # An account sees its zones.
    assert compute_all(Scope.for_access(access_for(iz_officer)), PERIOD) == compute_all(
        Scope.zone(zone_a.pk), PERIOD)
    assert Scope.for_access(access_for(iz_officer)) == Scope(frozenset({zone_a.pk}))
    assert Scope.zone(zone_a.pk) == Scope(frozenset({zone_a.pk}))
    assert Scope.province().zone_ids is None

    table = by_zone(PERIOD)
    assert table[zone_a.pk] == in_a
    assert table[zone_b.pk] == in_b
    assert set(table) == {zone_a.pk, zone_b.pk, None}
    assert table[None]["party_orgs"] == 1
    for code, total in province.items():
        assert sum(row[code] for row in table.values()) == total

    only_b = by_zone(PERIOD, zone_ids=frozenset({zone_b.pk}))
    assert only_b == {zone_b.pk: in_b}


def test_by_zone_lists_zones_without_data_with_zeros(zone_a, zone_b):
    build_zone(zone_a, 1)
    table = by_zone(PERIOD)
    assert set(table) == {zone_a.pk, zone_b.pk}
    assert set(table[zone_b.pk].values()) == {0}


def test_empty_scope_counts_nothing(zone_a):
    build_zone(zone_a, 1)
    values = dict(compute_all(Scope(frozenset()), PERIOD))
    assert set(values.values()) == {0}


def test_figures_are_recomputed_for_any_past_period(zone_a):
    build_zone(zone_a, 1)
    before = {i.code: v for i, v in compute_all(PROVINCE, Period.parse("2024"))}
    assert before["members"] == 4  # the owner and the three of the bare enterprise
    assert before["members_new"] == 0
    assert before["party_orgs"] == 0
    assert before["workers"] == 0
    # The bare enterprise; the other has no organization yet in 2024 but one official member.
    assert before["enterprises_qualifying"] == 1
    assert before["enterprises_without_party_org"] == 2


def test_query_counts_are_one_per_model_and_kind_counted(zone_a, zone_b, django_assert_num_queries):
    # Enterprises, party organizations, placements and candidates, their
    # stocks and apart their flows (one query per indicator took 18, and 19
    # for by_zone).
    build_zone(zone_a, 2)
    build_zone(zone_b, 3)
    with django_assert_num_queries(8):
        compute_all(PROVINCE, PERIOD)
    with django_assert_num_queries(8):
        compute_all(Scope.zone(zone_a.pk), PERIOD)
    with django_assert_num_queries(9):  # the list of zones + one per model and kind
        by_zone(PERIOD)
