"""The counts reports keep are refreshed after the writer's transaction
commits, by one task per transaction, never inside another app's transaction;
a refresh recomputes from the committed records, so running it again changes
nothing, and two refreshes of one person take turns without locking any row of
another app."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks.signals import task_enqueued

from certificates.services import certificate_revoke
from certificates.tests.factories import CertificateFactory
from classes.models import AttendanceStatus
from classes.services import session_attendance_mark
from classes.tests.factories import ClassSessionFactory
from courses.services import enrolment_create
from courses.tests.factories import CoursePageFactory
from regions.tests.factories import CommuneFactory
from reports import tasks
from reports.models import (
    CertificateSpan,
    CourseEnrolmentDay,
    CourseParticipation,
    EnrolmentDay,
    Participation,
    UnitCourseEnrolmentDay,
)
from reports.services import (
    Changes,
    certificate_spans_refresh,
    enrolment_day_keys,
    enrolment_days_refresh,
    report_counts_rebuild,
    report_counts_refresh,
)
from users.tests.factories import UserFactory

from .factories import attend

pytestmark = pytest.mark.django_db


def kept():
    """Every row the reports keep, comparable across refreshes and rebuilds."""
    return {
        model.__name__: sorted(
            tuple(row.values())
            for row in model.objects.values(
                *(f.attname for f in model._meta.concrete_fields if f.name != "id")
            )
        )
        for model in (
            CertificateSpan,
            EnrolmentDay,
            CourseEnrolmentDay,
            UnitCourseEnrolmentDay,
            Participation,
            CourseParticipation,
        )
    }


def reports_tables(queries) -> list[str]:
    return [q["sql"] for q in queries if "reports_" in q["sql"]]


@pytest.fixture
def enqueued():
    """The changes handed to the refresh task, one entry per enqueue."""
    calls = []

    def receiver(sender, task_result, **kwargs):
        if task_result.task.func is tasks.report_counts_refresh_task.func:
            calls.append(task_result.args[0])

    task_enqueued.connect(receiver, dispatch_uid="test-refresh-enqueued")
    yield calls
    task_enqueued.disconnect(dispatch_uid="test-refresh-enqueued")


def test_a_write_touches_no_report_table_until_it_commits(enqueued):
    learner = UserFactory(home_region=CommuneFactory())
    session = ClassSessionFactory()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as inside:
            certificate = CertificateFactory(user=learner)
            enrolment_create(user=learner, course=certificate.course)
            attend(session, learner)
        assert reports_tables(inside.captured_queries) == []
        assert not CertificateSpan.objects.filter(user=learner).exists()
        assert enqueued == []
    # Committed: one task for the whole transaction refreshed all three.
    assert len(enqueued) == 1
    assert enqueued[0]["certificate_people"] == [learner.pk]
    assert enqueued[0]["attendance_people"] == [learner.pk]
    assert len(enqueued[0]["enrolment_days"]) == 1
    assert CertificateSpan.objects.filter(user=learner).count() == 1
    assert Participation.objects.filter(user=learner).count() == 1
    assert sum(EnrolmentDay.objects.values_list("enrolments", flat=True)) == 1


def test_a_write_rolled_back_refreshes_nothing_of_its_own(enqueued):
    learner = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        CertificateFactory(user=learner)
        raise RuntimeError
    assert enqueued == []
    assert not CertificateSpan.objects.exists()


def test_the_kept_counts_equal_a_rebuild_after_each_kind_of_write():
    commune = CommuneFactory()
    learner, other = UserFactory(home_region=commune), UserFactory(home_region=commune)
    session = ClassSessionFactory()
    certificate = CertificateFactory(user=learner)
    CertificateFactory(user=learner, course=certificate.course)
    enrolment_create(user=other, course=certificate.course)
    attend(session, learner)
    later = ClassSessionFactory(training_class=session.training_class)
    session_attendance_mark(
        session=later, user=learner, status=AttendanceStatus.LATE, actor=None
    )
    session_attendance_mark(
        session=session, user=learner, status=AttendanceStatus.ABSENT, actor=None
    )
    certificate_revoke(certificate=certificate, by=other, reason="Cấp nhầm")
    session.training_class.courses.add(certificate.course)
    after_writes = kept()
    report_counts_rebuild()
    assert kept() == after_writes


def test_a_refresh_run_twice_changes_nothing():
    learner = UserFactory(home_region=CommuneFactory())
    session = ClassSessionFactory()
    certificate = CertificateFactory(user=learner)
    enrolment = enrolment_create(user=learner, course=certificate.course)
    attend(session, learner)
    once = kept()
    changes = Changes(
        certificate_people={learner.pk},
        attendance_people={learner.pk},
        sessions={session.pk},
        classes={session.training_class_id},
        enrolment_days=enrolment_day_keys([enrolment]),
    )
    report_counts_refresh(changes)
    report_counts_refresh(Changes.from_json(changes.as_json()))
    assert kept() == once


def test_an_enrolment_deleted_leaves_no_day_behind():
    learner = UserFactory(home_region=CommuneFactory())
    enrolment = enrolment_create(user=learner, course=CoursePageFactory())
    keys = enrolment_day_keys([enrolment])
    assert UnitCourseEnrolmentDay.objects.count() == 1
    enrolment.delete()
    assert kept()["UnitCourseEnrolmentDay"] == []
    assert kept()["EnrolmentDay"] == []
    assert kept()["CourseEnrolmentDay"] == []
    # Refreshing a key with no enrolment any more writes no empty row.
    enrolment_days_refresh(keys=keys)
    assert not UnitCourseEnrolmentDay.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "not __import__('django.db').db.connection.vendor == 'postgresql'",
    reason="advisory locks are PostgreSQL's; SQLite runs one writer at a time",
)
def test_two_refreshes_of_one_person_take_turns():
    """While one refresh of a person's spans holds its lock, a second waits,
    then reads what the first committed: no span is counted twice."""
    from reports.services import _SPANS, _lock

    learner = UserFactory()
    CertificateFactory(user=learner)
    holding, release, done = threading.Event(), threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                _lock(_SPANS, [learner.pk])
                holding.set()
                release.wait(10)
                certificate_spans_refresh(user_ids=[learner.pk])
        finally:
            connection.close()

    def second():
        try:
            holding.wait(10)
            certificate_spans_refresh(user_ids=[learner.pk])
            done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    assert not done.wait(1), "the second refresh did not wait for the first"
    release.set()
    for thread in threads:
        thread.join(20)
    assert done.is_set()
    assert CertificateSpan.objects.filter(user=learner).count() == 1
    # No row of the users table was locked: a write to the person goes through.
    with transaction.atomic():
        _lock(_SPANS, [learner.pk])
        learner.first_name = "Lan"
        learner.save(update_fields=["first_name"])


def test_a_refresh_lost_with_its_worker_is_queued_again(enqueued, caplog):
    from core.signals import task_abandoned
    from core.workers import AUTO_RESUMES

    changes = Changes(certificate_people={1, 2}).as_json()
    path = tasks.report_counts_refresh_task.module_path
    for times in (1, AUTO_RESUMES):
        task_abandoned.send(
            sender=None,
            task_path=path,
            task_id="x",
            args=[changes],
            kwargs={},
            times=times,
        )
    assert enqueued == [changes, changes]
    task_abandoned.send(
        sender=None,
        task_path=path,
        task_id="x",
        args=[changes],
        kwargs={},
        times=AUTO_RESUMES + 1,
    )
    task_abandoned.send(
        sender=None,
        task_path="quizzes.tasks.other",
        task_id="y",
        args=[],
        kwargs={},
        times=1,
    )
    assert len(enqueued) == 2
    assert "rebuild_report_counts" in caplog.text
