import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from core.testing import vi
from courses.models import Enrolment

from ..models import (
    AnswerLog,
    AttemptState,
    QuestionSelection,
    QuestionType,
    QuizAttempt,
    ShowAnswers,
)
from ..selectors import quiz_snapshot_build
from ..services import (
    _procedure_answer_check,
    essay_mark,
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_attempts_expire,
)
from .factories import (
    QuestionCategoryFactory,
    UserFactory,
    course_create,
    question_create,
    quiz_create,
)


def when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def right_choice(question):
    return question.choices.get(is_correct=True).pk


def wrong_choice(question):
    return question.choices.filter(is_correct=False).first().pk


class QuizTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_create()
        cls.learner = UserFactory()
        cls.single = question_create(kind=QuestionType.SINGLE)
        cls.multiple = question_create(
            kind=QuestionType.MULTIPLE,
            choices=[("A", True), ("B", True), ("C", False), ("D", False)],
        )
        cls.true_false = question_create(kind=QuestionType.TRUE_FALSE)
        cls.short = question_create(
            kind=QuestionType.SHORT_TEXT, accepted=["Hà Nội"], ignore_accents=True
        )
        cls.quiz = quiz_create(
            course=cls.course,
            questions=[cls.single, cls.multiple, cls.true_false, cls.short],
            pass_mark=75,
            max_attempts=2,
        )

    def start(self, quiz=None, user=None, **kwargs):
        return quiz_attempt_start(
            user=user or self.learner, quiz=quiz or self.quiz, **kwargs
        )

    def answer(self, attempt, question, **kwargs):
        return quiz_answer_record(
            attempt=attempt, user=attempt.user, question_id=question.pk, **kwargs
        )


