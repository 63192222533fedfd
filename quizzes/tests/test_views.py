from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from core.testing import vi

from ..models import AttemptState, QuestionType, QuizAttempt, QuizLayout, ShowAnswers
from ..services import quiz_answer_record, quiz_attempt_start, quiz_attempt_submit
from .factories import (
    QuestionCategoryFactory,
    UserFactory,
    course_create,
    question_create,
    quiz_create,
)


class QuizFlowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.learner = UserFactory()
        cls.single = question_create(
            text="Ứng dụng nào dùng để định danh điện tử?",
            choices=[("VNeID", True), ("Zalo", False)],
            explanation="VNeID do Bộ Công an phát hành.",
        )
        cls.short = question_create(
            kind=QuestionType.SHORT_TEXT, accepted=["Hà Nội"], ignore_accents=True
        )
        cls.quiz = quiz_create(
            course=cls.course,
            questions=[cls.single, cls.short],
            pass_mark=50,
            pass_message="Chúc mừng, bạn đã đạt!",
            fail_message="Bạn chưa đạt.",
            layout=QuizLayout.ONE_PER_SCREEN,
            show_answers=ShowAnswers.AT_END,
        )

    def setUp(self):
        self.client.force_login(self.learner)

    def start(self):
        response = self.client.post(self.quiz.url + "start/")
        attempt = QuizAttempt.objects.get(user=self.learner, quiz=self.quiz)
        self.assertRedirects(response, f"{self.quiz.url}attempt/{attempt.pk}/")
        return attempt

    def test_overview_offers_start(self):
        """The quiz page shows its rules and a start button."""
        response = self.client.get(self.quiz.url)
        self.assertContains(response, vi("Start the quiz"))
        self.assertContains(response, vi("Pass mark: %(mark)s%%", mark=50))

    def test_question_screen_carries_no_answer_key(self):
        """The question screen shows the question and its choices, and neither
        which is right, nor the explanation, nor any feedback."""
        attempt = self.start()
        response = self.client.get(f"{self.quiz.url}attempt/{attempt.pk}/?q=1")
        self.assertContains(response, "Ứng dụng nào dùng để định danh điện tử?")
        self.assertContains(response, "VNeID")
        self.assertNotContains(response, "Bộ Công an")
        self.assertNotContains(response, "Phản hồi")
        self.assertNotContains(response, vi("Right answer:"))

    def test_answer_submit_and_result(self):
        """Answering screen by screen and submitting shows the score, the pass
        message and, at the end, the explanation."""
        attempt = self.start()
        url = f"{self.quiz.url}attempt/{attempt.pk}/"
        right = self.single.choices.get(is_correct=True).pk
        response = self.client.post(
            url + "?q=1",
            {"shown": [self.single.pk], f"q-{self.single.pk}": right, "action": "next"},
        )
        self.assertRedirects(response, url + "?q=2")
        response = self.client.post(
            url + "?q=2",
            {"shown": [self.short.pk], f"q-{self.short.pk}": "x", "action": "submit"},
        )
        self.assertRedirects(response, url + "result/")
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(attempt.score, 50)
        response = self.client.get(url + "result/")
        self.assertContains(response, "Chúc mừng, bạn đã đạt!")
        self.assertContains(response, "VNeID do Bộ Công an phát hành.")

    def test_answer_saved_as_given_with_htmx(self):
        """A change on the question screen saves that answer at once."""
        attempt = self.start()
        response = self.client.post(
            f"{self.quiz.url}attempt/{attempt.pk}/?q=2",
            {"shown": [self.short.pk], f"q-{self.short.pk}": "ha noi"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, vi("Saved."))
        self.assertEqual(attempt.answers.get().text, "ha noi")

    def test_after_each_shows_the_correction_before_moving_on(self):
        """With corrections after each question, answering stays on the question
        and shows whether it was right, with the explanation."""
        quiz = quiz_create(
            course=self.course,
            questions=[self.single, self.short],
            show_answers=ShowAnswers.AFTER_EACH,
        )
        response = self.client.post(quiz.url + "start/")
        url = response["Location"]
        response = self.client.post(
            url + "?q=1",
            {
                "shown": [self.single.pk],
                f"q-{self.single.pk}": self.single.choices.get(is_correct=False).pk,
                "action": "next",
            },
            follow=True,
        )
        self.assertContains(response, vi("Not right."))
        self.assertContains(response, "VNeID do Bộ Công an phát hành.")
        self.assertContains(response, vi("Next question"))

    def test_double_submit(self):
        """Two submits of the same attempt land on one result."""
        attempt = self.start()
        submit = f"{self.quiz.url}attempt/{attempt.pk}/submit/"
        first = self.client.post(submit)
        second = self.client.post(submit)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(QuizAttempt.objects.filter(user=self.learner).count(), 1)

    def test_bad_choice_is_reported(self):
        """A choice from another question is refused with a message."""
        attempt = self.start()
        url = f"{self.quiz.url}attempt/{attempt.pk}/"
        other = question_create()
        response = self.client.post(
            url + "?q=1",
            {
                "shown": [self.single.pk],
                f"q-{self.single.pk}": other.choices.first().pk,
                "action": "next",
            },
            follow=True,
        )
        self.assertContains(
            response, vi("That choice does not belong to this question.")
        )
        self.assertEqual(attempt.answers.count(), 0)

    def test_another_learners_attempt_is_hidden(self):
        """A learner gets 404 on another learner's attempt and result."""
        attempt = self.start()
        self.client.post(f"{self.quiz.url}attempt/{attempt.pk}/submit/")
        self.client.force_login(UserFactory())
        for suffix in ("", "result/"):
            response = self.client.get(f"{self.quiz.url}attempt/{attempt.pk}/{suffix}")
            self.assertEqual(response.status_code, 404)

    def test_results_viewer_sees_others(self):
        """Someone allowed to view other people's results can open them."""
        attempt = self.start()
        self.client.post(f"{self.quiz.url}attempt/{attempt.pk}/submit/")
        viewer = UserFactory()
        viewer.user_permissions.add(Permission.objects.get(codename="view_all_results"))
        self.client.force_login(viewer)
        response = self.client.get(f"{self.quiz.url}attempt/{attempt.pk}/result/")
        self.assertContains(response, "Bạn chưa đạt.")

    def test_draft_quiz_is_hidden(self):
        """A quiz not published is not served to learners."""
        draft = quiz_create(course=self.course, questions=[self.single], live=False)
        self.assertEqual(self.client.get(draft.url or "/").status_code, 404)


class EssayMarkingPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.learner = UserFactory()
        cls.essay = question_create(
            kind=QuestionType.ESSAY, text="Kể lại cách nộp hồ sơ.", points=2
        )
        cls.quiz = quiz_create(course=course_create(), questions=[cls.essay])
        cls.marker = UserFactory()
        cls.marker.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="mark_essays"),
        )

    def setUp(self):
        attempt = quiz_attempt_start(user=self.learner, quiz=self.quiz)
        quiz_answer_record(
            attempt=attempt,
            user=self.learner,
            question_id=self.essay.pk,
            text="Em vào Cổng dịch vụ công.",
        )
        self.attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.answer = self.attempt.answers.get()
        self.url = reverse("quizzes_marking")

    def test_marker_sees_and_marks_essays(self):
        """A marker sees the essays waiting and marking one finishes its attempt."""
        self.client.force_login(self.marker)
        response = self.client.get(self.url)
        self.assertContains(response, "Em vào Cổng dịch vụ công.")
        prefix = f"a{self.answer.pk}"
        response = self.client.post(
            self.url,
            {
                "answer": self.answer.pk,
                f"{prefix}-points": "2",
                f"{prefix}-comment": "",
            },
        )
        self.assertRedirects(response, self.url)
        self.attempt.refresh_from_db()
        self.assertEqual(self.attempt.state, AttemptState.FINISHED)
        self.assertIs(self.attempt.passed, True)

    def test_too_many_points_are_refused(self):
        """Points above the question's are refused on the form, nothing changes."""
        self.client.force_login(self.marker)
        prefix = f"a{self.answer.pk}"
        response = self.client.post(
            self.url, {"answer": self.answer.pk, f"{prefix}-points": "3"}
        )
        self.assertContains(response, vi("Give between 0 and %(max)d points.", max=2))
        self.answer.refresh_from_db()
        self.assertIsNone(self.answer.score)

    def test_others_cannot_mark(self):
        """Without the marking permission, the page shows no essay and marks
        nothing."""
        editor = UserFactory()
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(editor)
        response = self.client.get(self.url, follow=True)
        self.assertNotContains(response, "Em vào Cổng dịch vụ công.")
        prefix = f"a{self.answer.pk}"
        self.client.post(self.url, {"answer": self.answer.pk, f"{prefix}-points": "2"})
        self.answer.refresh_from_db()
        self.assertIsNone(self.answer.score)


