from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import receivers
        from .models import Enrolment, LessonFeedback, LessonProgress

        for signal in (post_save, post_delete):
            signal.connect(
                receivers.enrolment_changed,
                sender=Enrolment,
                dispatch_uid=f"courses-progress-enrolment-{signal is post_save}",
            )
            signal.connect(
                receivers.lesson_progress_changed,
                sender=LessonProgress,
                dispatch_uid=f"courses-progress-lesson-{signal is post_save}",
            )
            signal.connect(
                receivers.lesson_feedback_changed,
                sender=LessonFeedback,
                dispatch_uid=f"courses-feedback-{signal is post_save}",
            )
