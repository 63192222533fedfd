"""The counts the reports keep of other apps' records: certificate spans
(reports.spans) and enrolments by day. The spans are checked against the
definition itself, moment by moment; the kept rows against a rebuild from
scratch after the writes the product makes."""

import datetime
import random

import pytest

from certificates.services import certificate_revoke
from certificates.tests.factories import CertificateFactory
from classes.models import ATTENDED, Attendance
from classes.services import session_attendance_mark
from classes.tests.factories import TrainingClassFactory
from courses.models import Enrolment
from courses.services import enrolment_create, enrolments_create_many
from courses.tests.factories import CoursePageFactory
from regions.tests.factories import CommuneFactory, ProvinceFactory
from reports.models import (
    CertificateSpan,
    CourseEnrolmentDay,
    CourseParticipation,
    EnrolmentDay,
    Participation,
    UnitCourseEnrolmentDay,
)
from reports.selectors.counting import _last_in_period, participations_in
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import ReportFilters
from reports.services import (
    certificate_spans_rebuild,
    enrolment_counts_rebuild,
    participations_rebuild,
)
from reports.spans import SCOPES, Held, spans_of
from users.tests.factories import UserFactory

from .factories import at

T0 = datetime.datetime(2026, 9, 1, 8, tzinfo=datetime.UTC)
US = datetime.timedelta(microseconds=1)


def day(n: int) -> datetime.datetime:
    return T0 + datetime.timedelta(days=n)


def held(pk, issued, *, course=1, kind="citizen", revoked=None, expires=None):
    return Held(
        pk,
        day(issued),
        None if revoked is None else day(revoked),
        None if expires is None else day(expires),
        course,
        kind,
    )


def rows(certificates):
    return [
        (s.certificate_id, s.after, s.before, set(s.scopes), s.first)
        for s in spans_of(certificates)
    ]


def test_a_lone_certificate_counts_from_its_issue_on():
    assert rows([held(1, 0)]) == [(1, day(0), None, set(SCOPES), True)]


def test_a_later_certificate_of_the_course_takes_over():
    """The first counts at period ends up to and including the moment the
    second is issued (a period ending then does not hold the second yet)."""
    assert rows([held(1, 0), held(2, 5)]) == [
        (1, day(0), day(5) + US, set(SCOPES), True),
        (2, day(5), None, set(SCOPES), True),
    ]


def test_another_course_takes_over_the_person_only():
    assert rows([held(1, 0, course=1), held(2, 5, course=2)]) == [
        (1, day(0), day(5) + US, set(SCOPES), True),
        (1, day(5), None, {"course", "course_kind"}, False),
        (2, day(5), None, set(SCOPES), True),
    ]


def test_a_revoked_later_certificate_hands_back():
    """Revoked at day 9, the later one stops counting before then, and the
    earlier one counts again from that moment on."""
    assert rows([held(1, 0), held(2, 5, revoked=9)]) == [
        (1, day(0), day(5) + US, set(SCOPES), True),
        (1, day(9) - US, None, set(SCOPES), False),
        (2, day(5), day(9), set(SCOPES), True),
    ]


def test_a_certificate_revoked_as_issued_never_counts_but_is_issued():
    [(pk, after, before, scopes, first)] = rows([held(1, 3, revoked=3)])
    assert (pk, scopes, first) == (1, set(), True)
    assert not after < day(3) < before


def counting_by_definition(certificates, moment, scope):
    """The certificate counting at moment, per partition of the scope: the
    latest (issued_at, id) of those live at moment."""

    def key(c):
        return {
            "person": (),
            "course": (c.course_id,),
            "kind": (c.learner_kind,),
            "course_kind": (c.course_id, c.learner_kind),
        }[scope]

    latest = {}
    for c in sorted(certificates, key=lambda c: (c.issued_at, c.pk)):
        ends = [m for m in (c.revoked_at, c.expires_at) if m is not None]
        if c.issued_at < moment and all(moment < m for m in ends):
            latest[key(c)] = c.pk
    return set(latest.values())


def test_spans_agree_with_the_definition_at_every_moment():
    """Random people on a coarse grid of days, so that issues, revocations and
    expiries often fall at the same moment as a period's end; every moment
    on, just before and just after the grid is checked."""
    rng = random.Random(7)
    for person in range(300):
        certificates = []
        for pk in range(rng.randint(1, 5)):
            issued = rng.randint(0, 8)
            revoked = rng.choice([None, None, issued + rng.randint(0, 4)])
            expires = rng.choice([None, None, issued + rng.randint(0, 6)])
            certificates.append(
                held(
                    pk + 1,
                    issued,
                    course=rng.randint(1, 2),
                    kind=rng.choice(["citizen", "student"]),
                    revoked=revoked,
                    expires=expires,
                )
            )
        spans = list(spans_of(certificates))
        assert sorted(s.certificate_id for s in spans if s.first) == [
            c.pk for c in certificates
        ]
        for n in range(-1, 16):
            for moment in (day(n) - US, day(n), day(n) + US):
                for scope in SCOPES:
                    counting = {
                        s.certificate_id
                        for s in spans
                        if scope in s.scopes
                        and s.after < moment
                        and (s.before is None or moment < s.before)
                    }
                    expected = counting_by_definition(certificates, moment, scope)
                    assert counting == expected, (person, moment, scope)


