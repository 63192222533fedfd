"""Reads of courses and learner progress, each in a fixed, small number of queries."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from wagtail.models import Page

from core.pagecache import TIMEOUT as PAGE_CACHE_TIMEOUT
from core.pagecache import generation
from core.text import fold

from .completion import NextStep, next_step_after_lessons
from .models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonFeedback,
    LessonPage,
)


@dataclass
class CourseCard:
    course: CoursePage
    lesson_count: int
    enrolment: Enrolment | None = None
    done_count: int = 0
    # Set when every lesson is done but the course is not complete yet: what the
    # learner does next (the final quiz), as an app registered it.
    next_step: NextStep | None = None

    @property
    def percent(self) -> int:
        """Return the share of the lessons done (100 once the course is complete).

        Every lesson done shows 100 with ``next_step`` saying what remains, never
        a "99" that hides it.
        """
        if self.enrolment and self.enrolment.is_complete:
            return 100
        if not self.lesson_count:
            return 0
        if self.lessons_done:
            return 100
        return min(99, round(100 * self.done_count / self.lesson_count))

    @property
    def lessons_done(self) -> bool:
        return bool(self.lesson_count) and self.done_count >= self.lesson_count


def _with_next_steps(cards: list[CourseCard]) -> list[CourseCard]:
    """Give each card whose lessons are done, in a course not complete yet, the
    step that comes after the lessons: a query for each such card only."""
    for card in cards:
        if card.enrolment and card.lessons_done and not card.enrolment.is_complete:
            card.next_step = next_step_after_lessons(card.course)
    return cards


def live_lesson_counts(courses) -> dict[int, int]:
    """Return {course id: number of live lessons} for the courses, in one query."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    steplen = CoursePage.steplen
    condition = reduce(
        or_,
        (
            Q(path__startswith=path, depth=course_depth + 1)
            for path, course_depth in {(c.path, c.depth) for c in courses}
        ),
    )
    counts: dict[int, int] = dict.fromkeys(by_path.values(), 0)
    for path in (
        LessonPage.objects.live().filter(condition).values_list("path", flat=True)
    ):
        parent_id = by_path.get(path[:-steplen])
        if parent_id is not None:
            counts[parent_id] += 1
    return counts


# Lessons a learner has marked done, counting live lessons only.
DONE_LESSONS = Count(
    "lesson_progress",
    filter=Q(
        lesson_progress__completed_at__isnull=False,
        lesson_progress__lesson__live=True,
    ),
)


def _enrolments_with_done_counts(user, courses) -> dict[int, tuple[Enrolment, int]]:
    if not user.is_authenticated:
        return {}
    enrolments = Enrolment.objects.filter(user=user, course__in=courses).annotate(
        done_count=DONE_LESSONS
    )
    return {e.course_id: (e, e.done_count) for e in enrolments}


def _cards(courses, user) -> list[CourseCard]:
    courses = list(courses)
    counts = live_lesson_counts(courses)
    enrolments = _enrolments_with_done_counts(user, courses)
    cards = []
    for course in courses:
        enrolment, done = enrolments.get(course.pk, (None, 0))
        cards.append(
            CourseCard(
                course=course,
                lesson_count=counts.get(course.pk, 0),
                enrolment=enrolment,
                done_count=done,
            )
        )
    return _with_next_steps(cards)


def _with_cover(queryset):
    return queryset.select_related("cover_image").prefetch_related(
        Prefetch("cover_image__renditions")
    )


def catalogue_courses(
    *, index: CourseIndexPage, user, audience: str | None = None
) -> list[CourseCard]:
    """Return the catalogue's live courses, for one audience or all, with the
    learner's progress in each."""
    courses = CoursePage.objects.live().child_of(index).order_by("path")
    if audience:
        # A course with no audience is for everyone.
        courses = courses.filter(
            Q(audiences__kind=audience) | Q(audiences__isnull=True)
        ).distinct()
    return _cards(_with_cover(courses.prefetch_related("audiences")), user)


def learner_courses(*, user) -> list[CourseCard]:
    """Return the courses the learner is enrolled in, most recently active first."""
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course", "course__cover_image", "last_lesson")
        # Never-opened enrolments last on every database: PostgreSQL would sort
        # NULLs first in a descending order, SQLite sorts them last.
        .order_by(F("last_activity_at").desc(nulls_last=True), "-enrolled_at")
        .annotate(done_count=DONE_LESSONS)
    )
    counts = live_lesson_counts([e.course for e in enrolments])
    return _with_next_steps(
        [
            CourseCard(
                course=e.course,
                lesson_count=counts.get(e.course_id, 0),
                enrolment=e,
                done_count=e.done_count,
            )
            for e in enrolments
        ]
    )


