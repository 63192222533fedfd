"""How a pre-reform data file is applied, on a few units rather than the real list."""

import datetime

import pytest

from regions.loader import LoadError, load_legacy_regions
from regions.models import Region

from .factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

HEADER = """\
# A test extract; effective date 2025-07-01.
level,code,name,division_type,parent_code,successor_codes,replaced_by_code,partly_merged
"""


@pytest.fixture
def new_map():
    """Return a current province with two communes."""
    province = ProvinceFactory(code="90", name="Tỉnh Mới")
    return (
        province,
        CommuneFactory(code="90001", name="Xã Một", parent=province),
        CommuneFactory(code="90002", name="Xã Hai", parent=province),
    )


def write(tmp_path, *rows):
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


OLD_PROVINCE = "1,91,Tỉnh Cũ,tỉnh,,90,90,"
OLD_DISTRICT = "2,901,Huyện  Cũ,huyện,91,90,90,"


def test_a_file_builds_the_old_tree_linked_to_the_new(tmp_path, new_map):
    """Old province > district > commune are created, not current, each linked to
    what it became."""
    province, one, two = new_map
    path = write(
        tmp_path,
        OLD_PROVINCE,
        OLD_DISTRICT,
        "3,90101,Xã Cũ,xã,901,90001;90002,90002,1",
    )

    result = load_legacy_regions(path)

    assert (result.created, result.updated, result.unmapped) == (3, 0, [])
    old = Region.objects.get(level=Region.Level.COMMUNE, code="90101")
    assert old.is_current is False
    assert old.valid_until == datetime.date(2025, 7, 1)
    assert old.path == "L91.901.90101"
    assert old.search_name == " xa cu huyen cu tinh cu"
    assert old.parent.name == "Huyện Cũ"
    assert old.replaced_by == two
    assert set(old.successors.all()) == {one, two}
    assert old.parent.replaced_by == province
    assert old.parent.parent.rollup_target() == province


def test_changed_links_are_brought_in_line_with_the_file(tmp_path, new_map):
    """When the file changes what a commune became, the reload moves its
    replaced_by and successors, counting it once as updated."""
    _, one, two = new_map
    first = write(
        tmp_path, OLD_PROVINCE, OLD_DISTRICT, "3,90101,Xã Cũ,xã,901,90001;90002,90002,1"
    )
    load_legacy_regions(first)
    second = write(
        tmp_path, OLD_PROVINCE, OLD_DISTRICT, "3,90101,Xã Cũ,xã,901,90001,90001,0"
    )

    result = load_legacy_regions(second)

    assert (result.created, result.updated) == (0, 1)
    old = Region.objects.get(level=Region.Level.COMMUNE, code="90101")
    assert old.replaced_by == one
    assert list(old.successors.all()) == [one]


def test_a_commune_without_successor_is_loaded_and_reported(tmp_path, new_map):
    """A commune the conversion table does not map is loaded, rolls up into
    itself and is reported."""
    path = write(tmp_path, OLD_PROVINCE, OLD_DISTRICT, "3,90102,Xã Lẻ,xã,901,,,")

    result = load_legacy_regions(path)

    assert result.unmapped == ["90102"]
    old = Region.objects.get(level=Region.Level.COMMUNE, code="90102")
    assert old.replaced_by is None
    assert old.rollup_target() == old


def test_a_successor_that_is_not_loaded_stops_the_load(tmp_path, new_map):
    """A file naming a current unit that is not loaded changes nothing and says
    which unit is missing."""
    path = write(
        tmp_path, OLD_PROVINCE, OLD_DISTRICT, "3,90101,Xã Cũ,xã,901,90009,90009,0"
    )

    with pytest.raises(LoadError, match="became 90009, which is not loaded"):
        load_legacy_regions(path)

    assert not Region.objects.filter(is_current=False).exists()


def test_a_file_without_its_effective_date_is_refused(tmp_path):
    """The reform date comes from the file; a file that does not state it is
    refused."""
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER.splitlines()[1] + "\n", encoding="utf-8")

    with pytest.raises(LoadError, match="effective date"):
        load_legacy_regions(path)
