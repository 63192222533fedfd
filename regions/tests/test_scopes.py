"""A unit's subtree: its own path, or a path that starts with it and a dot."""

import pytest

from regions.models import Region
from regions.scopes import is_under, under_paths
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory


def test_a_unit_lies_under_itself_and_its_ancestors_only():
    assert is_under("01", ["01"]) is True
    assert is_under("01.00004", ["01"]) is True
    assert is_under("01.001.00004", ["01.001"]) is True
    # A neighbour, a unit above, a code that merely starts with the same digits.
    assert is_under("02.00004", ["01"]) is False
    assert is_under("01", ["01.00004"]) is False
    assert is_under("011", ["01"]) is False
    assert is_under("01", []) is False


def test_a_unit_under_any_of_several_tops():
    assert is_under("02.00004", ["01", "02"]) is True
    assert is_under("03.00004", ["01", "02"]) is False


@pytest.mark.django_db
def test_the_condition_selects_each_units_subtree():
    """The query condition picks the same units as is_under: each top and
    everything below it, nothing beside or above it, nothing for no top."""
    north, south = ProvinceFactory(), ProvinceFactory()
    district = DistrictFactory(parent=ProvinceFactory(legacy=True))
    commune = CommuneFactory(parent=north)
    other = CommuneFactory(parent=south)
    below_district = CommuneFactory(parent=district)
    ours = {north, south, district, commune, other, below_district}

    def under(paths):
        return set(Region.objects.filter(under_paths(paths, "path"))) & ours

    assert under([north.path]) == {north, commune}
    assert under([commune.path]) == {commune}
    assert under([district.path]) == {district, below_district}
    assert under([north.path, south.path]) == {north, commune, south, other}
    assert under([]) == set()
    for unit in ours:
        for paths in ([north.path], [commune.path], [north.path, south.path]):
            assert (unit in under(paths)) is is_under(unit.path, paths)
