from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from courses.models import Enrolment
from courses.selectors import catalogue_courses, course_overview, learner_courses
from courses.services import (
    enrolment_create,
    lesson_progress_record,
    lesson_visit_record,
)
from users.tests.factories import UserFactory

from .factories import CoursePageFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def _titles(cards):
    return [card.course.title for card in cards]


@pytest.fixture
def courses_by_audience(catalogue):
    return {
        "students": course_with_lessons(
            parent=catalogue, title="Cho học sinh", audiences=["student"]
        ),
        "volunteers": course_with_lessons(
            parent=catalogue, title="Cho tổ công nghệ số", audiences=["volunteer"]
        ),
        "both": course_with_lessons(
            parent=catalogue, title="Cho cả hai", audiences=["student", "volunteer"]
        ),
        "everyone": course_with_lessons(parent=catalogue, title="Cho mọi người"),
    }


def test_catalogue_for_an_audience(catalogue, courses_by_audience):
    """Filtering by audience lists that audience's courses and the courses for
    everyone, each once."""
    cards = catalogue_courses(index=catalogue, user=AnonymousUser(), audience="student")

    assert _titles(cards) == ["Cho học sinh", "Cho cả hai", "Cho mọi người"]


def test_catalogue_for_everyone_lists_every_live_course(catalogue, courses_by_audience):
    """Without a filter the catalogue lists every live course, drafts left out."""
    CoursePageFactory(parent=catalogue, title="Bản nháp", live=False)

    cards = catalogue_courses(index=catalogue, user=AnonymousUser())

    assert _titles(cards) == [
        "Cho học sinh",
        "Cho tổ công nghệ số",
        "Cho cả hai",
        "Cho mọi người",
    ]
    assert [card.lesson_count for card in cards] == [3, 3, 3, 3]
    assert all(card.enrolment is None for card in cards)


def test_catalogue_page_filters_by_audience(client, catalogue, courses_by_audience):
    """The catalogue page's audience chip shows the audience's courses only."""
    response = client.get(catalogue.url, {"audience": "volunteer"})

    assert response.status_code == 200
    assert _titles(response.context["courses"]) == [
        "Cho tổ công nghệ số",
        "Cho cả hai",
        "Cho mọi người",
    ]
    assert "Cho học sinh" not in response.content.decode()


def test_catalogue_shows_the_learners_progress(catalogue, course, lessons, learner):
    """A learner sees in the catalogue how far they are in each course."""
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)

    [card] = catalogue_courses(index=catalogue, user=learner)

    assert card.enrolment is not None
    assert (card.done_count, card.lesson_count, card.percent) == (1, 3, 33)


@pytest.mark.parametrize(("done", "percent"), [(0, 0), (1, 33), (2, 67), (3, 100)])
def test_percent_done(course, lessons, learner, done, percent):
    """The percentage is the share of live lessons done, rounded."""
    enrolment_create(user=learner, course=course)
    for lesson in lessons[:done]:
        lesson_progress_record(user=learner, lesson=lesson, course=course)

    [card] = learner_courses(user=learner)

    assert card.percent == percent


def test_percent_counts_live_lessons_only(course, lessons, learner):
    """A lesson done and later unpublished counts neither as done nor in the total."""
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    lesson_progress_record(user=learner, lesson=lessons[1], course=course)
    lessons[0].unpublish()

    [card] = learner_courses(user=learner)

    assert (card.done_count, card.lesson_count, card.percent) == (1, 2, 50)


def test_a_completed_course_stays_at_100_percent(course, lessons, learner):
    """A completed course shows 100% even after a lesson is marked not done."""
    for lesson in lessons:
        lesson_progress_record(user=learner, lesson=lesson, course=course)
    lesson_progress_record(user=learner, lesson=lessons[0], course=course, done=False)

    [card] = learner_courses(user=learner)

    assert card.done_count == 2
    assert card.percent == 100


def test_learner_courses_most_recently_active_first(catalogue, learner):
    """My learning lists the course worked on last first, then the ones never
    opened, newest enrolment first."""
    first = course_with_lessons(parent=catalogue, title="Khóa A", lessons=1)
    second = course_with_lessons(parent=catalogue, title="Khóa B", lessons=1)
    third = course_with_lessons(parent=catalogue, title="Khóa C", lessons=1)
    never_opened = course_with_lessons(parent=catalogue, title="Khóa D", lessons=1)
    now = timezone.now()
    for course, hours_ago in ((first, 1), (second, 3), (third, 2)):
        enrolment = enrolment_create(user=learner, course=course)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=now - timedelta(days=1),
            last_activity_at=now - timedelta(hours=hours_ago),
        )
    enrolment_create(user=learner, course=never_opened)

    cards = learner_courses(user=learner)

    assert _titles(cards) == ["Khóa A", "Khóa C", "Khóa B", "Khóa D"]


def test_learner_courses_lists_own_live_courses_only(catalogue, course, learner):
    """My learning lists neither other learners' courses nor unpublished ones."""
    someone_else = UserFactory()
    other = course_with_lessons(parent=catalogue, title="Khóa của người khác")
    withdrawn = course_with_lessons(parent=catalogue, title="Khóa đã gỡ")
    enrolment_create(user=learner, course=course)
    enrolment_create(user=learner, course=withdrawn)
    enrolment_create(user=someone_else, course=other)
    withdrawn.unpublish()

    assert _titles(learner_courses(user=learner)) == ["Nộp hồ sơ trực tuyến"]


def test_resume_at_the_first_lesson_for_a_newcomer(course, lessons):
    """Someone not enrolled starts at the first lesson."""
    overview = course_overview(course=course, user=AnonymousUser())

    assert overview["resume"] == lessons[0]
    assert overview["enrolment"] is None


def test_resume_at_the_first_lesson_not_done(course, lessons, learner):
    """Without a lesson opened last, the learner resumes at the first one not done."""
    enrolment = enrolment_create(user=learner, course=course)
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    enrolment.refresh_from_db()
    enrolment.last_lesson = None
    enrolment.save()

    overview = course_overview(course=course, user=learner)

    assert overview["resume"] == lessons[1]
    assert overview["done_ids"] == {lessons[0].pk}


def test_resume_at_the_lesson_opened_last(course, lessons, learner):
    """The learner resumes at the lesson they opened last, even if done earlier."""
    enrolment = enrolment_create(user=learner, course=course)
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    enrolment.refresh_from_db()
    lesson_visit_record(enrolment=enrolment, lesson=lessons[2])

    overview = course_overview(course=course, user=learner)

    assert overview["resume"] == lessons[2]


def test_resume_skips_a_lesson_opened_last_that_was_unpublished(
    course, lessons, learner
):
    """When the lesson opened last is unpublished, the learner resumes at the first
    lesson not done."""
    enrolment = enrolment_create(user=learner, course=course)
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    enrolment.refresh_from_db()
    lesson_visit_record(enrolment=enrolment, lesson=lessons[2])
    lessons[2].unpublish()

    overview = course_overview(course=course, user=learner)

    assert overview["resume"] == lessons[1]
    assert overview["card"].lesson_count == 2