def _done_lesson_ids(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        enrolment.lesson_progress.filter(completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )


def resume_lesson(*, enrolment: Enrolment | None, lessons, done_ids: set[int]):
    """Return where the learner picks up: the last lesson they opened, else the
    first one not done, else the first."""
    if not lessons:
        return None
    if enrolment and enrolment.last_lesson_id:
        for lesson in lessons:
            if lesson.pk == enrolment.last_lesson_id:
                return lesson
    for lesson in lessons:
        if lesson.pk not in done_ids:
            return lesson
    return lessons[0]


def _enrolment_for(user, course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course_id=course.pk).first()


# A learner's enrolment in a course and the lessons they have done are kept in
# the shared cache for their next page, this many seconds at most, and
# forgotten at every save or delete of either (courses.receivers) and when a
# lesson visit is recorded: their next page reads them afresh.
PROGRESS_TIMEOUT = 10 * 60


def progress_key(user_id: int, course_id: int) -> str:
    return f"courses:progress:{user_id}:{course_id}"


def _progress_for(user, course) -> tuple[Enrolment | None, set[int]]:
    """Return the learner's enrolment in the course (None when they have none)
    and the ids of the lessons they have done, from the cache when kept."""
    if not user.is_authenticated:
        return None, set()
    key = progress_key(user.pk, course.pk)
    found = cache.get(key)
    if found is None:
        enrolment = _enrolment_for(user, course)
        found = (enrolment, _done_lesson_ids(enrolment))
        # Not enrolled is not kept: enrolments made in bulk send no signal.
        if enrolment is not None:
            cache.set(key, found, PROGRESS_TIMEOUT)
    return found


def feedback_answers_key(user_id: int) -> str:
    return f"courses:feedback:{user_id}"


def feedback_answer(*, user, lesson: LessonPage) -> LessonFeedback | None:
    """Return the learner's answer to “Bài này có giúp bạn không?” under the
    lesson, or None. All their answers are read in one query and kept in the
    shared cache (PROGRESS_TIMEOUT), forgotten at every save or delete of one
    (courses.receivers) and when their comments are erased."""
    if not user.is_authenticated:
        return None
    key = feedback_answers_key(user.pk)
    answers = cache.get(key)
    if answers is None:
        answers = {
            answer.lesson_id: answer
            for answer in LessonFeedback.objects.filter(user=user)
        }
        cache.set(key, answers, PROGRESS_TIMEOUT)
    return answers.get(lesson.pk)


def _progress_context(*, course, lessons: list, user) -> dict:
    enrolment, done_ids = _progress_for(user, course)
    done_count = sum(1 for lesson in lessons if lesson.pk in done_ids)
    [card] = _with_next_steps(
        [
            CourseCard(
                course=course,
                lesson_count=len(lessons),
                enrolment=enrolment,
                done_count=done_count,
            )
        ]
    )
    return {
        "lessons": lessons,
        "done_ids": done_ids,
        "enrolment": enrolment,
        "card": card,
        "next_step": card.next_step,
        "resume": resume_lesson(
            enrolment=enrolment, lessons=lessons, done_ids=done_ids
        ),
    }


def course_overview(*, course: CoursePage, user) -> dict:
    """Return the course's lessons with the learner's progress through them."""
    lessons = list(course.lessons().defer_streamfields())
    return _progress_context(course=course, lessons=lessons, user=user)


def _course_and_lessons(lesson: LessonPage) -> tuple[Page, list[Page]]:
    """Return a lesson's course and the course's live lessons, in one query,
    or from the cache until something is published (core.pagecache).

    Both come back as plain pages: enough for titles, addresses and ids.
    """
    parent_path = lesson.path[: -lesson.steplen]
    key = f"courses:lessons:{generation()}:{parent_path}"
    found = cache.get(key)
    if found is None:
        found = _course_and_lessons_query(lesson, parent_path)
        cache.set(key, found, PAGE_CACHE_TIMEOUT)
    return found


def _course_and_lessons_query(lesson: LessonPage, parent_path: str):
    pages = list(
        Page.objects.filter(
            Q(path=parent_path)
            | Q(
                path__startswith=parent_path,
                depth=lesson.depth,
                live=True,
                content_type=ContentType.objects.get_for_model(LessonPage),
            )
        ).order_by("path")
    )
    if not pages or pages[0].path != parent_path:
        raise Http404
    return pages[0], pages[1:]


def lesson_navigation(*, lesson: LessonPage, user) -> dict:
    """Return the lesson's course, neighbours and the learner's progress."""
    course, lessons = _course_and_lessons(lesson)
    context = _progress_context(course=course, lessons=lessons, user=user)
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    context.update(
        course=course,
        position=position + 1,
        previous_lesson=lessons[position - 1] if position > 0 else None,
        next_lesson=lessons[position + 1] if position + 1 < len(lessons) else None,
        is_done=lesson.pk in context["done_ids"],
    )
    return context


def poster_lessons(*, course: CoursePage | None, q: str) -> list[LessonPage]:
    """Return the lessons an editor picks a poster's from: a course's (or every
    course's), whose title holds q, accents or not; drafts too, marked."""
    lessons = LessonPage.objects.order_by("path").defer_streamfields()
    if course is not None:
        lessons = lessons.child_of(course)
    wanted = fold(q)
    return [lesson for lesson in lessons if wanted in fold(lesson.title)]
