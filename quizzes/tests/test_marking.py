from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from core.testing import vi
from courses.models import CompletionRule, Enrolment
from courses.services import lesson_progress_record

from ..models import AttemptState, QuestionType
from ..selectors import essays_awaiting_marking
from ..services import quiz_answer_record, quiz_attempt_start, quiz_attempt_submit
from .factories import UserFactory, course_create, question_create, quiz_create


class MarkingQueueTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create(
            lessons=1, completion_rule=CompletionRule.LESSONS_AND_QUIZ
        )
        cls.single = question_create(
            text="Ứng dụng định danh điện tử?",
            choices=[("VNeID", True), ("Zalo", False)],
        )
        cls.essay = question_create(
            kind=QuestionType.ESSAY, text="Kể lại cách nộp hồ sơ.", points=3
        )
        # 1 point + 3 points; passing needs 3 of the 4.
        cls.quiz = quiz_create(
            course=cls.course,
            questions=[cls.single, cls.essay],
            pass_mark=75,
            title="Kiểm tra cuối khóa",
        )
        cls.other_quiz = quiz_create(
            course=course_create(),
            questions=[cls.essay],
            title="Kiểm tra giữa khóa",
        )
        cls.mai = UserFactory(full_name="Trần Thị Mai", phone="+84912345678")
        cls.hung = UserFactory(full_name="Lê Văn Hùng", phone="+84987654321")
        cls.marker = UserFactory()
        cls.marker.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="mark_essays"),
        )

    def submit(self, learner, quiz, essay_text, *, right=True):
        attempt = quiz_attempt_start(user=learner, quiz=quiz)
        if self.single.pk in attempt.question_ids:
            choice = self.single.choices.get(is_correct=right).pk
            quiz_answer_record(
                attempt=attempt,
                user=learner,
                question_id=self.single.pk,
                choice_ids=[choice],
            )
        quiz_answer_record(
            attempt=attempt, user=learner, question_id=self.essay.pk, text=essay_text
        )
        return quiz_attempt_submit(attempt=attempt, user=learner)

    def setUp(self):
        self.url = reverse("quizzes_marking")
        self.client.force_login(self.marker)


class MarkingQueueFilterTests(MarkingQueueTestCase):
    def setUp(self):
        super().setUp()
        self.submit(self.mai, self.quiz, "Bài của Mai, cuối khóa.")
        self.submit(self.hung, self.quiz, "Bài của Hùng, cuối khóa.")
        self.submit(self.mai, self.other_quiz, "Bài của Mai, giữa khóa.")

    def queue(self, **filters):
        response = self.client.get(self.url, filters)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        return {
            text
            for text in (
                "Bài của Mai, cuối khóa.",
                "Bài của Hùng, cuối khóa.",
                "Bài của Mai, giữa khóa.",
            )
            if text in html
        }

    def test_no_filter_lists_every_essay(self):
        """Without filters, the queue lists every essay waiting, with the count."""
        self.assertEqual(len(self.queue()), 3)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            vi(
                "%(counter)s essay waiting.",
                "%(counter)s essays waiting.",
                3,
                counter=3,
            ),
        )

    def test_filter_by_quiz(self):
        """Choosing a quiz keeps that quiz's essays only."""
        self.assertEqual(
            self.queue(quiz=self.quiz.pk),
            {"Bài của Mai, cuối khóa.", "Bài của Hùng, cuối khóa."},
        )

    def test_filter_by_learner_name(self):
        """A part of the learner's name keeps that learner's essays only."""
        self.assertEqual(
            self.queue(learner="Thị Mai"),
            {"Bài của Mai, cuối khóa.", "Bài của Mai, giữa khóa."},
        )

    def test_filter_by_phone_as_typed(self):
        """The phone number typed the usual way, whole or in part, finds the
        learner stored as +84..."""
        for typed in ("0987 654 321", "0987.654", "+84987654321", "654321"):
            self.assertEqual(
                self.queue(learner=typed), {"Bài của Hùng, cuối khóa."}, typed
            )

    def test_filters_combine(self):
        """Quiz and learner together narrow to one essay; none matching says
        so."""
        self.assertEqual(
            self.queue(quiz=self.other_quiz.pk, learner="Mai"),
            {"Bài của Mai, giữa khóa."},
        )
        response = self.client.get(
            self.url, {"quiz": self.other_quiz.pk, "learner": "Hùng"}
        )
        self.assertContains(response, vi("No essay waiting matches these filters."))

    def test_unknown_quiz_is_reported(self):
        """A quiz id that is not a quiz is refused on the field, and the queue is
        shown unfiltered."""
        response = self.client.get(self.url, {"quiz": 999999})
        self.assertContains(
            response,
            vi(
                "Select a valid choice. That choice is not one of the available "
                "choices."
            ),
        )
        self.assertContains(response, "Bài của Hùng, cuối khóa.")

    def test_marking_keeps_the_filters(self):
        """After marking, the marker is back on the same filtered queue."""
        answer = essays_awaiting_marking(learner="Hùng").get()
        filtered = f"{self.url}?quiz={self.quiz.pk}&learner=H%C3%B9ng"
        response = self.client.post(
            filtered, {"answer": answer.pk, f"a{answer.pk}-points": "1"}
        )
        self.assertRedirects(response, filtered)
        self.assertEqual(self.queue(quiz=self.quiz.pk), {"Bài của Mai, cuối khóa."})


class MarkingOutcomeTests(MarkingQueueTestCase):
    def mark(self, attempt, points):
        answer = attempt.answers.get(question=self.essay)
        response = self.client.post(
            f"{self.url}?quiz={self.quiz.pk}",
            {"answer": answer.pk, f"a{answer.pk}-points": points},
        )
        self.assertEqual(response.status_code, 302)
        attempt.refresh_from_db()
        return attempt

    def enrolment(self, learner):
        return Enrolment.objects.get(user=learner, course=self.course)

    def test_marking_a_pass_completes_the_course(self):
        """Marking the essay scores the attempt, passes it and, the lessons being
        done, completes the course under the lessons-and-quiz rule."""
        lesson_progress_record(
            user=self.mai, lesson=self.course.lessons().get(), course=self.course
        )
        attempt = self.submit(self.mai, self.quiz, "Bài của Mai.")
        self.assertEqual(attempt.state, AttemptState.AWAITING_MARKING)
        self.assertIsNone(self.enrolment(self.mai).completed_at)
        # 1 + 2 of 4 points = 75%.
        attempt = self.mark(attempt, "2")
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(attempt.score, 75)
        self.assertIs(attempt.passed, True)
        self.assertIsNotNone(self.enrolment(self.mai).completed_at)

    def test_marking_a_fail_leaves_the_course_open(self):
        """A mark below the pass mark finishes the attempt as not passed, and the
        course stays incomplete."""
        lesson_progress_record(
            user=self.hung, lesson=self.course.lessons().get(), course=self.course
        )
        attempt = self.submit(self.hung, self.quiz, "Bài của Hùng.")
        # 1 + 1.5 of 4 points = 62.5%.
        attempt = self.mark(attempt, "1.5")
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(str(attempt.score), "62.50")
        self.assertIs(attempt.passed, False)
        self.assertIsNone(self.enrolment(self.hung).completed_at)

    def test_pass_without_the_lessons_does_not_complete(self):
        """A passed quiz with lessons still to do leaves the course incomplete."""
        attempt = self.mark(self.submit(self.mai, self.quiz, "Bài của Mai."), "3")
        self.assertEqual(attempt.score, 100)
        self.assertIs(attempt.passed, True)
        self.assertIsNone(self.enrolment(self.mai).completed_at)
