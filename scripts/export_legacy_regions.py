"""Export Vietnam's pre-July-2025 administrative units and their conversion table.

Run once, by hand, when the upstream data changes; the output is committed and
``manage.py load_regions --legacy`` reads it::

    .venv/bin/python scripts/export_legacy_regions.py --source /tmp/vp2026/x

``--source`` is an unpacked wheel of ``vietnam-provinces`` 2026.9.0 or later (the
first releases carrying the pre-reform units, Python 3.12+ only, so not installable
beside this project). Fetch it with::

    pip download --no-deps --python-version 3.12 --only-binary=:all: \\
        vietnam-provinces==2026.9.0 -d /tmp/vp2026
    unzip -o -q /tmp/vp2026/*.whl -d /tmp/vp2026/x

The current units the loader creates come from the ``vietnam-provinces`` release
installed in the virtualenv, whose commune codes are not all those of the source
release. Every successor is therefore written with the code it has in the installed
release, matched by province and name; the script stops if any does not match
exactly one unit.

Rows (after the ``#`` header lines): level (1 province, 2 district, 3 commune),
code, name, division_type, parent_code, successor_codes (";"-separated, current
units), replaced_by_code (current unit), partly_merged (communes: "1" if the source
marks the old commune as only partly merged; blank for provinces and districts).
A commune's successors are communes; a district's or province's are provinces.
"""

import argparse
import csv
import datetime
import importlib.metadata
import importlib.util
import json
import re
import shlex
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.text import fold  # noqa: E402

DEFAULT_OUTPUT = REPO / "regions" / "data" / "legacy_units_2025.csv"
HEADER = [
    "level",
    "code",
    "name",
    "division_type",
    "parent_code",
    "successor_codes",
    "replaced_by_code",
    "partly_merged",
]
PROVINCE, DISTRICT, COMMUNE = 1, 2, 3
WIDTH = {PROVINCE: 2, DISTRICT: 3, COMMUNE: 5}


def padded(level: int, code: int) -> str:
    return f"{int(code):0{WIDTH[level]}d}"


def loose(name: str) -> str:
    """Return name compared loosely: NFC, lower case, one kind of dash and space."""
    name = unicodedata.normalize("NFC", name).lower()
    name = name.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    return re.sub(r"\s+", " ", name).strip()


def installed_release() -> tuple[str, Path]:
    """Return the version and data file of the release the loader reads."""
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or spec.origin is None:
        sys.exit("vietnam-provinces is not installed in this Python environment.")
    version = importlib.metadata.version("vietnam-provinces")
    return version, Path(spec.origin).parent / "data" / "nested-divisions.json"


def current_communes(nested_json: Path) -> dict[int, tuple[int, str]]:
    """Return {commune code: (province code, name)} from a nested-divisions file."""
    provinces = json.loads(nested_json.read_text(encoding="utf-8"))
    return {
        ward["code"]: (province["code"], ward["name"])
        for province in provinces
        for ward in province["wards"]
    }


def crosswalk(source: dict, installed: dict) -> dict[int, int]:
    """Map each source commune code to the installed release's code for that unit.

    Same code and same folded name: the same unit. Otherwise the unit in the same
    province with the same name (loosely, then folded), which must be unique.
    """
    by_province = defaultdict(list)
    for code, (province, name) in installed.items():
        by_province[province].append((code, name))
    mapping = {}
    for code, (province, name) in source.items():
        same = installed.get(code)
        if same and same[0] == province and fold(same[1]) == fold(name):
            mapping[code] = code
            continue
        candidates = [c for c, n in by_province[province] if loose(n) == loose(name)]
        if len(candidates) != 1:
            candidates = [c for c, n in by_province[province] if fold(n) == fold(name)]
        if len(candidates) != 1:
            sys.exit(
                f"Commune {code} {name!r} matches {candidates} in the installed data."
            )
        mapping[code] = candidates[0]
    if sorted(mapping.values()) != sorted(installed):
        sys.exit("The source and installed current communes do not match one to one.")
    return mapping


