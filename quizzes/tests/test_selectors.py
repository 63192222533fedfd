import json
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.http import Http404

from ..models import QuestionType, ShowAnswers
from ..selectors import (
    answer_reviews,
    attempt_get,
    attempt_questions,
    attempts_visible_to,
    category_results,
)
from ..services import quiz_attempt_submit
from .factories import UserFactory, question_create, quiz_create
from .test_services import QuizTestCase, right_choice, wrong_choice


class AttemptQuestionsTests(QuizTestCase):
    def test_no_answer_key_before_answering(self):
        """What is shown of an attempt's questions names no correct choice,
        accepted answer, explanation or feedback."""
        self.single.explanation = "Giải thích bí mật"
        self.single.save()
        attempt = self.start()
        shown = attempt_questions(attempt=attempt)
        self.assertEqual([q.id for q in shown], attempt.question_ids)
        dumped = json.dumps([vars(q) | {"image": None} for q in shown], default=vars)
        for secret in ("is_correct", "correct", "Hà Nội", "Giải thích", "Phản hồi"):
            self.assertNotIn(secret, dumped)
        self.assertEqual(
            [c.id for c in shown[0].choices],
            attempt.snapshot_item(self.single.pk)["choices"],
        )

    def test_saved_answers_are_shown_back(self):
        """On resuming, the learner sees the answers they already gave."""
        attempt = self.start()
        self.answer(attempt, self.short, text="ha noi")
        shown = {q.id: q for q in attempt_questions(attempt=attempt)}
        self.assertIs(shown[self.short.pk].answered, True)
        self.assertEqual(shown[self.short.pk].text_answer, "ha noi")
        self.assertIs(shown[self.single.pk].answered, False)


class AnswerReviewTests(QuizTestCase):
    def test_reviews_cost_three_queries_however_many(self):
        """Correcting every answer of a finished attempt takes three queries,
        whether it has one answered question or four."""
        attempt = self.start()
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        self.answer(attempt, self.short, text="ha noi")
        self.answer(
            attempt, self.true_false, choice_ids=[wrong_choice(self.true_false)]
        )
        self.answer(
            attempt,
            self.multiple,
            choice_ids=list(
                self.multiple.choices.filter(is_correct=True).values_list(
                    "pk", flat=True
                )
            ),
        )
        quiz_attempt_submit(attempt=attempt, user=self.learner)
        attempt.refresh_from_db()
        ids = attempt.question_ids
        with self.assertNumQueries(3):
            one = answer_reviews(attempt=attempt, question_ids=ids[:1])
        with self.assertNumQueries(3):
            every = answer_reviews(attempt=attempt, question_ids=ids)
        self.assertEqual(set(every), set(ids))
        self.assertEqual(one[ids[0]], every[ids[0]])

    def test_at_end_mode_hides_until_submitted(self):
        """Answers shown at the end stay hidden while the attempt is open."""
        attempt = self.start()
        self.answer(attempt, self.single, choice_ids=[wrong_choice(self.single)])
        self.assertIsNone(
            answer_reviews(attempt=attempt, question_ids=[self.single.pk])[
                self.single.pk
            ]
        )
        attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        review = answer_reviews(attempt=attempt, question_ids=[self.single.pk])[
            self.single.pk
        ]
        self.assertIs(review.is_correct, False)
        self.assertEqual(review.correct_choice_ids, [right_choice(self.single)])
        self.assertEqual(
            review.feedback, {wrong_choice(self.single): "Phản hồi: Sai một"}
        )

    def test_after_each_mode_shows_once_answered(self):
        """Answers shown after each question appear once that answer is saved,
        never before."""
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            show_answers=ShowAnswers.AFTER_EACH,
        )
        attempt = self.start(quiz)
        self.assertIsNone(
            answer_reviews(attempt=attempt, question_ids=[self.single.pk])[
                self.single.pk
            ]
        )
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        review = answer_reviews(attempt=attempt, question_ids=[self.single.pk])[
            self.single.pk
        ]
        self.assertIs(review.is_correct, True)

    def test_never_mode(self):
        """With answers never shown, even a finished attempt shows none."""
        quiz = quiz_create(
            course=self.course, questions=[self.single], show_answers=ShowAnswers.NEVER
        )
        attempt = self.start(quiz)
        attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.assertIsNone(
            answer_reviews(attempt=attempt, question_ids=[self.single.pk])[
                self.single.pk
            ]
        )


class VisibilityTests(QuizTestCase):
    def test_learner_reads_only_own_attempts(self):
        """A learner cannot read another learner's attempt."""
        mine = self.start()
        other = UserFactory()
        theirs = self.start(user=other)
        self.assertEqual(list(attempts_visible_to(user=self.learner)), [mine])
        with self.assertRaises(Http404):
            attempt_get(user=self.learner, pk=theirs.pk)
        self.assertEqual(attempt_get(user=other, pk=theirs.pk), theirs)

    def test_permission_to_view_others(self):
        """With the permission to view other people's results, all are visible."""
        mine = self.start()
        viewer = UserFactory()
        viewer.user_permissions.add(Permission.objects.get(codename="view_all_results"))
        self.assertEqual(attempt_get(user=viewer, pk=mine.pk), mine)


class CategoryResultsTests(QuizTestCase):
    def test_share_right_per_category(self):
        """The progress page gives, per category, answers scored and share right."""
        other = question_create(kind=QuestionType.TRUE_FALSE)
        quiz = quiz_create(
            course=self.course, questions=[self.single, self.true_false, other]
        )
        attempt = self.start(quiz)
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        self.answer(attempt, other, choice_ids=[wrong_choice(other)])
        quiz_attempt_submit(attempt=attempt, user=self.learner)
        results = {r.category_id: r for r in category_results(user=self.learner)}
        self.assertEqual(results[self.single.category_id].percent, 100)
        self.assertEqual(results[other.category_id].percent, 0)
        self.assertEqual(results[other.category_id].earned, Decimal(0))
        self.assertNotIn(self.true_false.category_id, results)
