"""Flow 4, claim codes: a stranger guesses the code on someone's login card.

Wrong codes are limited per client address and per target: the phone typed,
and the account once the code names one (a found card tried with guessed
phones). A refused guess is refused even when it is right.
"""

from unittest import mock

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.testing import vi
from users.models import AccountEvent
from users.services import claim_code_issue

pytestmark = pytest.mark.django_db

CLAIM = reverse("users:claim")
PROXY = "10.0.0.2"
NEW_PASSWORD = "mat-khau-cua-toi-2026"


def wait_message(minutes):
    return vi(
        "Wait %(minutes)d minute and try again.",
        "Wait %(minutes)d minutes and try again.",
        minutes,
        minutes=minutes,
    )


def claim(client, code, phone, address):
    return client.post(
        CLAIM,
        {
            "code": code,
            "phone": phone,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent": "on",
        },
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def card(world, settings):
    """Commune B's light account and the code on the card its teacher printed."""
    settings.TRUSTED_PROXY_COUNT = 1
    with mock.patch("users.services.new_code", return_value="RIGHTCODE2"):
        claim_code_issue(user=world.b.light, created_by=world.b.teacher)
    return world.b.light, "RIGHTCODE2"


def test_guessing_the_code_for_a_phone_stops_at_the_phone_limit(
    client, world, card, settings
):
    """Five wrong codes with the victim's phone, from ever new addresses; then
    even the right code is refused for that phone, and the account stays
    unclaimed."""
    settings.THROTTLE_RATES = {"claim:target": (5, 900)}
    victim, code = card
    for n in range(5):
        wrong = claim(client, f"WRONGCODE{n}", victim.phone_display, f"192.0.2.{n}")
        assert wrong.status_code == 200

    refused = claim(client, code, victim.phone_display, "192.0.2.99")

    assert refused.status_code == 429
    assertContains(refused, wait_message(15), status_code=429)
    victim.refresh_from_db()
    assert victim.is_light is True
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.CLAIMED).exists()


def test_a_found_card_with_guessed_phones_stops_at_the_account_limit(
    client, world, card, settings
):
    """Someone holds the card (not the phone): each wrong phone counts against
    the account the code names, whatever the address."""
    settings.THROTTLE_RATES = {"claim:target": (3, 900)}
    victim, code = card
    for n in range(3):
        claim(client, code, f"0912 000 00{n}", f"198.51.100.{n}")

    refused = claim(client, code, victim.phone_display, "198.51.100.50")

    assert refused.status_code == 429
    victim.refresh_from_db()
    assert victim.is_light is True


def test_guessing_from_one_address_stops_at_the_address_limit(
    client, world, card, settings
):
    settings.THROTTLE_RATES = {"claim:address": (4, 900)}
    victim, code = card
    for n in range(4):
        claim(client, f"WRONGCODE{n}", f"0913 000 00{n}", "203.0.113.7")

    refused = claim(client, code, victim.phone_display, "203.0.113.7")
    elsewhere = claim(client, code, victim.phone_display, "198.51.100.4")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    victim.refresh_from_db()
    assert victim.check_password(NEW_PASSWORD) is True


def test_the_right_code_and_phone_claim_with_consent(client, world, card):
    """Claiming records the person's consent to the current text, with the
    client's address, and the claim in their account history."""
    victim, code = card

    response = claim(client, code, victim.phone_display, "203.0.113.7")

    assert response.status_code == 302
    consent = victim.consents.get()
    assert consent.ip_address == "203.0.113.7"
    assert AccountEvent.objects.filter(
        subject=victim, kind=AccountEvent.Kind.CLAIMED, ip_address="203.0.113.7"
    ).exists()
