"""“Nộp bài” asks once: it says how many questions are unanswered, and nothing is
submitted until the learner confirms. Works without JavaScript."""

import re

from django.test import TestCase

from core.testing import vi

from ..models import AttemptState, QuestionType, QuizAttempt, QuizLayout
from .factories import UserFactory, course_create, question_create, quiz_create


class SubmitConfirmationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.learner = UserFactory()
        cls.questions = [
            question_create(
                text=f"Câu hỏi số {n}?",
                choices=[(f"Đúng {n}", True), (f"Sai {n}", False)],
                explanation=f"Giải thích {n}.",
            )
            for n in range(1, 4)
        ]
        cls.short = question_create(kind=QuestionType.SHORT_TEXT, accepted=["Hà Nội"])
        cls.quiz = quiz_create(
            course=cls.course,
            questions=[*cls.questions, cls.short],
            layout=QuizLayout.ONE_PER_SCREEN,
            pass_mark=50,
        )

    def setUp(self):
        self.client.force_login(self.learner)
        self.client.post(self.quiz.url + "start/")
        self.attempt = QuizAttempt.objects.get(user=self.learner, quiz=self.quiz)
        self.url = f"{self.quiz.url}attempt/{self.attempt.pk}/"

    def answer_first(self, action="next"):
        question = self.questions[0]
        right = question.choices.get(is_correct=True).pk
        return self.client.post(
            self.url + "?q=1",
            {"shown": [question.pk], f"q-{question.pk}": right, "action": action},
        )

    def test_the_question_screen_offers_submit_apart_from_next(self):
        """The question screen's “Nộp bài…” asks for the confirmation: it is not
        styled like “Lưu và sang câu tiếp” and submits nothing by itself; the only
        button that submits at once is hidden, for the timer."""
        html = self.client.get(self.url + "?q=1").content.decode()

        next_button = re.search(r'<button[^>]*value="next"[^>]*>', html).group(0)
        confirm = re.search(r'<button[^>]*value="confirm"[^>]*>([^<]*)<', html)
        hidden = re.search(r'<button[^>]*value="submit"[^>]*>', html).group(0)
        self.assertIn("button--primary", next_button)
        self.assertIn("button--danger", confirm.group(0))
        self.assertNotIn("button--primary", confirm.group(0))
        self.assertEqual(confirm.group(1), vi("Submit the quiz…"))
        self.assertIn(" hidden", hidden)

    def test_submit_asks_and_counts_the_unanswered(self):
        """Tapping “Nộp bài…” with one question of four answered saves that
        answer, submits nothing, and says three are unanswered, naming them."""
        response = self.answer_first(action="confirm")

        self.assertRedirects(
            response, self.url + "submit/?q=1", fetch_redirect_response=False
        )
        self.attempt.refresh_from_db()
        self.assertEqual(self.attempt.state, AttemptState.IN_PROGRESS)
        self.assertEqual(self.attempt.answers.count(), 1)
        page = self.client.get(self.url + "submit/?q=1")
        self.assertContains(page, vi("Submit the quiz?"))
        self.assertContains(
            page,
            vi("%(answered_count)s of %(total)s answered")
            % {"answered_count": 1, "total": 4},
        )
        self.assertContains(
            page,
            vi(
                "%(counter)s question is not answered yet.",
                "%(counter)s questions are not answered yet.",
                3,
            )
            % {"counter": 3},
        )
        for number in (2, 3, 4):
            self.assertContains(page, f'href="{self.url}?q={number}"')
        self.assertContains(page, vi("Go back and keep working"))
        self.attempt.refresh_from_db()
        self.assertEqual(self.attempt.state, AttemptState.IN_PROGRESS)

    def test_the_confirmation_carries_no_answer_key(self):
        """The confirmation shows no question, choice, explanation or feedback."""
        self.answer_first()

        page = self.client.get(self.url + "submit/").content.decode()

        for text in ("Câu hỏi số", "Đúng 1", "Sai 1", "Giải thích", "Phản hồi"):
            self.assertNotIn(text, page)

    def test_confirming_submits_once(self):
        """“Nộp bài” on the confirmation submits and shows the result."""
        self.answer_first()

        response = self.client.post(self.url + "?q=1", {"action": "submit"})

        self.assertRedirects(response, self.url + "result/")
        self.attempt.refresh_from_db()
        self.assertEqual(self.attempt.state, AttemptState.FINISHED)
        self.assertEqual(self.attempt.score, 25)

    def test_everything_answered_says_so(self):
        """With every question answered, the confirmation says so."""
        for question in self.questions:
            right = question.choices.get(is_correct=True).pk
            self.client.post(
                self.url, {"shown": [question.pk], f"q-{question.pk}": right}
            )
        self.client.post(
            self.url, {"shown": [self.short.pk], f"q-{self.short.pk}": "Hà Nội"}
        )

        page = self.client.get(self.url + "submit/")

        self.assertContains(page, vi("Every question is answered."))
        self.assertNotContains(page, "data-unanswered")

    def test_a_submitted_attempt_goes_to_its_result(self):
        """The confirmation of an attempt already submitted opens its result."""
        self.client.post(self.url + "submit/")

        response = self.client.get(self.url + "submit/")

        self.assertRedirects(response, self.url + "result/")

    def test_another_learner_gets_404(self):
        """Another learner cannot open someone's confirmation."""
        self.client.force_login(UserFactory())

        self.assertEqual(self.client.get(self.url + "submit/").status_code, 404)
