"""What the browser may learn and change during an attempt.

The issue asks that no answer key, correctness flag, explanation or feedback reach
the browser before the answer is submitted; that scores be computed on the
server only; and that a learner cannot read or answer another learner's attempt.
"""

from django.test import TestCase

from ..models import (
    AttemptState,
    Choice,
    QuestionType,
    QuizAttempt,
    QuizLayout,
    ShowAnswers,
)
from .factories import UserFactory, course_create, question_create, quiz_create

EXPLANATION = "MARKER-EXPL-7f3a"
FEEDBACK = "MARKER-FB-91c2"
RIGHT_FEEDBACK = "MARKER-FB-RIGHT-5d0e"
SHORT_EXPLANATION = "MARKER-EXPL-2b6d"
ACCEPTED = "MARKER-ACC-44e1"
SECRETS = (EXPLANATION, FEEDBACK, RIGHT_FEEDBACK, SHORT_EXPLANATION, ACCEPTED)
# Anything that would flag a choice as the right one in the markup.
FLAGS = ("is_correct", "data-correct", "answer-review", "correct")


class IntegrityTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        # The right choice sits in the middle, so an order putting it first or
        # last would give it away.
        cls.single = question_create(
            text="Ứng dụng nào dùng để định danh điện tử?",
            choices=[("Zalo", False), ("VNeID", True), ("Facebook", False)],
            explanation=EXPLANATION,
        )
        Choice.objects.filter(question=cls.single, text="Zalo").update(
            feedback=FEEDBACK
        )
        Choice.objects.filter(question=cls.single, text="VNeID").update(
            feedback=RIGHT_FEEDBACK
        )
        cls.short = question_create(
            kind=QuestionType.SHORT_TEXT,
            text="Tên cổng dịch vụ công quốc gia?",
            accepted=[ACCEPTED],
            explanation=SHORT_EXPLANATION,
        )
        cls.learner = UserFactory()

    def quiz(self, **fields):
        return quiz_create(
            course=self.course, questions=[self.single, self.short], **fields
        )

    def wrong(self):
        return self.single.choices.get(text="Zalo").pk

    def assert_secret_free(self, response, what):
        html = response.content.decode()
        for secret in (*SECRETS, *FLAGS):
            self.assertNotIn(secret, html, f"{secret} leaked in {what}")

    def start(self, quiz):
        response = self.client.post(quiz.url + "start/")
        attempt = QuizAttempt.objects.get(user=self.learner, quiz=quiz)
        return response, attempt, f"{quiz.url}attempt/{attempt.pk}/"


