"""Unusual attempts of a whole unit (issue 18 §3): the officials over a unit see
every class in it, grouped by class, without a query per class or attempt."""

import datetime
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classes.models import ClassMembership
from classes.tests.factories import OrganisationFactory, TrainingClassFactory
from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from ..models import AttemptState, QuizAttempt
from .factories import course_create, question_create, quiz_create

WORDING = (
    "Attempts that look unusual together, for you to review. They are signs, not "
    "proof: nothing has been changed in anyone's results, and no one is penalised "
    "without a person's decision."
)


class UnitPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.province = ProvinceFactory(name="Tỉnh Hưng Yên")
        cls.commune = CommuneFactory(name="Xã Đông Hưng", parent=cls.province)
        cls.sibling = CommuneFactory(name="Xã Tiên Hưng", parent=cls.province)
        cls.elsewhere = CommuneFactory(name="Xã Xa Lắm", parent=ProvinceFactory())
        course = course_create()
        cls.quiz = quiz_create(course=course, questions=[question_create()])
        today = timezone.localdate()
        cls.older = cls.klass(cls.commune, "Lớp cũ", today - timedelta(days=300))
        cls.newer = cls.klass(cls.sibling, "Lớp mới", today - timedelta(days=10))
        cls.far = cls.klass(cls.elsewhere, "Lớp tỉnh khác", today)
        cls.quiet = cls.klass(cls.commune, "Lớp yên ổn", today - timedelta(days=50))
        cls.learners = {}
        for klass, prefix in ((cls.older, "Cũ"), (cls.newer, "Mới"), (cls.far, "Xa")):
            cls.learners[klass.pk] = cls.one_device(klass, prefix)
        # The quiet class's learners each use their own device.
        for number in range(3):
            learner = UserFactory(full_name=f"Yên {number}")
            ClassMembership.objects.create(training_class=cls.quiet, user=learner)
            cls.attempt(learner, device_hash=f"quiet-{number}")
        cls.province_official = cls.official(cls.province)
        cls.commune_official = cls.official(cls.commune)
        cls.other_official = cls.official(cls.elsewhere.parent)

    @classmethod
    def klass(cls, commune, name, starts_on):
        return TrainingClassFactory(
            name=name,
            organisation=OrganisationFactory(region=commune),
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=30),
        )

    @classmethod
    def attempt(cls, learner, **fields):
        now = timezone.now()
        return QuizAttempt.objects.create(
            user=learner,
            quiz=cls.quiz,
            number=1,
            state=AttemptState.FINISHED,
            started_at=now - timedelta(minutes=20),
            submitted_at=now,
            score=Decimal(50),
            passed=False,
            pass_mark=80,
            seed=1,
            **fields,
        )

    @classmethod
    def one_device(cls, klass, prefix):
        """Three learners of the class answering from one device."""
        learners = []
        for number in range(3):
            learner = UserFactory(full_name=f"{prefix} {number}")
            ClassMembership.objects.create(training_class=klass, user=learner)
            cls.attempt(learner, device_hash=f"device-{klass.pk}")
            learners.append(learner)
        return learners

    @classmethod
    def official(cls, region):
        person = UserFactory()
        RegionRole.objects.create(user=person, region=region)
        return person

    def url(self, region):
        return reverse("quizzes:unusual_unit", args=[region.pk])

    def test_the_province_official_sees_every_class_of_the_province(self):
        self.client.force_login(self.province_official)
        response = self.client.get(self.url(self.province))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(vi(WORDING), html)
        # Grouped by class, the newest class first.
        places = [html.index(f'data-class="{k.pk}"') for k in (self.newer, self.quiet)]
        places.append(html.index(f'data-class="{self.older.pk}"'))
        self.assertEqual(places, sorted(places))
        self.assertEqual(html.count('data-sign="same_device"'), 2)
        older_part = html[html.index(f'data-class="{self.older.pk}"') :]
        for learner in self.learners[self.older.pk]:
            self.assertIn(learner.full_name, older_part)
        quiet_part = html[
            html.index(f'data-class="{self.quiet.pk}"') : html.index(
                f'data-class="{self.older.pk}"'
            )
        ]
        self.assertIn(vi("No unusual attempt in this class."), quiet_part)
        # Nothing of another province.
        self.assertNotIn(self.far.name, html)
        for learner in self.learners[self.far.pk]:
            self.assertNotIn(learner.full_name, html)

    def test_a_commune_official_sees_their_commune_only(self):
        self.client.force_login(self.commune_official)
        response = self.client.get(self.url(self.commune))
        self.assertContains(response, f'data-class="{self.older.pk}"')
        self.assertNotContains(response, f'data-class="{self.newer.pk}"')
        self.assertEqual(self.client.get(self.url(self.province)).status_code, 404)
        self.assertEqual(self.client.get(self.url(self.sibling)).status_code, 404)

    def test_teachers_learners_and_other_officials_get_404(self):
        url = self.url(self.commune)
        for person in (
            self.older.owner,
            self.learners[self.older.pk][0],
            self.other_official,
            UserFactory(),
        ):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_queries_do_not_grow_with_classes_or_attempts(self):
        self.client.force_login(self.province_official)
        url = self.url(self.province)
        self.client.get(url)  # The session's first use, out of the count.
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for number in range(4):
            klass = self.klass(self.sibling, f"Lớp thêm {number}", timezone.localdate())
            self.one_device(klass, f"Thêm {number}")
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('data-sign="same_device"'), 6)
        self.assertEqual(len(after), len(before))
        # The person, their units, the unit, the count and page of classes, their
        # members, the attempts and their wrong answers: none per class.
        self.assertLessEqual(len(after), 8)

    def test_the_page_is_capped_and_paginated(self):
        self.client.force_login(self.province_official)
        with mock.patch("quizzes.views.UNUSUAL_CLASSES_PER_PAGE", 2):
            first = self.client.get(self.url(self.province)).content.decode()
            second = self.client.get(self.url(self.province) + "?page=2")
        self.assertIn(f'data-class="{self.newer.pk}"', first)
        self.assertIn(f'data-class="{self.quiet.pk}"', first)
        self.assertNotIn(f'data-class="{self.older.pk}"', first)
        self.assertIn("?page=2", first)
        self.assertContains(second, f'data-class="{self.older.pk}"')
        self.assertNotContains(second, f'data-class="{self.newer.pk}"')

    def test_linked_from_the_unit_report(self):
        self.client.force_login(self.province_official)
        response = self.client.get(reverse("reports:unit", args=[self.province.pk]))
        self.assertContains(response, f'href="{self.url(self.province)}"')
