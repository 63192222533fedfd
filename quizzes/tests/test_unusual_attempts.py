"""Unusual attempts (issue 18 §3): signs listed for a person to review."""

from datetime import timedelta
from decimal import Decimal

from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from classes.models import ClassMembership
from classes.tests.factories import TrainingClassFactory
from core.testing import vi
from users.models import RegionRole
from users.tests.factories import UserFactory

from ..integrity import (
    FAST,
    SAME_ADDRESS,
    SAME_DEVICE,
    SAME_WRONG,
    client_hashes,
    unusual_attempts,
)
from ..models import AnswerLog, AttemptState, QuizAttempt
from .factories import course_create, question_create, quiz_create


class UnusualAttemptsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.klass = TrainingClassFactory()
        course = course_create()
        cls.questions = [question_create(text=f"Câu {n}?") for n in range(3)]
        cls.quiz = quiz_create(course=course, questions=cls.questions)
        cls.other_quiz = quiz_create(course=course, questions=cls.questions)
        cls.learners = []
        for number in range(6):
            learner = UserFactory(full_name=f"Học viên {number}")
            ClassMembership.objects.create(training_class=cls.klass, user=learner)
            cls.learners.append(learner)

    def attempt(self, learner, *, minutes, score, quiz=None, number=1, **fields):
        now = timezone.now()
        return QuizAttempt.objects.create(
            user=learner,
            quiz=quiz or self.quiz,
            number=number,
            state=AttemptState.FINISHED,
            started_at=now - timedelta(minutes=minutes),
            submitted_at=now,
            score=Decimal(score),
            passed=score >= 80,
            pass_mark=80,
            seed=1,
            **fields,
        )

    def wrong(self, attempt, answers):
        for question, choice in answers:
            AnswerLog.objects.create(
                attempt=attempt,
                question=question,
                choice_ids=[choice.pk],
                answered_at=attempt.submitted_at,
                score=Decimal(0),
                is_correct=False,
            )

    def groups(self, sign):
        members = [learner.pk for learner in self.learners]
        return [g for g in unusual_attempts(user_ids=members) if g.sign == sign]

    def test_a_perfect_score_far_faster_than_the_median(self):
        for learner, minutes in zip(self.learners[:4], (20, 22, 25, 18), strict=True):
            self.attempt(learner, minutes=minutes, score=70)
        quick = self.attempt(self.learners[4], minutes=2, score=100)
        # Perfect but at a normal pace, and fast but not perfect: not listed.
        self.attempt(self.learners[5], minutes=19, score=100)
        self.attempt(self.learners[0], minutes=1, score=60, number=2)
        (group,) = self.groups(FAST)
        self.assertEqual(group.attempts, [quick])
        self.assertEqual(
            group.reason,
            vi(
                "A perfect score in %(minutes)s minutes, where the class's median "
                "is %(median)s minutes.",
                minutes="2,0",
                median="19,0",
            ),
        )

    def test_identical_wrong_answers_of_different_learners(self):
        wrong = [(q, q.choices.get(text="Sai một")) for q in self.questions[:2]]
        other = [(q, q.choices.get(text="Sai hai")) for q in self.questions[:2]]
        first = self.attempt(self.learners[0], minutes=10, score=33)
        second = self.attempt(self.learners[1], minutes=11, score=33)
        third = self.attempt(self.learners[2], minutes=12, score=33)
        self.wrong(first, wrong)
        self.wrong(second, wrong)
        self.wrong(third, other)
        (group,) = self.groups(SAME_WRONG)
        self.assertEqual(set(group.attempts), {first, second})
        self.assertEqual(
            group.reason,
            vi(
                "%(people)d learners gave the same %(count)d wrong answers.",
                people=2,
                count=2,
            ),
        )

    def test_many_learners_from_one_device_or_address(self):
        for learner in self.learners[:3]:
            self.attempt(
                learner, minutes=10, score=80, device_hash="d1", address_hash="a1"
            )
        for learner in self.learners[3:5]:
            self.attempt(
                learner, minutes=10, score=80, device_hash="d2", address_hash="a1"
            )
        (device,) = self.groups(SAME_DEVICE)
        self.assertEqual({a.user for a in device.attempts}, set(self.learners[:3]))
        (address,) = self.groups(SAME_ADDRESS)
        self.assertEqual(len(address.people), 5)
        # Other quizzes are counted apart: two learners from "d2" are not three.
        self.attempt(
            self.learners[5],
            minutes=10,
            score=80,
            quiz=self.other_quiz,
            device_hash="d2",
        )
        self.assertEqual(len(self.groups(SAME_DEVICE)), 1)

    def test_learners_outside_the_class_are_not_looked_at(self):
        stranger = UserFactory()
        for learner in (*self.learners[:2], stranger):
            self.attempt(learner, minutes=10, score=80, device_hash="d1")
        self.assertEqual(self.groups(SAME_DEVICE), [])

    def test_the_hashes_tell_devices_apart_without_keeping_them(self):
        factory = RequestFactory()
        phone = factory.get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Phone")
        tablet = factory.get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Tab")
        address, device = client_hashes(phone)
        self.assertEqual(client_hashes(phone), (address, device))
        self.assertEqual(client_hashes(tablet)[0], address)
        self.assertNotEqual(client_hashes(tablet)[1], device)
        self.assertNotIn("203", address + device)
        self.assertEqual(len(address), 16)

    def test_starting_an_attempt_records_the_hashes(self):
        learner = self.learners[0]
        self.client.force_login(learner)
        self.client.post(
            self.quiz.url + self.quiz.reverse_subpage("start"),
            REMOTE_ADDR="198.51.100.4",
            HTTP_USER_AGENT="Phone",
        )
        attempt = QuizAttempt.objects.get(user=learner)
        request = RequestFactory().get(
            "/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Phone"
        )
        self.assertEqual(
            (attempt.address_hash, attempt.device_hash), client_hashes(request)
        )


class UnusualAttemptsPageTests(TestCase):
    def test_teacher_and_unit_official_see_the_list_others_do_not(self):
        klass = TrainingClassFactory()
        learner = UserFactory(full_name="Nguyễn Văn Nhanh")
        ClassMembership.objects.create(training_class=klass, user=learner)
        official = UserFactory()
        RegionRole.objects.create(user=official, region=klass.region)
        url = reverse("quizzes:unusual", args=[klass.pk])
        for person, status in (
            (klass.owner, 200),
            (official, 200),
            (learner, 404),
            (TrainingClassFactory().owner, 404),
        ):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, status)
        self.client.force_login(klass.owner)
        detail = self.client.get(reverse("classes:detail", args=[klass.pk]))
        self.assertContains(detail, f'href="{url}"')
        self.assertContains(
            self.client.get(url), vi("No unusual attempt in this class.")
        )
