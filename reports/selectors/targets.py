"""The target in force for a report: set for its unit, kind and course, or
rolled up from the units below."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    Q,
)

from regions.models import Region

from ..models import (
    ALL_KINDS,
    Target,
)
from .filters import ReportFilters


def _in_force(targets: list[Target], filters: ReportFilters) -> Target | None:
    """Return the target being worked towards at the end of the period: the one
    due soonest on or after its end, else the latest one due within it."""
    ahead = [t for t in targets if t.due_on >= filters.end]
    if ahead:
        return min(ahead, key=lambda t: t.due_on)
    within = [t for t in targets if filters.start <= t.due_on < filters.end]
    if within:
        return max(within, key=lambda t: t.due_on)
    return None


class TargetTree:
    """The targets under a unit, to roll up for any (kind, course)."""

    def __init__(self, unit: Region, filters: ReportFilters):
        self.filters = filters
        self.children_of: dict[int, list[int]] = defaultdict(list)
        self.targets: dict[tuple[int, str, int | None], list[Target]] = defaultdict(
            list
        )
        if not unit.is_current:
            return
        below = Region.objects.filter(
            path__startswith=unit.path + ".", is_current=True
        ).values_list("pk", "parent_id")
        for pk, parent_id in below:
            self.children_of[parent_id].append(pk)
        for target in Target.objects.filter(
            Q(region=unit) | Q(region__path__startswith=unit.path + ".")
        ):
            self.targets[(target.region_id, target.kind, target.course_id)].append(
                target
            )
        self._memo: dict[tuple[int, str, int | None], int | None] = {}

    def effective(self, region_id: int, kind: str, course_id: int | None):
        """Return the unit's target for (kind, course): its own target in force,
        else the sum of its children's effective targets, else None."""
        if not self.targets:
            return None
        key = (region_id, kind, course_id)
        if key not in self._memo:
            own = _in_force(self.targets.get(key, []), self.filters)
            if own is not None:
                self._memo[key] = own.people
            else:
                below = [
                    self.effective(child, kind, course_id)
                    for child in self.children_of.get(region_id, [])
                ]
                below = [value for value in below if value is not None]
                self._memo[key] = sum(below) if below else None
        return self._memo[key]


def effective_target(*, filters: ReportFilters) -> int | None:
    """Return the filters' unit's target for the filters' kind (or every kind) and
    course (or any course), in force for the period (the one due soonest on or
    after its end, else the latest one due within it), rolled up: the unit's own
    target wins, else the sum of its children's."""
    tree = TargetTree(filters.region, filters)
    course_id = filters.course.pk if filters.course else None
    return tree.effective(filters.region.pk, filters.kind or ALL_KINDS, course_id)
