from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from core.signals import task_abandoned
        from courses.completion import next_step_register, requirement_register
        from courses.models import CompletionRule

        from .imports import resume_after_worker_lost
        from .selectors import final_quiz_passed_by, final_quiz_step

        # "Every lesson is done and the final quiz passed": the quiz half.
        requirement_register(CompletionRule.LESSONS_AND_QUIZ, final_quiz_passed_by)
        # Once the lessons are done, the final quiz is where the learner goes.
        next_step_register(final_quiz_step)
        # An import whose task died with its worker resumes (core.workers).
        task_abandoned.connect(
            resume_after_worker_lost, dispatch_uid="quizzes.worker_lost"
        )
