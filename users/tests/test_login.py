import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from core.testing import vi
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("users:login")
INVALID_LOGIN = (
    "The mobile number, email or password is not right. Check them and try again."
)


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def _log_in(client, username, password, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize(
    "written",
    [
        "0912 345 678",
        "0912345678",
        "0912.345.678",
        "+84 912 345 678",
        "84912345678",
        "lan@example.com",
        "LAN@Example.com",
    ],
)
def test_log_in_with_the_phone_written_any_way_or_the_email(
    client, lan, password, written
):
    """A learner logs in with their phone however written, or their email in any
    case, and lands on My learning."""
    response = _log_in(client, written, password)

    assertRedirects(
        response, reverse("courses:my_learning"), fetch_redirect_response=False
    )
    assert _logged_in_as(client) == str(lan.pk)


def test_log_in_with_an_email_that_has_digits(client, password):
    """An email with digits in it, such as lan1990@example.com, logs in as an
    email, not as a phone number."""
    lan = UserFactory(phone=None, username="lan1990", email="lan1990@example.com")

    response = _log_in(client, "Lan1990@Example.com", password)

    assertRedirects(
        response, reverse("courses:my_learning"), fetch_redirect_response=False
    )
    assert _logged_in_as(client) == str(lan.pk)


def test_log_in_follows_next(client, lan, password):
    """After logging in the learner goes back to the page that asked for it."""
    response = client.post(
        LOGIN,
        {"username": "0912345678", "password": password, "next": "/khoa-hoc/"},
    )

    assertRedirects(response, "/khoa-hoc/", fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("username", "typed_password"),
    [
        ("0912 345 678", "sai-mat-khau-1"),
        ("0999 999 999", "hoc-tap-so-2025"),
        ("nobody@example.com", "hoc-tap-so-2025"),
        ("0912", "hoc-tap-so-2025"),
    ],
)
def test_a_wrong_password_or_unknown_account_is_refused(
    client, lan, username, typed_password
):
    """A wrong password or an unknown account shows the login error and logs
    nobody in."""
    response = _log_in(client, username, typed_password)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [vi(INVALID_LOGIN)]
    assertContains(response, vi(INVALID_LOGIN))
    assertContains(response, '<html lang="vi">')
    assert _logged_in_as(client) is None


def test_an_inactive_account_cannot_log_in(client, password):
    """A disabled account cannot log in even with the right password."""
    UserFactory(phone="+84912345678", is_active=False)

    response = _log_in(client, "0912345678", password)

    assert response.status_code == 200
    assert _logged_in_as(client) is None


class TestThrottling:
    """django-axes locks an (account, address) pair after five failures."""

    @pytest.fixture(autouse=True)
    def _axes_on(self, settings):
        settings.AXES_ENABLED = True

    def test_five_failures_lock_the_account_from_that_address(
        self, client, lan, password
    ):
        """After five wrong passwords from one address, even the right password is
        refused there, with the “too many attempts” page."""
        for _ in range(4):
            assert _log_in(client, "0912345678", "sai-mat-khau").status_code == 200
        fifth = _log_in(client, "0912345678", "sai-mat-khau")

        response = _log_in(client, "0912345678", password)

        assert fifth.status_code == 429
        assert response.status_code == 429
        assertTemplateUsed(response, "users/locked_out.html")
        assertContains(response, vi("Too many attempts"), status_code=429)
        # The page states the real cool-off from the settings: 15 minutes.
        assertContains(response, " 15 ", status_code=429)
        assert _logged_in_as(client) is None

    def test_four_failures_do_not_lock(self, client, lan, password):
        """Four wrong passwords still let the owner in with the right one."""
        for _ in range(4):
            _log_in(client, "0912345678", "sai-mat-khau")

        response = _log_in(client, "0912345678", password)

        assert response.status_code == 302
        assert _logged_in_as(client) == str(lan.pk)

    def test_a_stranger_cannot_lock_the_owner_out(self, client, lan, password):
        """Failures from a stranger's address do not stop the owner logging in
        from their own phone."""
        for _ in range(6):
            _log_in(client, "0912345678", "sai-mat-khau", ip="203.0.113.9")

        response = _log_in(client, "0912345678", password, ip="10.0.0.1")

        assert response.status_code == 302
        assert _logged_in_as(client) == str(lan.pk)

    def test_phone_variants_count_as_one_account(self, client, lan, password):
        """Writing the phone five different ways does not get around the limit."""
        for written in [
            "0912345678",
            "0912 345 678",
            "+84 912 345 678",
            "84912345678",
            "0912.345.678",
        ]:
            _log_in(client, written, "sai-mat-khau")

        response = _log_in(client, "(+84) 912-345-678", password)

        assert response.status_code == 429
        assert _logged_in_as(client) is None

    def test_other_accounts_from_the_same_address_are_not_locked(
        self, client, lan, password
    ):
        """A locked account does not lock the other people who share the
        address, such as a class on one school network."""
        UserFactory(phone="+84987654321")
        for _ in range(5):
            _log_in(client, "0912345678", "sai-mat-khau")

        response = _log_in(client, "0987654321", password)

        assert response.status_code == 302


def test_a_login_looks_the_person_up_once(client, lan, password):
    """The form's limits and the backend share one lookup of the person the
    mobile number names: a class logging in together pays it once each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = _log_in(client, "0912 345 678", password)

    assert _logged_in_as(client) == str(lan.pk)
    assert response.status_code == 302
    lookups = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and '"users_user"."phone" =' in query["sql"]
    ]
    assert len(lookups) == 1, lookups
