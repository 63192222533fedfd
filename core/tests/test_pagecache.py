"""core.pagecache.AnonymousPageCacheMiddleware keeps only what any anonymous
visitor may get."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from core.pagecache import (
    GENERATION_KEY,
    AnonymousPageCacheMiddleware,
    generation,
    mark_anonymous_cacheable,
    purge,
)


class View:
    """A page that counts how often it is rendered."""

    def __init__(self, respond=None, *, mark=True):
        self.calls = 0
        self.mark = mark
        self.respond = respond or (lambda request: HttpResponse("<p>Bài 1</p>"))

    def __call__(self, request):
        self.calls += 1
        request.user = AnonymousUser()
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        response = self.respond(request)
        return mark_anonymous_cacheable(response) if self.mark else response


def visit(middleware, **cookies):
    request = RequestFactory().get("/khoa-hoc/bai-1/")
    request.COOKIES.update(cookies)
    return middleware(request)


@pytest.fixture(autouse=True)
def _db(db):
    """The session store may look up its key."""


def test_a_marked_anonymous_page_is_rendered_once():
    """Two anonymous visits render the page once; both get it."""
    view = View()
    middleware = AnonymousPageCacheMiddleware(view)

    first, second = visit(middleware), visit(middleware)

    assert view.calls == 1
    assert first.content == second.content == "<p>Bài 1</p>".encode()


def test_a_page_not_marked_is_never_kept():
    """Only pages that said so are kept."""
    view = View(mark=False)
    middleware = AnonymousPageCacheMiddleware(view)

    visit(middleware)
    visit(middleware)

    assert view.calls == 2


def test_a_response_that_sets_a_cookie_is_never_kept():
    """A page that sets a cookie is rendered for each visitor."""

    def respond(request):
        response = HttpResponse("<p>Bài 1</p>")
        response.set_cookie("chosen", "1")
        return response

    view = View(respond)
    middleware = AnonymousPageCacheMiddleware(view)

    visit(middleware)
    second = visit(middleware)

    assert view.calls == 2
    assert second.cookies["chosen"].value == "1"


def test_a_response_with_a_message_is_never_kept():
    """A page that queued a message for its visitor is not kept for others."""

    def respond(request):
        request._messages.add(constants.SUCCESS, "Đã lưu.")
        return HttpResponse("<p>Bài 1</p>")

    view = View(respond)
    middleware = AnonymousPageCacheMiddleware(view)

    visit(middleware)
    visit(middleware)

    assert view.calls == 2


def test_a_response_that_writes_the_session_is_never_kept():
    """A page that stored something in the visitor's session is theirs alone."""

    def respond(request):
        request.session["seen"] = True
        return HttpResponse("<p>Bài 1</p>")

    view = View(respond)
    middleware = AnonymousPageCacheMiddleware(view)

    visit(middleware)
    visit(middleware)

    assert view.calls == 2


def test_a_private_response_is_never_kept():
    """A page that says Cache-Control: private is rendered for each visitor."""

    def respond(request):
        response = HttpResponse("<p>Bài 1</p>")
        response["Cache-Control"] = "private"
        return response

    view = View(respond)
    middleware = AnonymousPageCacheMiddleware(view)

    visit(middleware)
    visit(middleware)

    assert view.calls == 2


def test_a_request_with_a_session_cookie_is_never_served_from_the_cache():
    """A visitor with a session (logged in, or holding messages) gets the page
    rendered for them, even when an anonymous copy is kept."""
    view = View()
    middleware = AnonymousPageCacheMiddleware(view)
    visit(middleware)

    visit(middleware, sessionid="abc")
    visit(middleware, messages="xyz")

    assert view.calls == 3


def test_the_language_cookie_chooses_another_copy():
    """The English page is kept apart from the Vietnamese one."""

    def respond(request):
        return HttpResponse(getattr(request, "LANGUAGE_CODE", "vi"))

    view = View(respond)
    middleware = AnonymousPageCacheMiddleware(view)
    english = RequestFactory().get("/khoa-hoc/")
    english.LANGUAGE_CODE = "en"
    vietnamese = RequestFactory().get("/khoa-hoc/")
    vietnamese.LANGUAGE_CODE = "vi"

    assert middleware(english).content == b"en"
    assert middleware(vietnamese).content == b"vi"
    assert view.calls == 2


def test_a_purge_draws_a_new_generation():
    """purge() forgets every kept page: the next visit renders it again."""
    view = View()
    middleware = AnonymousPageCacheMiddleware(view)
    visit(middleware)
    before = generation()

    purge()

    assert cache.get(GENERATION_KEY) is None
    visit(middleware)
    assert view.calls == 2
    assert generation() != before
