"""The course completion rules, with and without the final quiz."""

from django.test import TestCase

from courses.models import CompletionRule
from courses.services import completion_rule_met, lesson_progress_record
from quizzes.tests.factories import UserFactory, course_create


class CompletionRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.learner = UserFactory()
        cls.course = course_create(lessons=2)

    def record(self, lesson, done=True):
        return lesson_progress_record(
            user=self.learner, lesson=lesson, course=self.course, done=done
        )

    def test_every_lesson_done_completes(self):
        """With the every-lesson rule, the last lesson done completes the course."""
        first, second = self.course.lessons()
        self.assertIsNone(self.record(first).completed_at)
        self.assertIsNotNone(self.record(second).completed_at)

    def test_course_without_lessons_is_never_complete(self):
        """A course with no live lesson cannot be completed by its rule."""
        empty = course_create(lessons=0)
        enrolment = empty.enrolments.create(user=self.learner)
        self.assertIs(completion_rule_met(enrolment=enrolment), False)

    def test_lessons_and_quiz_without_a_quiz(self):
        """With the lessons-and-quiz rule and no quiz, lessons alone never
        complete the course."""
        course = course_create(
            lessons=1, completion_rule=CompletionRule.LESSONS_AND_QUIZ
        )
        enrolment = lesson_progress_record(
            user=self.learner, lesson=course.lessons().get(), course=course
        )
        self.assertIsNone(enrolment.completed_at)
