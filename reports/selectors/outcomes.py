"""The outcomes view: training beside the people helped and the online share.

``outcomes_dashboard(filters=..., campaign=None)`` returns, for the filters'
unit and period, one row per child unit (and the unit's own direct records)
with these figures, all aggregates:

- **trained**: people trained, counted exactly as the coverage report counts
  them (``counting.certificate_rows``: distinct people with a valid counting
  certificate issued in the period, each in one unit).
- **helped** (lượt hỗ trợ): records of people helped (``outreach.HelpRecord``)
  dated in the period, in the helped person's commune kept on the record
  (a pre-reform commune's records roll up into the unit it became, as
  certificates do); **helped_confirmed**: those confirmed by the helped person
  or a team leader or teacher. A record flagged for review and not yet
  reviewed counts in neither: it is counted apart, as **awaiting_review**.
- **dossiers_helped**: among the counted records, those where a dossier was
  filed online.
- **active_helpers**: distinct helpers with at least one counted record in the
  period. So that a parent's figure is the sum of its children, a helper
  counts once, in the unit of their last counted record of the period
  (latest day, then highest id), as a trained person counts in the unit of
  their counting certificate.
- **received**, **received_online**, **processed_online**, **paid_online**: the
  imported one-stop-shop figures (``reports.OutcomeFigure``) of the periods
  (weeks, or months) that start within the report's period. The report reads
  weekly figures when the unit's subtree has any in the period, else monthly,
  so no dossier is counted twice. **online_share** = received online /
  received; **share_change**: the share of the last period with figures minus
  that of the first, in percentage points (its change since the start of the
  period, or of the campaign).

Every figure but the share is a count of records, each counted in exactly one
unit, so a parent's figure is the sum of its children's plus its direct row.

The help figures are read from what the reports keep of the records, not from
the records (a province's period holds hundreds of thousands): the records by
(commune, day) (``models.HelpDay``), and each counted record with the day of
its helper's next one (``models.CountedHelp.until``), so a helper's last record
of a period is the one whose next is after it. Both are refreshed after each
of outreach's writes commits (``reports.receivers``, ``services``).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from core.text import fold
from regions.models import Region

from ..models import CountedHelp, HelpDay, OutcomeFigure, OutcomePeriod
from .counting import certificate_rows
from .filters import ReportFilters, period_weeks
from .parallel import side_by_side
from .units import UnitMap, unit_map

COUNTS = (
    "trained",
    "active_helpers",
    "helped",
    "helped_confirmed",
    "dossiers_helped",
    "awaiting_review",
    "received",
    "received_online",
    "processed_online",
    "paid_online",
)
# How many units the "high training, low online share" table lists.
NEEDS_HELP_LIMIT = 10


@dataclass
class OutcomeFigures:
    trained: int = 0
    active_helpers: int = 0
    helped: int = 0
    helped_confirmed: int = 0
    dossiers_helped: int = 0
    awaiting_review: int = 0
    received: int = 0
    received_online: int = 0
    processed_online: int = 0
    paid_online: int = 0
    # The online share of the first and of the last period with figures.
    share_first: float | None = None
    share_last: float | None = None

    def add(self, other: OutcomeFigures) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def online_share(self) -> float | None:
        return self.received_online / self.received if self.received else None

    @property
    def online_percent(self) -> float | None:
        share = self.online_share
        return None if share is None else round(share * 100, 1)

    @property
    def share_change(self) -> float | None:
        """Return the change of the online share, in percentage points."""
        if self.share_first is None or self.share_last is None:
            return None
        return round((self.share_last - self.share_first) * 100, 1)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in COUNTS)


@dataclass
class OutcomeRow:
    region: Region | None  # None for the records of the unit itself
    name: str
    url: str
    figures: OutcomeFigures


@dataclass
class OutcomeWeek:
    week_start: datetime.date  # a Monday
    trained: int = 0
    helped: int = 0
    helped_confirmed: int = 0


@dataclass
class OutcomesDashboard:
    filters: ReportFilters
    period_kind: str  # OutcomePeriod of the figures read
    totals: OutcomeFigures
    children: list[OutcomeRow]
    direct: OutcomeFigures | None
    trend: list[OutcomeWeek]
    needs_help: list[OutcomeRow] = field(default_factory=list)
    campaign: object | None = None  # an outreach.Campaign
    computed_at: datetime.datetime | None = None
    form: object | None = None  # the page's filter form, when a page asked

    @property
    def rows(self) -> list[OutcomeRow]:
        rows = list(self.children)
        if self.direct is not None:
            rows.append(OutcomeRow(None, "", "", self.direct))
        return rows


def help_rows(filters: ReportFilters, units: UnitMap):
    """Return (child id or 0, helped, confirmed, dossiers, awaiting review)
    rows of the period's records, grouped by the record's unit (from the
    records by day the reports keep, ``models.HelpDay``)."""
    rows = (
        HelpDay.objects.filter(
            units.holds("region_id"),
            day__gte=filters.start,
            day__lte=filters.end,
        )
        .order_by()
        .values("region_id")
        .annotate(
            n_helped=Sum("helped"),
            n_confirmed=Sum("confirmed"),
            n_dossiers=Sum("dossiers"),
            n_awaiting=Sum("awaiting"),
        )
        .values_list("region_id", "n_helped", "n_confirmed", "n_dossiers", "n_awaiting")
    )
    for region_id, *counts in rows:
        yield units.child_of[region_id] or 0, *counts


def active_helper_rows(filters: ReportFilters, units: UnitMap):
    """Return (child id or 0, helpers) rows: each helper with a counted record
    of the period counts once, in the unit of their last one (latest day, then
    highest id) wherever it was, so on every dashboard alike. That record is
    the one of the period whose next counted record of the same helper
    (``models.CountedHelp.until``) is after the period, or none."""
    last = (
        CountedHelp.objects.filter(
            Q(until__isnull=True) | Q(until__gt=filters.end),
            units.holds("region_id"),
            helped_on__gte=filters.start,
            helped_on__lte=filters.end,
        )
        .order_by()
        .values("region_id")
        .annotate(n=Count("*"))
        .values_list("region_id", "n")
    )
    per_unit: dict[int, int] = defaultdict(int)
    for region_id, n in last:
        per_unit[units.child_of[region_id] or 0] += n
    return per_unit.items()


def help_week_rows(filters: ReportFilters, units: UnitMap):
    """Return (day, helped, confirmed) of the counted records by day."""
    return (
        HelpDay.objects.filter(
            units.holds("region_id"),
            day__gte=filters.start,
            day__lte=filters.end,
        )
        .order_by()
        .values("day")
        .annotate(n_helped=Sum("helped"), n_confirmed=Sum("confirmed"))
        .values_list("day", "n_helped", "n_confirmed")
    )


def figure_period_kind(filters: ReportFilters, units: UnitMap) -> str:
    """Return the kind of period the report reads: week when the units have
    weekly figures in the period, else month."""
    weekly = OutcomeFigure.objects.filter(
        units.holds("region_id"),
        period=OutcomePeriod.WEEK,
        period_start__gte=filters.start,
        period_start__lte=filters.end,
    ).exists()
    return OutcomePeriod.WEEK if weekly else OutcomePeriod.MONTH


def figure_rows(filters: ReportFilters, units: UnitMap, period: str):
    """Return (child id or 0, period start, received, online, processed, paid)
    rows, summed by the figure's unit and period."""
    rows = (
        OutcomeFigure.objects.filter(
            units.holds("region_id"),
            period=period,
            period_start__gte=filters.start,
            period_start__lte=filters.end,
        )
        .order_by()
        .values_list(
            "region_id",
            "period_start",
            "received",
            "received_online",
            "processed_online",
            "paid_online",
        )
    )
    for region_id, start, *counts in rows:
        yield units.child_of[region_id] or 0, start, *counts


