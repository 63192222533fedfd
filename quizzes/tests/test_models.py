from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import TestCase
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.testing import vi
from courses.models import CoursePage, LessonPage

from ..models import Question, QuestionCategory, QuestionType, QuizPage
from ..wagtail_hooks import QuestionViewSet
from .factories import QuestionCategoryFactory, course_create, quiz_create


class QuestionFormTests(TestCase):
    """The question bank's admin form checks the answer key being saved."""

    @classmethod
    def setUpTestData(cls):
        cls.category = QuestionCategoryFactory()
        cls.form_class = QuestionViewSet.edit_handler.bind_to_model(
            Question
        ).get_form_class()

    def form(self, kind, choices=(), accepted=()):
        data = nested_form_data(
            {
                "category": self.category.pk,
                "kind": kind,
                "text": "Ứng dụng nào dùng để định danh điện tử?",
                "points": 1,
                "explanation": "",
                "choices": inline_formset(
                    [
                        {"text": text, "is_correct": correct, "feedback": ""}
                        for text, correct in choices
                    ]
                ),
                "accepted_answers": inline_formset(
                    [{"text": text} for text in accepted]
                ),
                # The rows of the procedure types, empty here.
                **{
                    name: inline_formset([])
                    for name in ("steps", "pairs", "gap_words", "numbers", "regions")
                },
            }
        )
        return self.form_class(data, instance=Question())

    def assertFormError(self, form, message):
        self.assertIs(form.is_valid(), False)
        self.assertIn(message, form.non_field_errors())

    def test_single_choice_needs_exactly_one_correct(self):
        """A single-choice question with no correct choice, or two, is refused."""
        self.assertFormError(
            self.form(QuestionType.SINGLE, [("VNeID", False), ("Zalo", False)]),
            vi("Mark exactly one choice as correct."),
        )
        self.assertFormError(
            self.form(QuestionType.SINGLE, [("VNeID", True), ("Zalo", True)]),
            vi("Mark exactly one choice as correct."),
        )
        self.assertIs(
            self.form(
                QuestionType.SINGLE, [("VNeID", True), ("Zalo", False)]
            ).is_valid(),
            True,
        )

    def test_true_false_has_two_choices(self):
        """A true-or-false question has exactly two choices, one correct."""
        self.assertFormError(
            self.form(
                QuestionType.TRUE_FALSE, [("Đúng", True), ("Sai", False), ("?", False)]
            ),
            vi("A true-or-false question has exactly two choices."),
        )

    def test_multiple_needs_one_correct(self):
        """A multiple-answer question needs at least one correct choice."""
        self.assertFormError(
            self.form(QuestionType.MULTIPLE, [("A", False), ("B", False)]),
            vi("Mark at least one choice as correct."),
        )
        self.assertIs(
            self.form(
                QuestionType.MULTIPLE, [("A", True), ("B", True), ("C", False)]
            ).is_valid(),
            True,
        )

    def test_short_text_needs_an_accepted_answer(self):
        """A short-text question needs at least one accepted answer."""
        self.assertFormError(
            self.form(QuestionType.SHORT_TEXT), vi("Give at least one accepted answer.")
        )
        self.assertIs(
            self.form(QuestionType.SHORT_TEXT, accepted=["VNeID"]).is_valid(), True
        )

    def test_essay_needs_nothing_more(self):
        """An essay question needs no choices nor accepted answers."""
        self.assertIs(self.form(QuestionType.ESSAY).is_valid(), True)


class QuestionCategoryTests(TestCase):
    def test_subtree_includes_sub_categories(self):
        """The subtree of a category holds its children and grandchildren."""
        root = QuestionCategoryFactory()
        child = QuestionCategoryFactory(parent=root)
        grandchild = QuestionCategoryFactory(parent=child)
        QuestionCategoryFactory()
        self.assertEqual(
            QuestionCategory.subtree_ids([root.pk]), {root.pk, child.pk, grandchild.pk}
        )

    def test_name_shows_the_path(self):
        """A sub-category is named with its parents."""
        root = QuestionCategoryFactory(name="Dịch vụ công")
        child = QuestionCategoryFactory(name="Hộ tịch", parent=root)
        self.assertEqual(str(child), "Dịch vụ công › Hộ tịch")

    def test_category_cannot_contain_itself(self):
        """Making a category a child of its own descendant is refused."""
        root = QuestionCategoryFactory()
        child = QuestionCategoryFactory(parent=root)
        root.parent = child
        with self.assertRaisesMessage(
            ValidationError, vi("A category cannot sit inside itself.")
        ):
            root.full_clean()


class QuizPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()

    def test_tree_rules(self):
        """A quiz sits only beneath a course, and a course takes lessons and
        quizzes."""
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})
        self.assertAllowedSubpageTypes(QuizPage, set())

    def test_pass_mark_over_100(self):
        """A pass mark over 100 is refused by validation and by the database."""
        quiz = quiz_create(course=self.course)
        quiz.pass_mark = 101
        with self.assertRaisesMessage(
            ValidationError, vi("The pass mark is a percentage: at most 100.")
        ):
            quiz.full_clean()
        with self.assertRaises(IntegrityError):
            QuizPage.objects.filter(pk=quiz.pk).update(pass_mark=101)

    def test_close_before_open(self):
        """A quiz must close after it opens."""
        quiz = quiz_create(course=self.course)
        quiz.opens_at = timezone.now()
        quiz.closes_at = quiz.opens_at - timedelta(hours=1)
        with self.assertRaisesMessage(
            ValidationError, vi("The quiz must close after it opens.")
        ):
            quiz.full_clean()

    def test_drawn_needs_a_count(self):
        """Drawing questions at random needs the number to draw."""
        quiz = quiz_create(course=self.course)
        quiz.selection = "drawn"
        with self.assertRaisesMessage(
            ValidationError, vi("Say how many questions each attempt draws.")
        ):
            quiz.full_clean()
