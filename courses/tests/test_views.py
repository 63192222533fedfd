import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from core.testing import vi
from courses.models import Enrolment, LessonProgress
from courses.services import lesson_progress_record
from users.tests.factories import UserFactory

from .factories import course_with_lessons

pytestmark = pytest.mark.django_db

MY_LEARNING = reverse("courses:my_learning")


def _route(page, name: str) -> str:
    return page.url + page.reverse_subpage(name)


# Enrolling


def test_enrol_needs_a_post(client, learner, course):
    """Opening the enrol address does not enrol anyone."""
    client.force_login(learner)

    response = client.get(_route(course, "enrol"))

    assert response.status_code == 405
    assert not Enrolment.objects.exists()


def test_enrol_asks_an_anonymous_visitor_to_log_in(client, course):
    """A visitor who taps enrol is sent to log in, then back to the course."""
    response = client.post(_route(course, "enrol"))

    assertRedirects(
        response,
        f"{reverse('users:login')}?next={course.url}",
        fetch_redirect_response=False,
    )
    assert not Enrolment.objects.exists()


def test_enrol_takes_the_learner_to_the_first_lesson(client, learner, course, lessons):
    """Enrolling creates one enrolment and opens the first lesson."""
    client.force_login(learner)

    response = client.post(_route(course, "enrol"), follow=True)
    client.post(_route(course, "enrol"))

    assertRedirects(response, lessons[0].url)
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    message = vi("You are enrolled in “%(course)s”.") % {"course": course.title}
    assertContains(response, message)


# Marking a lesson done


def test_complete_needs_a_logged_in_post(client, learner, course, lessons):
    """Only a logged-in learner's POST marks a lesson done."""
    url = _route(lessons[0], "complete")

    anonymous = client.post(url, {"done": "1"})
    client.force_login(learner)
    get = client.get(url)

    assertRedirects(
        anonymous,
        f"{reverse('users:login')}?next={lessons[0].url}",
        fetch_redirect_response=False,
    )
    assert get.status_code == 405
    assert not LessonProgress.objects.exists()


def test_complete_as_a_form_goes_to_the_next_lesson(client, learner, course, lessons):
    """Marking a lesson done without htmx records it and opens the next lesson."""
    client.force_login(learner)

    response = client.post(_route(lessons[0], "complete"), {"done": "1"})

    assertRedirects(response, lessons[1].url, fetch_redirect_response=False)
    progress = LessonProgress.objects.get(enrolment__user=learner)
    assert progress.lesson_id == lessons[0].pk
    assert progress.completed_at is not None


def test_completing_the_last_lesson_congratulates(client, learner, course, lessons):
    """Finishing the last lesson completes the course, with a message on its page."""
    client.force_login(learner)
    for lesson in lessons[:2]:
        lesson_progress_record(user=learner, lesson=lesson, course=course)

    response = client.post(_route(lessons[2], "complete"), {"done": "1"}, follow=True)

    assertRedirects(response, course.url)
    message = vi("Well done! You have completed “%(course)s”.") % {
        "course": course.title
    }
    assertContains(response, message)
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_the_course_is_congratulated_once(client, learner, course, lessons):
    """Marking a lesson done again in a completed course does not congratulate
    again, with or without htmx."""
    client.force_login(learner)
    for lesson in lessons:
        lesson_progress_record(user=learner, lesson=lesson, course=course)
    message = vi("Well done! You have completed “%(course)s”.") % {
        "course": course.title
    }

    plain = client.post(_route(lessons[2], "complete"), {"done": "1"}, follow=True)
    partial = client.post(
        _route(lessons[0], "complete"), {"done": "1"}, HTTP_HX_REQUEST="true"
    )

    assertRedirects(plain, course.url)
    assertNotContains(plain, message)
    assertNotContains(partial, message)


