"""Fixtures of the report and dashboard tests."""

import pytest

from .factories import populate


@pytest.fixture
def data(zone_a, zone_b):
    populate(zone_a, size=1)
    populate(zone_b, size=2, seed=1)   # zone B differs from zone A in every figure
    return {"zone_a": zone_a, "zone_b": zone_b}
