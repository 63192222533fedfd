"""Writes of the reports app: its own targets, and the counts it keeps of other
apps' records (certificate spans, enrolments by day, participations); never
other apps' data."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Aggregate, Count, F, Sum, Value, Window
from django.db.models.functions import Lead, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from classes.models import ATTENDED, Attendance
from courses.models import CoursePage, Enrolment
from regions.models import Region
from users import scopes
from users.models import User

from . import spans
from .models import (
    CertificateSpan,
    CourseEnrolmentDay,
    CourseParticipation,
    EnrolmentDay,
    Participation,
    Target,
    UnitCourseEnrolmentDay,
)


def can_set_target(user, region: Region) -> bool:
    """Return whether the user may set targets for the unit: one they answer for
    (users.scopes.can_act_for_region). Only current units have targets."""
    return region.is_current and scopes.can_act_for_region(user, region)


@transaction.atomic
def target_set(
    *,
    region: Region,
    kind: str,
    course: CoursePage | None,
    due_on: datetime.date,
    people: int,
    set_by=None,
) -> Target:
    """Set the unit's target for (kind, course, due date), replacing the number of
    one already set for the same four; with ``set_by``, check they may."""
    if set_by is not None and not can_set_target(set_by, region):
        raise PermissionDenied
    if not region.is_current:
        raise ValidationError(_("Targets are set for current units only."))
    if people < 0:
        raise ValidationError(_("The number of people cannot be negative."))
    target, _created = Target.objects.update_or_create(
        region=region,
        kind=kind,
        course=course,
        due_on=due_on,
        defaults={"people": people, "set_by": set_by},
    )
    return target


def target_delete(*, target: Target, deleted_by=None) -> None:
    """Delete a target; with ``deleted_by``, check they may."""
    if deleted_by is not None and not can_set_target(deleted_by, target.region):
        raise PermissionDenied
    target.delete()


# Certificate spans: the reports' own derived table (reports.spans) -----------

_SPAN_BATCH = 5000


def _span_rows(certificates) -> list[CertificateSpan]:
    """Return the span rows of whole people's certificates (Certificate rows,
    every certificate of each person present)."""
    by_person = defaultdict(list)
    for certificate in certificates:
        by_person[certificate.user_id].append(certificate)
    rows = []
    for user_id, held in by_person.items():
        snapshot = {c.pk: c for c in held}
        for span in spans.spans_of(
            spans.Held(
                c.pk,
                c.issued_at,
                c.revoked_at,
                c.expires_at,
                c.course_id,
                c.learner_kind,
            )
            for c in held
        ):
            certificate = snapshot[span.certificate_id]
            rows.append(
                CertificateSpan(
                    certificate_id=certificate.pk,
                    user_id=user_id,
                    issued_at=certificate.issued_at,
                    region_id=certificate.region_id,
                    learner_kind=certificate.learner_kind,
                    course_id=certificate.course_id,
                    after=span.after,
                    before=span.before,
                    first=span.first,
                    **{f"for_{scope}": scope in span.scopes for scope in spans.SCOPES},
                )
            )
    return rows


# The certificate fields a span depends on.
_SPAN_SOURCE = (
    "user",
    "issued_at",
    "revoked_at",
    "expires_at",
    "course",
    "learner_kind",
    "region",
)


def _may_change(update_fields, fields) -> bool:
    """Return whether a save (its update_fields; None saves every field) may
    change any of these fields."""
    return update_fields is None or bool(set(update_fields) & set(fields))


def _lock_people(user_ids) -> list[int]:
    """Lock these people's rows until the transaction ends and return their
    ids, sorted. Two writes for one person at once (two certificates issued
    together, two marks) take turns here, so the later one recomputes what
    the reports keep of them with the other's row."""
    user_ids = sorted(set(user_ids))
    list(
        User.objects.select_for_update()
        .filter(pk__in=user_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return user_ids


@transaction.atomic
def certificate_spans_refresh(*, user_ids) -> None:
    """Recompute the spans of these people's certificates: called in the
    transaction that issues, revokes or deletes one of them, so the reports
    never count from stale spans."""
    user_ids = _lock_people(user_ids)
    CertificateSpan.objects.filter(user_id__in=user_ids).delete()
    certificates = Certificate.objects.filter(user_id__in=user_ids).only(*_SPAN_SOURCE)
    CertificateSpan.objects.bulk_create(_span_rows(certificates))


@transaction.atomic
def certificate_spans_rebuild() -> int:
    """Recompute every certificate's spans from the certificates; return the
    number of rows. For data written without the ORM's signals (bulk loads)."""
    CertificateSpan.objects.all().delete()
    certificates = (
        Certificate.objects.only(*_SPAN_SOURCE).order_by("user_id").iterator(10000)
    )
    written = 0
    batch: list[Certificate] = []
    # Whole people at a time: a person's spans depend on all their certificates.
    for _user_id, held in itertools.groupby(certificates, key=attrgetter("user_id")):
        batch += held
        if len(batch) >= _SPAN_BATCH:
            written += len(CertificateSpan.objects.bulk_create(_span_rows(batch), 2000))
            batch = []
    written += len(CertificateSpan.objects.bulk_create(_span_rows(batch), 2000))
    return written


def certificate_changed(*, instance, update_fields=None, **_kwargs) -> None:
    """Keep the person's spans (connected to the certificates' saves and
    deletes; runs in the transaction of the write). A save of other fields
    only (the stored PDF) changes no span."""
    if not _may_change(update_fields, _SPAN_SOURCE):
        return
    certificate_spans_refresh(user_ids=[instance.user_id])


def _insert_from(table, rows, columns: dict) -> int:
    """Insert into a table the rows of a query in one statement (INSERT ...
    SELECT), and return how many: ``columns`` maps the table's columns, in
    order, to expressions over the query's model; aggregates come last and
    group by the others."""
    aliases = {f"c{number}": value for number, value in enumerate(columns.values())}
    totals = {a: v for a, v in aliases.items() if isinstance(v, Aggregate)}
    plain = {a: v for a, v in aliases.items() if a not in totals}
    # Aliases, since a column's own name may clash with the query model's.
    select = rows.order_by().values(**plain).annotate(**totals)
    select_sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table._meta.db_table)} ({names}) {select_sql}", params
        )
        return cursor.rowcount