def _figures_of_period(filters: ReportFilters, units: UnitMap):
    """Return the kind of period read and its figure rows."""
    period = figure_period_kind(filters, units)
    return period, list(figure_rows(filters, units, period))


def _unit_url(region: Region, filters: ReportFilters, campaign) -> str:
    query = filters.querystring()
    if campaign is not None:
        query += f"&campaign={campaign.pk}"
    return f"{reverse('reports:outcomes_unit', args=[region.pk])}?{query}"


def _shares(by_period: dict[datetime.date, list[int]]) -> tuple:
    """Return the online share of the first and the last period with
    dossiers received."""
    shares = [
        online / received
        for _start, (received, online) in sorted(by_period.items())
        if received
    ]
    if not shares:
        return None, None
    return shares[0], shares[-1]


def needs_help(rows: list[OutcomeRow], *, below: float | None = None):
    """Return the units with high training but a low online share: trained
    at least the median of the units with figures, and an online share below
    ``below`` (a campaign's target) or, without one, below the median; lowest
    share first."""
    with_share = [
        row
        for row in rows
        if row.figures.online_share is not None and row.figures.trained > 0
    ]
    if not with_share:
        return []
    trained_median = statistics.median(row.figures.trained for row in with_share)
    share_line = (
        below
        if below is not None
        else statistics.median(row.figures.online_share for row in with_share)
    )
    found = [
        row
        for row in with_share
        if row.figures.trained >= trained_median
        and row.figures.online_share < share_line
    ]
    found.sort(key=lambda row: (row.figures.online_share, -row.figures.trained))
    return found[:NEEDS_HELP_LIMIT]


