"""Coverage figures for a unit, a period, a course and a kind of learner.

``coverage_dashboard(filters=...)`` returns everything the dashboard, its exports
and the JSON feed show. All counting happens in the database: each table is read
once per report and its records grouped by the unit they were made in (a few
thousand rows at most come back), and Python folds those units into the
report's child units.

Three counts are kept ahead by the reports themselves (``reports.services``, in
the transaction of each write; ``manage.py rebuild_report_counts`` recounts
them): the certificate spans (``reports.spans``), which say at which period
ends each certificate is its person's counting certificate, so people trained
are a plain count rather than a ranking of every certificate; the enrolments
started per unit (and course), kind and day, which a dashboard sums instead of
counting up to a million enrolments; and the participations, a copy of each
attended record with its class's unit, its session's start and the start of its
person's next attended session, so participants too are a plain count. On
PostgreSQL, for a report of many units (a province's), the certificate, the
enrolment and the attendance aggregations run side by side.

Definitions, for a period ``start``..``end`` (both days included, local time):

- **trained** (người đã được cấp chứng chỉ): distinct people holding a certificate
  *issued in the period* that is still valid at the end of the period (not revoked
  by then, not expired by then). A person with two such certificates counts once;
  with a course filter, once per that course.
- **certificates issued / revoked**: certificates issued in the period, and
  certificates revoked in the period (whenever they were issued).
- **enrolled / in progress / completed**: course enrolments (one person in one
  course) started in the period; among them, those not completed by the end of
  the period, and those completed by then, so in progress + completed =
  enrolled. With a course filter these are people; without one, a person doing
  two courses counts twice (counting enrolments keeps this a single pass over
  the largest table, a million rows for a province).
- **participations** (lượt): attendance records, present or late, at sessions
  that started in the period; **participants** (người): the distinct people among
  them.
- **target**: see ``effective_target``.

Which unit a record counts in:

- Certificates count in the unit of their snapshot (``Certificate.region``, the
  learner's unit at issue time) and their kind in the snapshot
  ``learner_kind``. A pre-reform unit's records count in the current unit it
  became (``Region.replaced_by``), so a current unit's figures include those of
  its predecessors. The dashboard of a pre-reform unit itself (an official of a
  former district) shows the records made in that unit as it was.
- Enrolments count likewise in their snapshot (``Enrolment.region`` and
  ``learner_kind``, the learner's unit and kind at enrolment time), so moving
  house does not move past enrolments either. Attendance counts in the region
  of the class, with the learner's kind when marked.
- **One person, one unit.** So that every parent total equals the sum of its
  children plus its own direct records, a person counts as trained in exactly one
  unit: the unit (and kind) of their *counting certificate*, which is their most
  recently issued certificate that qualifies under the filters (latest
  ``issued_at``, then highest id), wherever it was issued. A person trained in
  commune A and later in commune B counts in B, and not in A, on every
  dashboard. Likewise a participant counts in the unit of the class of their last
  attended session in the period (latest start, then highest id), of the
  filters' kind and course. The split by kind uses the same counting
  certificate and last session, so it adds up to the total; the split by
  course counts each person once per course (their counting certificate for
  that course, their last session in that course), so a person trained in two
  courses appears in both rows and once in the total.
- Records whose snapshot has no unit count nowhere.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Func,
    Q,
    Sum,
    Value,
    When,
)
from django.urls import (
    get_script_prefix,
    get_urlconf,
    reverse,
    set_script_prefix,
    set_urlconf,
)
from django.utils import timezone, translation

from certificates.models import Certificate
from classes.models import ATTENDED, Attendance, ClassMembership, TrainingClass
from classes.scopes import learners_visible_to
from core.text import fold
from courses.models import CoursePage, Enrolment
from regions.models import Region
from users import scopes
from users.models import LearnerKind

from .models import (
    ALL_KINDS,
    CertificateSpan,
    CourseEnrolmentDay,
    CourseParticipation,
    EnrolmentDay,
    Participation,
    Target,
    UnitCourseEnrolmentDay,
)

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

    @property
    def rows(self) -> list[UnitRow]:
        """Return the child rows and, last, the direct row when there is one."""
        rows = list(self.children)
        if self.direct is not None:
            rows.append(UnitRow(None, "", "", self.direct))
        return rows


# Who sees which unit -------------------------------------------------------


def default_period(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """Return the last 92 days up to today, both included."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def dashboard_root_for(user) -> Region | None:
    """Return the unit a user's dashboard opens at: the highest unit they are an
    official of (a province official's province, a commune official's commune),
    or None for anyone else (a superuser picks a province)."""
    return scopes.official_units(user).order_by("level", "path").first()


