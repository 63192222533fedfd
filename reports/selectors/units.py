"""The units of a report: its unit, its children, and which child each unit
whose records count in it (pre-reform units included) counts in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    F,
    Func,
    Q,
)

from core.text import fold
from regions.models import Region


@dataclass
class UnitMap:
    unit: Region
    children: list[Region]
    # Every unit whose records count in the report: its id -> the child it counts
    # in, or None when it counts in the unit itself.
    child_of: dict[int, int | None]

    def holds(self, field: str) -> _AmongIds:
        """Return a condition: the record's unit (field) counts in the report."""
        return _AmongIds(field, list(self.child_of))


class _AmongIds(Func):
    """field IN (ids): on PostgreSQL one array parameter (``= ANY(%s)``), not
    one parameter per unit, which a province's 500 units make slow to send
    and to plan."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: list[int]):
        super().__init__(F(field))
        self.ids = ids

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", [*params, self.ids]
        marks = ", ".join(["%s"] * len(self.ids))
        return f"{column} IN ({marks})", [*params, *self.ids]


def unit_map(unit: Region) -> UnitMap:
    children = sorted(Region.objects.filter(parent=unit), key=lambda r: fold(r.name))
    child_by_path = {child.path: child.pk for child in children}
    prefix = unit.path + "."
    columns = ("pk", "path", "is_current", "replaced_by__path")
    # The unit and the units under it, then (for a current unit) the pre-reform
    # units they replaced: two indexed lookups, where one condition joining the
    # replacement's path would read the whole region table.
    rows = list(
        Region.objects.filter(Q(pk=unit.pk) | Q(path__startswith=prefix)).values_list(
            *columns
        )
    )
    if unit.is_current:
        seen = {row[0] for row in rows}
        rows += (
            Region.objects.filter(replaced_by_id__in=seen)
            .exclude(pk__in=seen)
            .values_list(*columns)
        )
    child_of: dict[int, int | None] = {}
    for pk, path, is_current, replaced_by_path in rows:
        # A current report counts a pre-reform unit where it rolls up to.
        counts_at = path if (is_current or not unit.is_current) else replaced_by_path
        if counts_at == unit.path:
            child_of[pk] = None
        elif counts_at.startswith(prefix):
            step = counts_at[len(prefix) :].split(".")[0]
            child_of[pk] = child_by_path.get(prefix + step)
    return UnitMap(unit, children, child_of)
