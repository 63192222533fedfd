"""The factories other apps' tests build administrative units with."""

import datetime

import pytest

from regions.models import Region

from .factories import CommuneFactory, DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_commune_in_a_named_province():
    """A commune made under a named province reads and searches like a loaded one."""
    commune = CommuneFactory(
        name="Xã Đông Hưng", parent=ProvinceFactory(name="Tỉnh Hưng Yên")
    )
    assert str(commune) == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert commune.division_type == "xã"
    assert commune.parent.division_type == "tỉnh"
    assert commune.is_current is True
    assert commune.search_name == " xa dong hung tinh hung yen"
    assert commune.path == f"{commune.parent.path}.{commune.code}"
    assert list(Region.objects.search("dong hung hung yen")) == [commune]
    assert list(Region.objects.subtree(commune.parent)) == [commune.parent, commune]


def test_codes_are_unique_and_well_formed():
    """Each unit made gets its own zero-padded code."""
    communes = CommuneFactory.create_batch(3)
    assert len({c.code for c in communes}) == 3
    assert all(len(c.code) == 5 and c.code.isdigit() for c in communes)
    assert all(len(c.parent.code) == 2 for c in communes)


def test_city_province_type():
    """A province named "Thành phố ..." is a centrally governed city."""
    city = ProvinceFactory(name="Thành phố Hà Nội")
    assert city.division_type == "thành phố trung ương"
    assert CommuneFactory(name="Phường Ba Đình", parent=city).division_type == "phường"


def test_pre_reform_commune_with_what_it_became():
    """A pre-reform commune under a district is not current and rolls up into the
    unit given as replaced_by."""
    hung_yen = ProvinceFactory(name="Tỉnh Hưng Yên")
    new = CommuneFactory(name="Xã Đông Hưng", parent=hung_yen)
    old = CommuneFactory(
        name="Xã Đông La",
        parent=DistrictFactory(
            name="Huyện Đông Hưng",
            parent=ProvinceFactory(name="Tỉnh Thái Bình", legacy=True),
        ),
        replaced_by=new,
        successors=[new],
    )
    assert old.is_current is False
    assert old.valid_until == datetime.date(2025, 7, 1)
    assert old.path.startswith("L") and old.path.count(".") == 2
    assert old.search_name == " xa dong la huyen dong hung tinh thai binh"
    assert old.rollup_target() == new
    assert list(old.successors.all()) == [new]
    assert [a.name for a in old.ancestors()] == ["Tỉnh Thái Bình", "Huyện Đông Hưng"]


def test_build_needs_no_database():
    """Units can be built in memory, consistent as created ones."""
    province = ProvinceFactory.build(code="12")
    commune = CommuneFactory.build(name="Xã Một", parent=province)
    assert commune.path.startswith("12.")
    assert commune.pk is None
