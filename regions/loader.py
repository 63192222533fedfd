"""Load Vietnam's official administrative units into ``Region``.

``load_current_regions`` reads the units in force since 1 July 2025 (34 provinces,
3,321 communes) from the ``vietnam-provinces`` package. The package is GPL-3.0, so
this module is the only one that imports it, and only inside the function that
reads it.

``load_legacy_regions`` reads the pre-reform units (province > district > commune)
and what each became from ``data/legacy_units_2025.csv``, exported once from a later
release of the same package by ``scripts/export_legacy_regions.py``.

Both are idempotent: they create missing units, update the ones whose data changed
and never delete a unit, so records pointing at a unit keep pointing at it. A unit
is known by its level and official code.

The installed release (2025.10.1) gives 123 of the 3,321 communes codes other than
those of the official list that later releases carry (they switched to the
National Statistics Office's data in 2026.1.0); the export matches those units by
name, so the legacy links follow the unit, not the number. Moving to a release
with other codes must not be done by simply upgrading the package: matched by
code, some units would silently take another's name.
"""

import csv
import datetime
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import fold, search_key

from .models import Region

LEGACY_DATA = Path(__file__).resolve().parent / "data" / "legacy_units_2025.csv"
LEGACY_PREFIX = "L"
CODE_WIDTH = {
    Region.Level.PROVINCE: 2,
    Region.Level.DISTRICT: 3,
    Region.Level.COMMUNE: 5,
}
# The fields a load owns; anything else on a Region is left alone.
MANAGED_FIELDS = [
    "name",
    "division_type",
    "parent",
    "path",
    "search_name",
    "valid_until",
]


class LoadError(Exception):
    """The source data cannot be loaded as it is."""


@dataclass(frozen=True)
class SourceUnit:
    """One unit as the source describes it; codes are zero-padded strings."""

    level: int
    code: str
    name: str
    division_type: str
    parent_code: str = ""
    successor_codes: tuple[str, ...] = ()
    replaced_by_code: str = ""

    @property
    def successor_level(self) -> int:
        """Return the level of the current units this unit became."""
        if self.level == Region.Level.COMMUNE:
            return Region.Level.COMMUNE
        return Region.Level.PROVINCE


