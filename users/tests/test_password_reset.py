"""The learners' “Quên mật khẩu?”: what it sends, and how it answers."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from core.testing import vi
from users.models import AccountEvent

pytestmark = pytest.mark.django_db

RESET = reverse("users:password_reset")


def test_the_login_page_offers_it(client):
    response = client.get(reverse("users:login"))

    assertContains(response, f'href="{RESET}"')
    assertContains(response, vi("Forgot your password?"))


def test_a_mail_server_that_fails_answers_the_same(client, lan):
    lan.email_confirmed_at, lan.confirmed_email = timezone.now(), lan.email
    lan.save()

    with mock.patch("users.services.send_mail", side_effect=OSError("down")):
        response = client.post(RESET, {"identifier": lan.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("users:password_reset_sent")
    event = AccountEvent.objects.get(
        subject=lan, kind=AccountEvent.Kind.RESET_REQUESTED
    )
    assert event.detail == "none"
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.RESET_SENT).exists()


def test_a_mistyped_phone_is_refused_on_its_field(client):
    response = client.post(RESET, {"identifier": "0912 34"})

    assert response.status_code == 200
    assert response.context["form"].errors["identifier"] == [
        vi("Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678.")
    ]