class CoursePageTests(TestCase):
    def test_course_page_links_its_live_quizzes(self):
        """The course page lists its published quizzes, not its drafts."""
        course = course_create()
        question = question_create()
        live = quiz_create(course=course, questions=[question], title="Kiểm tra cuối")
        quiz_create(course=course, questions=[question], live=False, title="Nháp")
        response = self.client.get(course.url)
        self.assertContains(response, live.url)
        self.assertNotContains(response, "Nháp")


class MyResultsTests(TestCase):
    def test_results_by_category(self):
        """The learner's results page lists their attempts and the share right in
        each question category."""
        learner = UserFactory()
        question = question_create(category=QuestionCategoryFactory(name="Hộ tịch"))
        quiz = quiz_create(course=course_create(), questions=[question])
        attempt = quiz_attempt_start(user=learner, quiz=quiz)
        quiz_answer_record(
            attempt=attempt,
            user=learner,
            question_id=question.pk,
            choice_ids=[question.choices.get(is_correct=True).pk],
        )
        quiz_attempt_submit(attempt=attempt, user=learner)
        self.client.force_login(learner)
        response = self.client.get(reverse("quizzes:my_results"))
        self.assertContains(response, "Hộ tịch")
        self.assertContains(
            response,
            vi(
                "%(percent)s%% right over %(counter)s answer",
                "%(percent)s%% right over %(counter)s answers",
                1,
                percent=100,
                counter=1,
            ),
        )
        self.assertContains(response, quiz.title)