def can_view_reports(user) -> bool:
    return user.is_authenticated and (user.is_superuser or scopes.is_official(user))


# The units of a report -----------------------------------------------------


@dataclass
class _UnitMap:
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


def _unit_map(unit: Region) -> _UnitMap:
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
    return _UnitMap(unit, children, child_of)


# Querysets -----------------------------------------------------------------


def _valid_at(moment: datetime.datetime) -> Q:
    """Return a condition: the certificate was neither revoked nor expired at
    moment (compare ``Certificate.status_at``)."""
    return (Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment)) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=moment)
    )


def _certificate_filters(filters: ReportFilters) -> Q:
    condition = Q()
    if filters.course is not None:
        condition &= Q(course=filters.course)
    if filters.kind:
        condition &= Q(learner_kind=filters.kind)
    return condition


def _flag(condition: Q) -> Case:
    """Return 1 where condition holds, else 0 (portable, unlike a boolean)."""
    return Case(When(condition, then=Value(1)), default=Value(0))


def _sql(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _grouped_two_ways(rows, first: tuple[str, ...], second: tuple[str, ...], sums):
    """Return rows.values(...) summed two ways, as (True, first values, sums)
    and (False, second values, sums) tuples, from one query.

    rows is a queryset of the columns to group by and to sum; on PostgreSQL
    one scan groups both ways (GROUPING SETS); elsewhere the two groupings are
    a UNION ALL."""
    columns = (*first, *second)
    inner_sql, params = _sql(rows.values(*columns, *sums))
    total = ", ".join(f"SUM(r.{name})" for name in sums)
    if connection.vendor == "postgresql":
        flag = f"GROUPING(r.{first[0]}) = 0"
        keys = ", ".join(f"r.{name}" for name in columns)
        sets = "({}), ({})".format(
            ", ".join(f"r.{name}" for name in first),
            ", ".join(f"r.{name}" for name in second),
        )
        sql = (
            f"SELECT {flag}, {keys}, {total} FROM ({inner_sql}) r "
            f"GROUP BY GROUPING SETS ({sets})"
        )
    else:

        def grouped(names, is_first):
            keys = ", ".join(
                f"r.{name}" if name in names else "NULL" for name in columns
            )
            group = ", ".join(f"r.{name}" for name in names)
            return (
                f"SELECT {int(is_first)}, {keys}, {total} FROM ({inner_sql}) r "
                f"GROUP BY {group}"
            )

        sql = f"{grouped(first, True)} UNION ALL {grouped(second, False)}"
        params = (*params, *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Fetched at once: psycopg checks its state for every row iterated.
        rows = cursor.fetchall()
    width = len(columns)
    for is_first, *values in rows:
        counts = [int(n) for n in values[width:]]
        if is_first:
            yield True, tuple(values[: len(first)]), counts
        else:
            yield False, tuple(values[len(first) : width]), counts


def _span_scopes(filters: ReportFilters) -> tuple[str, str]:
    """Return the span flags (``reports.spans``) that count people for the
    filters: once in the totals, and once per course in the course split."""
    if filters.kind:
        return ("for_course_kind" if filters.course else "for_kind"), "for_course_kind"
    return ("for_course" if filters.course else "for_person"), "for_course"


def _certificate_rows(filters: ReportFilters, units: _UnitMap):
    """Return the certificate figures as rows (grouping, key, trained, issued):
    grouping "unit" with key (child id or 0, kind), "course" with the
    course id, "week" with the week's start; trained per course counts each
    person once per course.

    People are counted from the certificate spans (``reports.spans``): a
    certificate issued in the period counts its person when its span for the
    filters' scope holds the period's end. So one scan of the period's spans,
    grouped by unit and kind and by course and week, counts both people and
    certificates, with no ranking of each person's certificates.
    Revocations in the period, whenever the certificate was issued, are
    counted apart (``_revoked_rows``).
    """
    start, end = filters.bounds
    tz = timezone.get_current_timezone()
    person_scope, course_scope = _span_scopes(filters)

    def holds_end(scope: str) -> Q:
        return Q(**{scope: True}, after__lt=end) & (
            Q(before__isnull=True) | Q(before__gt=end)
        )

    period = CertificateSpan.objects.filter(
        _certificate_filters(filters),
        units.holds("region_id"),
        issued_at__gte=start,
        issued_at__lt=end,
    ).order_by()
    # The week found by comparing with the weeks' bounds, cheaper than
    # converting every time to local time.
    weeks = _weeks(filters)
    bounds = [
        datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
        for monday in weeks[1:]
    ]
    week = Case(
        *(
            When(issued_at__lt=bound, then=Value(number))
            for number, bound in enumerate(bounds)
        ),
        default=Value(len(bounds)),
    )
    rows = period.annotate(
        week=week,
        trained=_flag(holds_end(person_scope)),
        trained_course=_flag(holds_end(course_scope)),
        issued=_flag(Q(first=True)),
    )
    # By unit and kind (a few thousand rows at most, folded into the report's
    # children here), and by course and week (summed over weeks for the course
    # split, over courses for the trend).
    for by_unit, keys, (trained, trained_course, issued) in _grouped_two_ways(
        rows,
        ("region_id", "learner_kind"),
        ("course_id", "week"),
        ("trained", "trained_course", "issued"),
    ):
        if by_unit:
            region_id, kind = keys
            yield "unit", (units.child_of[region_id] or 0, kind), trained, issued
        else:
            course_id, number = keys
            yield "course", course_id, trained_course, issued
            yield "week", weeks[number], trained, issued


def _revoked_rows(filters: ReportFilters, units: _UnitMap):
    """Return (region id, kind, course id, revoked) rows: the certificates
    revoked in the period in the report's units, whenever they were issued."""
    start, end = filters.bounds
    return (
        Certificate.objects.filter(
            _certificate_filters(filters),
            revoked_at__gte=start,
            revoked_at__lt=end,
        )
        .filter(units.holds("region_id"))
        .order_by()
        .values("region_id", "learner_kind", "course_id")
        .annotate(n=Count("*"))
        .values_list("region_id", "learner_kind", "course_id", "n")
    )


def _enrolment_queries(filters: ReportFilters, units: _UnitMap):
    """Return the enrolment figures' queries, two functions that each return
    rows (grouping, child id or 0, kind, course id, enrolled, completed):
    grouping "unit" by child and kind, "course" by course.

    The enrolments started in the period are summed from the reports' counts
    by day (a province holds a million enrolments; its days, a hundred
    thousand rows): a current province's, without a course filter, from its
    units' days and its own days by course; any other report, from its
    units' days by course. The completed ones are counted from the index of
    completed enrolments. The two queries may run side by side."""
    days = Q(day__gte=filters.start, day__lte=filters.end)
    if filters.kind:
        days &= Q(learner_kind=filters.kind)
    province = units.unit.level == Region.Level.PROVINCE and units.unit.is_current

    def started_in_province():
        by_unit = (
            EnrolmentDay.objects.filter(days, units.holds("region_id"))
            .order_by()
            .values_list("region_id", "learner_kind")
            .annotate(n=Sum("enrolments"))
        )
        rows = [
            ("unit", units.child_of[region_id] or 0, kind, 0, n, 0)
            for region_id, kind, n in by_unit
        ]
        by_course = (
            CourseEnrolmentDay.objects.filter(days, province=units.unit)
            .order_by()
            .values_list("course_id")
            .annotate(n=Sum("enrolments"))
        )
        return rows + [("course", 0, "", course_id, n, 0) for course_id, n in by_course]

    def started():
        in_units = UnitCourseEnrolmentDay.objects.filter(days, units.holds("region_id"))
        if filters.course is not None:
            in_units = in_units.filter(course=filters.course)
        return [
            (*key, n, 0)
            for *key, n in _by_unit_and_course(in_units.order_by(), "enrolments", units)
        ]

    def completed():
        return [(*key, 0, n) for *key, n in _enrolments_completed(filters, units)]

    if province and filters.course is None:
        return [started_in_province, completed]
    return [started, completed]


def _by_unit_and_course(rows, column: str, units: _UnitMap) -> list[tuple]:
    """Sum a column of rows by the report's child unit and kind, and by course,
    in one scan: rows ("unit", child id or 0, kind, 0, n) and ("course", 0,
    "", course id, n)."""
    counted = []
    for by_unit, keys, (n,) in _grouped_two_ways(
        rows, ("region_id", "learner_kind"), ("course_id",), (column,)
    ):
        if by_unit:
            region_id, kind = keys
            counted.append(("unit", units.child_of[region_id] or 0, kind, 0, n))
        else:
            counted.append(("course", 0, "", keys[0], n))
    return counted


def _enrolments_completed(filters: ReportFilters, units: _UnitMap) -> list[tuple]:
    """Return the enrolments started in the period and completed by its end,
    counted from the enrolments themselves, as ``_by_unit_and_course`` rows."""
    start, end = filters.bounds
    qs = Enrolment.objects.filter(
        units.holds("region_id"),
        enrolled_at__gte=start,
        enrolled_at__lt=end,
        completed_at__isnull=False,
        completed_at__lt=end,
    )
    if filters.course is not None:
        qs = qs.filter(course=filters.course)
    if filters.kind:
        qs = qs.filter(learner_kind=filters.kind)
    # Every column read is in the index of completed enrolments, so PostgreSQL
    # counts from the index alone, by unit and kind and by course in one scan.
    return _by_unit_and_course(
        qs.order_by().annotate(completed=Value(1)), "completed", units
    )


def _participations(filters: ReportFilters, *, in_courses: bool = False):
    """Return the participations (``reports.models._Participation``) of the
    period and the filters, and the name of the column that says when each
    stops being its person's last. With a course filter, or ``in_courses``,
    the rows per course of the class (``CourseParticipation``), each counted
    among its person's records in that course; with a kind filter, among
    their records of that kind."""
    start, end = filters.bounds
    if filters.course is not None:
        rows = CourseParticipation.objects.filter(course=filters.course)
    elif in_courses:
        rows = CourseParticipation.objects.all()
    else:
        rows = Participation.objects.all()
    rows = rows.filter(starts_at__gte=start, starts_at__lt=end)
    if filters.kind:
        rows = rows.filter(learner_kind=filters.kind)
    return rows.order_by(), "until_kind" if filters.kind else "until"


def _last_in_period(until: str, end: datetime.datetime) -> Case:
    """1 for a participation that is its person's last of a period ending at
    ``end``: their next attended session (``until``) starts after it, or
    there is none."""
    return _flag(Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": end}))


def _participation_counts(until: str, end: datetime.datetime) -> dict:
    """Return the aggregates of a group of participations: records
    (participations, lượt) and the people whose last they are (participants,
    người)."""
    return {
        "participations": Count("*"),
        "participants": Sum(_last_in_period(until, end)),
    }


def _attendance_rows(filters: ReportFilters, units: _UnitMap):
    """Return (child id or 0, kind, participations, participants) rows: every
    attended record counts as a participation in its class's unit; a person
    counts as a participant at their last attended session of the period
    (latest start, then highest id), wherever it was: read from the
    participations, which keep when each record stops being its person's
    last, so no ranking is needed."""
    rows, until = _participations(filters)
    counted = (
        rows.filter(units.holds("region_id"))
        .values_list("region_id", "learner_kind")
        .annotate(**_participation_counts(until, filters.bounds[1]))
        .values_list("region_id", "learner_kind", "participations", "participants")
    )
    # Grouped by the class's own unit (a few thousand rows at most), folded
    # into the report's children here.
    for region_id, kind, participations, participants in counted:
        yield units.child_of[region_id] or 0, kind, participations, participants


def _attendance_course_rows(filters: ReportFilters, units: _UnitMap):
    """Return (course id, participations, participants) rows: a person counts
    once per course, at their last attended session of the period in that
    course, as in the totals."""
    rows, until = _participations(filters, in_courses=True)
    return (
        rows.filter(units.holds("region_id"))
        .values_list("course_id")
        .annotate(**_participation_counts(until, filters.bounds[1]))
        .values_list("course_id", "participations", "participants")
    )


# Targets -------------------------------------------------------------------


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


class _TargetTree:
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
    tree = _TargetTree(filters.region, filters)
    course_id = filters.course.pk if filters.course else None
    return tree.effective(filters.region.pk, filters.kind or ALL_KINDS, course_id)


# The dashboard -------------------------------------------------------------


def _unit_url(region: Region, filters: ReportFilters) -> str:
    return f"{reverse('reports:unit', args=[region.pk])}?{filters.querystring()}"


def _class_url(training_class: TrainingClass, filters: ReportFilters) -> str:
    url = reverse("reports:class", args=[training_class.pk])
    return f"{url}?{filters.querystring()}"


def _weeks(filters: ReportFilters) -> list[datetime.date]:
    monday = filters.start - datetime.timedelta(days=filters.start.weekday())
    weeks = []
    while monday <= filters.end:
        weeks.append(monday)
        monday += datetime.timedelta(days=7)
    return weeks


# How many of a report's groups of aggregations may run at once (PostgreSQL
# only; 1 runs them one after the other), and how many units a report must
# cover for it to pay: a commune's few thousand rows are counted in less time
# than other connections take to start. The settings REPORTS_PARALLEL_QUERIES
# and REPORTS_PARALLEL_MIN_UNITS override them.
PARALLEL_QUERIES = 5
PARALLEL_MIN_UNITS = 50

# The threads that run aggregations beside a request's own, kept between
# requests with their connections (which follow CONN_MAX_AGE as a request's
# do), and how many there are.
_workers: tuple[int, ThreadPoolExecutor] | None = None
_workers_lock = threading.Lock()


def _worker_pool(size: int) -> ThreadPoolExecutor:
    global _workers
    with _workers_lock:
        if _workers is None or _workers[0] != size:
            if _workers is not None:
                _workers[1].shutdown(wait=False)
            _workers = (size, ThreadPoolExecutor(size, "reports"))
        return _workers[1]


def _in_worker(call, zone, language, prefix, urlconf):
    """Run a call in a worker thread, with what the request set for its own
    thread (for the calls that build URLs or dates), on the worker's
    connection: closed before when broken or too old, and after when
    CONN_MAX_AGE keeps none, as Django does around each request."""
    close_old_connections()
    set_script_prefix(prefix)
    set_urlconf(urlconf)
    try:
        with timezone.override(zone), translation.override(language):
            return call()
    finally:
        close_old_connections()


def _side_by_side(*calls, units: _UnitMap):
    """Return the results of calls, each a function running queries for the
    report's units.

    On PostgreSQL, outside a transaction, for a report of PARALLEL_MIN_UNITS
    units or more, up to PARALLEL_QUERIES of them run at once, the first on
    this thread's connection and the others on worker threads' connections,
    so a province's dashboard waits less than for their sum (each statement
    reads committed data, as it does one after the other). Within a
    transaction, whose uncommitted rows other connections cannot see (as in
    the tests), on SQLite, or for fewer units, they run one after the other
    on this connection."""
    workers = getattr(settings, "REPORTS_PARALLEL_QUERIES", PARALLEL_QUERIES)
    min_units = getattr(settings, "REPORTS_PARALLEL_MIN_UNITS", PARALLEL_MIN_UNITS)
    if (
        workers <= 1
        or len(calls) <= 1
        or len(units.child_of) < min_units
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    ):
        return [call() for call in calls]
    request = (
        timezone.get_current_timezone(),
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
    first, *others = calls
    pool = _worker_pool(workers - 1)
    running = [pool.submit(_in_worker, call, *request) for call in others]
    # The first runs on this thread and its connection meanwhile.
    return [first(), *(future.result() for future in running)]


def _gather(filters: ReportFilters, units: _UnitMap):
    """Run the report's aggregations and return the figures by (child unit or
    None, kind), by course, the weekly trend, and for a unit without children
    its classes (``_class_rows``).

    The aggregations are independent: on PostgreSQL, for a report of many
    units, they run side by side (``_side_by_side``); each returns rows by
    unit and kind, by course or by week, a few thousand at most.
    """
    table: dict[tuple[int | None, str], Figures] = defaultdict(Figures)
    by_course: dict[int, Figures] = defaultdict(Figures)
    weeks = {week: WeekPoint(week, 0, 0, 0) for week in _weeks(filters)}
    enrolment_queries = _enrolment_queries(filters, units)
    (
        (certificates, revoked),
        attendance,
        (attendance_courses, classes),
        *enrolment_parts,
    ) = _side_by_side(
        lambda: (
            list(_certificate_rows(filters, units)),
            list(_revoked_rows(filters, units)),
        ),
        lambda: list(_attendance_rows(filters, units)),
        lambda: (
            list(_attendance_course_rows(filters, units)),
            [] if units.children else _class_rows(filters, units),
        ),
        *enrolment_queries,
        units=units,
    )
    enrolments = [row for part in enrolment_parts for row in part]

    # Certificates: people trained and issued, by (child unit, kind), by course
    # and by week (see _certificate_rows); then revocations.
    for grouping, key, trained, issued in certificates:
        if grouping == "unit":
            child, kind = key
            figures = table[(child or None, kind)]
        elif grouping == "course":
            figures = by_course[key]
        else:
            # A Monday of _weeks(filters), as the rows are counted by them.
            weeks[key].trained += trained
            weeks[key].certificates += issued
            continue
        figures.trained += trained
        figures.certificates_issued += issued
    for region_id, kind, course_id, n in revoked:
        table[(units.child_of[region_id], kind)].certificates_revoked += n
        by_course[course_id].certificates_revoked += n
    # Enrolments, by the learner's unit and kind at enrolment, and course.
    for grouping, child, kind, course_id, enrolled, completed in enrolments:
        if grouping == "unit":
            figures = table[(child or None, kind)]
        else:
            figures = by_course[course_id]
        figures.enrolled += enrolled
        figures.completed += completed
        figures.in_progress += enrolled - completed
    # Participations and participants, by the class's region.
    for child, kind, participations, participants in attendance:
        figures = table[(child or None, kind)]
        figures.participations += participations
        figures.participants += participants
    for course_id, participations, participants in attendance_courses:
        by_course[course_id].participations += participations
        by_course[course_id].participants += participants

    cumulative = 0
    for point in weeks.values():
        cumulative += point.trained
        point.trained_cumulative = cumulative
    return table, by_course, list(weeks.values()), classes


def _class_rows(filters: ReportFilters, units: _UnitMap) -> list[ClassRow]:
    """Return the classes held in the unit during the period, with their figures
    (a participant of two classes counts in each)."""
    start, end = filters.bounds
    classes = TrainingClass.objects.filter(
        units.holds("region_id"),
        starts_on__lte=filters.end,
        ends_on__gte=filters.start,
    )
    if filters.course is not None:
        classes = classes.filter(courses=filters.course)
    classes = list(classes.order_by("-starts_on", "name"))
    if not classes:
        return []
    class_ids = [c.pk for c in classes]
    rows = {c.pk: ClassRow(c, c.name, _class_url(c, filters)) for c in classes}
    members = (
        ClassMembership.objects.filter(training_class_id__in=class_ids)
        .order_by()
        .values("training_class_id")
        .annotate(n=Count("pk"))
        .values_list("training_class_id", "n")
    )
    for class_id, n in members:
        rows[class_id].members = n
    # Every record of the classes, whichever of their courses the filter names.
    attendance, _until = _participations(filters.replace(course=None))
    attendance = (
        attendance.filter(training_class_id__in=class_ids)
        .values("training_class_id")
        .annotate(participations=Count("*"), participants=Count("user", distinct=True))
    )
    for row in attendance:
        target = rows[row["training_class_id"]]
        target.participations = row["participations"]
        target.participants = row["participants"]
    certificates = (
        Certificate.objects.filter(
            _certificate_filters(filters),
            training_class_id__in=class_ids,
            issued_at__gte=start,
            issued_at__lt=end,
        )
        .order_by()
        .values("training_class_id")
        .annotate(
            issued=Count("pk"),
            trained=Count("user", distinct=True, filter=_valid_at(end)),
        )
    )
    for row in certificates:
        target = rows[row["training_class_id"]]
        target.certificates_issued = row["issued"]
        target.trained = row["trained"]
    return list(rows.values())


def sort_key(sort: str):
    """Return a key for sorting UnitRows by a column name ("-" for descending is
    applied by the caller); coverage sorts units without a target last."""
    if sort == "name":
        return lambda row: fold(row.name)
    if sort == "coverage":
        return lambda row: (
            row.figures.coverage is None,
            row.figures.coverage or 0,
            fold(row.name),
        )
    if sort == "target":
        return lambda row: (row.figures.target is None, row.figures.target or 0)
    if sort in Figures.COUNTS:
        return lambda row: getattr(row.figures, sort)
    raise ValueError(sort)


SORTS = ("name", "coverage", "target", *Figures.COUNTS)


def sort_rows(rows: list[UnitRow], sort: str = "coverage") -> list[UnitRow]:
    """Return rows sorted by a column; "-column" for descending. Units without a
    target stay last when sorting by coverage either way."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    if column not in SORTS:
        column, descending = "coverage", False
    ordered = sorted(rows, key=sort_key(column), reverse=descending)
    if column == "coverage" and descending:
        ordered.sort(key=lambda row: row.figures.coverage is None)
    return ordered


def coverage_dashboard(*, filters: ReportFilters) -> Dashboard:
    """Return the coverage figures of the filters' unit: totals, one row per child
    unit (furthest behind first), the records attached to the unit itself, the
    weekly trend, and the splits by kind and by course; for a unit without
    children, its classes. See the module docstring for every definition."""
    units = _unit_map(filters.region)
    table, course_table, trend, classes = _gather(filters, units)
    targets = _TargetTree(filters.region, filters)
    course_id = filters.course.pk if filters.course else None
    kind = filters.kind or ALL_KINDS

    totals = Figures()
    per_child: dict[int | None, Figures] = defaultdict(Figures)
    per_kind: dict[str, Figures] = defaultdict(Figures)
    for (child, learner_kind), figures in table.items():
        totals.add(figures)
        per_child[child].add(figures)
        per_kind[learner_kind].add(figures)
    totals.target = targets.effective(filters.region.pk, kind, course_id)

    children = []
    for child in units.children:
        figures = per_child.get(child.pk, Figures())
        figures.target = targets.effective(child.pk, kind, course_id)
        children.append(UnitRow(child, child.name, _unit_url(child, filters), figures))
    children = sort_rows(children)
    direct = per_child.get(None)
    if direct is not None and direct.is_empty:
        direct = None
    if not units.children and direct is not None:
        # A unit without children: everything is its own; there is no direct row.
        direct = None

    by_kind = []
    for value, label in LearnerKind.choices:
        if filters.kind and value != filters.kind:
            continue
        figures = per_kind.get(value, Figures())
        figures.target = targets.effective(filters.region.pk, value, course_id)
        by_kind.append((value, str(label), figures))

    if filters.course is not None:
        course_table.setdefault(filters.course.pk, Figures())
    courses = CoursePage.objects.filter(pk__in=list(course_table)).order_by("title")
    by_course = []
    for course in courses:
        figures = course_table[course.pk]
        figures.target = targets.effective(filters.region.pk, kind, course.pk)
        by_course.append((course, figures))

    return Dashboard(
        filters=filters,
        totals=totals,
        children=children,
        direct=direct,
        trend=trend,
        by_kind=by_kind,
        by_course=by_course,
        classes=classes,
        computed_at=timezone.now(),
    )


# A short-lived cache for the pages -----------------------------------------

# How old the figures on the dashboard page may be. Officials open the same
# province dashboard together in the weekly meeting; within this time they share
# one computation. Exports and the feed always compute afresh. The setting
# REPORTS_CACHE_SECONDS overrides it; 0 turns the cache off (to time a cold page).
CACHE_SECONDS = 60
_VERSION_KEY = "reports:version"


def figures_changed(**_kwargs) -> None:
    """Make every cached dashboard stale (connected to the saves and deletes of
    the rows the reports count; writes that send no signal, such as bulk
    inserts, show within CACHE_SECONDS)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def cached_coverage_dashboard(*, filters: ReportFilters) -> Dashboard:
    """Return ``coverage_dashboard(filters=filters)``, computed at most
    CACHE_SECONDS ago and after the last counted row saved through the ORM."""
    seconds = getattr(settings, "REPORTS_CACHE_SECONDS", CACHE_SECONDS)
    if not seconds:
        return coverage_dashboard(filters=filters)
    version = cache.get(_VERSION_KEY, 0)
    key = (
        "reports:dashboard:"
        + hashlib.sha256(
            "|".join(
                str(part)
                for part in (
                    version,
                    translation.get_language(),
                    filters.region.pk,
                    filters.start,
                    filters.end,
                    filters.course.pk if filters.course else "",
                    filters.kind or "",
                )
            ).encode()
        ).hexdigest()
    )
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = coverage_dashboard(filters=filters)
        cache.set(key, dashboard, seconds)
    return dashboard


# A class and its learners --------------------------------------------------


@dataclass
class LearnerRow:
    user: object
    attended: int  # sessions attended (present or late) in the period
    certificate: Certificate | None  # the latest certificate in the class's courses
    certificate_status: str = ""


def class_learners(*, training_class: TrainingClass, filters: ReportFilters, viewer):
    """Return the class's learners the viewer may see (``classes.scopes``), with the
    sessions each attended in the period and their latest certificate in the
    class's courses (any status), in roll order; an empty list for a viewer who
    may not see learners."""
    from users.names import roll_order_key

    visible = learners_visible_to(viewer)
    members = list(
        ClassMembership.objects.filter(
            training_class=training_class, user__in=visible
        ).select_related("user")
    )
    if not members:
        return []
    user_ids = [m.user_id for m in members]
    start, end = filters.bounds
    attended = dict(
        Attendance.objects.filter(
            session__training_class=training_class,
            status__in=ATTENDED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            user_id__in=user_ids,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    certificates = Certificate.objects.filter(
        user_id__in=user_ids,
        course__in=training_class.courses.all(),
        issued_at__lt=end,
    )
    if filters.course is not None:
        certificates = certificates.filter(course=filters.course)
    latest: dict[int, Certificate] = {}
    for certificate in certificates.select_related("course").order_by("issued_at"):
        latest[certificate.user_id] = certificate
    rows = []
    for member in members:
        certificate = latest.get(member.user_id)
        rows.append(
            LearnerRow(
                user=member.user,
                attended=attended.get(member.user_id, 0),
                certificate=certificate,
                certificate_status=certificate.status_at(end) if certificate else "",
            )
        )
    rows.sort(key=lambda row: roll_order_key(row.user.full_name))
    return rows