class AttemptStartTests(QuizTestCase):
    def test_start_snapshots_questions_and_rules(self):
        """A new attempt freezes the questions in order, the pass mark and the
        time limit, and enrols the learner in the course."""
        attempt = self.start()
        self.assertEqual(attempt.number, 1)
        self.assertEqual(attempt.state, AttemptState.IN_PROGRESS)
        self.assertEqual(
            attempt.question_ids,
            [self.single.pk, self.multiple.pk, self.true_false.pk, self.short.pk],
        )
        self.assertEqual(attempt.pass_mark, 75)
        self.assertEqual(attempt.snapshot["pass_mark"], 75)
        self.assertIsNone(attempt.deadline)
        self.assertIs(
            Enrolment.objects.filter(user=self.learner, course=self.course).exists(),
            True,
        )

    def test_start_keeps_the_hashes_of_address_and_device(self):
        """The attempt keeps the hashes of the learner's address and device,
        each in its own field, for the unusual attempts report."""
        attempt = self.start(client=("address hash", "device hash"))
        attempt.refresh_from_db()
        self.assertEqual(
            (attempt.address_hash, attempt.device_hash),
            ("address hash", "device hash"),
        )

    def test_start_resumes_the_unfinished_attempt(self):
        """Starting again while an attempt is open returns that same attempt."""
        first = self.start()
        self.answer(first, self.single, choice_ids=[right_choice(self.single)])
        again = self.start()
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(again.answers.count(), 1)

    def test_max_attempts(self):
        """Beyond the maximum number of attempts, starting is refused."""
        for _ in range(2):
            attempt = self.start()
            quiz_attempt_submit(attempt=attempt, user=self.learner)
        with self.assertRaisesMessage(
            ValidationError,
            vi(
                "You have used the only attempt allowed at this quiz.",
                "You have used all %(count)d attempts allowed at this quiz.",
                2,
                count=2,
            ),
        ):
            self.start()
        self.assertEqual(self.learner.quiz_attempts.count(), 2)

    def test_max_attempts_lowered_after_they_were_used(self):
        """A learner who used more attempts than the quiz now allows (its
        maximum was lowered since) cannot start another."""
        for _ in range(2):
            attempt = self.start()
            quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.quiz.max_attempts = 1
        self.quiz.save()
        with self.assertRaises(ValidationError):
            self.start()
        self.assertEqual(self.learner.quiz_attempts.count(), 2)

    def test_single_attempt(self):
        """With a single attempt, a second start after submitting is refused."""
        quiz = quiz_create(course=self.course, questions=[self.single], max_attempts=1)
        quiz_attempt_submit(attempt=self.start(quiz), user=self.learner)
        with self.assertRaisesMessage(
            ValidationError,
            vi(
                "You have used the only attempt allowed at this quiz.",
                "You have used all %(count)d attempts allowed at this quiz.",
                1,
                count=1,
            ),
        ):
            self.start(quiz)

    def test_unlimited_attempts(self):
        """With no maximum, attempts are numbered on."""
        quiz = quiz_create(
            course=self.course, questions=[self.single], max_attempts=None
        )
        for _ in range(3):
            attempt = self.start(quiz)
            quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.assertEqual(attempt.number, 3)

    def test_open_and_close_dates(self):
        """Before the quiz opens and after it closes, no attempt can start."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=2),
        )
        opens = vi("This quiz opens on %(date)s.", date=when(quiz.opens_at))
        closed = vi("This quiz closed on %(date)s.", date=when(quiz.closes_at))
        with self.assertRaisesMessage(ValidationError, opens):
            self.start(quiz, now=now)
        with self.assertRaisesMessage(ValidationError, closed):
            self.start(quiz, now=now + timedelta(days=3))
        self.assertEqual(quiz.attempts.count(), 0)
        self.assertEqual(self.start(quiz, now=now + timedelta(hours=36)).number, 1)

    def test_draft_quiz_cannot_be_started(self):
        """A quiz that is not published refuses learners."""
        quiz = quiz_create(course=self.course, questions=[self.single], live=False)
        with self.assertRaisesMessage(
            ValidationError, vi("This quiz is not published.")
        ):
            self.start(quiz)

    def test_quiz_without_questions(self):
        """A quiz with no questions says so and creates no attempt."""
        quiz = quiz_create(course=self.course)
        with self.assertRaisesMessage(
            ValidationError, vi("The quiz has no questions yet.")
        ):
            self.start(quiz)
        self.assertEqual(quiz.attempts.count(), 0)

    def test_question_with_no_correct_answer(self):
        """A question whose answer key is broken stops the start with a message
        naming it, and nothing is created."""
        broken = question_create(
            kind=QuestionType.SINGLE,
            text="Câu hỏi hỏng?",
            choices=[("A", False), ("B", False)],
        )
        quiz = quiz_create(course=self.course, questions=[self.single, broken])
        with self.assertRaisesMessage(
            ValidationError,
            vi(
                "The question “%(question)s” cannot be used: %(problem)s",
                question="Câu hỏi hỏng?",
                problem=vi("Mark exactly one choice as correct."),
            ),
        ):
            self.start(quiz)
        self.assertEqual(quiz.attempts.count(), 0)

    def test_time_limit_sets_deadline(self):
        """A time limit gives the attempt a deadline from its start."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course, questions=[self.single], time_limit_minutes=10
        )
        attempt = self.start(quiz, now=now)
        self.assertEqual(attempt.deadline, now + timedelta(minutes=10))
        self.assertEqual(attempt.snapshot["time_limit_minutes"], 10)

    def test_closing_time_cuts_the_time_limit(self):
        """An attempt started shortly before the quiz closes ends when it closes."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            time_limit_minutes=30,
            closes_at=now + timedelta(minutes=10),
        )
        attempt = self.start(quiz, now=now)
        self.assertEqual(attempt.deadline, now + timedelta(minutes=10))

    def test_expired_attempt_is_submitted_on_next_start(self):
        """An unfinished attempt whose time is up is scored, and the next start
        opens a new attempt."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            time_limit_minutes=5,
            max_attempts=None,
        )
        first = self.start(quiz, now=now)
        self.answer(first, self.single, choice_ids=[right_choice(self.single)], now=now)
        second = self.start(quiz, now=now + timedelta(minutes=10))
        first.refresh_from_db()
        self.assertEqual(first.state, AttemptState.FINISHED)
        self.assertEqual(first.score, Decimal("100.00"))
        self.assertEqual(second.number, 2)

    def test_expired_single_attempt_keeps_its_result(self):
        """With a single attempt, coming back after the time is up scores the
        attempt and refuses a new one; the score stands."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            time_limit_minutes=5,
            max_attempts=1,
        )
        first = self.start(quiz, now=now)
        self.answer(first, self.single, choice_ids=[right_choice(self.single)], now=now)
        with self.assertRaises(ValidationError):
            self.start(quiz, now=now + timedelta(minutes=10))
        first.refresh_from_db()
        self.assertEqual(first.state, AttemptState.FINISHED)
        self.assertEqual(first.score, Decimal("100.00"))


class RandomisationTests(QuizTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.parent = QuestionCategoryFactory(name="Dịch vụ công")
        cls.child = QuestionCategoryFactory(name="Hộ tịch", parent=cls.parent)
        cls.other = QuestionCategoryFactory(name="Khác")
        cls.bank = [question_create(category=cls.parent) for _ in range(4)] + [
            question_create(category=cls.child) for _ in range(4)
        ]
        cls.outside = question_create(category=cls.other)
        cls.drawn = quiz_create(
            course=cls.course,
            selection=QuestionSelection.DRAWN,
            draw_count=5,
            shuffle_questions=True,
            shuffle_choices=True,
            max_attempts=None,
        )
        cls.drawn.draw_categories.set([cls.parent])
        cls.drawn.save()

    def test_draw_from_categories_and_subcategories(self):
        """An attempt draws the set number of questions from the chosen categories
        and their sub-categories, never from others."""
        attempt = self.start(self.drawn)
        ids = attempt.question_ids
        self.assertEqual(len(ids), 5)
        self.assertEqual(len(set(ids)), 5)
        self.assertLessEqual(set(ids), {q.pk for q in self.bank})

    def test_reproducible_from_the_seed(self):
        """The stored seed rebuilds exactly the attempt's questions and orders."""
        attempt = self.start(self.drawn)
        rebuilt = quiz_snapshot_build(quiz=self.drawn, seed=attempt.seed)
        self.assertEqual(rebuilt["questions"], attempt.snapshot["questions"])

    def test_a_new_attempt_brings_the_questions_not_had_yet(self):
        """Of a bank of 8 drawn 5 at a time, the second attempt has the 3 the
        learner has not had, then 2 of the first's; the third starts over with
        those the learner had longest ago."""
        bank = {q.pk for q in self.bank}
        first = self.start(self.drawn)
        quiz_attempt_submit(attempt=first, user=self.learner)
        second = self.start(self.drawn)
        quiz_attempt_submit(attempt=second, user=self.learner)
        third = self.start(self.drawn)

        unseen = bank - set(first.question_ids)
        self.assertEqual(len(unseen), 3)
        self.assertLessEqual(unseen, set(second.question_ids))
        self.assertEqual(len(set(second.question_ids)), 5)
        # Only the first attempt's questions that the second did not repeat
        # were had longest ago: the third has them all.
        longest_ago = set(first.question_ids) - set(second.question_ids)
        self.assertLessEqual(longest_ago, set(third.question_ids))

    def test_another_learner_draws_from_the_whole_bank(self):
        """What one learner had changes nothing of another's draw."""
        quiz_attempt_submit(attempt=self.start(self.drawn), user=self.learner)
        other = UserFactory()
        rebuilt = quiz_snapshot_build(
            quiz=self.drawn, seed=self.start(self.drawn, user=other).seed
        )
        self.assertEqual(
            [q["id"] for q in rebuilt["questions"]],
            QuizAttempt.objects.get(user=other).question_ids,
        )

    def test_seeds_vary_the_draw(self):
        """Different seeds give different draws or orders."""
        outcomes = {
            json.dumps(quiz_snapshot_build(quiz=self.drawn, seed=seed)["questions"])
            for seed in range(10)
        }
        self.assertGreater(len(outcomes), 1)

    def test_fixed_order_without_shuffle(self):
        """Without random order, questions and choices keep the editor's order."""
        attempt = self.start()
        self.assertEqual(
            attempt.snapshot_item(self.multiple.pk)["choices"],
            list(self.multiple.choices.values_list("pk", flat=True)),
        )

    def test_too_few_questions_to_draw(self):
        """Drawing more questions than the categories hold is refused clearly."""
        self.drawn.draw_count = 50
        self.drawn.save()
        with self.assertRaisesMessage(
            ValidationError,
            vi(
                "The quiz draws %(count)s questions but its categories hold "
                "%(available)s.",
                count=50,
                available=8,
            ),
        ):
            self.start(self.drawn)


