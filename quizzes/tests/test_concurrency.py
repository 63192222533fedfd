"""Simultaneous starts and submits, on PostgreSQL where requests really overlap.

SQLite serialises every writing transaction, so these tests only mean something
on PostgreSQL (``DATABASE_URL=postgres://...``).
"""

import threading
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.test import TransactionTestCase

from ..models import AttemptState, QuizAttempt
from ..services import quiz_answer_record, quiz_attempt_start, quiz_attempt_submit
from .factories import UserFactory, course_create, question_create, quiz_create


def run_at_once(count: int, work):
    """Run work() in count threads released together; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def target():
        try:
            barrier.wait()
            results.append(work())
        except (DatabaseError, ValidationError) as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@skipUnless(connection.vendor == "postgresql", "needs concurrent writers")
class ConcurrencyTests(TransactionTestCase):
    def setUp(self):
        self.learner = UserFactory()
        self.question = question_create()
        self.quiz = quiz_create(
            course=course_create(), questions=[self.question], max_attempts=1
        )

    def test_simultaneous_starts_create_one_attempt(self):
        """Ten simultaneous starts with a single attempt allowed create one
        attempt, and every start gets it."""
        results, errors = run_at_once(
            10, lambda: quiz_attempt_start(user=self.learner, quiz=self.quiz)
        )
        self.assertEqual(errors, [])
        self.assertEqual(QuizAttempt.objects.count(), 1)
        self.assertEqual({attempt.pk for attempt in results}, {results[0].pk})

    def test_simultaneous_submits_give_one_result(self):
        """Twenty simultaneous submits of one attempt end in one finished attempt
        with one score and one submission time."""
        attempt = quiz_attempt_start(user=self.learner, quiz=self.quiz)
        right = self.question.choices.get(is_correct=True).pk
        quiz_answer_record(
            attempt=attempt,
            user=self.learner,
            question_id=self.question.pk,
            choice_ids=[right],
        )
        results, errors = run_at_once(
            20, lambda: quiz_attempt_submit(attempt=attempt, user=self.learner)
        )
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 20)
        attempt.refresh_from_db()
        self.assertEqual(attempt.state, AttemptState.FINISHED)
        self.assertEqual(QuizAttempt.objects.count(), 1)
        self.assertEqual({r.submitted_at for r in results}, {attempt.submitted_at})
        self.assertEqual({r.score for r in results}, {attempt.score})
