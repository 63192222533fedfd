"""Writes of learner activity in courses. Views, tasks and commands all call these."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from users.models import User

from .completion import requirement_met
from .models import (
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonFeedback,
    LessonPage,
    LessonProgress,
)
from .receivers import forget_progress
from .signals import enrolment_completed, enrolments_created


def _snapshot(user: User) -> dict:
    """Return what an enrolment keeps of the learner at enrolment: their unit and
    kind, where coverage reports count it."""
    return {"region_id": user.home_region_id, "learner_kind": user.kind}


def enrolment_create(*, user: User, course: CoursePage) -> Enrolment:
    """Enrol the user in the course, or return the enrolment they already have.

    A new enrolment keeps the learner's unit and kind at this moment, which is
    where coverage reports count it."""
    try:
        with transaction.atomic():
            enrolment, _created = Enrolment.objects.get_or_create(
                user=user,
                course=course,
                defaults=_snapshot(user),
            )
    except IntegrityError:
        # Two taps at once: the other request created it.
        enrolment = Enrolment.objects.get(user=user, course=course)
    return enrolment


@transaction.atomic
def enrolments_create_many(*, users, courses) -> list[Enrolment]:
    """Enrol each person in each course they are not enrolled in yet, keeping
    their unit and kind now (as ``enrolment_create``); return the new
    enrolments. One bulk insert, announced by ``enrolments_created``."""
    users, courses = list(users), list(courses)
    for attempt in range(2):
        existing = set(
            Enrolment.objects.filter(user__in=users, course__in=courses).values_list(
                "user_id", "course_id"
            )
        )
        new = [
            Enrolment(user=user, course=course, **_snapshot(user))
            for user in users
            for course in courses
            if (user.pk, course.pk) not in existing
        ]
        try:
            with transaction.atomic():
                created = Enrolment.objects.bulk_create(new, batch_size=500)
            break
        except IntegrityError:
            # A learner enrolled themselves meanwhile: look again, once.
            if attempt:
                raise
    enrolments_created.send(sender=Enrolment, enrolments=created)
    return created


def lesson_visit_record(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember the lesson as the place the learner comes back to."""
    if enrolment.last_lesson_id == lesson.pk:
        return
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson=lesson, last_activity_at=now
    )
    # An update sends no signal: the kept progress is forgotten here.
    forget_progress(user_id=enrolment.user_id, course_id=enrolment.course_id)
    enrolment.last_lesson = lesson
    enrolment.last_activity_at = now


@transaction.atomic
def lesson_progress_record(
    *, user: User, lesson: LessonPage, course: CoursePage, done: bool = True
) -> Enrolment:
    """Mark the lesson done (or not done) and update the course's completion.

    Marking a lesson done enrols the learner in its course when they are not yet.
    """
    enrolment = enrolment_create(user=user, course=course)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson
    )
    if done and progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
    elif not done and progress.completed_at is not None:
        progress.completed_at = None
        progress.save(update_fields=["completed_at"])
    enrolment.last_lesson = lesson
    enrolment.last_activity_at = now
    enrolment.save(update_fields=["last_lesson", "last_activity_at"])
    enrolment_completion_update(enrolment=enrolment)
    return enrolment


def completion_rule_met(*, enrolment: Enrolment) -> bool:
    """Whether the enrolment meets its course's completion rule."""
    course = enrolment.course
    if course.completion_rule not in CompletionRule.values:
        return False
    lesson_ids = set(course.lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return False
    done_ids = set(
        enrolment.lesson_progress.filter(
            completed_at__isnull=False, lesson_id__in=lesson_ids
        ).values_list("lesson_id", flat=True)
    )
    if done_ids != lesson_ids:
        return False
    return requirement_met(course.completion_rule, enrolment)


def enrolment_completion_update(*, enrolment: Enrolment) -> Enrolment:
    """Set or clear the enrolment's completion time according to its course's rule.

    A completed course stays completed: undoing a lesson afterwards does not take
    the completion back, since certificates and reports may already count it.
    """
    if enrolment.completed_at is None and completion_rule_met(enrolment=enrolment):
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        enrolment_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment


def lesson_feedback_record(
    *,
    lesson: LessonPage,
    helpful: bool,
    comment: str = "",
    user: User | None = None,
    visitor: str = "",
) -> LessonFeedback:
    """Record whether the lesson helped a learner (or an anonymous visitor's
    browser), replacing the answer they gave before."""
    if user is not None:
        who = {"user": user}
    elif visitor:
        who = {"user": None, "visitor": visitor}
    else:
        raise ValueError("Feedback needs a learner or a visitor.")
    try:
        with transaction.atomic():
            feedback, _created = LessonFeedback.objects.update_or_create(
                lesson=lesson, **who, defaults={"helpful": helpful, "comment": comment}
            )
    except IntegrityError:
        # The same person answering twice at once: the other answer was kept
        # first; this one replaces it.
        feedback = LessonFeedback.objects.get(lesson=lesson, **who)
        feedback.helpful, feedback.comment = helpful, comment
        feedback.save(update_fields=["helpful", "comment", "updated_at"])
    return feedback


def catalogue_index(home) -> CourseIndexPage:
    """Return the catalogue (the course index) under the home page, made as
    “Khóa học” when the site has none yet: for the demo, load and bench data
    that add courses to a site."""
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc")
        )
    return index