def most_common(counter: Counter) -> int | None:
    """Return the most frequent key, the smallest on a tie (stable across runs)."""
    if not counter:
        return None
    return min(counter, key=lambda key: (-counter[key], key))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--source",
        required=True,
        type=Path,
        help="Unpacked vietnam-provinces >= 2026.9.0 wheel.",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    installed_version, installed_json = installed_release()
    source_dir = args.source.resolve()
    sys.path.insert(0, str(source_dir))
    for name in [m for m in sys.modules if m.split(".")[0] == "vietnam_provinces"]:
        del sys.modules[name]

    import vietnam_provinces as vp
    from vietnam_provinces import _province_conversion_2025 as province_conversion
    from vietnam_provinces import _ward_conversion_2025 as ward_conversion
    from vietnam_provinces.legacy.base import District, Province, Ward

    if not Path(vp.__file__).resolve().is_relative_to(source_dir):
        sys.exit(f"vietnam_provinces was imported from {vp.__file__}, not --source.")
    source_meta = next(source_dir.glob("vietnam_provinces-*.dist-info/METADATA"))
    license_name = next(
        line.split(":", 1)[1].strip()
        for line in source_meta.read_text(encoding="utf-8").splitlines()
        if line.startswith("License-Expression:")
    )

    provinces = sorted(Province.iter_all(), key=lambda p: int(p.code))
    districts = sorted(District.iter_all(), key=lambda d: int(d.code))
    wards = sorted(Ward.iter_all(), key=lambda w: int(w.code))
    district_province = {int(d.code): int(d.province_code) for d in districts}

    source_current = current_communes(Path(vp.NESTED_DIVISIONS_JSON_PATH))
    installed_current = current_communes(installed_json)
    to_installed = crosswalk(source_current, installed_current)
    renumbered = sum(1 for old, new in to_installed.items() if old != new)

    old_to_new = ward_conversion.OLD_TO_NEW
    # The per-pair flag: whether the old commune went into that new one only in part.
    pair_partly = {
        (old.code, entry.new_ward.code): old.is_partly_merged
        for entry in ward_conversion.NEW_TO_OLD.values()
        for old in entry.old_wards
    }

    rows = []
    unmapped = []
    chosen_not_first = 0
    province_votes = defaultdict(Counter)  # (level, code) -> replaced_by provinces
    province_reach = defaultdict(set)  # (level, code) -> every successor province
    for ward in wards:
        code = int(ward.code)
        district = int(ward.district_code)
        province = district_province[district]
        entry = old_to_new.get(code)
        if entry is None:
            unmapped.append(code)
            successors, replaced_by, partly = [], None, ""
        else:
            for new in entry.new_wards:
                if source_current[new.code][0] != new.province_code:
                    sys.exit(f"New commune {new.code} is not in {new.province_code}.")
            successors = [new.code for new in entry.new_wards]
            whole = [c for c in successors if pair_partly.get((code, c)) is False]
            replaced_by = whole[0] if whole else successors[0]
            chosen_not_first += replaced_by != successors[0]
            partly = "1" if entry.old_ward.is_partly_merged else "0"
            for key in ((DISTRICT, district), (PROVINCE, province)):
                province_votes[key][source_current[replaced_by][0]] += 1
                province_reach[key].update(source_current[c][0] for c in successors)
        rows.append(
            [
                COMMUNE,
                padded(COMMUNE, code),
                ward.name,
                str(ward.division_type),
                padded(DISTRICT, district),
                ";".join(padded(COMMUNE, to_installed[c]) for c in successors),
                padded(COMMUNE, to_installed[replaced_by]) if replaced_by else "",
                partly,
            ]
        )

    # Units with no commune in the source (island districts) take the official
    # province conversion of their province.
    province_table = {
        old: [new.code for new in entry.new_provinces]
        for old, entry in province_conversion.OLD_TO_NEW.items()
    }
    from_province_table = []
    upper_rows = []
    disagreements = []
    for level, units in ((PROVINCE, provinces), (DISTRICT, districts)):
        for unit in units:
            code = int(unit.code)
            key = (level, code)
            own_province = code if level == PROVINCE else int(unit.province_code)
            replaced_by = most_common(province_votes[key])
            reach = province_reach[key]
            if replaced_by is None:
                table = province_table[own_province]
                replaced_by, reach = table[0], set(table)
                from_province_table.append(f"{padded(level, code)} {unit.name}")
            if level == PROVINCE and replaced_by not in province_table[code]:
                disagreements.append(code)
            # The one records roll up into first, then the others by code.
            ordered = [replaced_by] + sorted(reach - {replaced_by})
            upper_rows.append(
                [
                    level,
                    padded(level, code),
                    unit.name,
                    str(unit.division_type),
                    padded(PROVINCE, int(unit.province_code))
                    if level == DISTRICT
                    else "",
                    ";".join(padded(PROVINCE, c) for c in ordered),
                    padded(PROVINCE, replaced_by),
                    "",
                ]
            )
    if disagreements:
        sys.exit(f"Provinces disagree with the province table: {disagreements}")

    not_in_legacy = sorted(set(old_to_new) - {int(w.code) for w in wards})
    command = " ".join(
        ["python", "scripts/export_legacy_regions.py"]
        + [shlex.quote(a) for a in sys.argv[1:]]
    )
    header = [
        "Vietnam's administrative units before 1 July 2025 and what each became.",
        f"Source: Python package vietnam-provinces {vp.__version__} "
        f"(data version {vp.__data_version__}), "
        "https://github.com/sunshine-tech/VietnamProvinces",
        "Units: vietnam_provinces.legacy (Province, District, Ward).",
        "Conversion: vietnam_provinces._ward_conversion_2025, generated upstream from "
        f"{ward_conversion.SOURCE}; effective date {ward_conversion.EFFECTIVE_DATE}.",
        f"License of the source: {license_name}.",
        f"Exported: {datetime.date.today().isoformat()} by: {command}",
        f"Current-unit codes are those of vietnam-provinces {installed_version} "
        f"(installed, loaded by regions/loader.py); {renumbered} of its "
        f"{len(installed_current)} commune codes differ from the source's and were "
        "matched by province and name.",
        "A commune's replaced_by is the first new commune the source lists that it "
        f"did not only partly go into, else the first listed ({chosen_not_first} "
        "communes take a later one).",
        "A district's or province's replaced_by is the current province most of its "
        "communes roll up into; its successors are every current province that took "
        "part of it, replaced_by first.",
        f"Counts: {len(provinces)} provinces, {len(districts)} districts, "
        f"{len(wards)} communes; {len(unmapped)} communes have no conversion entry "
        f"and no successor: {' '.join(padded(COMMUNE, c) for c in unmapped)}.",
        f"Districts with no commune, mapped by the province table: "
        f"{', '.join(from_province_table) or 'none'}.",
        f"Conversion entries for communes missing from the units list (not "
        f"exported): {' '.join(padded(COMMUNE, c) for c in not_in_legacy) or 'none'}.",
    ]

    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as out:
        for line in header:
            out.write(f"# {line}\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(upper_rows)
        writer.writerows(rows)

    print(f"Wrote {args.output}")
    for line in header[-4:]:
        print(line)


if __name__ == "__main__":
    main()
