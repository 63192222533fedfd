"""What the courses app does when its own rows change: the learner's progress
kept in the shared cache (courses.selectors.PROGRESS_TIMEOUT) is forgotten at
every save or delete of an enrolment or of a lesson's progress, and their
answers to “Bài này có giúp bạn không?” (courses.selectors.feedback_answer) at
every save or delete of one."""

from core.cache import forget

from .selectors import feedback_answers_key, progress_key


def forget_progress(*, user_id: int, course_id: int) -> None:
    """Forget the learner's kept progress in the course, now and once the
    transaction commits (a page read meanwhile may have kept the old rows)."""
    forget(progress_key(user_id, course_id))


def enrolment_changed(sender, instance, **kwargs) -> None:
    forget_progress(user_id=instance.user_id, course_id=instance.course_id)


def lesson_progress_changed(sender, instance, **kwargs) -> None:
    from .models import Enrolment

    field = sender._meta.get_field("enrolment")
    if field.is_cached(instance):
        enrolment = instance.enrolment
        found = [(enrolment.user_id, enrolment.course_id)]
    else:
        found = Enrolment.objects.filter(pk=instance.enrolment_id).values_list(
            "user_id", "course_id"
        )
    for user_id, course_id in found:
        forget_progress(user_id=user_id, course_id=course_id)


def forget_feedback_answers(*, user_id: int) -> None:
    """Forget the learner's kept answers, now and once the transaction commits."""
    forget(feedback_answers_key(user_id))


def lesson_feedback_changed(sender, instance, **kwargs) -> None:
    if instance.user_id is not None:
        forget_feedback_answers(user_id=instance.user_id)