# Enrolments by day: the reports' own counts (EnrolmentDay, CourseEnrolmentDay) --

# Days are local dates in the site's time zone (settings.TIME_ZONE), as the
# reports' periods are; after changing it, run rebuild_report_counts.
_ZONE = timezone.get_default_timezone


def _provinces_of(region_ids) -> dict[int, int]:
    """Return region id -> the id of the current province its records count in
    (through ``Region.rollup_target``), for the regions that have one."""
    roots = {
        region.pk: region.rollup_target().path.split(".")[0]
        for region in Region.objects.filter(pk__in=set(region_ids)).select_related(
            "replaced_by"
        )
    }
    provinces = dict(
        Region.objects.current()
        .filter(path__in=set(roots.values()))
        .values_list("path", "pk")
    )
    return {pk: provinces[root] for pk, root in roots.items() if root in provinces}


# The tables of enrolments by day and the columns of their keys.
_DAY_TABLES = (
    (EnrolmentDay, ("region_id", "learner_kind", "day")),
    (CourseEnrolmentDay, ("province_id", "course_id", "learner_kind", "day")),
    (UnitCourseEnrolmentDay, ("region_id", "course_id", "learner_kind", "day")),
)


def _days(rows) -> list[dict[tuple, int]]:
    """Sum rows of (region id, course id, kind, day, n) into the keys of each
    of _DAY_TABLES."""
    rows = list(rows)
    provinces = _provinces_of({row[0] for row in rows})
    by_unit: dict[tuple, int] = defaultdict(int)
    by_course: dict[tuple, int] = defaultdict(int)
    by_unit_course: dict[tuple, int] = defaultdict(int)
    for region_id, course_id, kind, day, n in rows:
        by_unit[(region_id, kind, day)] += n
        by_unit_course[(region_id, course_id, kind, day)] += n
        if region_id in provinces:
            by_course[(provinces[region_id], course_id, kind, day)] += n
    return [by_unit, by_course, by_unit_course]


