"""A person's courses and lessons, for their data download (users.personal_data).

Enrolments and progress are kept when the person deletes their account: they
hold no text of theirs, and the reports count the enrolments with the unit and
kind they snapshot. The comments they left under lessons are erased; whether
each lesson helped them is kept, as a count.
"""

from django.utils.translation import gettext_lazy as _

from users.personal_data import Section, register

from .models import Enrolment, LessonFeedback, LessonProgress
from .receivers import forget_feedback_answers


def _enrolments(user) -> list[dict]:
    return [
        {
            "course": enrolment.course.title,
            "enrolled_at": enrolment.enrolled_at,
            "completed_at": enrolment.completed_at,
            "restarted_at": enrolment.restarted_at,
            "last_lesson": enrolment.last_lesson.title if enrolment.last_lesson else "",
            "last_activity_at": enrolment.last_activity_at,
            "region": str(enrolment.region) if enrolment.region else "",
            "learner_kind": enrolment.get_learner_kind_display(),
        }
        for enrolment in Enrolment.objects.filter(user=user)
        .select_related("course", "last_lesson", "region", "region__parent")
        .order_by("enrolled_at", "pk")
    ]


def _lesson_progress(user) -> list[dict]:
    return [
        {
            "course": progress.enrolment.course.title,
            "lesson": progress.lesson.title,
            "first_viewed_at": progress.first_viewed_at,
            "completed_at": progress.completed_at,
        }
        for progress in LessonProgress.objects.filter(enrolment__user=user)
        .select_related("enrolment__course", "lesson")
        .order_by("enrolment__enrolled_at", "first_viewed_at", "pk")
    ]


def _lesson_feedback(user) -> list[dict]:
    return [
        {
            "lesson": feedback.lesson.title,
            "helpful": feedback.helpful,
            "comment": feedback.comment,
            "updated_at": feedback.updated_at,
        }
        for feedback in LessonFeedback.objects.filter(user=user)
        .select_related("lesson")
        .order_by("created_at", "pk")
    ]


def _erase_lesson_feedback(user) -> None:
    LessonFeedback.objects.filter(user=user).exclude(comment="").update(comment="")
    # update() sends no signal: the answers kept for the lesson pages go too.
    forget_feedback_answers(user_id=user.pk)


register(
    Section(
        name="enrolments",
        title=_("Courses"),
        columns=[
            ("course", _("Course")),
            ("enrolled_at", _("Started on")),
            ("completed_at", _("Completed on")),
            ("restarted_at", _("Started again on")),
            ("last_lesson", _("Last lesson opened")),
            ("last_activity_at", _("Last activity")),
            ("region", _("Unit when starting")),
            ("learner_kind", _("Kind when starting")),
        ],
        rows=_enrolments,
    )
)
register(
    Section(
        name="lesson_progress",
        title=_("Lessons"),
        columns=[
            ("course", _("Course")),
            ("lesson", _("Lesson")),
            ("first_viewed_at", _("First opened on")),
            ("completed_at", _("Done on")),
        ],
        rows=_lesson_progress,
    )
)
register(
    Section(
        name="lesson_feedback",
        title=_("Answers under lessons"),
        columns=[
            ("lesson", _("Lesson")),
            ("helpful", _("Helpful")),
            ("comment", _("Comment")),
            ("updated_at", _("Answered on")),
        ],
        rows=_lesson_feedback,
        erase=_erase_lesson_feedback,
    )
)
