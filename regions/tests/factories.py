"""Factories for administrative units, consistent the way the loader builds them.

    commune = CommuneFactory(
        name="Xã Đông Hưng", parent=ProvinceFactory(name="Tỉnh Hưng Yên")
    )
    str(commune)  # "Xã Đông Hưng, Tỉnh Hưng Yên"; path "99.99999"

Pre-reform units: ``ProvinceFactory(legacy=True)``, ``DistrictFactory()`` (under a
legacy province) and ``CommuneFactory(parent=DistrictFactory(), replaced_by=...,
successors=[...])``; a commune is current or not as its parent is.

Codes count down from the top of each code space (province "99", "98"...; commune
"99999"...), away from the official codes, so factory units can sit beside the
real ones a test loaded. ``path`` and ``search_name`` are derived from the code,
name and parent unless given.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from regions.loader import region_path, region_search_name
from regions.models import Region

REFORM_DATE = datetime.date(2025, 7, 1)
# Longest first, so "thị trấn" wins over "thị xã" only when it is there.
_DIVISION_TYPES = [
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
]


def division_type_for(name: str, level: int) -> str:
    """Return the division type a unit's name starts with ("Xã Đông Hưng": "xã")."""
    lowered = name.lower()
    for kind in _DIVISION_TYPES:
        if lowered.startswith(kind + " "):
            if kind == "thành phố" and level == Region.Level.PROVINCE:
                return "thành phố trung ương"
            return kind
    return {
        Region.Level.PROVINCE: "tỉnh",
        Region.Level.DISTRICT: "huyện",
        Region.Level.COMMUNE: "xã",
    }[level]


def _names_up(region: Region | None) -> list[str]:
    """Return the names of region and the units above it, nearest first."""
    names = []
    while region is not None:
        names.append(region.name)
        region = region.parent
    return names


class _RegionFactory(DjangoModelFactory):
    division_type = factory.LazyAttribute(
        lambda unit: division_type_for(unit.name, unit.level)
    )
    path = factory.LazyAttribute(
        lambda unit: region_path(
            unit.code,
            unit.parent.path if unit.parent else "",
            is_current=unit.is_current,
        )
    )
    search_name = factory.LazyAttribute(
        lambda unit: region_search_name(unit.name, *_names_up(unit.parent))
    )

    class Meta:
        model = Region
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def successors(self, create, extracted, **kwargs):
        """Link the current units given as ``successors=[...]``."""
        if create and extracted:
            self.successors.set(extracted)


class ProvinceFactory(_RegionFactory):
    level = Region.Level.PROVINCE
    # 99 down to 01: never "00", which tests use for a unit that does not exist.
    code = factory.Sequence(lambda n: f"{99 - n % 99:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    parent = None
    is_current = True
    valid_until = None

    class Meta:
        model = Region

    class Params:
        legacy = factory.Trait(is_current=False, valid_until=REFORM_DATE)


class DistrictFactory(_RegionFactory):
    """A pre-reform district (districts were abolished on 1 July 2025)."""

    level = Region.Level.DISTRICT
    # 999 down to 124: never "123", which tests use for a unit that does not exist.
    code = factory.Sequence(lambda n: f"{999 - n % 876:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}")
    parent = factory.SubFactory(ProvinceFactory, legacy=True)
    is_current = False
    valid_until = REFORM_DATE

    class Meta:
        model = Region


class CommuneFactory(_RegionFactory):
    level = Region.Level.COMMUNE
    code = factory.Sequence(lambda n: f"{99999 - n % 60000:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    parent = factory.SubFactory(ProvinceFactory)
    is_current = factory.LazyAttribute(lambda unit: unit.parent.is_current)
    valid_until = factory.LazyAttribute(lambda unit: unit.parent.valid_until)

    class Meta:
        model = Region
