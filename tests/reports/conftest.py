"""Fixtures of the report and dashboard tests."""

import pytest

from .factories import populate_both


@pytest.fixture
def data(zone_a, zone_b):
    return populate_both(zone_a, zone_b)