@dataclass
class LoadResult:
    """What a load found in its source and what it changed."""

    is_current: bool
    counts: dict[int, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    # Units in the database that the source no longer lists (kept as they are).
    not_in_source: int = 0
    # Codes of pre-reform communes the conversion table does not map.
    unmapped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return one line such as "34 provinces, 3.321 communes: 0 created, 0
        updated", and what needs a reader's attention."""
        units = ", ".join(
            _count_units(level, count)
            for level, count in sorted(self.counts.items())
            if count or level != Region.Level.DISTRICT
        )
        if not self.is_current:
            units = _("%(units)s before the 2025 reform") % {"units": units}
        text = _("%(units)s: %(created)s created, %(updated)s updated") % {
            "units": units,
            "created": _number(self.created),
            "updated": _number(self.updated),
        }
        if self.not_in_source:
            text += "; " + _(
                "%(count)s in the database but not in the source, kept as they are"
            ) % {"count": _number(self.not_in_source)}
        if self.unmapped:
            text += "; " + ngettext(
                "%(count)s commune has no successor in the conversion table: %(codes)s",
                "%(count)s communes have no successor in the conversion table: "
                "%(codes)s",
                len(self.unmapped),
            ) % {
                "count": _number(len(self.unmapped)),
                "codes": ", ".join(self.unmapped),
            }
        return text


def _count_units(level: int, count: int) -> str:
    """Return "34 provinces", "1 commune"... in the active language."""
    if level == Region.Level.PROVINCE:
        text = ngettext("%(count)s province", "%(count)s provinces", count)
    elif level == Region.Level.DISTRICT:
        text = ngettext("%(count)s district", "%(count)s districts", count)
    else:
        text = ngettext("%(count)s commune", "%(count)s communes", count)
    return text % {"count": _number(count)}


def load_current_regions() -> LoadResult:
    """Create or update the units in force, from the vietnam-provinces package."""
    return _load(list(read_current_units()), is_current=True)


def load_legacy_regions(path: Path = LEGACY_DATA) -> LoadResult:
    """Create or update the pre-reform units and link each to what it became.

    The current units must be loaded first: every successor must exist.
    """
    valid_until, units = read_legacy_units(path)
    return _load(units, is_current=False, valid_until=valid_until)


def read_current_units() -> Iterator[SourceUnit]:
    """Yield the provinces and communes of the installed vietnam-provinces release."""
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        provinces = json.load(f)
    for province in provinces:
        province_code = _pad(Region.Level.PROVINCE, province["code"])
        yield SourceUnit(
            level=Region.Level.PROVINCE,
            code=province_code,
            name=_province_name(province["name"], province["division_type"]),
            division_type=province["division_type"],
        )
        for ward in province["wards"]:
            yield SourceUnit(
                level=Region.Level.COMMUNE,
                code=_pad(Region.Level.COMMUNE, ward["code"]),
                name=clean_name(ward["name"]),
                division_type=ward["division_type"],
                parent_code=province_code,
            )


def read_legacy_units(
    path: Path = LEGACY_DATA,
) -> tuple[datetime.date, list[SourceUnit]]:
    """Return the day the pre-reform units ceased and the units, from the export."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = list(f)
    header = [line for line in lines if line.startswith("#")]
    found = re.search(r"effective date (\d{4}-\d{2}-\d{2})", "".join(header))
    if not found:
        raise LoadError(f"{path} does not state the effective date of the reform.")
    units = []
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        units.append(
            SourceUnit(
                level=int(row["level"]),
                code=row["code"],
                name=clean_name(row["name"]),
                division_type=row["division_type"],
                parent_code=row["parent_code"],
                successor_codes=tuple(filter(None, row["successor_codes"].split(";"))),
                replaced_by_code=row["replaced_by_code"],
            )
        )
    return datetime.date.fromisoformat(found[1]), units


def clean_name(name: str) -> str:
    """Return name in NFC with single spaces (the sources have stray doubles)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def region_path(code: str, parent_path: str = "", *, is_current: bool = True) -> str:
    """Return the materialised path of a unit: "01", "01.00004", "L01.001.00004"."""
    if parent_path:
        return f"{parent_path}.{code}"
    return code if is_current else f"{LEGACY_PREFIX}{code}"


def region_search_name(name: str, *ancestor_names: str) -> str:
    """Return the folded text search matches: the name, then its parents' names,
    nearest first ("xa dong la huyen dong hung tinh thai binh")."""
    return search_key(name, *ancestor_names)


def _province_name(name: str, division_type: str) -> str:
    # The 2025 release names provinces "Hưng Yên"; the official name, and the one
    # the later releases and the pre-reform list use, is "Tỉnh Hưng Yên".
    name = clean_name(name)
    if division_type == "tỉnh" and not fold(name).startswith("tinh "):
        return f"Tỉnh {name}"
    return name


def _pad(level: int, code: int | str) -> str:
    return f"{int(code):0{CODE_WIDTH[level]}d}"


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


@dataclass
class _Saved:
    """A unit as stored, with what its children need to build their own rows."""

    pk: int
    path: str
    names: tuple[str, ...]  # its name, then its ancestors' names, nearest first


class _CurrentUnits:
    """The loaded current units, by level and code, that pre-reform units became."""

    def __init__(self):
        self._pks = {
            (level, code): pk
            for pk, level, code in Region.objects.current().values_list(
                "pk", "level", "code"
            )
        }

    def pk(self, unit: SourceUnit, code: str) -> int:
        try:
            return self._pks[(unit.successor_level, code)]
        except KeyError:
            raise LoadError(
                f"Pre-reform unit {unit.code} {unit.name} became {code}, which is not "
                "loaded. Load the current units first."
            ) from None


@transaction.atomic
def _load(
    units: list[SourceUnit],
    *,
    is_current: bool,
    valid_until: datetime.date | None = None,
) -> LoadResult:
    result = LoadResult(is_current=is_current)
    by_level: dict[int, list[SourceUnit]] = {}
    for unit in units:
        by_level.setdefault(unit.level, []).append(unit)
    result.counts = {level: len(by_level.get(level, [])) for level in Region.Level}
    became = None if is_current else _CurrentUnits()
    fields = MANAGED_FIELDS if is_current else [*MANAGED_FIELDS, "replaced_by"]

    changed: set[int] = set()
    created: set[int] = set()
    saved: dict[tuple[int, str], _Saved] = {}
    by_pk: dict[int, _Saved] = {}
    for level in sorted(by_level):
        existing = {
            region.code: region
            for region in Region.objects.filter(level=level, is_current=is_current)
        }
        # Communes hang under districts before the reform, under provinces after.
        parent_level = max((lower for lower in by_level if lower < level), default=0)
        listed = set()
        to_create, to_update = [], []
        for unit in by_level[level]:
            listed.add(unit.code)
            parent = None
            if unit.parent_code:
                parent = saved.get((parent_level, unit.parent_code))
                if parent is None:
                    raise LoadError(
                        f"Unit {unit.code} {unit.name}: parent {unit.parent_code} "
                        "is not in the source."
                    )
            values = {
                "name": unit.name,
                "division_type": unit.division_type,
                "parent_id": parent.pk if parent else None,
                "path": region_path(
                    unit.code, parent.path if parent else "", is_current=is_current
                ),
                "search_name": region_search_name(
                    unit.name, *(parent.names if parent else ())
                ),
                "valid_until": valid_until,
            }
            if became:
                values["replaced_by_id"] = (
                    became.pk(unit, unit.replaced_by_code)
                    if unit.replaced_by_code
                    else None
                )
            region = existing.get(unit.code)
            if region is None:
                to_create.append(
                    Region(level=level, code=unit.code, is_current=is_current, **values)
                )
            elif any(getattr(region, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(region, k, v)
                to_update.append(region)
        Region.objects.bulk_create(to_create, batch_size=1000)
        Region.objects.bulk_update(to_update, fields, batch_size=1000)
        result.created += len(to_create)
        changed.update(region.pk for region in to_update)
        result.not_in_source += len(set(existing) - listed)

        names = {unit.code: unit.name for unit in by_level[level]}
        for pk, code, path, parent_id in Region.objects.filter(
            level=level, is_current=is_current
        ).values_list("pk", "code", "path", "parent_id"):
            if code not in names:
                continue
            if code not in existing:
                created.add(pk)
            parent_names = by_pk[parent_id].names if parent_id in by_pk else ()
            saved[(level, code)] = by_pk[pk] = _Saved(
                pk, path, (names[code], *parent_names)
            )

    if became:
        changed |= _link_successors(units, saved, became)
        result.unmapped = [
            unit.code
            for unit in units
            if unit.level == Region.Level.COMMUNE and not unit.successor_codes
        ]
    # A unit created in this run is not also counted as updated by its links.
    result.updated = len(changed - created)
    return result


def _link_successors(
    units: Iterable[SourceUnit],
    saved: dict[tuple[int, str], _Saved],
    became: _CurrentUnits,
) -> set[int]:
    """Make the successors of pre-reform units those of the source; return the pks
    of the units whose successors changed."""
    loaded = {saved[(unit.level, unit.code)].pk for unit in units}
    wanted = {
        (saved[(unit.level, unit.code)].pk, became.pk(unit, code))
        for unit in units
        for code in unit.successor_codes
    }
    through = Region.successors.through
    links = through.objects.filter(from_region__is_current=False)
    existing = {
        link
        for link in links.values_list("from_region_id", "to_region_id")
        if link[0] in loaded
    }
    missing, extra = wanted - existing, existing - wanted
    through.objects.bulk_create(
        [through(from_region_id=a, to_region_id=b) for a, b in missing],
        batch_size=1000,
    )
    for from_pk, to_pk in extra:
        links.filter(from_region_id=from_pk, to_region_id=to_pk).delete()
    return {from_pk for from_pk, _to_pk in missing | extra}
