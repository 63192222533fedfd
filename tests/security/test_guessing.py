"""Flow 4: codes and passwords guessed from one address. Join and check-in codes
are limited per client address and per target; a guessed check-in code adds
nobody; a session's check-in page shows nothing to outsiders."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from classes import checkin
from classes.models import Attendance, ClassMembership
from classes.tests.factories import ClassSessionFactory
from core.testing import vi

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the site's own nginx, in front of every request


def wait_message(minutes):
    return vi(
        "Wait %(minutes)d minute and try again.",
        "Wait %(minutes)d minutes and try again.",
        minutes,
        minutes=minutes,
    )


def from_address(address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def test_join_codes_are_limited_per_address_and_per_account(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.THROTTLE_RATES = {"join:address": (5, 900), "join:account": (8, 900)}
    url = reverse("class_join")
    right = world.a.training_class.join_code
    client.force_login(world.b.learner)

    for _ in range(5):
        response = client.post(url, {"code": "AAAAAAAA"}, **from_address("203.0.113.7"))
        assert response.status_code == 200
    refused = client.post(url, {"code": right}, **from_address("203.0.113.7"))

    assert refused.status_code == 429
    assertContains(refused, wait_message(15), status_code=429)
    assert not ClassMembership.objects.filter(
        user=world.b.learner, training_class=world.a.training_class
    ).exists()

    # Another client behind the same proxy is counted apart...
    client.force_login(world.a.learner)
    ok = client.post(
        url, {"code": world.b.training_class.join_code}, **from_address("198.51.100.4")
    )
    assert ok.status_code == 302
    # ...but one account guessing from many addresses is stopped too.
    client.force_login(world.b.learner)
    for n in range(3):
        client.post(url, {"code": "AAAAAAAA"}, **from_address(f"192.0.2.{n + 1}"))
    refused = client.post(url, {"code": right}, **from_address("192.0.2.9"))
    assert refused.status_code == 429


def test_a_guessed_check_in_code_adds_nobody_and_shows_nothing(client, world):
    session = ClassSessionFactory(training_class=world.a.training_class)
    code = checkin.checkin_code(session.pk, checkin.current_window())
    url = reverse("classes:check_in", args=[session.pk])
    outsider = world.b.learner
    client.force_login(outsider)

    page = client.get(url + f"?ma={code}")
    posted = client.post(url, {"ma": code})

    assert page.status_code == posted.status_code == 404
    assertNotContains(page, world.a.training_class.name, status_code=404)
    assert not ClassMembership.objects.filter(
        training_class=world.a.training_class, user=outsider
    ).exists()
    assert not Attendance.objects.exists()
    # A member is checked in with the same code.
    client.force_login(world.a.learner)
    assert client.post(url, {"ma": code}).status_code == 302
    assert Attendance.objects.get().user == world.a.learner


def test_check_in_codes_are_limited_per_address_and_per_session(
    client, world, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.THROTTLE_RATES = {
        "check_in:address": (4, 900),
        "check_in:session": (6, 900),
    }
    session = ClassSessionFactory(training_class=world.a.training_class)
    url = reverse("classes:check_in", args=[session.pk])
    code = checkin.checkin_code(session.pk, checkin.current_window())
    client.force_login(world.a.learner)

    for guess in ("000001", "000002", "000003", "000004"):
        client.post(url, {"ma": guess}, **from_address("203.0.113.7"))
    refused = client.post(url, {"ma": code}, **from_address("203.0.113.7"))

    assert refused.status_code == 429
    assert not Attendance.objects.exists()
    # The session as a whole: two more wrong codes from elsewhere close it.
    for n in range(2):
        client.post(url, {"ma": "999999"}, **from_address(f"192.0.2.{n + 1}"))
    assert (
        client.post(url, {"ma": code}, **from_address("192.0.2.9")).status_code == 429
    )
    assert not Attendance.objects.exists()
