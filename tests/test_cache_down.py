"""With Redis down, the site is served without its cache (core/cache.py): pages,
logins and sessions (cached_db falls back to the database) and /healthz."""

import json

import pytest
from django.urls import reverse

from .content import build_learner

PASSWORD = "mat-khau-dai-2025"
REDIS_DOWN = {
    "default": {
        "BACKEND": "core.cache.FailSafeRedisCache",
        # Nothing listens on port 1: every connection is refused.
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_PREFIX": "lms",
    }
}


@pytest.fixture
def redis_down(settings):
    """Redis stops answering (after the site is built, when asked last)."""
    settings.CACHES = REDIS_DOWN


def test_pages_are_served_with_redis_down(client, course, redis_down):
    """The home page, the catalogue, a course and a lesson answer 200."""
    for page in (course.page.get_parent(), course.page, course.lessons[0]):
        assert client.get(page.url).status_code == 200, page.url
    assert client.get("/").status_code == 200


def test_a_learner_logs_in_and_stays_signed_in_with_redis_down(
    client, course, place, redis_down
):
    """The login sets a session kept in the database, read back on the next
    page, and logging out ends it."""
    learner = build_learner(place=place, phone="0912 345 678", password=PASSWORD)

    response = client.post(
        reverse("users:login"), {"username": "0912345678", "password": PASSWORD}
    )
    assert response.status_code == 302

    response = client.get(course.lessons[0].url)
    assert response.status_code == 200
    assert response.wsgi_request.user == learner
    assert client.get(reverse("courses:my_learning")).status_code == 200

    client.post(reverse("users:logout"))
    assert client.get(reverse("courses:my_learning")).status_code == 302


def test_healthz_answers_200_with_redis_down(client, db, redis_down):
    """/healthz answers 200 and says the cache does not answer."""
    response = client.get("/healthz")

    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["database"] == "ok"
    assert report["cache"] == "unavailable"
    assert report["status"] == "degraded"