# Kept in the writes' own transaction ---------------------------------------


def span_table():
    """Every span row, every column but the id, in a fixed order."""
    columns = [
        f.attname for f in CertificateSpan._meta.concrete_fields if not f.primary_key
    ]
    return sorted(CertificateSpan.objects.values_list(*columns), key=repr)


@pytest.mark.django_db
def test_issuing_and_revoking_keep_the_spans_as_a_rebuild_makes_them():
    person = UserFactory()
    course = CoursePageFactory()
    first = CertificateFactory(user=person, course=course, issued_at=at("2026-09-02"))
    second = CertificateFactory(user=person, course=course, issued_at=at("2026-09-09"))
    CertificateFactory(user=person, issued_at=at("2026-09-10"))
    certificate_revoke(certificate=second, by=UserFactory(), reason="Nhầm người")
    kept = span_table()

    certificate_spans_rebuild()

    assert kept == span_table()
    assert {row[0] for row in kept} >= {first.pk, second.pk}
    # The PDF stored later changes nothing the spans hold, and writes none.
    second.save(update_fields=["printed"])
    assert kept == span_table()


def day_tables():
    return (
        sorted(
            EnrolmentDay.objects.filter(enrolments__gt=0).values_list(
                "region_id", "learner_kind", "day", "enrolments"
            )
        ),
        sorted(
            CourseEnrolmentDay.objects.filter(enrolments__gt=0).values_list(
                "province_id", "course_id", "learner_kind", "day", "enrolments"
            )
        ),
        sorted(
            UnitCourseEnrolmentDay.objects.filter(enrolments__gt=0).values_list(
                "region_id", "course_id", "learner_kind", "day", "enrolments"
            )
        ),
    )


@pytest.mark.django_db
def test_enrolling_keeps_the_days_as_a_rebuild_makes_them():
    province = ProvinceFactory()
    communes = [CommuneFactory(parent=province) for _ in range(2)]
    courses = [CoursePageFactory(), CoursePageFactory()]
    people = [
        UserFactory(home_region=communes[n % 2], kind=("citizen", "student")[n % 3 % 2])
        for n in range(6)
    ]
    for person in people[:3]:
        enrolment_create(user=person, course=courses[0])
    enrolments_create_many(users=people, courses=courses)
    Enrolment.objects.filter(user=people[0], course=courses[1]).delete()
    kept = day_tables()

    enrolment_counts_rebuild()

    assert kept == day_tables()
    assert sum(row[-1] for row in kept[0]) == 11
    assert sum(row[-1] for row in kept[1]) == 11
    assert sum(row[-1] for row in kept[2]) == 11


@pytest.mark.django_db
def test_attendance_counts_in_the_kind_the_person_had_when_marked():
    klass = TrainingClassFactory()
    session = klass.sessions.create(
        title="Buổi 1", starts_at=at("2026-09-05", 8), ends_at=at("2026-09-05", 10)
    )
    person = UserFactory(kind="student", home_region=klass.region)
    klass.memberships.create(user=person, source="teacher")
    session_attendance_mark(session=session, user=person, status="present", actor=None)
    person.kind = "citizen"
    person.save()

    board = coverage_dashboard(
        filters=ReportFilters(
            region=klass.region,
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 9, 30),
        )
    )

    by_kind = {kind: figures for kind, _label, figures in board.by_kind}
    assert by_kind["student"].participations == 1
    assert by_kind["citizen"].participations == 0


# Participations ------------------------------------------------------------


PARTICIPATION_COLUMNS = (
    "attendance_id",
    "user_id",
    "training_class_id",
    "region_id",
    "learner_kind",
    "starts_at",
    "until",
    "until_kind",
)


def participation_tables():
    """Every participation row, every column (the course last), in a fixed
    order."""
    return [
        sorted(table.objects.values_list(*columns), key=repr)
        for table, columns in (
            (Participation, PARTICIPATION_COLUMNS),
            (CourseParticipation, (*PARTICIPATION_COLUMNS, "course_id")),
        )
    ]


def assert_kept_as_rebuilt():
    kept = participation_tables()
    participations_rebuild()
    assert participation_tables() == kept
    return kept


def last_by_definition(records, start, end, *, course=None, kind=None):
    """The attendance ids that count their person as a participant of the
    period: each person's latest (starts_at, id) attended record in it, among
    those of the course's classes and the kind, when given."""
    latest = {}
    for record in sorted(records, key=lambda a: (a.session.starts_at, a.pk)):
        if record.status not in ATTENDED:
            continue
        if not start <= record.session.starts_at < end:
            continue
        if course is not None and course not in record.courses:
            continue
        if kind is not None and record.learner_kind != kind:
            continue
        latest[record.user_id] = record.pk
    return set(latest.values())


