"""The signed-in person of a session, kept in the shared cache between their
pages and forgotten whenever their row changes."""

import pytest
from django.test import Client
from django.urls import reverse

from users.backends import PhoneOrEmailBackend

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("users:account")


def _logged_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("users:login"), {"username": user.phone_display, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_the_signed_in_person_is_read_once_while_unchanged(
    lan, django_assert_num_queries
):
    """A session's user is read from the database once, then from the cache."""
    backend = PhoneOrEmailBackend()
    assert backend.get_user(lan.pk) == lan
    with django_assert_num_queries(0):
        assert backend.get_user(lan.pk) == lan


def test_a_disabled_account_is_signed_out_at_its_next_page(lan):
    """Disabling the account ends its sessions at once, though its row was
    kept for them."""
    client = _logged_in(lan)
    assert client.get(ACCOUNT).status_code == 200

    lan.is_active = False
    lan.save()

    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_a_new_password_signs_out_the_other_browsers(lan):
    """A password changed elsewhere ends the sessions of the old one at their
    next page (Django's session hash), though the row was kept for them."""
    client = _logged_in(lan)
    assert client.get(ACCOUNT).status_code == 200

    lan.set_password("mot-mat-khau-moi-2025")
    lan.save()

    response = client.get(ACCOUNT)
    assert response.status_code == 302


def test_a_deleted_account_is_signed_out(lan):
    client = _logged_in(lan)
    assert client.get(ACCOUNT).status_code == 200

    lan.delete()

    assert client.get(ACCOUNT).status_code == 302
