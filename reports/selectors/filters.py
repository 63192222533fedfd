"""What a coverage report asks (``ReportFilters``, the default period) and
what it answers (``Figures`` by unit, week, class; the ``Dashboard``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from django.utils import timezone

from classes.models import TrainingClass
from courses.models import CoursePage
from regions.models import Region

# The campaign length provinces commonly report over: 92 days, about 13 weeks.
DEFAULT_PERIOD_DAYS = 92
# Coverage below the first is far behind, below the second behind, else on track.
COVERAGE_FAR_BEHIND = 0.5
COVERAGE_ON_TRACK = 0.8


@dataclass(frozen=True)
class ReportFilters:
    # The unit the report is for: a current province or commune, or a pre-reform
    # unit for the officials who hold a role over one.
    region: Region
    start: datetime.date
    end: datetime.date  # inclusive
    course: CoursePage | None = None
    kind: str | None = None  # a LearnerKind value, or None for every kind

    def query(self, **changes) -> dict[str, str]:
        """Return the GET parameters that reproduce these filters (dates as ISO)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.course is not None:
            params["course"] = str(self.course.pk)
        if self.kind:
            params["kind"] = self.kind
        params.update({k: v for k, v in changes.items() if v is not None})
        return params

    def querystring(self, **changes) -> str:
        return urlencode(self.query(**changes))

    def replace(self, **changes) -> ReportFilters:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return ReportFilters(**values)

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Return the period as [start, end) aware datetimes, local midnights."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end


@dataclass
class Figures:
    trained: int = 0
    certificates_issued: int = 0
    certificates_revoked: int = 0
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    participations: int = 0  # lượt
    participants: int = 0  # người
    target: int | None = None

    COUNTS = (
        "trained",
        "certificates_issued",
        "certificates_revoked",
        "enrolled",
        "in_progress",
        "completed",
        "participations",
        "participants",
    )

    @property
    def coverage(self) -> float | None:
        """Return trained / target, or None without a (non-zero) target."""
        if not self.target:
            return None
        return self.trained / self.target

    @property
    def coverage_percent(self) -> int | None:
        coverage = self.coverage
        return None if coverage is None else round(coverage * 100)

    @property
    def coverage_level(self) -> str:
        """Return "none" (no target), "low", "mid" or "high" against the
        thresholds."""
        coverage = self.coverage
        if coverage is None:
            return "none"
        if coverage < COVERAGE_FAR_BEHIND:
            return "low"
        if coverage < COVERAGE_ON_TRACK:
            return "mid"
        return "high"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.COUNTS)

    def add(self, other: Figures) -> None:
        """Add other's counts to these (targets are not added)."""
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class UnitRow:
    region: Region | None  # None for the records attached to the unit itself
    name: str
    url: str  # the same dashboard one level down ("" for the direct row)
    figures: Figures


@dataclass
class WeekPoint:
    week_start: datetime.date  # a Monday
    trained: int  # people whose counting certificate was issued that week
    trained_cumulative: int
    certificates: int  # certificates issued that week


@dataclass
class ClassRow:
    training_class: TrainingClass
    name: str
    url: str
    members: int = 0
    participations: int = 0
    participants: int = 0
    certificates_issued: int = 0
    trained: int = 0  # distinct people with a certificate of the class, as above


@dataclass
class Dashboard:
    filters: ReportFilters
    totals: Figures
    children: list[UnitRow]  # furthest behind first; units without target last
    direct: Figures | None  # records attached to the unit itself, when any
    trend: list[WeekPoint]
    by_kind: list[tuple[str, str, Figures]]  # (kind value, label, figures)
    by_course: list[tuple[CoursePage, Figures]]
    classes: list[ClassRow] = field(default_factory=list)  # for a unit w/o children
    computed_at: datetime.datetime | None = None
    # Where reports.selectors.cache keeps it and for how many seconds (0: not
    # kept); the page keeps its rendered figures as long, under the same key.
    cache_key: str = ""
    cache_seconds: int = 0

    @property
    def rows(self) -> list[UnitRow]:
        """Return the child rows and, last, the direct row when there is one."""
        rows = list(self.children)
        if self.direct is not None:
            rows.append(UnitRow(None, "", "", self.direct))
        return rows


def default_period(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """Return the last 92 days up to today, both included."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def period_weeks(filters: ReportFilters) -> list[datetime.date]:
    monday = filters.start - datetime.timedelta(days=filters.start.weekday())
    weeks = []
    while monday <= filters.end:
        weeks.append(monday)
        monday += datetime.timedelta(days=7)
    return weeks