class DraftPreviewTests(TestCase):
    def test_editor_previews_a_draft_quiz(self):
        """A draft quiz, hidden from learners, still renders in the editor's
        preview."""
        quiz = quiz_create(
            course=course_create(),
            questions=[question_create()],
            live=False,
            title="Nháp cuối khóa",
        )
        response = quiz.make_preview_request()
        self.assertContains(response, "Nháp cuối khóa")


class ResultNextStepTests(TestCase):
    """What the result page offers next: the course completed and its
    certificate after a pass, another attempt right away after a fail."""

    @classmethod
    def setUpTestData(cls):
        from courses.models import CompletionRule

        cls.learner = UserFactory()
        cls.course = course_create(completion_rule=CompletionRule.LESSONS_AND_QUIZ)
        cls.question = question_create(choices=[("VNeID", True), ("Zalo", False)])
        cls.quiz = quiz_create(
            course=cls.course,
            questions=[cls.question],
            pass_mark=100,
            max_attempts=2,
            show_answers=ShowAnswers.AT_END,
        )

    def attempt(self, *, right: bool):
        from courses.models import LessonPage
        from courses.services import lesson_progress_record

        for lesson in LessonPage.objects.child_of(self.course):
            lesson_progress_record(user=self.learner, lesson=lesson, course=self.course)
        attempt = quiz_attempt_start(user=self.learner, quiz=self.quiz)
        quiz_answer_record(
            attempt=attempt,
            user=self.learner,
            question_id=self.question.pk,
            choice_ids=[self.question.choices.get(is_correct=right).pk],
        )
        quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.client.force_login(self.learner)
        return self.client.get(f"{self.quiz.url}attempt/{attempt.pk}/result/")

    def test_a_fail_offers_another_attempt_above_the_review(self):
        page = self.attempt(right=False).content.decode()
        again = page.index(vi("Try again"))
        self.assertLess(again, page.index(vi("Go over your answers")))
        self.assertLess(again, page.index('id="review"'))

    def test_no_attempt_left_no_offer(self):
        self.attempt(right=False)
        response = self.attempt(right=False)
        self.assertNotContains(response, vi("Try again"))

    def test_a_pass_that_completes_the_course_says_so_and_brings_the_certificate(
        self,
    ):
        from certificates.services import certificate_policy_set
        from certificates.tests.factories import CertificateTemplateFactory

        certificate_policy_set(
            course=self.course, template=CertificateTemplateFactory()
        )
        response = self.attempt(right=True)
        self.assertContains(
            response,
            vi(
                "You have completed the course “%(course)s”.",
                course=self.course.title,
            ),
        )
        self.assertContains(
            response, vi("Your certificate for this course has been issued.")
        )
        self.assertContains(
            response,
            f'class="button button--block" href="{reverse("certificates:mine")}"',
        )
        self.assertNotContains(response, vi("Try again"))

    def test_a_course_without_certificate_only_says_it_is_completed(self):
        response = self.attempt(right=True)
        self.assertContains(
            response,
            vi(
                "You have completed the course “%(course)s”.",
                course=self.course.title,
            ),
        )
        self.assertNotContains(response, vi("See my certificates"))

    def test_my_results_name_each_attempt_s_course(self):
        self.attempt(right=False)
        response = self.client.get(reverse("quizzes:my_results"))
        self.assertContains(
            response, vi("Course: %(course)s", course=self.course.title)
        )

    def test_an_attempt_in_progress_is_not_called_learning(self):
        from django.utils import translation

        with translation.override("vi"):
            label = str(AttemptState.IN_PROGRESS.label)
        self.assertNotEqual(label, "Đang học")
