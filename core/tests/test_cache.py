"""core.cache.FailSafeRedisCache: a Redis that does not answer is an empty cache."""

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from core import cache as failsafe
from core.cache import FailSafeRedisCache

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _no_outage_yet(monkeypatch):
    """Each test starts with no outage known of any Redis."""
    monkeypatch.setattr(failsafe, "_outages", {})


class FakeRedis:
    """Stands in for Django's RedisCacheClient: a dict that can stop answering."""

    def __init__(self):
        self.data = {}
        self.down = False
        self.calls = 0

    def _answer(self):
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Connection refused.")

    def get(self, key, default):
        self._answer()
        return self.data.get(key, default)

    def set(self, key, value, timeout):
        self._answer()
        self.data[key] = value

    def delete(self, key):
        self._answer()
        return self.data.pop(key, None) is not None

    def delete_many(self, keys):
        self._answer()
        for key in keys:
            self.data.pop(key, None)

    def get_client(self):
        self._answer()
        return self

    def ping(self):
        return True


def fake_backend(fake: FakeRedis, **attributes) -> FailSafeRedisCache:
    backend = FailSafeRedisCache("redis://cache.internal:6379/0", {})
    backend._cache = fake
    for name, value in attributes.items():
        setattr(backend, name, value)
    return backend


def test_a_redis_that_does_not_answer_is_an_empty_cache():
    """Reads miss, writes store nothing and raise nothing, incr says the key is
    missing, as Django's caches do for a key that does not exist."""
    cache = FailSafeRedisCache(CLOSED_PORT, {})

    assert cache.get("site", "absent") == "absent"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("site") is False
    assert cache.add("count", 1) is False
    assert cache.set("site", "home") is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("site") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.get_or_set("nav", "/khoa-hoc/") == "/khoa-hoc/"
    with pytest.raises(ValueError):
        cache.incr("count")


def test_one_warning_says_the_cache_is_down_not_one_per_call(caplog):
    """Many calls during an outage write a single WARNING, which names the
    server but not the password in its address."""
    cache = FailSafeRedisCache("redis://:s3cret-pass@127.0.0.1:1/0", {})
    cache.retry_seconds = 0  # ask Redis on every call

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(20):
            cache.get("site")
            cache.set("site", "home")

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "127.0.0.1:1" in warnings[0].getMessage()
    assert "s3cret-pass" not in caplog.text


def test_redis_is_asked_once_per_retry_period_while_it_is_down():
    """After a failure the next calls miss at once, without asking Redis."""
    fake = FakeRedis()
    fake.down = True
    cache = fake_backend(fake, retry_seconds=3600)

    for _ in range(10):
        assert cache.get("site") is None

    assert fake.calls == 1


def test_the_cache_is_used_again_when_redis_answers_again():
    fake = FakeRedis()
    cache = fake_backend(fake, retry_seconds=0)
    fake.down = True
    assert cache.get("site") is None

    fake.down = False
    cache.set("site", "home")

    assert cache.get("site") == "home"


def test_keys_written_during_the_outage_are_deleted_when_redis_answers_again():
    """A session ended while Redis was down does not come back from Redis: the
    old value it still holds is deleted before anything is read."""
    fake = FakeRedis()
    cache = fake_backend(fake, retry_seconds=0)
    cache.set("session:abc", {"user": 7})
    cache.set("site", "home")

    fake.down = True
    cache.delete("session:abc")
    assert fake.data[cache.make_key("session:abc")] == {"user": 7}

    fake.down = False
    assert cache.get("session:abc") is None
    assert cache.get("site") == "home"


def test_keys_skipped_without_asking_redis_are_cleaned_up_too():
    """A write skipped within the retry period, without asking Redis, is
    remembered as well."""
    fake = FakeRedis()
    cache = fake_backend(fake, retry_seconds=3600)
    cache.set("site", "old home")
    fake.down = True
    assert cache.get("other") is None  # Redis fails: left alone for an hour
    cache.set("site", "new home")  # skipped

    fake.down = False
    failsafe._outages[cache._outage.where].retry_at = 1.0  # the hour is over

    assert cache.get("site") is None


def test_one_redis_client_serves_every_operation():
    """The backend keeps its redis.Redis over the connection pool rather than
    building one per operation (whose table of callbacks costs more CPU than
    the round trip)."""
    client = FailSafeRedisCache(CLOSED_PORT, {})._cache

    first = client.get_client()

    assert client.get_client() is first
    assert client.get_client(write=True) is first
    assert first.connection_pool is client._pools[0]
