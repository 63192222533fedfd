"""What the courses app does when its own rows change: the learner's progress
kept in the shared cache (courses.selectors.PROGRESS_TIMEOUT) is forgotten at
every save or delete of an enrolment or of a lesson's progress."""

from django.core.cache import cache
from django.db import transaction

from .selectors import progress_key


def forget_progress(*, user_id: int, course_id: int) -> None:
    """Forget the learner's kept progress in the course, now and once the
    transaction commits (a page read meanwhile may have kept the old rows)."""
    key = progress_key(user_id, course_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


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
