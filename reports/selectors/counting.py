"""The aggregations a coverage report runs: each reads one table (the kept
certificate spans, enrolments by day, participations; certificates for the
revocations) once, grouped by the unit and kind a record counts in."""

from __future__ import annotations

import datetime

from django.db import connections
from django.db.models import (
    Case,
    Count,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment
from regions.models import Region

from ..models import (
    CertificateSpan,
    CourseEnrolmentDay,
    CourseParticipation,
    EnrolmentDay,
    Participation,
    UnitCourseEnrolmentDay,
)
from .filters import ReportFilters, period_weeks
from .units import UnitMap


def valid_at(moment: datetime.datetime) -> Q:
    """Return a condition: the certificate was neither revoked nor expired at
    moment (compare ``Certificate.status_at``)."""
    return (Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment)) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=moment)
    )


def certificate_filters(filters: ReportFilters) -> Q:
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
    # The database the query's reads go to (the replica, core.db, for a report).
    connection = connections[rows.db]
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


def certificate_rows(filters: ReportFilters, units: UnitMap):
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
    counted apart (``revoked_rows``).
    """
    start, end = filters.bounds
    tz = timezone.get_current_timezone()
    person_scope, course_scope = _span_scopes(filters)

    def holds_end(scope: str) -> Q:
        return Q(**{scope: True}, after__lt=end) & (
            Q(before__isnull=True) | Q(before__gt=end)
        )

    period = CertificateSpan.objects.filter(
        certificate_filters(filters),
        units.holds("region_id"),
        issued_at__gte=start,
        issued_at__lt=end,
    ).order_by()
    # The week found by comparing with the weeks' bounds, cheaper than
    # converting every time to local time.
    weeks = period_weeks(filters)
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


def revoked_rows(filters: ReportFilters, units: UnitMap):
    """Return (region id, kind, course id, revoked) rows: the certificates
    revoked in the period in the report's units, whenever they were issued."""
    start, end = filters.bounds
    return (
        Certificate.objects.filter(
            certificate_filters(filters),
            revoked_at__gte=start,
            revoked_at__lt=end,
        )
        .filter(units.holds("region_id"))
        .order_by()
        .values("region_id", "learner_kind", "course_id")
        .annotate(n=Count("*"))
        .values_list("region_id", "learner_kind", "course_id", "n")
    )


def enrolment_querysets(filters: ReportFilters, units: UnitMap):
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


def _by_unit_and_course(rows, column: str, units: UnitMap) -> list[tuple]:
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


def _enrolments_completed(filters: ReportFilters, units: UnitMap) -> list[tuple]:
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


def participations_in(filters: ReportFilters, *, in_courses: bool = False):
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


def attendance_rows(filters: ReportFilters, units: UnitMap):
    """Return (child id or 0, kind, participations, participants) rows: every
    attended record counts as a participation in its class's unit; a person
    counts as a participant at their last attended session of the period
    (latest start, then highest id), wherever it was: read from the
    participations, which keep when each record stops being its person's
    last, so no ranking is needed."""
    rows, until = participations_in(filters)
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


def attendance_course_rows(filters: ReportFilters, units: UnitMap):
    """Return (course id, participations, participants) rows: a person counts
    once per course, at their last attended session of the period in that
    course, as in the totals."""
    rows, until = participations_in(filters, in_courses=True)
    return (
        rows.filter(units.holds("region_id"))
        .values_list("course_id")
        .annotate(**_participation_counts(until, filters.bounds[1]))
        .values_list("course_id", "participations", "participants")
    )
