from decimal import Decimal

from django.test import SimpleTestCase

from ..models import QuestionType
from ..scoring import answer_fraction, attempt_percent, passes, text_matches


def item(kind, **extra):
    return {"id": 1, "kind": kind, "points": 1, **extra}


class ChoiceScoringTests(SimpleTestCase):
    def test_single_choice_right_or_wrong(self):
        """A single-choice answer earns all its points or none."""
        question = item(QuestionType.SINGLE, choices=[1, 2, 3], correct=[2])
        self.assertEqual(answer_fraction(question, choice_ids=[2]), 1)
        self.assertEqual(answer_fraction(question, choice_ids=[3]), 0)
        self.assertEqual(answer_fraction(question, choice_ids=[]), 0)

    def test_true_false(self):
        """A true-or-false answer is right only when it picks the right side."""
        question = item(QuestionType.TRUE_FALSE, choices=[7, 8], correct=[8])
        self.assertEqual(answer_fraction(question, choice_ids=[8]), 1)
        self.assertEqual(answer_fraction(question, choice_ids=[7]), 0)

    def test_a_forged_answer_ticking_every_choice_earns_nothing(self):
        """A single-choice form sent back with every choice ticked (the page
        offers radio buttons, so only a forged request does this) earns
        nothing: the answer must be exactly the right choice."""
        question = item(QuestionType.SINGLE, choices=[1, 2, 3], correct=[2])
        self.assertEqual(answer_fraction(question, choice_ids=[1, 2, 3]), 0)
        self.assertEqual(answer_fraction(question, choice_ids=[2, 3]), 0)

    def test_one_of_two_right_choices_is_not_the_answer(self):
        """A single-choice question imported with two choices marked right
        earns its points only for exactly those choices, not for one of them."""
        question = item(QuestionType.SINGLE, choices=[1, 2, 3], correct=[1, 2])
        self.assertEqual(answer_fraction(question, choice_ids=[1]), 0)
        self.assertEqual(answer_fraction(question, choice_ids=[1, 2]), 1)


class DegenerateQuestionsTests(SimpleTestCase):
    def test_a_multiple_answer_question_without_a_right_choice_earns_nothing(self):
        """No right choice to find (an import gone wrong): nothing earned, and
        no division by zero."""
        question = item(QuestionType.MULTIPLE, choices=[1, 2], correct=[])
        self.assertEqual(answer_fraction(question, choice_ids=[1]), Decimal(0))
        self.assertEqual(answer_fraction(question, choice_ids=[]), Decimal(0))

    def test_an_attempt_worth_no_points_scores_zero(self):
        """Questions of 0 points in all: 0 %, not a division by zero."""
        items = [{**item(QuestionType.SINGLE), "points": 0}]
        self.assertEqual(attempt_percent(items, {1: Decimal(1)}), Decimal(0))


class MultipleAnswersPartialCreditTests(SimpleTestCase):
    question = item(QuestionType.MULTIPLE, choices=[1, 2, 3, 4, 5], correct=[1, 2, 3])

    def test_all_correct_and_nothing_else(self):
        """Ticking exactly the correct choices earns the full points."""
        self.assertEqual(answer_fraction(self.question, choice_ids=[1, 2, 3]), 1)

    def test_some_correct(self):
        """Two of three correct choices and no wrong one earn two thirds."""
        self.assertEqual(
            answer_fraction(self.question, choice_ids=[1, 2]), Decimal("0.6667")
        )

    def test_wrong_choice_cancels_a_correct_one(self):
        """Each wrong tick takes away one correct tick: (2 − 1) ÷ 3."""
        self.assertEqual(
            answer_fraction(self.question, choice_ids=[1, 2, 4]), Decimal("0.3333")
        )

    def test_ticking_everything_is_not_full_marks(self):
        """Ticking every box earns (3 − 2) ÷ 3, not the full points."""
        self.assertEqual(
            answer_fraction(self.question, choice_ids=[1, 2, 3, 4, 5]),
            Decimal("0.3333"),
        )

    def test_never_below_zero(self):
        """More wrong ticks than right ones earn zero, not a negative score."""
        self.assertEqual(answer_fraction(self.question, choice_ids=[1, 4, 5]), 0)


class ShortTextScoringTests(SimpleTestCase):
    def test_case_and_spaces_never_matter(self):
        """Capitals and extra spaces are ignored even without the accent option."""
        self.assertIs(
            text_matches("  hà   NỘI ", ["Hà Nội"], ignore_accents=False), True
        )

    def test_accents_matter_unless_allowed(self):
        """ "ha noi" counts as "Hà Nội" only when the editor allows it."""
        self.assertIs(text_matches("ha noi", ["Hà Nội"], ignore_accents=False), False)
        self.assertIs(text_matches("ha noi", ["Hà Nội"], ignore_accents=True), True)
        self.assertIs(text_matches("Đà Nẵng", ["da nang"], ignore_accents=True), True)

    def test_empty_answer_never_matches(self):
        """A blank answer is wrong even if an accepted answer folds to blank."""
        self.assertIs(text_matches("  ", ["?"], ignore_accents=True), False)

    def test_fraction(self):
        """A matching short text earns the full points, any other none."""
        question = item(
            QuestionType.SHORT_TEXT, accepted=["Cổng dịch vụ công"], ignore_accents=True
        )
        self.assertEqual(answer_fraction(question, text="cong dich vu cong"), 1)
        self.assertEqual(answer_fraction(question, text="cổng thông tin"), 0)

    def test_fraction_keeps_accents_unless_allowed(self):
        """A short text without accents earns nothing when the question does not
        allow answers without accents."""
        question = item(
            QuestionType.SHORT_TEXT,
            accepted=["Cổng dịch vụ công"],
            ignore_accents=False,
        )
        self.assertEqual(answer_fraction(question, text="cong dich vu cong"), 0)
        self.assertEqual(answer_fraction(question, text="cổng DỊCH vụ công"), 1)

    def test_essay_is_left_for_a_person(self):
        """An essay has no automatic score."""
        self.assertIsNone(answer_fraction(item(QuestionType.ESSAY), text="..."))


class AttemptPercentTests(SimpleTestCase):
    def test_weighted_by_points(self):
        """The percentage weighs each question by its points; unanswered is 0."""
        items = [
            {"id": 1, "points": 1},
            {"id": 2, "points": 3},
            {"id": 3, "points": 1},
        ]
        score = attempt_percent(items, {1: Decimal(1), 2: Decimal("0.5")})
        self.assertEqual(score, Decimal("50.00"))

    def test_two_decimals_rounded_half_up(self):
        """The percentage keeps its fraction, to two decimals: one of three
        points is 33.33 %, two of three 66.67 %, not a whole number."""
        items = [{"id": n, "points": 1} for n in (1, 2, 3)]
        self.assertEqual(attempt_percent(items, {1: Decimal(1)}), Decimal("33.33"))
        self.assertEqual(
            attempt_percent(items, {1: Decimal(1), 2: Decimal(1)}), Decimal("66.67")
        )

    def test_pass_mark_is_inclusive(self):
        """A score equal to the pass mark passes."""
        self.assertIs(passes(Decimal("80.00"), 80), True)
        self.assertIs(passes(Decimal("79.99"), 80), False)

    def test_a_score_above_the_pass_mark_passes(self):
        """Above the mark passes too, up to full marks."""
        self.assertIs(passes(Decimal("80.01"), 80), True)
        self.assertIs(passes(Decimal("100.00"), 80), True)
        self.assertIs(passes(Decimal("0.00"), 0), True)
