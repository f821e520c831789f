"""seed_demo's members have realistic histories of where they work and attend,
consistent the way the placement services keep them."""

from itertools import groupby

import pytest

from coordination.models import PartyMember, Placement
from tests.seeded_demo import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_members_have_each_kind_of_history_and_consistent_periods():
    seed_demo("--seed", "7")
    periods = list(Placement.objects.select_related("enterprise", "party_organization")
                   .order_by("member_id", "starts_on", "pk"))
    members = {m.pk: m for m in PartyMember.objects.all()}
    by_member = {pk: list(group) for pk, group in groupby(periods, key=lambda p: p.member_id)}
    assert set(by_member) == set(members)  # every member has at least one period

    kinds = set()
    for pk, history in by_member.items():
        member = members[pk]
        # Never overlapping: each period ends (by a move on the day the next one
        # starts, or before it); only the last may be open.
        for before, after in zip(history, history[1:], strict=False):
            assert before.ends_on is not None and before.ends_on <= after.starts_on, history
            if before.ended == "move":
                # A move, or the founding of the member's new organization.
                assert after.began in ("move", "founding") and before.ends_on == after.starts_on
                same_enterprise = before.enterprise_id == after.enterprise_id
                kinds.add("cell move" if same_enterprise else (
                    "zone move" if before.enterprise.zone_id != after.enterprise.zone_id
                    else "enterprise move"))
            else:
                assert after.began == "transfer_in"
                kinds.add("returned")
        assert history[0].starts_on >= member.admitted_on
        # The member's mirror fields are the latest period's.
        last = history[-1]
        gone = last.ended in ("transfer_out", "left")
        assert (member.enterprise_id, member.party_organization_id) == (
            last.enterprise_id, last.party_organization_id)
        assert (member.left_on, member.left_reason) == (
            (last.ends_on, last.leave_reason) if gone else (None, ""))
        for period in history:
            if period.began == "transfer_in":
                kinds.add(f"in {period.attendance}")
                assert period.home_organization or period is not history[0]
            if period.ended:
                kinds.add(f"{period.ended} {period.leave_reason}".strip())
    assert {"cell move", "enterprise move", "zone move", "returned", "in official",
            "in temporary", "transfer_out transferred", "transfer_out changed_job",
            "left deceased", "left resigned", "left removed"} <= kinds, kinds
    assert 0.1 < sum(len(h) > 1 or h[0].began != "admission" or h[0].ends_on is not None
                     for h in by_member.values()) / len(members) < 0.3