def _add(table, key_columns: tuple[str, ...], counts: dict[tuple, int]) -> None:
    """Add counts to a table's rows by key, creating the rows that are missing
    (one statement per key, safe against a concurrent writer of the same row)."""
    name = connection.ops.quote_name(table._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in key_columns)
    marks = ", ".join(["%s"] * (len(key_columns) + 1))
    sql = (
        f"INSERT INTO {name} ({columns}, enrolments) VALUES ({marks}) "
        f"ON CONFLICT ({columns}) DO UPDATE "
        f"SET enrolments = {name}.enrolments + EXCLUDED.enrolments"
    )
    with connection.cursor() as cursor:
        for key, n in counts.items():
            if n:
                cursor.execute(sql, [*key, n])


@transaction.atomic
def enrolment_counts_add(*, enrolments, sign: int = 1) -> None:
    """Count enrolments just created (sign 1) or deleted (sign -1) into the
    reports' enrolments by day, in the transaction of the write."""
    counts = _days(
        (
            e.region_id,
            e.course_id,
            e.learner_kind,
            timezone.localdate(e.enrolled_at, _ZONE()),
            sign,
        )
        for e in enrolments
        if e.region_id is not None
    )
    for (table, key_columns), by_key in zip(_DAY_TABLES, counts, strict=True):
        _add(table, key_columns, by_key)


@transaction.atomic
def enrolment_counts_rebuild() -> int:
    """Recount the enrolments by day from the enrolments; return the rows.
    Each table is filled by one statement per province at most, in the
    database: the days by unit and course from the enrolments, the others
    from those."""
    for table, _key in _DAY_TABLES:
        table.objects.all().delete()
    key = {"course_id": F("course_id"), "learner_kind": F("learner_kind")}
    written = _insert_from(
        UnitCourseEnrolmentDay,
        Enrolment.objects.filter(region__isnull=False),
        {
            "region_id": F("region_id"),
            **key,
            "day": TruncDate("enrolled_at", tzinfo=_ZONE()),
            "enrolments": Count("*"),
        },
    )
    by_unit_course = UnitCourseEnrolmentDay.objects.all()
    written += _insert_from(
        EnrolmentDay,
        by_unit_course,
        {
            "region_id": F("region_id"),
            "learner_kind": F("learner_kind"),
            "day": F("day"),
            "enrolments": Sum("enrolments"),
        },
    )
    regions_of = defaultdict(list)
    provinces = _provinces_of(
        by_unit_course.values_list("region_id", flat=True).distinct()
    )
    for region_id, province_id in provinces.items():
        regions_of[province_id].append(region_id)
    for province_id, region_ids in regions_of.items():
        written += _insert_from(
            CourseEnrolmentDay,
            by_unit_course.filter(region_id__in=region_ids),
            {
                "province_id": Value(province_id),
                **key,
                "day": F("day"),
                "enrolments": Sum("enrolments"),
            },
        )
    return written


def enrolment_created(*, instance, created=False, **_kwargs) -> None:
    """Count a new enrolment (connected to the enrolments' post_save)."""
    if created:
        enrolment_counts_add(enrolments=[instance])


def enrolment_deleted(*, instance, **_kwargs) -> None:
    enrolment_counts_add(enrolments=[instance], sign=-1)


def enrolments_bulk_created(*, enrolments, **_kwargs) -> None:
    """Count enrolments made in bulk (``courses.signals.enrolments_created``)."""
    enrolment_counts_add(enrolments=enrolments)


# Participations: the reports' own copy of attended records -----------------


