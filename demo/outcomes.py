"""One-stop-shop figures (kết quả DVCTT) for the demo commune and its
neighbours: the last thirteen weeks, the share of dossiers filed online
rising week by week, so the outcomes view has a share and a change to show."""

import datetime

from django.utils import timezone

from regions.models import Region
from reports.models import OutcomeFigure, OutcomePeriod
from reports.services import outcome_figure_set

from .classes import _neighbours

WEEKS = 13
# Dossiers received a week, and the online share in the first and last week,
# for the demo commune and each neighbour in turn.
UNITS = [(120, 0.30, 0.62), (90, 0.25, 0.41), (60, 0.40, 0.55), (75, 0.20, 0.48)]


def load_outcomes(commune: Region, summary) -> None:
    """Set the weekly figures once per unit and week; a second run changes
    nothing."""
    today = timezone.localdate()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    units = [commune]
    for neighbour in _neighbours(commune):
        if neighbour not in units:
            units.append(neighbour)
    for region, (received, first, last) in zip(units, UNITS, strict=False):
        for week in range(WEEKS):
            start = last_monday - datetime.timedelta(weeks=WEEKS - 1 - week)
            if OutcomeFigure.objects.filter(
                region=region, period=OutcomePeriod.WEEK, period_start=start
            ).exists():
                continue
            share = first + (last - first) * week / (WEEKS - 1)
            count = received + (week % 3) * 7
            online = round(count * share)
            outcome_figure_set(
                region=region,
                period=OutcomePeriod.WEEK,
                period_start=start,
                received=count,
                received_online=online,
                processed_online=round(online * 0.9),
                paid_online=round(online * 0.35),
            )
            summary.add("weeks of one-stop-shop figures")
