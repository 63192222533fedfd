"""The demo issues certificates to the demo learners who completed a course."""

import pytest

from certificates.models import Certificate, CertificateTemplate
from courses.models import CoursePage, Enrolment
from demo import people
from demo.certificates import MERIT_TEMPLATE_NAME, TEMPLATE_NAME
from demo.loader import demo_username, load_demo
from demo.tests.test_demo import _commune, _province

pytestmark = pytest.mark.django_db


def test_demo_learners_who_completed_a_course_hold_its_certificate():
    commune = _commune("Xã Đông Hưng", "12688", _province("Tỉnh Hưng Yên", "33"))

    load_demo()

    template = CertificateTemplate.objects.get(name=TEMPLATE_NAME)
    assert (
        template.logo and template.background and template.signature and template.seal
    )
    assert template.background.width == 1754
    # The template of merit (giấy khen) the top helpers are awarded with.
    merit = CertificateTemplate.objects.get(name=MERIT_TEMPLATE_NAME)
    assert (merit.kind, merit.title) == ("merit", "GIẤY KHEN")
    assert merit.seal == template.seal
    merit.full_clean()
    assert set(
        CoursePage.objects.values_list("certificate_policies__template", flat=True)
    ) == {template.pk}
    completed = Enrolment.objects.filter(completed_at__isnull=False)
    assert completed.exists()
    for enrolment in completed:
        certificate = Certificate.objects.get(
            user=enrolment.user, course=enrolment.course
        )
        assert certificate.status == Certificate.Status.VALID
        assert certificate.region == commune
        assert certificate.printed["unit"] == "Xã Đông Hưng, Tỉnh Hưng Yên"
        assert certificate.printed["issuer"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    learner = Certificate.objects.filter(
        user__username=demo_username(people.LEARNER)
    ).get(course__slug="tai-khoan-dinh-danh-dien-tu-vneid")
    assert learner.expires_at is not None

    count = Certificate.objects.count()
    summary = load_demo()
    assert Certificate.objects.count() == count
    assert "certificate templates" not in summary.created
    assert "certificates" not in summary.created