class SnapshotImmunityTests(QuizTestCase):
    def test_later_edits_do_not_change_the_attempt(self):
        """Changing the answer key, the pass mark and the question list after an
        attempt started leaves that attempt scored by the rules it started under."""
        attempt = self.start()
        old_right = right_choice(self.single)
        self.answer(attempt, self.single, choice_ids=[old_right])
        # The editor now makes another choice the right one, raises the pass mark
        # and removes questions.
        new_right = wrong_choice(self.single)
        self.single.choices.update(is_correct=False)
        self.single.choices.filter(pk=new_right).update(is_correct=True)
        self.quiz.pass_mark = 100
        self.quiz.time_limit_minutes = 1
        self.quiz.quiz_questions.all().delete()
        self.quiz.save()

        attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.assertEqual(len(attempt.question_ids), 4)
        self.assertEqual(attempt.pass_mark, 75)
        self.assertIsNone(attempt.deadline)
        self.assertIs(attempt.answers.get(question=self.single).is_correct, True)
        self.assertEqual(attempt.score, Decimal("25.00"))


class AnswerRecordTests(QuizTestCase):
    def test_answer_is_saved_as_given_and_replaced(self):
        """Each answer is stored when given; answering again replaces it."""
        attempt = self.start()
        self.answer(attempt, self.single, choice_ids=[wrong_choice(self.single)])
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        answer = AnswerLog.objects.get(attempt=attempt, question=self.single)
        self.assertEqual(answer.choice_ids, [right_choice(self.single)])
        self.assertIsNone(answer.score)

    def test_choice_of_another_question(self):
        """A choice that does not belong to the question is refused, nothing saved."""
        attempt = self.start()
        with self.assertRaisesMessage(
            ValidationError, vi("That choice does not belong to this question.")
        ):
            self.answer(
                attempt, self.single, choice_ids=[right_choice(self.true_false)]
            )
        with self.assertRaisesMessage(
            ValidationError, vi("That choice does not belong to this question.")
        ):
            self.answer(attempt, self.single, choice_ids=["abc"])
        self.assertEqual(attempt.answers.count(), 0)

    def test_question_outside_the_attempt(self):
        """A question that is not in the attempt is refused."""
        attempt = self.start()
        other = question_create()
        with self.assertRaisesMessage(
            ValidationError, vi("This question is not part of the attempt.")
        ):
            self.answer(attempt, other, choice_ids=[right_choice(other)])

    def test_one_answer_only_for_single_choice(self):
        """Two choices on a single-choice question are refused."""
        attempt = self.start()
        with self.assertRaisesMessage(ValidationError, vi("Choose only one answer.")):
            self.answer(
                attempt,
                self.single,
                choice_ids=list(self.single.choices.values_list("pk", flat=True)),
            )
        with self.assertRaisesMessage(ValidationError, vi("Choose only one answer.")):
            self.answer(
                attempt,
                self.single,
                choice_ids=[right_choice(self.single), wrong_choice(self.single)],
            )
        self.assertEqual(attempt.answers.count(), 0)

    def test_a_text_answer_holds_10000_characters(self):
        """A written answer of 10,000 characters is kept; one more is refused."""
        attempt = self.start()
        self.answer(attempt, self.short, text="a" * 10_000)
        with self.assertRaisesMessage(
            ValidationError,
            vi("The answer is too long: at most %(max)d characters.", max=10_000),
        ):
            self.answer(attempt, self.short, text="a" * 10_001)
        self.assertEqual(len(attempt.answers.get(question=self.short).text), 10_000)

    def test_answer_after_time_limit(self):
        """An answer within the grace counts; one after it is refused and the
        earlier answer stays."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            time_limit_minutes=10,
            grace_seconds=30,
        )
        attempt = self.start(quiz, now=now)
        in_grace = now + timedelta(minutes=10, seconds=20)
        self.answer(
            attempt, self.single, choice_ids=[wrong_choice(self.single)], now=in_grace
        )
        with self.assertRaisesMessage(
            ValidationError, vi("The time limit has passed; the answer was not saved.")
        ):
            self.answer(
                attempt,
                self.single,
                choice_ids=[right_choice(self.single)],
                now=now + timedelta(minutes=11),
            )
        self.assertEqual(attempt.answers.get().choice_ids, [wrong_choice(self.single)])

    def test_corrected_answer_cannot_change(self):
        """With corrections after each question, an answer is final once given."""
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            show_answers=ShowAnswers.AFTER_EACH,
        )
        attempt = self.start(quiz)
        self.answer(attempt, self.single, choice_ids=[wrong_choice(self.single)])
        with self.assertRaisesMessage(
            ValidationError,
            vi("This answer has been corrected already and cannot be changed."),
        ):
            self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        self.assertEqual(attempt.answers.get().choice_ids, [wrong_choice(self.single)])

    def test_answer_after_submit(self):
        """A submitted attempt takes no more answers."""
        attempt = self.start()
        quiz_attempt_submit(attempt=attempt, user=self.learner)
        with self.assertRaisesMessage(
            ValidationError,
            vi("This attempt has already been submitted; the answer was not saved."),
        ):
            self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])

    def test_another_learners_attempt(self):
        """Nobody can answer or submit someone else's attempt."""
        attempt = self.start()
        stranger = UserFactory()
        with self.assertRaises(PermissionDenied):
            quiz_answer_record(
                attempt=attempt,
                user=stranger,
                question_id=self.single.pk,
                choice_ids=[right_choice(self.single)],
            )
        with self.assertRaises(PermissionDenied):
            quiz_attempt_submit(attempt=attempt, user=stranger)
        self.assertEqual(attempt.answers.count(), 0)