def test_complete_with_htmx_answers_the_progress_panel(
    client, learner, course, lessons
):
    """With htmx, marking a lesson done answers with the updated panel and the
    course progress bar out of band."""
    client.force_login(learner)

    response = client.post(
        _route(lessons[0], "complete"), {"done": "1"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="lesson-progress"' in html
    assert vi("You have finished this lesson.") in html
    assert vi("Mark as not done") in html
    assert '<div id="course-progress" class="course-progress" hx-swap-oob="true">' in (
        html
    )
    assert vi("%(percent)s%% done") % {"percent": 33} in html
    assert 'value="33"' in html


def test_undo_with_htmx_answers_the_progress_panel(client, learner, course, lessons):
    """With htmx, marking a lesson not done shows it as not done, at 0%."""
    client.force_login(learner)
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)

    response = client.post(
        _route(lessons[0], "complete"), {"done": "0"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assertContains(response, vi("Mark this lesson as done"))
    assertNotContains(response, vi("You have finished this lesson."))
    assertContains(response, vi("%(percent)s%% done") % {"percent": 0})
    assert LessonProgress.objects.get().completed_at is None


def test_opening_a_lesson_remembers_it(client, learner, course, lessons):
    """An enrolled learner who opens a lesson comes back to it from the course."""
    client.force_login(learner)
    client.post(_route(course, "enrol"))

    client.get(lessons[2].url)
    response = client.get(course.url)

    assert Enrolment.objects.get(user=learner).last_lesson_id == lessons[2].pk
    assert response.context["resume"] == lessons[2]
    assertContains(response, f'href="{lessons[2].url}"')


def test_a_lesson_shows_the_learners_own_progress_only(
    client, learner, course, lessons
):
    """A lesson another learner finished is not finished for this learner."""
    lesson_progress_record(user=UserFactory(), lesson=lessons[0], course=course)
    client.force_login(learner)

    response = client.get(lessons[0].url)

    assert response.status_code == 200
    assert response.context["is_done"] is False
    assertContains(response, vi("Mark this lesson as done"))


# My learning


def test_my_learning_needs_login(client):
    """My learning asks a visitor to log in."""
    response = client.get(MY_LEARNING)

    assertRedirects(
        response,
        f"{reverse('users:login')}?next={MY_LEARNING}",
        fetch_redirect_response=False,
    )


def test_my_learning_lists_courses_in_progress_and_completed(
    client, learner, catalogue, course, lessons
):
    """My learning shows the course under way with its progress and the course
    completed under its own heading."""
    finished = course_with_lessons(parent=catalogue, title="Dùng VNeID", lessons=1)
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    lesson_progress_record(
        user=learner, lesson=finished.lessons().get(), course=finished
    )
    client.force_login(learner)

    response = client.get(MY_LEARNING)

    assert response.status_code == 200
    assert [c.course.pk for c in response.context["in_progress"]] == [course.pk]
    assert [c.course.pk for c in response.context["completed"]] == [finished.pk]
    html = response.content.decode()
    in_progress_at = html.index(f"<h2>{vi('In progress')}</h2>")
    completed_at = html.index(f"<h2>{vi('Completed')}</h2>")
    assert in_progress_at < html.index(course.title) < completed_at
    assert completed_at < html.index("Dùng VNeID")
    progress = vi("%(done)s of %(total)s lessons done (%(percent)s%%)") % {
        "done": 1,
        "total": 3,
        "percent": 33,
    }
    assert progress in html


def test_my_learning_lists_only_the_learners_own_courses(
    client, learner, catalogue, course, lessons
):
    """A learner does not see the courses or progress of another learner."""
    other_course = course_with_lessons(parent=catalogue, title="Khóa của Lan")
    lesson_progress_record(
        user=UserFactory(), lesson=other_course.lessons().first(), course=other_course
    )
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    client.force_login(learner)

    response = client.get(MY_LEARNING)

    assert [c.course.pk for c in response.context["in_progress"]] == [course.pk]
    assert response.context["completed"] == []
    assertNotContains(response, "Khóa của Lan")


def test_my_learning_invites_a_newcomer_to_the_catalogue(client, learner, catalogue):
    """A learner with no course is pointed to the catalogue."""
    client.force_login(learner)

    response = client.get(MY_LEARNING)

    assertContains(response, vi("You have not enrolled in any course yet."))
    assertContains(response, f'href="{catalogue.url}"')
