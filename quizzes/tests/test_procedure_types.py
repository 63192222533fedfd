"""The question types for procedures: ordering, matching, hotspot, select missing
words and numerical. Their scoring rules, the editor's refusals, a learner's
attempt through the views, what reaches the browser, and the item analysis."""

import re
from decimal import Decimal

from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.testing import vi

from ..models import AttemptState, Question, QuestionType, QuizAttempt, ShowAnswers
from ..procedures import opaque_id
from ..scoring import answer_fraction, parse_number
from ..selectors import quiz_item_analysis
from .factories import QuestionCategoryFactory, UserFactory, course_create, quiz_create
from .procedure_factories import (
    FEE,
    REGION_X,
    gap_question,
    hotspot_question,
    matching_question,
    numerical_question,
    ordering_question,
    picture,
)


class ScoringTests(SimpleTestCase):
    def test_ordering_scores_by_neighbouring_pairs(self):
        """Ordering earns the share of neighbouring pairs in the right order."""
        item = {"kind": QuestionType.ORDERING, "correct": [1, 2, 3, 4, 5]}

        def score(order):
            return answer_fraction(item, choice_ids=order)

        self.assertEqual(score([1, 2, 3, 4, 5]), 1)
        # One step moved to the front: 3 of 4 pairs stay right (2-3, 3-4... no:
        # 5,1,2,3,4 keeps 1-2, 2-3, 3-4).
        self.assertEqual(score([5, 1, 2, 3, 4]), Decimal("0.75"))
        # Two neighbours swapped: 1-2? no; 2-... gives 2 of 4 right.
        self.assertEqual(score([2, 1, 3, 4, 5]), Decimal("0.5"))
        self.assertEqual(score([5, 4, 3, 2, 1]), 0)
        # Steps of another question, or missing ones, earn nothing.
        self.assertEqual(score([1, 2, 3, 4]), 0)
        self.assertEqual(score([1, 2, 3, 4, 9]), 0)

    def test_matching_and_gaps_score_by_share(self):
        """Matching and missing words earn the share of items rightly filled."""
        for kind in (QuestionType.MATCHING, QuestionType.GAP_SELECT):
            item = {"kind": kind, "correct": [10, 20, 30, 40]}
            self.assertEqual(answer_fraction(item, choice_ids=[10, 20, 30, 40]), 1)
            self.assertEqual(
                answer_fraction(item, choice_ids=[10, None, 40, 40]), Decimal("0.5")
            )
            self.assertEqual(answer_fraction(item, choice_ids=[]), 0)

    def test_numbers_as_vietnamese_write_them(self):
        """Dots between thousands and a decimal comma are read as meant."""
        self.assertEqual(parse_number("1.500.000"), Decimal(1500000))
        self.assertEqual(parse_number("1 500 000"), Decimal(1500000))
        self.assertEqual(parse_number("2,5"), Decimal("2.5"))
        self.assertEqual(parse_number("2.5"), Decimal("2.5"))
        self.assertEqual(parse_number("1.234,5"), Decimal("1234.5"))
        self.assertIsNone(parse_number("một triệu"))
        self.assertIsNone(parse_number("NaN"))

    def test_numerical_takes_the_best_grade_within_tolerance(self):
        """An answer earns the best grade among the numbers whose tolerance
        holds it, and nothing outside them all."""
        item = {
            "kind": QuestionType.NUMERICAL,
            "numbers": [["50000", "0", 100], ["50000", "5000", 50]],
        }
        self.assertEqual(answer_fraction(item, text="50.000"), 1)
        self.assertEqual(answer_fraction(item, text="54000"), Decimal("0.5"))
        self.assertEqual(answer_fraction(item, text="55000"), Decimal("0.5"))
        self.assertEqual(answer_fraction(item, text="55001"), 0)
        self.assertEqual(answer_fraction(item, text=""), 0)

    def test_hotspot_tap_inside_a_right_region(self):
        """A tap scores inside a right region only; a region from the list scores
        when it is a right one."""
        item = {
            "kind": QuestionType.HOTSPOT,
            "choices": [7, 8],
            "correct": [7],
            "areas": [["60", "80", "25", "10"]],
        }
        self.assertEqual(answer_fraction(item, text="70;85"), 1)
        self.assertEqual(answer_fraction(item, text="60;80"), 1)
        self.assertEqual(answer_fraction(item, text="59.9;85"), 0)
        self.assertEqual(answer_fraction(item, text="70;95"), 0)
        self.assertEqual(answer_fraction(item, text="nonsense"), 0)
        self.assertEqual(answer_fraction(item, choice_ids=[7]), 1)
        self.assertEqual(answer_fraction(item, choice_ids=[8]), 0)


