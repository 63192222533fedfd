from decimal import Decimal

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from core.testing import vi

from ..models import QuestionType
from ..selectors import quiz_item_analysis
from ..services import quiz_answer_record, quiz_attempt_start, quiz_attempt_submit
from .factories import UserFactory, course_create, question_create, quiz_create


def choice(question, text):
    return question.choices.get(text=text).pk


class ItemAnalysisTestCase(TestCase):
    """Four learners finish the quiz; a fifth is still answering, and a sixth
    answers the same question in another quiz. Expected, by hand:

    - single (A right): A, B, B, C → 4 answered, 1 right (25%), mean 0.25,
      most chosen wrong answer B (2);
    - multiple (W, X right): WX = 1, WY = 0, WZ = 0, WXZ = (2 − 1) ÷ 2 = 0.5 →
      4 answered, 1 right (25%), mean 1.5 ÷ 4 = 0.375, most chosen wrong Z (2);
    - short text: right, wrong, right, unanswered → 3 answered, 2 right (67%),
      mean 0.6667, no choices;
    - true or false: nobody answered → last, with no share.
    """

    @classmethod
    def setUpTestData(cls):
        course = course_create()
        cls.single = question_create(
            text="Ứng dụng định danh điện tử là gì?",
            choices=[("A", True), ("B", False), ("C", False)],
        )
        cls.multiple = question_create(
            kind=QuestionType.MULTIPLE,
            text="Giấy tờ nào cần khi đăng ký khai sinh?",
            choices=[("W", True), ("X", True), ("Y", False), ("Z", False)],
        )
        cls.short = question_create(
            kind=QuestionType.SHORT_TEXT,
            text="Thủ đô của Việt Nam?",
            accepted=["Hà Nội"],
            ignore_accents=True,
        )
        cls.true_false = question_create(
            kind=QuestionType.TRUE_FALSE, text="VNeID miễn phí?"
        )
        cls.quiz = quiz_create(
            course=course,
            questions=[cls.short, cls.true_false, cls.multiple, cls.single],
        )
        cls.other_quiz = quiz_create(course=course, questions=[cls.single])
        finished = [
            ("A", ["W", "X"], "ha noi"),
            ("B", ["W", "Y"], "Huế"),
            ("B", ["W", "Z"], "Hà Nội"),
            ("C", ["W", "X", "Z"], None),
        ]
        for single, multiple, short in finished:
            attempt = cls.take(cls.quiz, single, multiple, short)
            quiz_attempt_submit(attempt=attempt, user=attempt.user)
        # Not finished: must not count.
        cls.take(cls.quiz, "C", ["Y", "Z"], "Huế")
        # Another quiz: must not count.
        attempt = cls.take(cls.other_quiz, "C", None, None)
        quiz_attempt_submit(attempt=attempt, user=attempt.user)

    @classmethod
    def take(cls, quiz, single, multiple, short):
        learner = UserFactory()
        attempt = quiz_attempt_start(user=learner, quiz=quiz)

        def record(question, **answer):
            quiz_answer_record(
                attempt=attempt, user=learner, question_id=question.pk, **answer
            )

        record(cls.single, choice_ids=[choice(cls.single, single)])
        if multiple is not None:
            ids = [choice(cls.multiple, text) for text in multiple]
            record(cls.multiple, choice_ids=ids)
        if short is not None:
            record(cls.short, text=short)
        return attempt


