from courses.models import CompletionRule, Enrolment
from courses.services import lesson_progress_record

from ..services import quiz_attempt_submit
from .factories import course_create, quiz_create
from .test_services import QuizTestCase, right_choice, wrong_choice


class CompletionRuleTests(QuizTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.strict_course = course_create(
            lessons=1, completion_rule=CompletionRule.LESSONS_AND_QUIZ
        )
        cls.final = quiz_create(
            course=cls.strict_course, questions=[cls.single], pass_mark=100
        )

    def complete_lessons(self):
        lesson = self.strict_course.lessons().get()
        return lesson_progress_record(
            user=self.learner, lesson=lesson, course=self.strict_course
        )

    def pass_final(self):
        attempt = self.start(self.final)
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        return quiz_attempt_submit(attempt=attempt, user=self.learner)

    def test_lessons_alone_do_not_complete(self):
        """With the lessons-and-quiz rule, lessons done without the quiz is not
        complete."""
        enrolment = self.complete_lessons()
        self.assertIsNone(enrolment.completed_at)

    def test_passing_the_quiz_after_the_lessons_completes(self):
        """Passing the final quiz after the lessons completes the course."""
        self.complete_lessons()
        self.assertIs(self.pass_final().passed, True)
        enrolment = Enrolment.objects.get(user=self.learner, course=self.strict_course)
        self.assertIsNotNone(enrolment.completed_at)

    def test_lessons_after_the_quiz_complete(self):
        """Passing first and finishing the lessons later also completes."""
        self.pass_final()
        self.assertIsNotNone(self.complete_lessons().completed_at)

    def test_failing_does_not_complete(self):
        """A failed final quiz leaves the course incomplete."""
        self.complete_lessons()
        attempt = self.start(self.final)
        self.answer(attempt, self.single, choice_ids=[wrong_choice(self.single)])
        quiz_attempt_submit(attempt=attempt, user=self.learner)
        enrolment = Enrolment.objects.get(user=self.learner, course=self.strict_course)
        self.assertIsNone(enrolment.completed_at)