def _empty_inlines():
    names = ("choices", "accepted_answers", "steps", "pairs", "gap_words")
    return {name: inline_formset([]) for name in (*names, "numbers", "regions")}


class EditorTests(TestCase):
    """Bad input in the question editor gets a Vietnamese message and is not
    saved."""

    @classmethod
    def setUpTestData(cls):
        cls.category = QuestionCategoryFactory()
        cls.editor = UserFactory(is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def post(self, kind, **inlines):
        data = {
            "category": self.category.pk,
            "kind": kind,
            "text": "Câu hỏi thủ tục [[1]]",
            "points": 1,
            "explanation": "",
            "unit": "",
            **_empty_inlines(),
            **{name: inline_formset(rows) for name, rows in inlines.items()},
        }
        if "image" in inlines:
            data["image"] = inlines.pop("image")
            data.pop("image")
        return self.client.post(
            reverse("wagtailsnippets_quizzes_question:add"), nested_form_data(data)
        )

    def test_the_editor_draws_regions_on_the_picture(self):
        """The question editor loads the drawing script, which gets the chosen
        picture's address; a learner cannot ask for it."""
        page = self.client.get(reverse("wagtailsnippets_quizzes_question:add"))
        self.assertContains(page, "js/hotspot-editor.js")
        image = picture()
        url = reverse("quizzes_hotspot_picture", args=[image.pk])
        answer = self.client.get(url).json()
        self.assertIn("/media/images/", answer["url"])
        self.client.force_login(UserFactory())
        self.assertNotEqual(self.client.get(url).status_code, 200)

    def test_ordering_with_one_step_is_refused(self):
        response = self.post(QuestionType.ORDERING, steps=[{"text": "Nộp hồ sơ"}])
        self.assertContains(
            response,
            vi("An ordering question needs at least two steps to put in order."),
        )
        self.assertFalse(Question.objects.exists())

    def test_ordering_with_two_steps_is_saved(self):
        response = self.post(
            QuestionType.ORDERING,
            steps=[{"text": "Đăng nhập"}, {"text": "Nộp hồ sơ"}],
        )
        self.assertEqual(response.status_code, 302)
        question = Question.objects.get()
        self.assertEqual(
            [step.text for step in question.steps.all()], ["Đăng nhập", "Nộp hồ sơ"]
        )

    def test_hotspot_without_a_region_is_refused(self):
        image = picture()
        data = {
            "category": self.category.pk,
            "kind": QuestionType.HOTSPOT,
            "text": "Chạm vào nút Nộp hồ sơ",
            "image": image.pk,
            "points": 1,
            "explanation": "",
            "unit": "",
            **_empty_inlines(),
        }
        response = self.client.post(
            reverse("wagtailsnippets_quizzes_question:add"), nested_form_data(data)
        )
        self.assertContains(
            response,
            vi(
                "A hotspot question needs at least one region marked as the right "
                "place to tap: draw it on the picture."
            ),
        )
        self.assertFalse(Question.objects.exists())

    def test_numerical_with_a_negative_tolerance_is_refused(self):
        response = self.post(
            QuestionType.NUMERICAL,
            numbers=[{"value": "50000", "tolerance": "-1", "grade": 100}],
        )
        self.assertContains(response, vi("A tolerance cannot be negative."))
        self.assertFalse(Question.objects.exists())

    def test_gap_without_its_word_is_refused(self):
        response = self.post(QuestionType.GAP_SELECT)
        self.assertContains(
            response,
            vi(
                "A gap [[%(number)d]] has no word %(number)d in the list of words.",
                number=1,
            ),
        )
        self.assertFalse(Question.objects.exists())

    def test_matching_with_one_pair_is_refused(self):
        response = self.post(
            QuestionType.MATCHING, pairs=[{"prompt": "CCCD", "answer": "Nhân thân"}]
        )
        self.assertContains(
            response, vi("A matching question needs at least two pairs.")
        )
        self.assertFalse(Question.objects.exists())


class AttemptTests(TestCase):
    """A learner answers each type through the attempt screens."""

    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.ordering = ordering_question()
        cls.matching = matching_question()
        cls.gaps = gap_question()
        cls.number = numerical_question()
        cls.hotspot = hotspot_question()
        cls.learner = UserFactory()

    def setUp(self):
        self.client.force_login(self.learner)

    def start(self, **fields):
        questions = [self.ordering, self.matching, self.gaps, self.number, self.hotspot]
        quiz = quiz_create(
            course=self.course, questions=questions, layout="all_on_one_page", **fields
        )
        self.client.post(quiz.url + "start/")
        attempt = QuizAttempt.objects.get(user=self.learner, quiz=quiz)
        return quiz, attempt, f"{quiz.url}attempt/{attempt.pk}/"

    def token(self, attempt, row):
        return opaque_id(attempt.seed, row.pk)

    def right_answers(self, attempt) -> dict:
        """Return the form of an attempt answered rightly everywhere, with the
        steps listed in the order shown and given their right places."""
        data = {"shown": [q.pk for q in (self.ordering, self.matching, self.gaps)]}
        data["shown"] += [self.number.pk, self.hotspot.pk]
        steps = list(self.ordering.steps.all())
        shown = attempt.snapshot_item(self.ordering.pk)["choices"]
        name = f"q-{self.ordering.pk}"
        data[name] = [opaque_id(attempt.seed, pk) for pk in shown]
        for place, step in enumerate(steps, 1):
            data[f"{name}-at-{self.token(attempt, step)}"] = place
        pairs = {pair.answer: pair for pair in self.matching.pairs.all()}
        item = attempt.snapshot_item(self.matching.pk)
        for n, prompt_id in enumerate(item["prompts"]):
            prompt = self.matching.pairs.get(pk=prompt_id)
            data[f"q-{self.matching.pk}-{n}"] = self.token(
                attempt, pairs[prompt.answer]
            )
        words = {word.text: word for word in self.gaps.gap_words.all()}
        data[f"q-{self.gaps.pk}-0"] = self.token(attempt, words["VNeID"])
        data[f"q-{self.gaps.pk}-1"] = self.token(attempt, words["Nộp hồ sơ"])
        data[f"q-{self.number.pk}"] = "1.234.567"
        data[f"q-{self.hotspot.pk}-tap"] = "40;85"
        return data

    def test_all_right_scores_full(self):
        quiz, attempt, url = self.start()
        response = self.client.post(url, self.right_answers(attempt))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(attempt.answers.count(), 5)
        self.client.post(url + "submit/")
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(attempt.score, 100)
        result = self.client.get(url + "result/")
        # The result shows the right order, and the learner's own answer.
        self.assertContains(result, "Đăng nhập bằng VNeID → Chọn thủ tục")
        self.assertContains(result, "1.234.567 đồng")

    def test_the_data_download_names_the_rows_answered(self):
        """A learner's data download gives their order, pairs and words as text,
        not the texts of unrelated choices that share the rows' keys."""
        from ..personal_data import _answers

        quiz, attempt, url = self.start()
        self.client.post(url, self.right_answers(attempt))
        rows = {row["question"]: row for row in _answers(self.learner)}
        self.assertEqual(
            rows[self.ordering.text]["choices"],
            [" → ".join(self.ordering.steps.values_list("text", flat=True))],
        )
        # The gaps as the learner saw them, not the [[n]] naming their words.
        gaps = rows["Đăng nhập bằng tài khoản ___ rồi bấm ___."]
        self.assertEqual(gaps["choices"], ["VNeID; Nộp hồ sơ"])
        self.assertEqual(rows[self.hotspot.text]["choices"], [])
        self.assertEqual(rows[self.hotspot.text]["text"], "40;85")

    def test_partly_right(self):
        quiz, attempt, url = self.start()
        data = self.right_answers(attempt)
        # The last step first: 3 of 4 pairs right.
        steps = list(self.ordering.steps.all())
        for place, step in enumerate([steps[-1], *steps[:-1]], 1):
            data[f"q-{self.ordering.pk}-at-{self.token(attempt, step)}"] = place
        data[f"q-{self.gaps.pk}-1"] = ""
        data[f"q-{self.number.pk}"] = "1.234.500"  # within 1.000 of 1.234.000: 50%
        data[f"q-{self.hotspot.pk}-tap"] = ""
        wrong = self.hotspot.regions.get(label="Nút Lưu nháp")
        data[f"q-{self.hotspot.pk}"] = self.token(attempt, wrong)
        self.client.post(url, data)
        self.client.post(url + "submit/")
        scores = dict(attempt.answers.values_list("question_id", "score"))
        self.assertEqual(scores[self.ordering.pk], Decimal("0.75"))
        self.assertEqual(scores[self.matching.pk], 1)
        self.assertEqual(scores[self.gaps.pk], Decimal("0.5"))
        self.assertEqual(scores[self.number.pk], Decimal("0.5"))
        self.assertEqual(scores[self.hotspot.pk], 0)

    def test_ids_of_another_attempt_are_refused(self):
        """Opaque ids are per attempt: those of another seed save nothing."""
        quiz, attempt, url = self.start()
        data = self.right_answers(attempt)
        step = self.ordering.steps.first()
        stale = opaque_id(attempt.seed + 1, step.pk)
        data[f"q-{self.ordering.pk}"] = [stale] + data[f"q-{self.ordering.pk}"][1:]
        response = self.client.post(url, data, follow=True)
        self.assertContains(
            response, vi("That answer does not belong to this question.")
        )
        self.assertFalse(attempt.answers.filter(question=self.ordering).exists())

    def test_a_word_instead_of_a_number(self):
        quiz, attempt, url = self.start()
        response = self.client.post(
            url,
            {"shown": [self.number.pk], f"q-{self.number.pk}": "một triệu"},
            follow=True,
        )
        self.assertContains(response, vi("Write a number, such as 1.500.000 or 2,5."))
        self.assertFalse(attempt.answers.exists())

    def test_after_each_shows_the_key_once_answered(self):
        quiz, attempt, url = self.start(show_answers=ShowAnswers.AFTER_EACH)
        self.client.post(url, self.right_answers(attempt))
        response = self.client.get(url)
        self.assertContains(response, "Nút Nộp hồ sơ")
        self.assertContains(response, "1.234.567 đồng")


class IntegrityTests(TestCase):
    """No key, region or right order reaches the browser before submitting."""

    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.ordering = ordering_question()
        cls.matching = matching_question()
        cls.gaps = gap_question()
        cls.number = numerical_question()
        cls.hotspot = hotspot_question()
        cls.questions = [cls.ordering, cls.matching, cls.gaps, cls.number, cls.hotspot]
        cls.learner = UserFactory()

    def html_of_attempt(self, learner, quiz):
        self.client.force_login(learner)
        self.client.post(quiz.url + "start/")
        attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
        html = self.client.get(f"{quiz.url}attempt/{attempt.pk}/").content.decode()
        return attempt, html

    def test_nothing_tells_the_answer(self):
        quiz = quiz_create(
            course=self.course, questions=self.questions, layout="all_on_one_page"
        )
        attempt, html = self.html_of_attempt(self.learner, quiz)
        # The rows go by opaque ids, never by their database keys (the lists of
        # places 1, 2, 3... of the steps set apart).
        places = re.compile(r'<select name="q-\d+-at-[^"]*">.*?</select>', re.S)
        keyed = places.sub("", html)
        values = re.findall(r'<input[^>]*name="q-[^"]*"[^>]*value="([^"]*)"', keyed)
        values += re.findall(r'<option value="([^"]*)"', keyed)
        self.assertTrue(values)
        for value in values:
            self.assertRegex(value, r"^([0-9a-f]{12})?$")
        rows = [*self.ordering.steps.all(), *self.matching.pairs.all()]
        rows += [*self.gaps.gap_words.all(), *self.hotspot.regions.all()]
        for row in rows:
            self.assertIn(f'value="{opaque_id(attempt.seed, row.pk)}"', html)
        # The steps are not in their right order.
        steps = [step.text for step in self.ordering.steps.all()]
        places = [html.index(text) for text in steps]
        self.assertNotEqual(places, sorted(places))
        # No region's place, no accepted number, no flag of the right answer.
        for secret in (REGION_X, "37,125", FEE, "1.234.567", "1234000", "correct"):
            self.assertNotIn(secret, html)
        self.assertNotIn("[[", html)
        # Every region's label is offered, the right one among the others.
        for region in self.hotspot.regions.all():
            self.assertIn(region.label, html)

    def test_ids_and_order_change_with_the_attempt(self):
        """Two learners' attempts name the same steps differently."""
        quiz = quiz_create(
            course=self.course, questions=[self.ordering], max_attempts=None
        )
        first, _html = self.html_of_attempt(self.learner, quiz)
        second, _html = self.html_of_attempt(UserFactory(), quiz)
        step = self.ordering.steps.first()
        self.assertNotEqual(
            opaque_id(first.seed, step.pk), opaque_id(second.seed, step.pk)
        )


class ItemAnalysisTests(TestCase):
    """The item analysis names the most common wrong answer of each type."""

    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.ordering = ordering_question()
        cls.number = numerical_question()
        cls.hotspot = hotspot_question()
        cls.quiz = quiz_create(
            course=cls.course,
            questions=[cls.ordering, cls.number, cls.hotspot],
            layout="all_on_one_page",
            max_attempts=None,
        )

    def take(self, *, reverse_order: bool, number: str, tap: str):
        learner = UserFactory()
        self.client.force_login(learner)
        self.client.post(self.quiz.url + "start/")
        attempt = QuizAttempt.objects.get(user=learner, quiz=self.quiz)
        url = f"{self.quiz.url}attempt/{attempt.pk}/"
        steps = list(self.ordering.steps.all())
        if reverse_order:
            steps.reverse()
        name = f"q-{self.ordering.pk}"
        data = {
            "shown": [self.ordering.pk, self.number.pk, self.hotspot.pk],
            name: [opaque_id(attempt.seed, step.pk) for step in steps],
            f"q-{self.number.pk}": number,
            f"q-{self.hotspot.pk}-tap": tap,
        }
        for place, step in enumerate(steps, 1):
            data[f"{name}-at-{opaque_id(attempt.seed, step.pk)}"] = place
        self.client.post(url, data)
        self.client.post(url + "submit/")

    def test_most_common_wrong_answers(self):
        self.take(reverse_order=True, number="50.000", tap="10;10")
        self.take(reverse_order=True, number="50.000", tap="10;10")
        self.take(reverse_order=False, number=FEE, tap="40;85")
        stats = {item.question_id: item for item in quiz_item_analysis(quiz=self.quiz)}
        ordering = stats[self.ordering.pk]
        self.assertEqual((ordering.answered, ordering.correct), (3, 1))
        self.assertTrue(ordering.wrong_choice_text.startswith("Nộp hồ sơ → Đính kèm"))
        self.assertEqual(ordering.wrong_choice_count, 2)
        self.assertEqual(stats[self.number.pk].wrong_choice_text, "50.000 đồng")
        self.assertEqual(
            stats[self.hotspot.pk].wrong_choice_text,
            vi("a tap on “%(label)s”", label="Ô tìm kiếm"),
        )
        self.assertEqual(stats[self.hotspot.pk].wrong_choice_count, 2)
        self.assertTrue(re.search(r"\d", str(stats[self.number.pk].mean_percent)))
        # The editors' page of results by question shows them.
        self.client.force_login(UserFactory(is_superuser=True, is_staff=True))
        page = self.client.get(reverse("quizzes_item_analysis"), {"quiz": self.quiz.pk})
        self.assertContains(page, "50.000 đồng")
        self.assertContains(page, "Nộp hồ sơ → Đính kèm giấy tờ")
