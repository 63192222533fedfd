"""The learner's and the staff's certificate pages, as they use them."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from certificates.models import Certificate
from core.testing import vi
from courses.models import Enrolment
from users.tests.factories import UserFactory

from .builders import certified_course, complete, learner
from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

MINE = "/chung-chi/"


def test_my_certificates_lists_status_dates_code_download_and_link(client):
    lan = learner()
    valid = CertificateFactory(user=lan)
    expired = CertificateFactory(
        user=lan,
        expires_at=timezone.now() - datetime.timedelta(days=1),
        issued_at=timezone.now() - datetime.timedelta(days=400),
    )
    CertificateFactory()  # someone else's
    client.force_login(lan)

    response = client.get(MINE)

    assertContains(response, vi("My certificates"))
    assertContains(response, valid.course.title)
    assertContains(response, valid.code)
    assertContains(response, expired.code)
    assertContains(response, f'href="/chung-chi/{valid.pk}/pdf/"')
    assertContains(response, f"http://testserver/verify/{valid.token}/")
    assertContains(response, valid.issued_at.strftime("%d/%m/%Y"))
    assertContains(response, vi("Expired on"))
    assertContains(
        response, timezone.localtime(expired.expires_at).strftime("%d/%m/%Y")
    )
    assertContains(response, 'class="badge badge--done certificate-status"', count=1)
    assert response.content.decode().count("certificate-card") == 2


def test_my_certificates_needs_a_login(client):
    response = client.get(MINE)
    assert response.status_code == 302


def test_the_header_links_to_my_certificates(client):
    client.force_login(UserFactory())
    response = client.get("/hoc-tap-cua-toi/")
    assertContains(response, f'href="{MINE}"', count=2)


def test_the_pdf_downloads_as_an_attachment_named_by_the_code(client):
    certificate = CertificateFactory()
    client.force_login(certificate.user)

    response = client.get(f"/chung-chi/{certificate.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="giay-chung-nhan-{certificate.code}.pdf"'
    )
    assert "private" in response["Cache-Control"]


def test_an_editor_revokes_with_a_reason_and_the_page_says_so(client):
    certificate = CertificateFactory()
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    client.force_login(editor)
    url = f"/chung-chi/{certificate.pk}/thu-hoi/"

    page = client.get(url)
    assertContains(page, certificate.printed["learner_name"])
    assertContains(page, certificate.code)

    refused = client.post(url, {"reason": "  "})
    assertContains(refused, vi("Give the reason for revoking the certificate."))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    done = client.post(url, {"reason": "Cấp nhầm người học."})
    assertRedirects(done, url)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == editor
    after = client.get(url)
    assertContains(after, "Cấp nhầm người học.")
    assertNotContains(after, 'name="reason"')


def test_the_course_page_shows_the_certificate_and_offers_a_redo_once_expired(
    client,
):
    course = certified_course(valid_months=12)
    lan = learner()
    complete(lan, course)
    certificate = Certificate.objects.get()
    client.force_login(lan)

    page = client.get(course.url)
    assertContains(page, vi("Your certificate"))
    assertNotContains(page, vi("Redo the course"))

    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.get(course.url)
    assertContains(page, vi("Redo the course"))

    response = client.post(f"/chung-chi/khoa-hoc/{course.pk}/hoc-lai/")
    assertRedirects(response, course.url, fetch_redirect_response=False)
    enrolment = Enrolment.objects.get(user=lan, course=course)
    assert enrolment.completed_at is None
    assert enrolment.restarted_at is not None

    complete(lan, course)
    renewed = Certificate.objects.exclude(pk=certificate.pk).get()
    assert renewed.renewal_of_id == certificate.pk


def test_a_redo_while_the_certificate_is_valid_is_refused(client):
    course = certified_course(valid_months=12)
    lan = learner()
    complete(lan, course)
    client.force_login(lan)

    response = client.post(f"/chung-chi/khoa-hoc/{course.pk}/hoc-lai/", follow=True)

    assertContains(
        response, vi("A course can be redone once its certificate has expired.")
    )
    assert Enrolment.objects.get(user=lan).completed_at is not None
