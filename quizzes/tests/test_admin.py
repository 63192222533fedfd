from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.testing import vi

from ..models import Question, QuizPage
from .factories import (
    QuestionCategoryFactory,
    UserFactory,
    course_create,
    question_create,
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
