from unittest import mock

import pytest

from courses.models import Enrolment, LessonProgress
from courses.selectors import learner_courses
from courses.services import (
    enrolment_create,
    enrolments_create_many,
    lesson_progress_record,
    lesson_visit_record,
)
from courses.signals import enrolments_created
from users.tests.factories import UserFactory

from .factories import LessonPageFactory

pytestmark = pytest.mark.django_db


def _mark(learner, course, lesson, done=True):
    return lesson_progress_record(user=learner, lesson=lesson, course=course, done=done)


def test_enrolling_twice_returns_the_same_enrolment(learner, course):
    """Enrolling twice in a course keeps one enrolment."""
    first = enrolment_create(user=learner, course=course)
    second = enrolment_create(user=learner, course=course)

    assert second.pk == first.pk
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_enrolling_many_adds_only_the_missing_and_announces_them(learner, course):
    """A roster's bulk enrolment creates the enrolments not there yet, each with
    the person's unit and kind now, and announces exactly those."""
    enrolment_create(user=learner, course=course)
    others = [UserFactory(), UserFactory()]
    heard = []

    def receiver(*, enrolments, **_kwargs):
        heard.extend(enrolments)

    enrolments_created.connect(receiver)
    try:
        created = enrolments_create_many(users=[learner, *others], courses=[course])
    finally:
        enrolments_created.disconnect(receiver)

    assert sorted(e.user_id for e in created) == sorted(u.pk for u in others)
    assert heard == created
    assert all(e.learner_kind == e.user.kind for e in created)
    assert Enrolment.objects.filter(course=course).count() == 3


def test_enrolling_many_looks_again_after_a_learner_enrolled_meanwhile(learner, course):
    """If a learner enrols themselves between the look and the insert, the
    insert meets the unique constraint; the service looks again, once."""
    enrolment_create(user=learner, course=course)
    other = UserFactory()
    real_filter = Enrolment.objects.filter
    looks = []

    def stale_first_look(*args, **kwargs):
        looks.append(1)
        if len(looks) == 1:
            return Enrolment.objects.none()  # not seen yet
        return real_filter(*args, **kwargs)

    with mock.patch.object(Enrolment.objects, "filter", side_effect=stale_first_look):
        created = enrolments_create_many(users=[learner, other], courses=[course])

    assert [e.user_id for e in created] == [other.pk]
    assert len(looks) == 2
    assert Enrolment.objects.filter(course=course).count() == 2


def test_marking_a_lesson_done_enrols_the_learner(learner, course, lessons):
    """Marking a lesson done enrols a learner who had not enrolled."""
    assert not Enrolment.objects.filter(user=learner).exists()

    enrolment = _mark(learner, course, lessons[0])

    assert Enrolment.objects.get(user=learner, course=course) == enrolment
    assert enrolment.last_lesson_id == lessons[0].pk


def test_marking_lessons_done_updates_progress(learner, course, lessons):
    """Each lesson marked done counts in the learner's progress."""
    _mark(learner, course, lessons[0])
    _mark(learner, course, lessons[1])

    [card] = learner_courses(user=learner)
    assert card.done_count == 2
    assert card.lesson_count == 3
    assert card.percent == 67
    assert card.enrolment.completed_at is None


def test_marking_a_lesson_done_twice_counts_it_once(learner, course, lessons):
    """A lesson marked done twice keeps its first completion time and counts once."""
    _mark(learner, course, lessons[0])
    first_done_at = LessonProgress.objects.get(lesson=lessons[0]).completed_at
    _mark(learner, course, lessons[0])

    progress = LessonProgress.objects.get(lesson=lessons[0])
    assert progress.completed_at == first_done_at
    assert learner_courses(user=learner)[0].done_count == 1


def test_unmarking_a_lesson_takes_it_out_of_progress(learner, course, lessons):
    """A lesson marked not done no longer counts as done."""
    _mark(learner, course, lessons[0])
    _mark(learner, course, lessons[0], done=False)

    assert LessonProgress.objects.get(lesson=lessons[0]).completed_at is None
    assert learner_courses(user=learner)[0].done_count == 0


def test_completing_every_live_lesson_completes_the_course(learner, course, lessons):
    """The course is complete once every live lesson is done, not before."""
    _mark(learner, course, lessons[0])
    enrolment = _mark(learner, course, lessons[1])
    assert enrolment.completed_at is None

    enrolment = _mark(learner, course, lessons[2])

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.is_complete is True


def test_a_draft_lesson_does_not_block_completion(learner, course, lessons):
    """A lesson not yet published is not needed to complete the course."""
    LessonPageFactory(parent=course, title="Bài nháp", live=False)

    for lesson in lessons:
        enrolment = _mark(learner, course, lesson)

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_unmarking_after_completion_keeps_the_completion(learner, course, lessons):
    """Undoing a lesson after the course is complete does not take completion back."""
    for lesson in lessons:
        enrolment = _mark(learner, course, lesson)
    enrolment.refresh_from_db()
    completed_at = enrolment.completed_at

    _mark(learner, course, lessons[1], done=False)

    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert LessonProgress.objects.get(lesson=lessons[1]).completed_at is None


def test_a_course_without_live_lessons_is_never_complete(learner, course, lessons):
    """A course whose lessons were all unpublished cannot be completed."""
    _mark(learner, course, lessons[0])
    for lesson in lessons:
        lesson.unpublish()

    enrolment = _mark(learner, course, lessons[1])

    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_visiting_a_lesson_remembers_it(learner, course, lessons):
    """Opening a lesson makes it the place the learner comes back to."""
    enrolment = enrolment_create(user=learner, course=course)
    assert enrolment.last_lesson is None

    lesson_visit_record(enrolment=enrolment, lesson=lessons[1])

    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == lessons[1].pk
    assert enrolment.last_activity_at is not None

    lesson_visit_record(enrolment=enrolment, lesson=lessons[2])

    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == lessons[2].pk
