"""The client's address behind proxies, the limits on guessing, and the headers
every answer carries."""

import pytest
from django.test import RequestFactory

from core import throttle
from core.net import client_ip

factory = RequestFactory()


def request(remote="10.0.0.5", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **extra)


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    """With no proxy configured, a forged X-Forwarded-For changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.7", forwarded="1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # nginx appended the address it saw; the client forged one before it.
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "203.0.113.7", "203.0.113.7"),
        # A load balancer, then nginx: the client is second from the right.
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        # Came in through nginx alone: the only entry is the client.
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "203.0.113.7:51234", "203.0.113.7"),
        # Nothing usable: the connection's address.
        (1, "", "10.0.0.5"),
        (1, "not-an-address", "10.0.0.5"),
    ],
)
def test_behind_proxies_the_forwarded_entry_they_wrote_is_the_client(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected


def test_a_limit_refuses_after_its_attempts_and_says_how_long(settings):
    settings.THROTTLE_RATES = {"join:address": (3, 900)}
    checks = {"join:address": "203.0.113.7"}
    for _ in range(3):
        assert throttle.refusal(checks, now=1000) is None
        throttle.record(checks, now=1000)
    refused = throttle.refusal(checks, now=1060)
    assert refused is not None
    assert refused.retry_after == 840
    assert refused.minutes == 14
    assert throttle.refusal({"join:address": "198.51.100.2"}, now=1060) is None
    # The window ends 900 s after the first attempt it counted.
    assert throttle.refusal(checks, now=1901) is None


def test_hit_counts_every_lookup(settings):
    settings.THROTTLE_RATES = {"verify:address": (2, 600)}
    checks = {"verify:address": "203.0.113.8"}
    assert throttle.hit(checks) is None
    assert throttle.hit(checks) is None
    assert throttle.hit(checks) is not None


def test_reset_forgets_the_attempts(settings):
    settings.THROTTLE_RATES = {"claim:target": (1, 600)}
    checks = {"claim:target": "+84912345678"}
    throttle.record(checks)
    assert throttle.refusal(checks) is not None
    throttle.reset(checks)
    assert throttle.refusal(checks) is None


def test_a_cache_that_fails_lets_people_in(settings, monkeypatch):
    """Redis lost for a while must not lock everyone out."""

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(throttle.cache, "get_many", broken)
    monkeypatch.setattr(throttle.cache, "add", broken)
    checks = {"login:address": "203.0.113.9"}
    throttle.record(checks)
    assert throttle.refusal(checks) is None
    assert throttle.hit(checks) is None


@pytest.mark.django_db
def test_every_answer_says_which_browser_features_are_off(client):
    response = client.get("/healthz")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