def outcomes_dashboard(*, filters: ReportFilters, campaign=None) -> OutcomesDashboard:
    """Return the outcome figures of the filters' unit and period: one row
    per child unit, the unit's own records, the totals, the weekly trend of
    people trained and helped, and the units that need help (see the module
    docstring for every definition). Only aggregates."""
    filters = filters.replace(course=None, kind=None)
    units = unit_map(filters.region)
    table: dict[int, OutcomeFigures] = defaultdict(OutcomeFigures)
    weeks = {week: OutcomeWeek(week) for week in period_weeks(filters)}

    # Independent aggregations: side by side on PostgreSQL for a report of
    # many units, as the coverage dashboard's (selectors.parallel).
    certificates, helped_rows, helper_rows, day_rows, (period, figure_list) = (
        side_by_side(
            lambda: list(certificate_rows(filters, units)),
            lambda: list(help_rows(filters, units)),
            lambda: list(active_helper_rows(filters, units)),
            lambda: list(help_week_rows(filters, units)),
            lambda: _figures_of_period(filters, units),
            units=units,
        )
    )
    for grouping, key, trained, _issued in certificates:
        if grouping == "unit":
            table[key[0]].trained += trained
        elif grouping == "week":
            weeks[key].trained += trained
    for child, helped, confirmed, dossiers, waiting in helped_rows:
        figures = table[child]
        figures.helped += helped
        figures.helped_confirmed += confirmed
        figures.dossiers_helped += dossiers
        figures.awaiting_review += waiting
    for child, helpers in helper_rows:
        table[child].active_helpers += helpers
    for day, helped, confirmed in day_rows:
        monday = day - datetime.timedelta(days=day.weekday())
        weeks[monday].helped += helped
        weeks[monday].helped_confirmed += confirmed

    by_period: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    total_by_period: dict = defaultdict(lambda: [0, 0])
    for child, start, received, online, processed, paid in figure_list:
        figures = table[child]
        figures.received += received
        figures.received_online += online
        figures.processed_online += processed
        figures.paid_online += paid
        for sums in (by_period[child][start], total_by_period[start]):
            sums[0] += received
            sums[1] += online
    for child, periods in by_period.items():
        table[child].share_first, table[child].share_last = _shares(periods)

    totals = OutcomeFigures()
    for figures in table.values():
        totals.add(figures)
    totals.share_first, totals.share_last = _shares(total_by_period)

    children = [
        OutcomeRow(
            child,
            child.name,
            _unit_url(child, filters, campaign),
            table.get(child.pk, OutcomeFigures()),
        )
        for child in units.children
    ]
    direct = table.get(0)
    if direct is not None and (direct.is_empty or not units.children):
        direct = None
    below = None
    if campaign is not None and campaign.target_online_share:
        below = float(campaign.target_online_share) / 100
    return OutcomesDashboard(
        filters=filters,
        period_kind=period,
        totals=totals,
        children=children,
        direct=direct,
        trend=list(weeks.values()),
        needs_help=needs_help(children, below=below),
        campaign=campaign,
        computed_at=timezone.now(),
    )


def ranked_units(rows: list[OutcomeRow]) -> list[tuple[int, OutcomeRow]]:
    """Return (rank, row) for the units of a weekly campaign report: highest
    online share first (units without figures last), then most people helped
    and confirmed, then by name."""
    ordered = sorted(
        rows,
        key=lambda row: (
            row.figures.online_share is None,
            -(row.figures.online_share or 0),
            -row.figures.helped_confirmed,
            fold(row.name),
        ),
    )
    return list(enumerate(ordered, start=1))


def campaign_week_filters(campaign, week_start: datetime.date) -> ReportFilters:
    """Return the filters of a campaign's weekly report: from the campaign's
    start to the week's Sunday, or to the campaign's end when sooner."""
    end = min(week_start + datetime.timedelta(days=6), campaign.ends_on)
    return ReportFilters(region=campaign.region, start=campaign.starts_on, end=end)
