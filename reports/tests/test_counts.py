"""The counts the reports keep of other apps' records: certificate spans
(reports.spans) and enrolments by day. The spans are checked against the
definition itself, moment by moment; the kept rows against a rebuild from
scratch after the writes the product makes."""

import datetime
import random

import pytest

from certificates.services import certificate_revoke
from certificates.tests.factories import CertificateFactory
from classes.services import session_attendance_mark
from classes.tests.factories import TrainingClassFactory
from courses.models import Enrolment
from courses.services import enrolment_create, enrolments_create_many
from courses.tests.factories import CoursePageFactory
from regions.tests.factories import CommuneFactory, ProvinceFactory
from reports.models import CertificateSpan, CourseEnrolmentDay, EnrolmentDay
from reports.selectors import ReportFilters, coverage_dashboard
from reports.services import (
    certificate_spans_rebuild,
    enrolment_counts_rebuild,
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
