"""The browsers a person is signed in on, and their access tokens: listed on
their account page, each ended by them."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.testing import vi
from regions.tests.factories import ProvinceFactory
from users.models import AccessToken, AccountEvent, LoginSession, RegionRole
from users.services import access_token_create
from users.sessions import describe_user_agent

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SESSIONS = reverse("users:sessions")
TOKENS = reverse("users:tokens")
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
)
IPHONE_ZALO = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/23.11.01"
)


def log_in(user, agent=ANDROID_CHROME, address="203.0.113.7") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(
        reverse("users:login"), {"username": user.phone_display, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_logging_in_and_out_keeps_the_list_of_browsers(lan):
    phone = log_in(lan)
    log_in(lan, IPHONE_ZALO, "198.51.100.4")

    rows = {row.session_key: row for row in lan.login_sessions.all()}
    assert phone.session.session_key in rows
    row = rows[phone.session.session_key]
    assert row.ip_address == "203.0.113.7"
    assert row.user_agent == ANDROID_CHROME

    phone.post(reverse("users:logout"))
    assert lan.login_sessions.count() == 1


def test_the_list_marks_this_browser_and_names_the_others(lan):
    phone = log_in(lan)
    log_in(lan, IPHONE_ZALO, "198.51.100.4")

    response = phone.get(SESSIONS)

    sessions = response.context["sessions"]
    assert [s.current for s in sessions].count(True) == 1
    assert {s.browser for s in sessions} == {
        describe_user_agent(ANDROID_CHROME),
        describe_user_agent(IPHONE_ZALO),
    }
    assertContains(response, "198.51.100.4")
    # A session key is a password: the page never shows one.
    for key in lan.login_sessions.values_list("session_key", flat=True):
        assertNotContains(response, key)


def test_ending_one_browser_signs_it_out(lan):
    phone = log_in(lan)
    laptop = log_in(lan, IPHONE_ZALO, "198.51.100.4")
    other = LoginSession.objects.get(session_key=laptop.session.session_key)

    phone.post(SESSIONS, {"end": other.pk})

    assert laptop.get(reverse("users:account")).status_code == 302
    assert phone.get(reverse("users:account")).status_code == 200
    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert AccountEvent.objects.filter(
        subject=lan, kind=AccountEvent.Kind.SESSION_ENDED
    ).exists()


def test_ending_every_other_browser(lan):
    phone = log_in(lan)
    others = [log_in(lan, IPHONE_ZALO, f"192.0.2.{n}") for n in range(3)]

    phone.post(SESSIONS, {"end": "others"})

    assert all(c.get(reverse("users:account")).status_code == 302 for c in others)
    assert phone.get(reverse("users:account")).status_code == 200
    assert list(lan.login_sessions.values_list("session_key", flat=True)) == [
        phone.session.session_key
    ]


def test_nobody_ends_another_person_s_session(lan):
    stranger = UserFactory()
    theirs = log_in(stranger)
    row = LoginSession.objects.get(user=stranger)
    mine = log_in(lan)

    response = mine.post(SESSIONS, {"end": row.pk})

    assert response.status_code == 404
    assert theirs.get(reverse("users:account")).status_code == 200


def test_ended_sessions_are_forgotten_when_listed(lan):
    phone = log_in(lan)
    gone = log_in(lan, IPHONE_ZALO)
    Session.objects.filter(session_key=gone.session.session_key).delete()
    from django.core.cache import cache

    cache.clear()
    phone.get(SESSIONS)  # the cache held the session too

    assert list(lan.login_sessions.values_list("session_key", flat=True)) == [
        phone.session.session_key
    ]


@pytest.mark.parametrize(
    ("agent", "described"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (IPHONE_ZALO, "Zalo on iOS"),
        ("", "Unknown browser"),
    ],
)
def test_browsers_are_described_plainly(agent, described):
    from django.utils import translation

    with translation.override("en"):
        assert describe_user_agent(agent) == described


# Tokens -----------------------------------------------------------------------------


def official():
    user = UserFactory(full_name="Cán bộ Phạm Văn Đức")
    RegionRole.objects.create(user=user, region=ProvinceFactory())
    return user


def test_an_official_makes_a_token_shown_once(client):
    user = official()
    client.force_login(user)

    response = client.post(TOKENS, {"action": "create", "label": "Bảng tin của tỉnh"})

    token = AccessToken.objects.get(user=user)
    raw = response.context["made"]["raw"]
    assert raw.startswith(token.prefix)
    assertContains(response, raw)
    assert response["Cache-Control"] == "no-store"
    assert token.label == "Bảng tin của tỉnh"
    assert raw not in client.get(TOKENS).content.decode()
    assert AccountEvent.objects.filter(
        subject=user, kind=AccountEvent.Kind.TOKEN_CREATED, actor=user
    ).exists()


def test_a_token_needs_a_label(client):
    user = official()
    client.force_login(user)

    response = client.post(TOKENS, {"action": "create", "label": ""})

    assert response.context["form"].errors["label"]
    assert not AccessToken.objects.exists()


def test_a_learner_makes_no_token(client, lan):
    client.force_login(lan)

    assert client.post(TOKENS, {"action": "create", "label": "x"}).status_code == 404
    assert not AccessToken.objects.exists()


def test_the_list_shows_each_token_and_revokes_only_one_s_own(client, lan):
    user = official()
    mine, _raw = access_token_create(
        user=user, purpose=AccessToken.Purpose.COVERAGE_FEED, label="Máy chủ tỉnh"
    )
    theirs, _raw = access_token_create(
        user=lan, purpose=AccessToken.Purpose.COVERAGE_FEED, label="Của Lan"
    )
    client.force_login(user)

    page = client.get(TOKENS)
    assertContains(page, "Máy chủ tỉnh")
    assertContains(page, mine.prefix)
    assertNotContains(page, "Của Lan")

    assert (
        client.post(TOKENS, {"action": "revoke", "token": theirs.pk}).status_code == 404
    )
    client.post(TOKENS, {"action": "revoke", "token": mine.pk})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    assertContains(client.get(TOKENS), vi("Revoke"), count=0)
