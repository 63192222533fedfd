"""Flows 4 and 5, passwords: a stranger sprays passwords across many accounts
from one address, or guesses one account's password from many; behind the
site's proxy every request comes from the proxy's address.

django-axes locks one (account, address) pair, read through core.net.client_ip;
beside it, wrong passwords are counted per client address across accounts and
per account across addresses, and refused with the minutes to wait.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.testing import vi
from users import devices
from users.tests.factories import UserFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("users:login")
PROXY = "10.0.0.2"


def wait_message(minutes):
    return vi(
        "Wait %(minutes)d minute and try again.",
        "Wait %(minutes)d minutes and try again.",
        minutes,
        minutes=minutes,
    )


def log_in(client, user, password, address):
    return client.post(
        LOGIN,
        {"username": user.phone_display, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def log_out(client):
    """Log out as the browser does: its cookies stay (Client.logout() would
    clear them all)."""
    client.post(reverse("users:logout"), REMOTE_ADDR=PROXY)
    assert "_auth_user_id" not in client.session


def logged_in(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_a_stranger_behind_the_proxy_does_not_lock_the_owner_out(
    client, world, settings, behind_proxy
):
    """Five wrong passwords from the stranger's address lock that address only:
    the owner, behind the same proxy, logs in from theirs."""
    settings.AXES_ENABLED = True
    owner = world.b.official

    answers = [
        log_in(client, owner, "doan-bua-1234", "203.0.113.7").status_code
        for _ in range(5)
    ]
    stranger = log_in(client, owner, PASSWORD, "203.0.113.7")
    mine = log_in(client, owner, PASSWORD, "198.51.100.4")

    assert answers[-1] == 429
    assert stranger.status_code == 429
    assert mine.status_code == 302
    assert logged_in(client) == str(owner.pk)
    # django-axes recorded the client's address, not the proxy's.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.7"
    }


def test_passwords_sprayed_from_one_address_are_refused(
    client, world, settings, behind_proxy
):
    """One wrong password for each of many accounts, from one address: past
    the limit even a right password is refused there, with the minutes to wait;
    another client behind the same proxy is not."""
    settings.THROTTLE_RATES = {"login:address": (5, 900)}
    victims = [UserFactory() for _ in range(5)]
    for victim in victims:
        assert log_in(client, victim, "123456789", "203.0.113.7").status_code == 200

    refused = log_in(client, world.b.learner, PASSWORD, "203.0.113.7")

    assert refused.status_code == 429
    assertContains(refused, wait_message(15), status_code=429)
    assert logged_in(client) is None
    assert log_in(client, world.b.learner, PASSWORD, "198.51.100.4").status_code == 302


def test_one_account_guessed_from_many_addresses_is_refused(
    client, world, settings, behind_proxy
):
    """Wrong passwords against one account from ever new addresses stop at the
    account's limit; the owner's success afterwards starts the count again."""
    settings.THROTTLE_RATES = {"login:account": (4, 3600)}
    owner = world.b.official
    for n in range(4):
        log_in(client, owner, "doan-bua-1234", f"192.0.2.{n + 1}")

    refused = log_in(client, owner, PASSWORD, "192.0.2.99")

    assert refused.status_code == 429
    assertContains(refused, wait_message(60), status_code=429)
    assert logged_in(client) is None


def test_a_success_forgets_the_account_count_not_the_address_count(
    client, world, settings, behind_proxy
):
    settings.THROTTLE_RATES = {"login:account": (3, 3600), "login:address": (4, 900)}
    owner = world.b.learner
    for _ in range(2):
        log_in(client, owner, "sai-mat-khau-1", "203.0.113.7")
    assert log_in(client, owner, PASSWORD, "203.0.113.7").status_code == 302
    client.logout()

    # The account's count started again: two more failures are allowed...
    for _ in range(2):
        log_in(client, owner, "sai-mat-khau-1", "198.51.100.4")
    assert log_in(client, owner, PASSWORD, "198.51.100.4").status_code == 302
    client.logout()
    # ...but the first address's failures still count: 2 + 2 more is its limit.
    for _ in range(2):
        log_in(client, world.a.learner, "sai-mat-khau-1", "203.0.113.7")
    assert log_in(client, owner, PASSWORD, "203.0.113.7").status_code == 429


@pytest.mark.parametrize("login", ["/admin/login/", "/django-admin/login/"])
def test_the_admin_logins_count_wrong_passwords_too(
    client, world, settings, behind_proxy, login
):
    """A sprayer turned away from the learners' login page is not let through
    the administration sites' own."""
    settings.THROTTLE_RATES = {"login:address": (3, 900)}
    admin = world.province_official
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for victim in [UserFactory(is_staff=True) for _ in range(3)]:
        client.post(
            login,
            {"username": victim.username, "password": "123456789"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    refused = client.post(
        login,
        {"username": admin.username, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assertContains(refused, wait_message(15))
    assert logged_in(client) is None


def test_a_stranger_guessing_from_many_addresses_does_not_lock_out_the_owners_phone(
    client, world, settings, behind_proxy
):
    """The account's limit stops a guesser who changes address, but not the
    owner on the phone they logged in with before: it remembers them
    (users.devices), and only its own address's limits apply there."""
    settings.AXES_ENABLED = True
    settings.THROTTLE_RATES = {"login:account": (4, 3600)}
    owner = world.b.learner
    owners_phone = client
    assert log_in(owners_phone, owner, PASSWORD, "198.51.100.4").status_code == 302
    log_out(owners_phone)

    stranger = Client()
    for n in range(6):
        log_in(stranger, owner, "doan-bua-1234", f"192.0.2.{n + 1}")
    refused = log_in(stranger, owner, PASSWORD, "192.0.2.99")
    # The owner on a phone they never used is refused as the stranger is...
    elsewhere = log_in(Client(), owner, PASSWORD, "198.51.100.4")
    # ...on their own phone they log in.
    mine = log_in(owners_phone, owner, PASSWORD, "198.51.100.4")

    assert refused.status_code == 429
    assert elsewhere.status_code == 429
    assert mine.status_code == 302
    assert logged_in(owners_phone) == str(owner.pk)


def test_a_remembered_phone_still_counts_its_own_wrong_passwords(
    client, world, settings, behind_proxy
):
    """A remembered browser is no way around the limits of its address: the
    owner's phone, stolen, guesses no further than any other."""
    settings.AXES_ENABLED = True
    owner = world.b.learner
    assert log_in(client, owner, PASSWORD, "198.51.100.4").status_code == 302
    log_out(client)

    answers = [
        log_in(client, owner, "doan-bua-1234", "198.51.100.4").status_code
        for _ in range(5)
    ]

    assert answers[-1] == 429
    assert log_in(client, owner, PASSWORD, "198.51.100.4").status_code == 429


def test_a_forged_device_cookie_is_ignored(client, world, settings, behind_proxy):
    """The cookie is signed: one written by hand counts for nobody."""
    settings.THROTTLE_RATES = {"login:account": (2, 3600)}
    owner = world.b.learner
    for n in range(2):
        log_in(Client(), owner, "doan-bua-1234", f"192.0.2.{n + 1}")
    client.cookies[devices.COOKIE_NAME] = str(owner.pk)

    assert log_in(client, owner, PASSWORD, "198.51.100.4").status_code == 429