class QuizItemAnalysisTests(ItemAnalysisTestCase):
    def test_numbers_per_question(self):
        """Each question has its answered count, share right, mean score and most
        chosen wrong answer, from finished attempts of this quiz only."""
        stats = {row.question_id: row for row in quiz_item_analysis(quiz=self.quiz)}
        single = stats[self.single.pk]
        self.assertEqual((single.answered, single.correct), (4, 1))
        self.assertEqual(single.percent_correct, 25)
        self.assertEqual(single.mean_score, Decimal("0.25"))
        self.assertEqual(single.wrong_choice_id, choice(self.single, "B"))
        self.assertEqual(
            (single.wrong_choice_text, single.wrong_choice_count), ("B", 2)
        )

        multiple = stats[self.multiple.pk]
        self.assertEqual((multiple.answered, multiple.correct), (4, 1))
        self.assertEqual(multiple.mean_score, Decimal("0.375"))
        self.assertEqual(multiple.mean_percent, 38)
        self.assertEqual(
            (multiple.wrong_choice_text, multiple.wrong_choice_count), ("Z", 2)
        )

        short = stats[self.short.pk]
        self.assertEqual((short.answered, short.correct), (3, 2))
        self.assertEqual(short.percent_correct, 67)
        self.assertEqual(short.mean_score, Decimal("0.6667"))
        self.assertIsNone(short.wrong_choice_id)

        unanswered = stats[self.true_false.pk]
        self.assertEqual((unanswered.answered, unanswered.correct), (0, 0))
        self.assertIsNone(unanswered.percent_correct)
        self.assertIsNone(unanswered.mean_score)
        self.assertIsNone(unanswered.wrong_choice_id)

    def test_weakest_first(self):
        """The questions come weakest first: lowest share right, then lowest mean
        score; questions nobody answered come last."""
        order = [row.question_id for row in quiz_item_analysis(quiz=self.quiz)]
        self.assertEqual(
            order,
            [self.single.pk, self.multiple.pk, self.short.pk, self.true_false.pk],
        )

    def test_query_count_does_not_grow_with_answers(self):
        """The analysis takes the same three queries however many answers there
        are: the numbers come from the database's aggregation."""
        with self.assertNumQueries(3):
            quiz_item_analysis(quiz=self.quiz)
        self.take(self.quiz, "B", ["Y"], "x")
        with self.assertNumQueries(3):
            stats = quiz_item_analysis(quiz=self.quiz)
        # The new attempt is still in progress: nothing changed.
        self.assertEqual(stats[0].answered, 4)

    def test_quiz_without_finished_attempts(self):
        """A quiz nobody finished lists its questions with no numbers."""
        stats = quiz_item_analysis(
            quiz=quiz_create(course=course_create(), questions=[self.single])
        )
        self.assertEqual(
            [(row.question_id, row.answered) for row in stats], [(self.single.pk, 0)]
        )


class ItemAnalysisViewTests(ItemAnalysisTestCase):
    def setUp(self):
        self.url = reverse("quizzes_item_analysis")

    def admin_user(self, *codenames, **fields):
        user = UserFactory(**fields)
        for codename in ("access_admin", *codenames):
            user.user_permissions.add(Permission.objects.get(codename=codename))
        return user

    def test_results_viewer_sees_the_table(self):
        """Someone allowed to see everyone's results picks the quiz and sees the
        table in Vietnamese, weakest question first."""
        self.client.force_login(self.admin_user("view_all_results"))
        response = self.client.get(self.url, {"quiz": self.quiz.pk})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, vi("Most chosen wrong answer"))
        self.assertContains(
            response,
            vi(
                "%(choice)s (%(counter)s answer)",
                "%(choice)s (%(counter)s answers)",
                2,
                choice="Z",
                counter=2,
            ),
        )
        self.assertContains(response, "<td>25% (1)</td>", html=True)
        self.assertContains(response, "<td>67% (2)</td>", html=True)
        html = response.content.decode()
        self.assertLess(
            html.index("Ứng dụng định danh điện tử là gì?"),
            html.index("Thủ đô của Việt Nam?"),
        )

    def test_picker_without_a_quiz(self):
        """Without a quiz chosen, the page offers the list of quizzes."""
        self.client.force_login(self.admin_user(is_superuser=True))
        response = self.client.get(self.url)
        self.assertContains(response, vi("Choose a quiz"))
        self.assertContains(response, self.quiz.title)
        self.assertNotContains(response, vi("Most chosen wrong answer"))

    def test_others_are_refused(self):
        """An editor without the permission to see everyone's results is sent
        back to the dashboard without the table, and has no menu entry."""
        self.client.force_login(self.admin_user())
        response = self.client.get(self.url, {"quiz": self.quiz.pk})
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        response = self.client.get(self.url, {"quiz": self.quiz.pk}, follow=True)
        self.assertNotContains(response, "Ứng dụng định danh điện tử là gì?")
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(response, self.url)

    def test_reachable_from_menu_and_page_listing(self):
        """The admin menu and the quiz's row in the page listing link to it."""
        self.client.force_login(self.admin_user(is_superuser=True))
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, self.url)
        course = self.quiz.get_parent()
        response = self.client.get(reverse("wagtailadmin_explore", args=[course.pk]))
        self.assertContains(response, f"{self.url}?quiz={self.quiz.pk}")