class SubmitTests(QuizTestCase):
    def answer_all(self, attempt, *, multiple_ids, short_text):
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        self.answer(attempt, self.multiple, choice_ids=multiple_ids)
        self.answer(
            attempt, self.true_false, choice_ids=[wrong_choice(self.true_false)]
        )
        self.answer(attempt, self.short, text=short_text)

    def test_scores_each_type_on_the_server(self):
        """Submitting scores every stored answer: right single choice 1, one of two
        right multiple answers ½, wrong true/false 0, unaccented short text 1."""
        attempt = self.start()
        a_pk = self.multiple.choices.get(text="A").pk
        self.answer_all(attempt, multiple_ids=[a_pk], short_text="ha noi")
        attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        scores = dict(attempt.answers.values_list("question_id", "score"))
        self.assertEqual(
            scores,
            {
                self.single.pk: Decimal("1.0000"),
                self.multiple.pk: Decimal("0.5000"),
                self.true_false.pk: Decimal("0.0000"),
                self.short.pk: Decimal("1.0000"),
            },
        )
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(attempt.score, Decimal("62.50"))
        self.assertIs(attempt.passed, False)
        # Right only when whole: half of a multiple choice is not right.
        self.assertEqual(
            dict(attempt.answers.values_list("question_id", "is_correct")),
            {
                self.single.pk: True,
                self.multiple.pk: False,
                self.true_false.pk: False,
                self.short.pk: True,
            },
        )

    def test_pass(self):
        """A score at or above the pass mark passes."""
        attempt = self.start()
        ab = list(
            self.multiple.choices.filter(is_correct=True).values_list("pk", flat=True)
        )
        self.answer_all(attempt, multiple_ids=ab, short_text="Hà Nội")
        attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.assertEqual(attempt.score, Decimal("75.00"))
        self.assertIs(attempt.passed, True)

    def test_accents_count_when_the_question_says_so(self):
        """A short-text question that does not allow answers without accents
        scores "ha noi" 0 and "hà  NỘI" 1 against "Hà Nội"."""
        strict = question_create(
            kind=QuestionType.SHORT_TEXT, accepted=["Hà Nội"], ignore_accents=False
        )
        quiz = quiz_create(course=self.course, questions=[strict], max_attempts=2)
        scores = []
        for text in ("ha noi", "hà  NỘI"):
            attempt = self.start(quiz)
            self.answer(attempt, strict, text=text)
            attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
            scores.append(attempt.answers.get().score)
        self.assertEqual(scores, [Decimal("0.0000"), Decimal("1.0000")])

    def test_double_submit_gives_one_result(self):
        """Submitting twice returns the first result unchanged."""
        now = timezone.now()
        attempt = self.start()
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        first = quiz_attempt_submit(attempt=attempt, user=self.learner, now=now)
        second = quiz_attempt_submit(
            attempt=attempt, user=self.learner, now=now + timedelta(minutes=1)
        )
        self.assertEqual(second.pk, first.pk)
        self.assertEqual(second.submitted_at, now)
        self.assertEqual(second.score, first.score)
        self.assertEqual(self.learner.quiz_attempts.count(), 1)

    def test_expire_closes_abandoned_attempts(self):
        """Attempts left open past their time and grace are scored and closed;
        ones still within their grace are left open."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            time_limit_minutes=5,
            grace_seconds=30,
        )
        abandoned = self.start(quiz, now=now)
        self.answer(
            abandoned, self.single, choice_ids=[right_choice(self.single)], now=now
        )
        recent = self.start(quiz, user=UserFactory(), now=now + timedelta(minutes=1))
        closed = quiz_attempts_expire(now=now + timedelta(minutes=5, seconds=45))
        self.assertEqual(closed, 1)
        abandoned.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual(abandoned.state, AttemptState.FINISHED)
        self.assertIs(abandoned.passed, True)
        self.assertEqual(recent.state, AttemptState.IN_PROGRESS)

    def test_expire_leaves_an_attempt_in_its_grace_open(self):
        """An attempt past its time limit but within its grace is not closed by
        the expiry; one second after the grace it is."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course,
            questions=[self.single],
            time_limit_minutes=5,
            grace_seconds=30,
        )
        attempt = self.start(quiz, now=now)
        in_grace = now + timedelta(minutes=5, seconds=30)
        self.assertEqual(quiz_attempts_expire(now=in_grace), 0)
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.IN_PROGRESS)
        self.assertEqual(quiz_attempts_expire(now=in_grace + timedelta(seconds=1)), 1)
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)

    def test_expire_command(self):
        """The expiry command closes attempts whose time is up and says how many."""
        quiz = quiz_create(
            course=self.course, questions=[self.single], time_limit_minutes=1
        )
        attempt = self.start(quiz, now=timezone.now() - timedelta(hours=1))
        out = StringIO()
        call_command("expire_quiz_attempts", stdout=out)
        self.assertEqual(out.getvalue().strip(), "1 attempt(s) closed.")
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)

    def test_late_submit_scores_answers_given_in_time(self):
        """A submit after the deadline still scores what was saved in time."""
        now = timezone.now()
        quiz = quiz_create(
            course=self.course, questions=[self.single], time_limit_minutes=1
        )
        attempt = self.start(quiz, now=now)
        self.answer(
            attempt, self.single, choice_ids=[right_choice(self.single)], now=now
        )
        attempt = quiz_attempt_submit(
            attempt=attempt, user=self.learner, now=now + timedelta(hours=1)
        )
        self.assertEqual(attempt.score, Decimal("100.00"))


