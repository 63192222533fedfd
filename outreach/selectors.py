"""Reads of the outreach app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from regions.models import Region
from regions.scopes import under_paths

from .models import HelpRecord


def counted(qs: QuerySet[HelpRecord] | None = None) -> QuerySet[HelpRecord]:
    """Return the records that count: every record but those waiting for review
    (flagged, flag not cleared). Each record counts once, in its own unit."""
    qs = HelpRecord.objects.all() if qs is None else qs
    return qs.filter(Q(flag__isnull=True) | Q(flag_cleared_at__isnull=False))


def records_in(
    region: Region, start: datetime.date, end: datetime.date
) -> QuerySet[HelpRecord]:
    """Return the records of the unit's subtree dated from start to end."""
    return HelpRecord.objects.filter(
        under_paths([region.path], "region_path"),
        helped_on__gte=start,
        helped_on__lte=end,
    )


@dataclass(frozen=True)
class RankedHelper:
    rank: int
    helper_id: int
    name: str
    confirmed: int
    recorded: int


def helpers_ranked(
    records: QuerySet[HelpRecord], *, limit: int = 50
) -> list[RankedHelper]:
    """Return the helpers of these records (a unit's in a period, say) ranked by
    confirmed helped people, then by records counted, then by name; equal
    figures share a rank. Records waiting for review do not count."""
    rows = (
        counted(records)
        .values("helper_id", "helper__full_name", "helper__username")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            recorded=Count("pk"),
        )
        .filter(confirmed__gt=0)
        .order_by("-confirmed", "-recorded", "helper__full_name", "helper_id")[:limit]
    )
    ranked, previous, rank = [], None, 0
    for position, row in enumerate(rows, start=1):
        key = (row["confirmed"], row["recorded"])
        if key != previous:
            rank, previous = position, key
        ranked.append(
            RankedHelper(
                rank=rank,
                helper_id=row["helper_id"],
                name=row["helper__full_name"] or row["helper__username"],
                confirmed=row["confirmed"],
                recorded=row["recorded"],
            )
        )
    return ranked


def awaiting_review(qs: QuerySet[HelpRecord]) -> QuerySet[HelpRecord]:
    """Return the records flagged and not yet cleared, or not yet confirmed."""
    return qs.filter(
        Q(flag__isnull=False, flag_cleared_at__isnull=True)
        | Q(confirmed_at__isnull=True)
    )
