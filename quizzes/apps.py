from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses.completion import requirement_register
        from courses.models import CompletionRule

        from .selectors import final_quiz_passed_by

        # "Every lesson is done and the final quiz passed": the quiz half.
        requirement_register(CompletionRule.LESSONS_AND_QUIZ, final_quiz_passed_by)
