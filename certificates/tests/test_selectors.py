"""Reads: a learner's certificates, their latest per course, lookups by secret."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from certificates.selectors import (
    certificate_by_code,
    certificate_by_token,
    certificate_eligibility_many,
    certificate_for_course,
    certificates_of,
)
from core.testing import vi
from courses.models import Enrolment
from courses.services import enrolment_create
from users.tests.factories import UserFactory

from .builders import certified_course, class_with_sessions
from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_certificates_of_returns_only_the_learners_newest_first():
    lan = UserFactory()
    older = CertificateFactory(
        user=lan, issued_at=timezone.now() - datetime.timedelta(days=30)
    )
    newer = CertificateFactory(user=lan)
    CertificateFactory()

    assert list(certificates_of(user=lan)) == [newer, older]


def test_the_latest_certificate_for_a_course_is_the_renewal():
    first = CertificateFactory(
        completed_at=timezone.now() - datetime.timedelta(days=400)
    )
    renewal = CertificateFactory(
        user=first.user, course=first.course, template=first.template, renewal_of=first
    )
    assert certificate_for_course(user=first.user, course=first.course) == renewal
    assert certificate_for_course(user=AnonymousUser(), course=first.course) is None


def test_lookups_by_code_and_token_find_exactly_one_or_none():
    certificate = CertificateFactory()
    assert certificate_by_code(certificate.code) == certificate
    assert certificate_by_token(certificate.token) == certificate
    assert certificate_by_code(None) is None
    assert certificate_by_code("ZZZZ-ZZZZ-ZZZZ") is None
    assert certificate_by_token(certificate.code) is None


def test_a_named_class_is_judged_even_for_someone_not_on_its_roll():
    course = certified_course(min_attendance=50)
    outsider = UserFactory()
    enrolment = enrolment_create(user=outsider, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    training_class = class_with_sessions(course=course, users=[], held=2)

    result = certificate_eligibility_many(
        users=UserFactory._meta.model.objects.filter(pk=outsider.pk),
        course=course,
        training_class=training_class,
    )

    assert result[outsider.pk].eligible is False
    assert result[outsider.pk].training_class_id == training_class.pk
    assert result[outsider.pk].reason == vi(
        "Attended %(attended)d of %(held)d sessions (%(percent)d%%); the course "
        "asks for at least %(minimum)d%%.",
        attended=0,
        held=2,
        percent=0,
        minimum=50,
    )