class AtTheEndTests(IntegrityTestCase):
    def walk(self, layout):
        """Take the attempt as a learner would, asserting every response before
        the submit is free of the answer key; return the result page."""
        quiz = self.quiz(show_answers=ShowAnswers.AT_END, layout=layout)
        self.client.force_login(self.learner)
        self.assert_secret_free(self.client.get(quiz.url), "the quiz page")
        response, attempt, url = self.start(quiz)
        self.assert_secret_free(response, "the start")
        screens = [url, url + "?q=1", url + "?q=2"]
        for screen in screens:
            response = self.client.get(screen)
            self.assertEqual(response.status_code, 200)
            self.assert_secret_free(response, screen)
        html = self.client.get(url + "?q=1").content.decode()
        # The choices come in the attempt's order, which is the editor's here.
        self.assertLess(html.index("Zalo"), html.index("VNeID"))
        self.assertLess(html.index("VNeID"), html.index("Facebook"))
        # Saving answers, by a plain POST and by htmx, says nothing either.
        response = self.client.post(
            url + "?q=1",
            {"shown": [self.single.pk], f"q-{self.single.pk}": self.wrong()},
            follow=True,
        )
        self.assert_secret_free(response, "the answer saved by POST")
        for redirect_url, _status in response.redirect_chain:
            self.assertNotIn("result", redirect_url)
        response = self.client.post(
            url + "?q=2",
            {"shown": [self.short.pk], f"q-{self.short.pk}": "Cổng dịch vụ công"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assert_secret_free(response, "the answer saved by htmx")
        # Resuming: the start again, the attempt without a position, the result
        # page before submitting (which sends back to the questions).
        response = self.client.post(quiz.url + "start/", follow=True)
        self.assert_secret_free(response, "the resume")
        for screen in screens + [url + "result/"]:
            response = self.client.get(screen, follow=True)
            self.assert_secret_free(response, f"{screen} after answering")
        self.assertEqual(attempt.answers.count(), 2)
        return self.client.post(url + "submit/", follow=True)

    def test_one_per_screen(self):
        """One question per screen: the markers appear only on the result."""
        result = self.walk(QuizLayout.ONE_PER_SCREEN)
        for secret in (EXPLANATION, FEEDBACK, SHORT_EXPLANATION, ACCEPTED):
            self.assertContains(result, secret)
        # Only the chosen choice's feedback is shown.
        self.assertNotContains(result, RIGHT_FEEDBACK)

    def test_all_on_one_page(self):
        """All questions on one page: the markers appear only on the result."""
        result = self.walk(QuizLayout.ALL_ON_ONE_PAGE)
        for secret in (EXPLANATION, FEEDBACK, SHORT_EXPLANATION, ACCEPTED):
            self.assertContains(result, secret)


class AfterEachTests(IntegrityTestCase):
    def test_one_per_screen(self):
        """After each question: a question's explanation and feedback appear once
        it is answered, and the next question's stay hidden."""
        quiz = self.quiz(
            show_answers=ShowAnswers.AFTER_EACH, layout=QuizLayout.ONE_PER_SCREEN
        )
        self.client.force_login(self.learner)
        _response, _attempt, url = self.start(quiz)
        self.assert_secret_free(self.client.get(url + "?q=1"), "question 1")
        self.assert_secret_free(self.client.get(url + "?q=2"), "question 2")
        response = self.client.post(
            url + "?q=1",
            {
                "shown": [self.single.pk],
                f"q-{self.single.pk}": self.wrong(),
                "action": "next",
            },
            follow=True,
        )
        self.assertContains(response, EXPLANATION)
        self.assertContains(response, FEEDBACK)
        self.assertNotContains(response, RIGHT_FEEDBACK)
        self.assertNotContains(response, SHORT_EXPLANATION)
        self.assert_secret_free(self.client.get(url + "?q=2"), "question 2")

    def test_all_on_one_page(self):
        """On one page, only the answered question shows its correction."""
        quiz = self.quiz(
            show_answers=ShowAnswers.AFTER_EACH, layout=QuizLayout.ALL_ON_ONE_PAGE
        )
        self.client.force_login(self.learner)
        _response, _attempt, url = self.start(quiz)
        self.assert_secret_free(self.client.get(url), "the questions")
        response = self.client.post(
            url,
            {"shown": [self.single.pk], f"q-{self.single.pk}": self.wrong()},
            follow=True,
        )
        self.assertContains(response, EXPLANATION)
        self.assertContains(response, FEEDBACK)
        self.assertNotContains(response, SHORT_EXPLANATION)
        self.assertNotContains(response, ACCEPTED)


class NeverTests(IntegrityTestCase):
    def test_never_shown(self):
        """With answers never shown, no marker appears, not even on the result."""
        quiz = self.quiz(show_answers=ShowAnswers.NEVER)
        self.client.force_login(self.learner)
        _response, attempt, url = self.start(quiz)
        responses = [
            self.client.get(url + "?q=1"),
            self.client.post(
                url + "?q=1",
                {"shown": [self.single.pk], f"q-{self.single.pk}": self.wrong()},
                follow=True,
            ),
            self.client.post(
                url + "?q=2",
                {"shown": [self.short.pk], f"q-{self.short.pk}": "x"},
                headers={"HX-Request": "true"},
            ),
            self.client.post(url + "submit/", follow=True),
            self.client.get(url + "result/"),
            self.client.get(quiz.url),
        ]
        for number, response in enumerate(responses):
            self.assertEqual(response.status_code, 200)
            self.assert_secret_free(response, f"response {number}")
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)


class BrowserSentValuesTests(IntegrityTestCase):
    FAKE = {
        "score": "100",
        "passed": "1",
        "state": "finished",
        "deadline": "",
        "submitted_at": "2020-01-01 00:00",
        "pass_mark": "0",
        "number": "9",
        "user": "1",
        "is_correct": "1",
    }

    def test_fake_fields_change_nothing(self):
        """Score, pass state, state and timing sent by the browser are ignored:
        the attempt is scored from its stored answers only."""
        quiz = self.quiz(time_limit_minutes=10, pass_mark=50)
        self.client.force_login(self.learner)
        self.client.post(quiz.url + "start/", self.FAKE)
        attempt = QuizAttempt.objects.get(user=self.learner, quiz=quiz)
        before = (attempt.state, attempt.score, attempt.passed, attempt.deadline)
        self.assertIsNotNone(attempt.deadline)
        url = f"{quiz.url}attempt/{attempt.pk}/"
        self.client.post(
            url + "?q=1",
            {
                **self.FAKE,
                "shown": [self.single.pk],
                f"q-{self.single.pk}": self.wrong(),
            },
        )
        self.client.post(
            url + "?q=2",
            {**self.FAKE, "shown": [self.short.pk], f"q-{self.short.pk}": "sai"},
            headers={"HX-Request": "true"},
        )
        attempt.refresh_from_db()
        self.assertEqual(
            (attempt.state, attempt.score, attempt.passed, attempt.deadline), before
        )
        self.assertEqual(attempt.number, 1)
        self.assertIsNone(attempt.submitted_at)
        self.assertEqual(
            list(attempt.answers.values_list("score", "is_correct")),
            [(None, None), (None, None)],
        )
        self.client.post(url + "submit/", self.FAKE)
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(attempt.score, 0)
        self.assertIs(attempt.passed, False)
        self.assertEqual(attempt.pass_mark, 50)
        self.assertEqual(attempt.user, self.learner)
        self.assertEqual(before[3], attempt.deadline)


class OtherLearnersAttemptTests(IntegrityTestCase):
    def test_every_attempt_route_is_404(self):
        """Another learner gets 404 on every route of an attempt, before and after
        its submit, and changes nothing in it."""
        quiz = self.quiz()
        self.client.force_login(self.learner)
        _response, attempt, url = self.start(quiz)
        self.client.force_login(UserFactory())
        answer = {"shown": [self.single.pk], f"q-{self.single.pk}": self.wrong()}
        requests = [
            ("get", url, {}, {}),
            ("get", url + "?q=2", {}, {}),
            ("post", url + "?q=1", answer, {}),
            ("post", url + "?q=1", answer, {"HX-Request": "true"}),
            ("post", url + "?q=1", {**answer, "action": "submit"}, {}),
            ("post", url + "submit/", {}, {}),
            ("get", url + "result/", {}, {}),
        ]
        for method, target, data, headers in requests:
            response = getattr(self.client, method)(target, data, headers=headers)
            self.assertEqual(response.status_code, 404, f"{method} {target}")
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.IN_PROGRESS)
        self.assertFalse(attempt.answers.exists())
        # Submitted by its learner, it stays out of reach.
        self.client.force_login(self.learner)
        self.client.post(url + "submit/")
        self.client.force_login(UserFactory())
        for method, target, data, headers in requests:
            response = getattr(self.client, method)(target, data, headers=headers)
            self.assertEqual(response.status_code, 404, f"{method} {target}")

    def test_attempt_under_another_quiz_is_404(self):
        """An attempt's id under another quiz's address is 404, even to its own
        learner."""
        quiz, other = self.quiz(), self.quiz()
        self.client.force_login(self.learner)
        _response, attempt, _url = self.start(quiz)
        url = f"{other.url}attempt/{attempt.pk}/"
        for target in (url, url + "result/"):
            self.assertEqual(self.client.get(target).status_code, 404)
        self.assertEqual(self.client.post(url + "submit/").status_code, 404)
