import math

from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.testing import vi

from ..models import Question, QuestionSelection, QuizPage
from ..selectors import PaperCount, quiz_paper_count
from .factories import (
    QuestionCategoryFactory,
    UserFactory,
    course_create,
    question_create,
    quiz_create,
)


class QuizAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.question = question_create()
        cls.editor = UserFactory(is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def data(self, **fields):
        return nested_form_data(
            {
                "title": "Kiểm tra cuối khóa",
                "slug": "kiem-tra-cuoi-khoa",
                "intro": "",
                "pass_mark": 80,
                "max_attempts": 1,
                "grace_seconds": 30,
                "selection": "fixed",
                "show_answers": "at_end",
                "layout": "one_per_screen",
                "pass_message": "",
                "fail_message": "",
                "quiz_questions": inline_formset([]),
                **fields,
            }
        )

    def add_url(self):
        return reverse(
            "wagtailadmin_pages:add", args=["quizzes", "quizpage", self.course.pk]
        )

    def test_editor_creates_a_quiz_with_listed_questions(self):
        """An editor adds a quiz with a fixed list of questions under a course."""
        self.assertCanCreate(
            self.course,
            QuizPage,
            self.data(quiz_questions=inline_formset([{"question": self.question.pk}])),
        )
        quiz = QuizPage.objects.get(slug="kiem-tra-cuoi-khoa")
        self.assertEqual(
            list(quiz.quiz_questions.values_list("question_id", flat=True)),
            [self.question.pk],
        )

    def test_quiz_needs_questions(self):
        """A quiz with a fixed list but no question is refused with a message."""
        url = self.add_url()
        response = self.client.post(url, self.data())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, vi("Add at least one question to the quiz."))
        self.assertFalse(QuizPage.objects.exists())

    def test_draw_more_than_the_bank_holds(self):
        """Drawing more questions than the chosen categories hold is refused."""
        category = QuestionCategoryFactory()
        question_create(category=category)
        url = self.add_url()
        data = self.data(selection="drawn", draw_count=5)
        # nested_form_data would split a list into numbered keys.
        data["draw_categories"] = [category.pk]
        response = self.client.post(url, data)
        self.assertContains(
            response,
            vi(
                "These categories hold only %(available)s questions.",
                available=1,
            ),
        )
        self.assertFalse(QuizPage.objects.exists())

    def test_pass_mark_over_100_in_the_form(self):
        """The editor's form refuses a pass mark over 100."""
        url = self.add_url()
        response = self.client.post(
            url,
            self.data(
                pass_mark=120,
                quiz_questions=inline_formset([{"question": self.question.pk}]),
            ),
        )
        self.assertContains(
            response,
            vi(
                "Ensure this value is less than or equal to %(limit_value)s.",
                limit_value=100,
            ),
        )
        self.assertFalse(QuizPage.objects.exists())

    def test_question_bank_screens(self):
        """The question bank's list and add screens open for an editor."""
        for name in ("list", "add"):
            url = reverse(f"wagtailsnippets_quizzes_question:{name}")
            self.assertEqual(self.client.get(url).status_code, 200)
        url = reverse("wagtailsnippets_quizzes_question:edit", args=[self.question.pk])
        self.assertContains(self.client.get(url), self.question.choices.first().text)
        self.assertEqual(Question.objects.count(), 1)


class QuestionSearchTests(TestCase):
    """The search box of the question bank's listing, on either database."""

    @classmethod
    def setUpTestData(cls):
        category = QuestionCategoryFactory()
        cls.login = question_create(
            category=category, text="Cách đăng nhập Cổng dịch vụ công quốc gia?"
        )
        cls.fee = question_create(
            category=category,
            text="Lệ phí nộp hồ sơ được thanh toán trực tuyến thế nào?",
        )
        cls.app = question_create(
            category=category, text="Ứng dụng VNeID dùng để làm gì?"
        )
        cls.editor = UserFactory(is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def listed(self, query: str) -> set[int]:
        """Return which of the questions the listing shows for the query."""
        response = self.client.get(
            reverse("wagtailsnippets_quizzes_question:list"), {"q": query}
        )
        self.assertEqual(response.status_code, 200)
        return {
            question.pk
            for question in (self.login, self.fee, self.app)
            if reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
            in response.content.decode()
        }

    def test_words_of_the_text_find_their_questions(self):
        """Words of a question's text list that question and no other."""
        self.assertEqual(self.listed("thanh toán"), {self.fee.pk})
        self.assertEqual(self.listed("VNeID"), {self.app.pk})
        self.assertEqual(self.listed("dịch vụ công"), {self.login.pk})

    def test_the_start_of_a_word_finds_it(self):
        """The last word may be typed in part, as the box suggests while typing."""
        self.assertEqual(self.listed("trực tuy"), {self.fee.pk})

    def test_a_word_in_no_question_lists_none(self):
        """A word that no question holds lists nothing, without an error."""
        self.assertEqual(self.listed("x"), set())


class PaperPoolTests(WagtailPageTestCase):
    """Issue 18 §3: new quizzes draw from a pool, and the editor sees how many
    distinct papers it gives."""

    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.category = QuestionCategoryFactory()
        for number in range(12):
            question_create(category=cls.category, text=f"Câu {number}?")
        cls.editor = UserFactory(is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def test_a_new_quiz_draws_from_a_pool_by_default(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["quizzes", "quizpage", self.course.pk]
        )
        form = self.client.get(url).context["form"]
        self.assertEqual(form.initial["selection"], QuestionSelection.DRAWN)
        self.assertEqual(form.initial["draw_count"], 10)
        self.assertIs(form.initial["shuffle_choices"], True)

    def test_the_editor_sees_the_number_of_distinct_papers(self):
        """12 questions, 5 drawn: C(12, 5) = 792 papers, shown on the edit page."""
        quiz = quiz_create(
            course=self.course, selection=QuestionSelection.DRAWN, draw_count=5
        )
        quiz.draw_categories.set([self.category])
        quiz.save()
        papers = quiz_paper_count(quiz=quiz)
        self.assertEqual((papers.pool, papers.draw, papers.count), (12, 5, 792))
        page = self.client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
        self.assertContains(page, 'data-paper-count="792"')
        self.assertContains(
            page,
            vi(
                "Drawing %(draw)s of %(pool)s questions gives %(count)s distinct "
                "papers (as of the last save).",
                draw=5,
                pool=12,
                count="792",
            ),
        )

    def test_a_fixed_list_is_one_paper_and_a_full_draw_is_one_too(self):
        fixed = quiz_create(course=self.course, questions=[Question.objects.first()])
        self.assertEqual(quiz_paper_count(quiz=fixed).count, 1)
        full = quiz_create(
            course=self.course, selection=QuestionSelection.DRAWN, draw_count=12
        )
        full.draw_categories.set([self.category])
        full.save()
        self.assertEqual(quiz_paper_count(quiz=full).count, 1)

    def test_a_huge_count_is_shown_as_a_power_of_ten(self):
        papers = PaperCount(drawn=True, pool=200, draw=20, count=math.comb(200, 20))
        self.assertTrue(papers.text.startswith("≈ "))
        self.assertTrue(papers.text.endswith("× 10^27"))
