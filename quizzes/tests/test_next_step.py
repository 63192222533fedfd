"""Once every lesson is done, the final quiz is the next step everywhere: the
course page's button and figure, the last lesson's next button, the redirect after
marking it done, and “Học tập của tôi”."""

from django.test import TestCase
from django.urls import reverse

from core.testing import vi
from courses.models import CompletionRule
from courses.services import lesson_progress_record

from ..services import quiz_answer_record, quiz_attempt_start, quiz_attempt_submit
from .factories import UserFactory, course_create, question_create, quiz_create
from .test_services import right_choice


class FinalQuizIsTheNextStepTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create(
            lessons=2, completion_rule=CompletionRule.LESSONS_AND_QUIZ
        )
        cls.lessons = list(cls.course.lessons())
        cls.quiz = quiz_create(
            course=cls.course, questions=[question_create()], title="Kiểm tra cuối"
        )
        cls.learner = UserFactory()

    def setUp(self):
        self.client.force_login(self.learner)

    def do_lessons(self, lessons):
        for lesson in lessons:
            lesson_progress_record(user=self.learner, lesson=lesson, course=self.course)

    def quiz_button(self):
        return (
            f'<a class="button button--primary button--block" '
            f'href="{self.quiz.url}">{vi("Take the final quiz")}</a>'
        )

    def test_the_course_page_leads_to_the_quiz_once_the_lessons_are_done(self):
        """With both lessons done, the course page's main button opens the final
        quiz, the bar is full for the lessons and the text says the quiz remains;
        no lesson is offered to “continue”, and nothing says 99%."""
        self.do_lessons(self.lessons)

        response = self.client.get(self.course.url)

        html = response.content.decode()
        self.assertInHTML(self.quiz_button(), html)
        self.assertIn(vi("The final quiz remains."), html)
        self.assertIn('<progress class="progress" max="100" value="100"', html)
        self.assertNotIn('value="99"', html)
        self.assertNotIn("99%", html)
        self.assertNotIn(vi("Continue:"), html)

    def test_the_course_page_continues_the_lessons_before(self):
        """With a lesson left, the course page still leads to the lessons."""
        self.do_lessons(self.lessons[:1])

        html = self.client.get(self.course.url).content.decode()

        self.assertIn(vi("Continue:"), html)
        self.assertNotIn(vi("The final quiz remains."), html)
        self.assertNotIn(self.quiz_button(), html)

    def test_the_last_lesson_leads_to_the_quiz(self):
        """On the last lesson, once every lesson is done, the next button opens
        the final quiz instead of going back to the course, and the progress
        line says every lesson is done."""
        self.do_lessons(self.lessons)

        html = self.client.get(self.lessons[-1].url).content.decode()

        self.assertInHTML(
            f'<a class="button button--primary" rel="next" href="{self.quiz.url}">'
            f"{vi('Take the final quiz')} →</a>",
            html,
        )
        self.assertNotIn(vi("Back to the course"), html)
        self.assertIn(vi("All lessons done."), html)

    def test_marking_the_last_lesson_done_opens_the_quiz(self):
        """Marking the last lesson done, as a plain form, opens the final quiz."""
        self.do_lessons(self.lessons[:1])
        complete = self.lessons[-1].url + self.lessons[-1].reverse_subpage("complete")

        response = self.client.post(complete, {"done": "1"})

        self.assertRedirects(response, self.quiz.url, fetch_redirect_response=False)

    def test_marking_it_done_with_htmx_offers_the_quiz(self):
        """With htmx, the updated panel offers the final quiz as the next step."""
        self.do_lessons(self.lessons[:1])
        complete = self.lessons[-1].url + self.lessons[-1].reverse_subpage("complete")

        response = self.client.post(complete, {"done": "1"}, HTTP_HX_REQUEST="true")

        self.assertContains(response, f'rel="next" href="{self.quiz.url}"')
        self.assertContains(response, vi("The final quiz remains."))

    def test_my_learning_leads_to_the_quiz(self):
        """“Học tập của tôi” offers the final quiz, saying it remains."""
        self.do_lessons(self.lessons)

        html = self.client.get(reverse("courses:my_learning")).content.decode()

        self.assertInHTML(self.quiz_button(), html)
        self.assertIn(vi("The final quiz remains."), html)
        self.assertNotIn(vi("Continue:"), html)

    def test_a_passed_quiz_completes_and_no_step_remains(self):
        """Once the course is complete, no step remains and the bar is at 100."""
        self.do_lessons(self.lessons)
        attempt = quiz_attempt_start(user=self.learner, quiz=self.quiz)
        question = self.quiz.quiz_questions.get().question
        quiz_answer_record(
            attempt=attempt,
            user=self.learner,
            question_id=question.pk,
            choice_ids=[right_choice(question)],
        )
        self.assertIs(
            quiz_attempt_submit(attempt=attempt, user=self.learner).passed, True
        )

        html = self.client.get(self.course.url).content.decode()

        self.assertNotIn(vi("The final quiz remains."), html)
        self.assertIn(vi("Review the lessons"), html)
