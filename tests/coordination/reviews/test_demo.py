"""The demo's review: the first year of the demo regulation, finished with its
figures frozen, its targets and commendations, and its Word report written."""

from __future__ import annotations

from datetime import date

import pytest

from coordination.reviews import demo
from coordination.reviews.models import Review
from tests.seeded_demo import seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_finishes_the_review_of_the_regulations_first_year():
    seed_demo()
    review = Review.objects.get()
    # The clock is on 07/12/2026: the demo regulation was signed on 24/09/2025.
    assert (review.period_start, review.period_end) == (date(2025, 9, 24), date(2026, 9, 23))
    assert review.is_finished and review.document_status == "ready"
    assert review.figures["province"]["members"] > 0 and review.figures["zones"]
    assert review.targets.count() == 5
    assert sorted(review.commendations.values_list("recipient", flat=True)) == [
        "collective", "individual"]
    assert review.subject.startswith("Sơ kết một năm thực hiện Quy chế phối hợp")


def test_before_the_first_year_ends_the_demo_reviews_the_days_since_the_signing(world):
    review = demo.seed(world["regulation"], date(2026, 1, 15))
    assert (review.period_start, review.period_end) == (date(2025, 9, 24), date(2025, 12, 31))
    assert review.is_finished
    assert review.figures["province"]["members"] == 2  # the world's, by hand (conftest)
