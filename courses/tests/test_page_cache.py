"""Lessons, courses and the catalogue kept in the cache (core.pagecache): whole
pages for anonymous visitors, the lesson's body for everyone."""

import re

from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from core.pagecache import CSRF_PLACEHOLDER, _page_key
from courses.tests.factories import CoursePageFactory
from tests.test_cache_down import REDIS_DOWN
from users.tests.factories import consent_given

LOGIN_URL = reverse("users:login")
LOGOUT_URL = reverse("users:logout")


def _csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html)) | (
        set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', html))
    )


def test_an_anonymous_lesson_is_served_from_the_cache(
    client, lessons, django_assert_num_queries
):
    """The second anonymous visit to a lesson costs no query and shows the
    same lesson."""
    url = lessons[0].url
    assert client.get(url).status_code == 200

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200
    assert "Mở ứng dụng VNeID trên điện thoại." in response.content.decode()
    assert LOGIN_URL in response.content.decode()


def test_publishing_a_lesson_purges_the_cached_pages(client, lessons):
    """After an editor publishes a change, anonymous visitors see it at once,
    in the lesson and in the course that lists it."""
    lesson = lessons[0]
    course_url = lesson.get_parent().url
    client.get(lesson.url)
    client.get(course_url)

    lesson.title = "Cài VNeID mức 2"
    lesson.save_revision().publish()

    assert "Cài VNeID mức 2" in client.get(lesson.url).content.decode()
    assert "Cài VNeID mức 2" in client.get(course_url).content.decode()


def test_publishing_a_course_purges_the_cached_catalogue(client, catalogue, course):
    """A course published after the catalogue was cached appears in it."""
    assert "Khóa học mới" not in client.get(catalogue.url).content.decode()

    CoursePageFactory(parent=catalogue, title="Khóa học mới")

    assert "Khóa học mới" in client.get(catalogue.url).content.decode()


def test_unpublishing_a_lesson_purges_the_cached_page(client, lessons):
    """An unpublished lesson is no longer served from the cache."""
    lesson = lessons[0]
    assert client.get(lesson.url).status_code == 200

    lesson.unpublish()

    assert client.get(lesson.url).status_code == 404


def test_a_logged_in_learner_never_gets_the_anonymous_page(client, lessons, learner):
    """A lesson cached for anonymous visitors is rendered afresh for a learner
    who logged in: their own menu, not the login link."""
    url = lessons[0].url
    client.get(url)
    client.get(url)
    consent_given(learner)
    client.force_login(learner)

    response = client.get(url)

    html = response.content.decode()
    assert response.wsgi_request.user == learner
    assert LOGOUT_URL in html
    assert f'href="{LOGIN_URL}?' not in html


def test_a_learners_page_is_never_kept_for_anonymous_visitors(lessons, learner):
    """A page rendered for a learner is not what the next anonymous visitor
    gets."""
    url = lessons[0].url
    consent_given(learner)
    learner_client = Client()
    learner_client.force_login(learner)
    assert LOGOUT_URL in learner_client.get(url).content.decode()

    html = Client().get(url).content.decode()

    assert LOGOUT_URL not in html
    assert LOGIN_URL in html


def test_the_cached_page_keeps_no_csrf_token(lessons):
    """The cached copy holds a placeholder where the CSRF token was; each
    visitor gets a token of their own cookie's secret."""
    url = lessons[0].url
    first = Client().get(url)
    entry = _cached_entry(first)
    assert entry is not None
    assert CSRF_PLACEHOLDER in entry["content"]
    assert not _csrf_tokens(entry["content"].decode())

    for visitor in (Client(), Client()):
        response = visitor.get(url)
        tokens = _csrf_tokens(response.content.decode())
        secret = response.cookies["csrftoken"].value
        assert tokens
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert CSRF_PLACEHOLDER not in response.content


def test_a_cached_page_keeps_a_returning_visitors_csrf_secret(client, lessons):
    """A visitor who holds a CSRF cookie gets a token of that cookie's secret
    from the cached page, so their forms keep working."""
    url = lessons[0].url
    Client().get(url)  # cached by another visitor
    client.get(LOGIN_URL)
    secret = client.cookies["csrftoken"].value

    response = client.get(url)

    tokens = _csrf_tokens(response.content.decode())
    assert tokens
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_a_lesson_body_published_anew_shows_to_a_learner(client, lessons, learner):
    """The lesson's body is kept between visits, and a new version shows as
    soon as it is published."""
    lesson = lessons[0]
    consent_given(learner)
    client.force_login(learner)
    assert "Mở ứng dụng VNeID" in client.get(lesson.url).content.decode()

    lesson.body = [("paragraph", "<p>Quét mã QR trên căn cước.</p>")]
    lesson.save_revision().publish()

    html = client.get(lesson.url).content.decode()
    assert "Quét mã QR trên căn cước." in html
    assert "Mở ứng dụng VNeID" not in html


def test_anonymous_pages_are_served_with_redis_down(
    client, catalogue, lessons, settings
):
    """With Redis down (core.cache.FailSafeRedisCache), anonymous visitors still
    get the lesson and the catalogue, rendered each time."""
    settings.CACHES = REDIS_DOWN
    for _ in range(2):
        response = client.get(lessons[0].url)
        assert response.status_code == 200
        assert "Mở ứng dụng VNeID trên điện thoại." in response.content.decode()
        assert client.get(catalogue.url).status_code == 200


def _cached_entry(response):
    from django.core.cache import cache

    return cache.get(_page_key(response.wsgi_request))
