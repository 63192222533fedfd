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

from collections import defaultdict

from django.db.models import (
    Count,
)
from django.urls import (
    reverse,
)
from django.utils import timezone

from certificates.models import Certificate
from classes.models import ClassMembership, TrainingClass
from core.text import fold
from courses.models import CoursePage
from regions.models import Region
from users.models import LearnerKind

from ..models import ALL_KINDS
from .counting import (
    attendance_course_rows,
    attendance_rows,
    certificate_filters,
    certificate_rows,
    enrolment_querysets,
    participations_in,
    revoked_rows,
    valid_at,
)
from .filters import (
    ClassRow,
    Dashboard,
    Figures,
    ReportFilters,
    UnitRow,
    WeekPoint,
    period_weeks,
)
from .parallel import side_by_side
from .targets import TargetTree
from .units import UnitMap, unit_map


def _unit_url(region: Region, filters: ReportFilters) -> str:
    return f"{reverse('reports:unit', args=[region.pk])}?{filters.querystring()}"


def _class_url(training_class: TrainingClass, filters: ReportFilters) -> str:
    url = reverse("reports:class", args=[training_class.pk])
    return f"{url}?{filters.querystring()}"


def _gather(filters: ReportFilters, units: UnitMap):
    """Run the report's aggregations and return the figures by (child unit or
    None, kind), by course, the weekly trend, and for a unit without children
    its classes (``_class_rows``).

    The aggregations are independent: on PostgreSQL, for a report of many
    units, they run side by side (``side_by_side``); each returns rows by
    unit and kind, by course or by week, a few thousand at most.
    """
    table: dict[tuple[int | None, str], Figures] = defaultdict(Figures)
    by_course: dict[int, Figures] = defaultdict(Figures)
    weeks = {week: WeekPoint(week, 0, 0, 0) for week in period_weeks(filters)}
    enrolment_queries = enrolment_querysets(filters, units)
    (
        (certificates, revoked),
        attendance,
        (attendance_courses, classes),
        *enrolment_parts,
    ) = side_by_side(
        lambda: (
            list(certificate_rows(filters, units)),
            list(revoked_rows(filters, units)),
        ),
        lambda: list(attendance_rows(filters, units)),
        lambda: (
            list(attendance_course_rows(filters, units)),
            [] if units.children else _class_rows(filters, units),
        ),
        *enrolment_queries,
        units=units,
    )
    enrolments = [row for part in enrolment_parts for row in part]

    # Certificates: people trained and issued, by (child unit, kind), by course
    # and by week (see certificate_rows); then revocations.
    for grouping, key, trained, issued in certificates:
        if grouping == "unit":
            child, kind = key
            figures = table[(child or None, kind)]
        elif grouping == "course":
            figures = by_course[key]
        else:
            # A Monday of period_weeks(filters), as the rows are counted by them.
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


def _class_rows(filters: ReportFilters, units: UnitMap) -> list[ClassRow]:
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
    attendance, _until = participations_in(filters.replace(course=None))
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
            certificate_filters(filters),
            training_class_id__in=class_ids,
            issued_at__gte=start,
            issued_at__lt=end,
        )
        .order_by()
        .values("training_class_id")
        .annotate(
            issued=Count("pk"),
            trained=Count("user", distinct=True, filter=valid_at(end)),
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
    units = unit_map(filters.region)
    table, course_table, trend, classes = _gather(filters, units)
    targets = TargetTree(filters.region, filters)
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
