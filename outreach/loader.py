"""Load the catalogue of procedure fields from a data file.

The file is UTF-8 CSV. Its first line names where the rows come from
(``# source: ...``); then a header ``code,name`` and one field per row. Rows
are matched on their code: a field's name and source are brought up to date,
new fields are added, and fields an editor added are left as they are.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import ProcedureField

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "procedure_fields.csv"
SOURCE_PREFIX = "# source:"


class LoadError(ValueError):
    pass


@dataclass
class LoadResult:
    source: str
    created: int = 0
    updated: int = 0


def read_fields(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """Return the file's source and its (code, name) rows."""
    with open(path, encoding="utf-8", newline="") as handle:
        first = handle.readline().strip()
        if not first.startswith(SOURCE_PREFIX):
            raise LoadError(f"{path}: the first line must be '{SOURCE_PREFIX} ...'.")
        source = first.removeprefix(SOURCE_PREFIX).strip()
        limit = ProcedureField._meta.get_field("source").max_length
        if not source or len(source) > limit:
            raise LoadError(
                f"{path}: the source must be named in 1 to {limit} characters."
            )
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["code", "name"]:
            raise LoadError(f"{path}: the header must be 'code,name'.")
        rows = []
        for line, row in enumerate(reader, start=3):
            code, name = (row["code"] or "").strip(), (row["name"] or "").strip()
            if not code or not name:
                raise LoadError(f"{path}:{line}: a code and a name are needed.")
            rows.append((code, name))
    return source, rows


@transaction.atomic
def load_procedure_fields(path: Path = DEFAULT_FILE) -> LoadResult:
    source, rows = read_fields(path)
    result = LoadResult(source=source)
    existing = {field.code: field for field in ProcedureField.objects.all()}
    for code, name in rows:
        field = existing.get(code)
        if field is None:
            ProcedureField.objects.create(code=code, name=name, source=source)
            result.created += 1
        elif (field.name, field.source) != (name, source):
            field.name, field.source = name, source
            field.save(update_fields=["name", "source"])
            result.updated += 1
    return result