class EssayMarkingTests(QuizTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.essay = question_create(kind=QuestionType.ESSAY, points=4)
        cls.essay_quiz = quiz_create(
            course=cls.course, questions=[cls.single, cls.essay], pass_mark=50
        )
        cls.marker = UserFactory()
        cls.marker.user_permissions.add(Permission.objects.get(codename="mark_essays"))

    def submitted(self, essay_text="Em sẽ nộp hồ sơ trên Cổng dịch vụ công."):
        attempt = self.start(self.essay_quiz)
        self.answer(attempt, self.single, choice_ids=[wrong_choice(self.single)])
        self.answer(attempt, self.essay, text=essay_text)
        return quiz_attempt_submit(attempt=attempt, user=self.learner)

    def test_essay_leaves_attempt_awaiting_marking(self):
        """An attempt with an essay answer waits for a person, without a score."""
        attempt = self.submitted()
        self.assertEqual(attempt.state, AttemptState.AWAITING_MARKING)
        self.assertIsNone(attempt.score)
        self.assertIsNone(attempt.passed)

    def test_marking_finishes_the_attempt(self):
        """Marking the last essay scores and finishes the attempt."""
        attempt = self.submitted()
        answer = attempt.answers.get(question=self.essay)
        essay_mark(answer=answer, marker=self.marker, points=3, comment="Tốt")
        attempt.refresh_from_db()
        answer.refresh_from_db()
        self.assertEqual(answer.score, Decimal("0.7500"))
        self.assertEqual(answer.marked_by, self.marker)
        self.assertIsNotNone(answer.marked_at)
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        # (0 × 1 + 0.75 × 4) ÷ 5
        self.assertEqual(attempt.score, Decimal("60.00"))
        self.assertIs(attempt.passed, True)

    def test_points_out_of_range(self):
        """Marks above the question's points are refused and nothing changes."""
        answer = self.submitted().answers.get(question=self.essay)
        with self.assertRaisesMessage(
            ValidationError, vi("Give between 0 and %(max)d points.", max=4)
        ):
            essay_mark(answer=answer, marker=self.marker, points=5)
        with self.assertRaisesMessage(
            ValidationError, vi("Give between 0 and %(max)d points.", max=4)
        ):
            essay_mark(answer=answer, marker=self.marker, points=-1)
        answer.refresh_from_db()
        self.assertIsNone(answer.score)

    def test_no_points_and_full_points_are_marks(self):
        """0 points and the question's full points are marks like any other,
        not out of range; only full points make a right answer."""
        for points, score, right in [(0, "0.0000", False), (4, "1.0000", True)]:
            with self.subTest(points=points):
                # Each in an attempt of its own learner: the quiz allows one.
                self.learner = UserFactory()
                answer = self.submitted().answers.get(question=self.essay)
                essay_mark(answer=answer, marker=self.marker, points=points)
                answer.refresh_from_db()
                self.assertEqual(answer.score, Decimal(score))
                self.assertIs(answer.is_correct, right)

    def test_only_markers_mark(self):
        """Someone without the marking permission cannot mark."""
        answer = self.submitted().answers.get(question=self.essay)
        with self.assertRaises(PermissionDenied):
            essay_mark(answer=answer, marker=self.learner, points=4)

    def test_only_essays_are_marked(self):
        """A choice answer cannot be marked by hand."""
        answer = self.submitted().answers.get(question=self.single)
        with self.assertRaisesMessage(
            ValidationError, vi("Only essay answers are marked by a person.")
        ):
            essay_mark(answer=answer, marker=self.marker, points=1)

    def test_blank_essay_needs_no_marking(self):
        """An essay left blank scores zero and the attempt finishes at once."""
        attempt = self.start(self.essay_quiz)
        self.answer(attempt, self.single, choice_ids=[right_choice(self.single)])
        self.answer(attempt, self.essay, text="   ")
        attempt = quiz_attempt_submit(attempt=attempt, user=self.learner)
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(attempt.score, Decimal("20.00"))


class ProcedureAnswerCheckTests(SimpleTestCase):
    """The answer to a procedure question is checked against the question as
    the attempt froze it, whatever the page sent."""

    def check(self, item, choice_ids=(), text=""):
        return _procedure_answer_check(item, choice_ids, text)

    def assertRefused(self, item, choice_ids=(), text=""):
        with self.assertRaises(ValidationError):
            self.check(item, choice_ids, text)

    def test_gaps_take_one_word_of_each_gap(self):
        """One answer per gap, each among that gap's words (or none yet)."""
        item = {"kind": QuestionType.GAP_SELECT, "gaps": [[1, 2], [3, 4]]}
        self.assertEqual(self.check(item, ["2", None]), ([2, None], ""))
        self.assertRefused(item, [1])
        self.assertRefused(item, [1, 3, 3])
        self.assertRefused(item, [3, 1])

    def test_matching_takes_one_answer_of_the_question_per_item(self):
        """One answer per item, each among the question's (or none yet)."""
        item = {"kind": QuestionType.MATCHING, "prompts": ["a", "b"], "choices": [1, 2]}
        self.assertEqual(self.check(item, ["2", "1"]), ([2, 1], ""))
        self.assertEqual(self.check(item, ["1", None]), ([1, None], ""))
        self.assertRefused(item, ["1"])
        self.assertRefused(item, ["1", "2", "1"])
        self.assertRefused(item, ["9", None])

    def test_hotspot_takes_one_region_of_the_question_or_a_tap(self):
        """A hotspot answer is one region of the question, or a tap on the
        picture; two regions, or a region of another question, are refused."""
        item = {"kind": QuestionType.HOTSPOT, "choices": [7, 8]}
        self.assertEqual(self.check(item, ["8"]), ([8], ""))
        self.assertEqual(self.check(item, [], " 12.5;40 "), ([], "12.5;40"))
        self.assertRefused(item, [7, 8])
        self.assertRefused(item, [9])
        self.assertRefused(item, [7, 9])

    def test_a_number_is_kept_to_100_characters(self):
        """A number answer is stored as typed, cut at 100 characters."""
        item = {"kind": QuestionType.NUMERICAL}
        typed = "1" * 120
        self.assertEqual(self.check(item, [], typed), ([], "1" * 100))
        self.assertEqual(self.check(item, [], " 2,5 "), ([], "2,5"))
        # No number yet (an answer cleared) is an answer, not a wrong number.
        self.assertEqual(self.check(item, [], ""), ([], ""))
        self.assertRefused(item, [], "hai")
