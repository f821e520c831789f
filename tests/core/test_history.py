"""The one change-history renderer (core.history) on the pages that show it."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import translation

from coordination.models import PartyMember
from core.history import display_value
from enterprises import services as registry
from enterprises.models import Enterprise
from surveys import services as surveys
from surveys.models import SurveyVisit
from tests.enterprises.factories import make_enterprise
from tests.surveys.factories import TODAY, make_campaign, make_visit


def _changes(response) -> dict:
    """The field → (old, new) of the newest change entry of a page's history."""
    entry = next(e for e in response.context["history"] if e["changes"])
    return {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}


def test_dates_and_choices_read_the_same_on_an_enterprise_and_a_visit(client, pc_officer,
                                                                      zone_a):
    """Both histories write a date dd/mm/yyyy and a choice by its label."""
    enterprise = make_enterprise(zone_a, established_on=date(2015, 3, 4))
    registry.enterprise_update(actor=pc_officer, enterprise=enterprise, data={
        "established_on": date(2016, 5, 6), "status": Enterprise.Status.SUSPENDED,
        "status_since": TODAY - timedelta(days=3)})
    campaign = make_campaign(pc_officer, [zone_a], [enterprise])
    visit = make_visit(pc_officer, campaign, enterprise, visited_on=TODAY - timedelta(days=10),
                       classification="B")
    moved = TODAY - timedelta(days=5)
    surveys.visit_update(actor=pc_officer, visit=visit,
                         data={"visited_on": moved, "classification": "A"})

    client.force_login(pc_officer)
    client.cookies["lang"] = "vi"
    on_enterprise = _changes(client.get(enterprise.get_absolute_url()))
    on_visit = _changes(client.get(reverse("surveys:visit_detail", args=[visit.pk])))

    with translation.override("vi"):
        established = str(Enterprise._meta.get_field("established_on").verbose_name).capitalize()
        status = str(Enterprise._meta.get_field("status").verbose_name).capitalize()
        visited = str(SurveyVisit._meta.get_field("visited_on").verbose_name).capitalize()
        classification = str(
            SurveyVisit._meta.get_field("classification").verbose_name).capitalize()
        assert on_enterprise[established] == ("04/03/2015", "06/05/2016")
        assert on_enterprise[status][1] == str(Enterprise.Status.SUSPENDED.label)
        assert on_visit[visited] == (f"{TODAY - timedelta(days=10):%d/%m/%Y}",
                                     f"{moved:%d/%m/%Y}")
        assert on_visit[classification] == (str(SurveyVisit.Classification("B").label),
                                            str(SurveyVisit.Classification("A").label))


def test_booleans_read_co_or_khong():
    field = PartyMember._meta.get_field("is_enterprise_owner")
    with translation.override("vi"):
        assert display_value(field, True) == "Có"
        assert display_value(field, False) == "Không"
        assert display_value(field, None) == "—"


def test_every_history_page_uses_the_same_renderer():
    import coordination.views
    import core.history
    import enterprises.views
    import surveys.selectors

    assert (enterprises.views.history_entries is coordination.views.history_entries
            is surveys.selectors.history_entries is core.history.history_entries)