def _insert_participations(table, course: bool, user_ids=None) -> int:
    """Insert the rows of a participation table (``models._Participation``)
    for every attended record, or those of some people, computed in one
    statement: each record's ``until`` is the start of the next of its
    person's attended records in order of start, then id (of the same course,
    for the course table), and ``until_kind`` likewise among those of the same
    kind of learner. Return the number of rows."""
    records = Attendance.objects.filter(status__in=ATTENDED)
    if user_ids is not None:
        records = records.filter(user_id__in=user_ids)
    scope = [F("user_id")]
    columns = {"attendance_id": F("pk")}
    if course:
        course_id = F("session__training_class__courses")
        records = records.filter(session__training_class__courses__isnull=False)
        scope.append(course_id)
        columns["course_id"] = course_id
    in_order = [F("session__starts_at").asc(), F("pk").asc()]

    def next_start(partition):
        return Window(
            Lead("session__starts_at"), partition_by=partition, order_by=in_order
        )

    columns |= {
        "user_id": F("user_id"),
        "training_class_id": F("session__training_class_id"),
        "region_id": F("session__training_class__region_id"),
        "learner_kind": F("learner_kind"),
        "starts_at": F("session__starts_at"),
        "until": next_start(scope),
        "until_kind": next_start([*scope, F("learner_kind")]),
    }
    return _insert_from(table, records, columns)


@transaction.atomic
def participations_refresh(*, user_ids) -> None:
    """Recompute these people's participations: called in the transaction that
    marks, changes or deletes their attendance or moves a session they
    attended, so the reports never count from stale rows."""
    user_ids = _lock_people(user_ids)
    if not user_ids:
        return
    for table, course in ((Participation, False), (CourseParticipation, True)):
        table.objects.filter(user_id__in=user_ids).delete()
        _insert_participations(table, course, user_ids)


@transaction.atomic
def participations_rebuild() -> int:
    """Recompute every participation from the attendance; return the rows."""
    written = 0
    for table, course in ((Participation, False), (CourseParticipation, True)):
        table.objects.all().delete()
        written += _insert_participations(table, course)
    return written


# The attendance fields participations depend on.
_PARTICIPATION_SOURCE = {"session", "user", "status", "learner_kind"}


def attendance_changed(*, instance, update_fields=None, **_kwargs) -> None:
    """Keep the person's participations (connected to the attendance's saves
    and deletes)."""
    if not _may_change(update_fields, _PARTICIPATION_SOURCE):
        return
    participations_refresh(user_ids=[instance.user_id])


def session_changed(*, instance, created=False, **_kwargs) -> None:
    """Recompute the participations of a session moved in time or to another
    class (connected to the sessions' saves)."""
    if created:
        return
    moved = Participation.objects.filter(attendance__session=instance).exclude(
        starts_at=instance.starts_at, training_class_id=instance.training_class_id
    )
    participations_refresh(user_ids=moved.values_list("user_id", flat=True))


def class_changed(*, instance, created=False, **_kwargs) -> None:
    """Follow a class moved to another unit (connected to the classes' saves)."""
    if created:
        return
    for table in (Participation, CourseParticipation):
        table.objects.filter(training_class=instance).exclude(
            region_id=instance.region_id
        ).update(region_id=instance.region_id)


def class_courses_changed(*, instance, action, reverse, pk_set=None, **_kwargs) -> None:
    """Recompute the participations of the people who attended classes whose
    courses changed (connected to ``TrainingClass.courses``' m2m_changed)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        attended = Participation.objects.filter(training_class=instance)
    elif pk_set is not None:
        attended = Participation.objects.filter(training_class_id__in=pk_set)
    else:
        # A course taken off all its classes: its own rows name the people.
        attended = CourseParticipation.objects.filter(course=instance)
    participations_refresh(user_ids=attended.values_list("user_id", flat=True))


def report_counts_rebuild() -> dict[str, int]:
    """Rebuild every count the reports keep: certificate spans, enrolments by
    day, participations. For data written without the ORM's signals (bulk
    loads)."""
    return {
        "certificate spans": certificate_spans_rebuild(),
        "enrolment days": enrolment_counts_rebuild(),
        "participations": participations_rebuild(),
    }