@pytest.mark.django_db
def test_participations_agree_with_the_definition_for_every_period():
    """People at sessions on a coarse grid of days, some at the same time, some
    at midnight, so starts often fall on a period's bounds or tie; every
    period between grid days is checked, for every scope."""
    rng = random.Random(11)
    province = ProvinceFactory()
    communes = [CommuneFactory(parent=province) for _ in range(2)]
    courses = [CoursePageFactory(), CoursePageFactory()]
    classes = [
        TrainingClassFactory(region=communes[0], courses=courses[:1]),
        TrainingClassFactory(region=communes[1], courses=courses),
        TrainingClassFactory(region=communes[1], courses=courses[1:]),
    ]
    sessions = [
        klass.sessions.create(
            starts_at=at(f"2026-09-{day_number:02d}", hour),
            ends_at=at(f"2026-09-{day_number:02d}", hour) + datetime.timedelta(hours=1),
        )
        for klass in classes
        for day_number in (1, 2, 3, 5, 8)
        for hour in (0, 9)
        if rng.random() < 0.7
    ]
    people = [UserFactory() for _ in range(25)]
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            user=person,
            status=rng.choice(["present", "late", "absent", "excused"]),
            learner_kind=rng.choice(["citizen", "student"]),
            source="teacher",
        )
        for session in sessions
        for person in rng.sample(people, 8)
    )
    participations_rebuild()
    records = list(Attendance.objects.select_related("session"))
    class_courses = {klass.pk: {c.pk for c in klass.courses.all()} for klass in classes}
    for record in records:
        record.courses = class_courses[record.session.training_class_id]

    days = [datetime.date(2026, 8, 31)] + [
        datetime.date(2026, 9, n) for n in range(1, 10)
    ]
    for first in days:
        for last in (d for d in days if d >= first):
            for course in (None, *courses):
                for kind in (None, "citizen", "student"):
                    filters = ReportFilters(
                        region=province, start=first, end=last, course=course, kind=kind
                    )
                    rows, until = participations_in(filters)
                    start, end = filters.bounds
                    kept = set(
                        rows.annotate(last=_last_in_period(until, end))
                        .filter(last=1)
                        .values_list("attendance_id", flat=True)
                    )
                    expected = last_by_definition(
                        records,
                        start,
                        end,
                        course=course and course.pk,
                        kind=kind,
                    )
                    assert kept == expected, (first, last, course, kind)


@pytest.mark.django_db
def test_attendance_writes_keep_the_participations_as_a_rebuild_makes_them():
    courses = [CoursePageFactory(), CoursePageFactory()]
    klass = TrainingClassFactory(courses=courses[:1])
    other = TrainingClassFactory(courses=courses)
    people = [UserFactory(kind="student") for _ in range(3)]
    sessions = []
    for training_class in (klass, other):
        for person in people:
            training_class.memberships.create(user=person, source="teacher")
        for day_number in (5, 12):
            sessions.append(
                training_class.sessions.create(
                    starts_at=at(f"2026-09-{day_number:02d}", 8),
                    ends_at=at(f"2026-09-{day_number:02d}", 10),
                )
            )

    def mark(session, person, status="present"):
        session_attendance_mark(session=session, user=person, status=status, actor=None)

    for session in sessions:
        for person in people:
            mark(session, person)
    rows = assert_kept_as_rebuilt()
    assert len(rows[0]) == 12 and len(rows[1]) == 18
    # Marked absent, then present again as another kind.
    mark(sessions[0], people[0], "absent")
    assert_kept_as_rebuilt()
    people[0].kind = "citizen"
    mark(sessions[0], people[0], "late")
    assert_kept_as_rebuilt()
    # A session moved after the others; a class moved to another unit.
    sessions[0].starts_at = at("2026-09-20", 8)
    sessions[0].ends_at = at("2026-09-20", 10)
    sessions[0].save()
    assert_kept_as_rebuilt()
    klass.region = CommuneFactory()
    klass.save()
    rows = assert_kept_as_rebuilt()
    assert {row[3] for row in rows[0] if row[2] == klass.pk} == {klass.region_id}
    # Courses added and taken off, from either side.
    klass.courses.add(courses[1])
    assert_kept_as_rebuilt()
    other.courses.remove(courses[0])
    assert_kept_as_rebuilt()
    courses[1].training_classes.clear()
    rows = assert_kept_as_rebuilt()
    assert {row[-1] for row in rows[1]} == {courses[0].pk}
    # Deleted records and sessions.
    Attendance.objects.filter(user=people[1]).first().delete()
    sessions[-1].delete()
    rows = assert_kept_as_rebuilt()
    assert len(rows[0]) == 8
