"""Pages served whole to anonymous visitors from the shared cache, and rendered
fragments kept while the published site stays as it is.

Everything cached here belongs to the site's *generation*, a random value kept
in the cache under ``GENERATION_KEY`` and forgotten (so a new one is drawn)
whenever what a page shows may change: a page published, unpublished, moved or
deleted, a Site, the site settings, an image or a document saved or deleted. A
page links to others (menus, the catalogue, breadcrumbs), so one publish purges
them all. A lost Redis (core.cache.FailSafeRedisCache) reads as an empty cache:
pages are then rendered as if nothing were cached.

``AnonymousPageCacheMiddleware`` serves a page from the cache only to a request
that carries no cookie but the CSRF and language cookies (so no session: the
visitor is anonymous, has no messages and passed no page password), and stores
only responses a page marked with ``mark_anonymous_cacheable`` that set no
cookie, queued no message, left the session untouched and went to an anonymous
user. The CSRF token a page holds is never stored: the cached copy has a
placeholder, and each visitor gets a token of their own, as Django would give.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token

GENERATION_KEY = "pagecache:generation"
# Seconds a page or fragment is kept at most; purges make most go sooner.
TIMEOUT = 10 * 60
# What stands for the visitor's CSRF token in a cached page.
CSRF_PLACEHOLDER = b"__pagecache_csrf_token__"
# A masked CSRF token as Django writes it in a page: 64 letters and digits.
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers the middleware outside this one set again on every response.
_NOT_STORED = {"content-length", "set-cookie", "content-language"}


# The generation read while a request is served (a dict per request, set by
# AnonymousPageCacheMiddleware; None outside requests, in workers and commands),
# so that routing, fragments and the page ask the cache for it once.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pagecache_request_memo", default=None
)


def request_memo() -> dict | None:
    """Return what the request being served remembers of the cache (the
    generation, whether any page is restricted), or None outside a request."""
    return _request_memo.get()


def generation() -> str:
    """Return the site's current generation, drawing one when there is none."""
    memo = _request_memo.get()
    if memo is not None and "generation" in memo:
        return memo["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, None):
            value = cache.get(GENERATION_KEY) or value
    _remember(value)
    return value


def _remember(value: str) -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo["generation"] = value


def purge(**kwargs) -> None:
    """Forget every cached page and fragment (connected to the signals of
    everything a page shows; see core.apps)."""
    cache.delete(GENERATION_KEY)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def purge_for_page(sender, instance, **kwargs) -> None:
    """Purge when a page is saved (a draft too: the page's row changed) or
    deleted."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge()


def mark_anonymous_cacheable(response):
    """Let AnonymousPageCacheMiddleware keep the response for other anonymous
    visitors, if nothing in it turns out to be theirs alone; return it."""
    response.anonymous_cacheable = True
    return response


def without_csrf_token(request, content: bytes) -> tuple[bytes, bool]:
    """Put the placeholder in place of each CSRF token of the request."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content, False

    def replace(found):
        token = found.group(0).decode()
        if _unmask_cipher_token(token) == secret:
            return CSRF_PLACEHOLDER
        return found.group(0)

    replaced = _MASKED_TOKEN.sub(replace, content)
    return replaced, replaced != content


def _page_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"pagecache:page:{request.scheme}:{request.get_host()}:{language}:{digest}"


def _lookup(key: str) -> tuple[str, dict | None]:
    """Return the current generation and the page kept under key when it is of
    that generation, in one round trip to the cache."""
    current, (entry,) = _lookup_many(key)
    return current, entry


def _lookup_many(*keys: str) -> tuple[str, list[dict | None]]:
    """Return the current generation and what is kept under each key when it is
    of that generation (else None), in one round trip to the cache."""
    memo = _request_memo.get()
    if memo is not None and "generation" in memo:
        current = memo["generation"]
        found = cache.get_many(keys) if len(keys) > 1 else {keys[0]: cache.get(keys[0])}
    else:
        found = cache.get_many([GENERATION_KEY, *keys])
        current = found.get(GENERATION_KEY)
        if current is None:
            return generation(), [None] * len(keys)
        _remember(current)
    entries = [found.get(key) for key in keys]
    return current, [
        entry if entry is not None and entry.get("generation") == current else None
        for entry in entries
    ]


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors the pages marked cacheable from the shared cache.

    Placed after CsrfViewMiddleware (which sets each visitor's CSRF cookie on the
    way out) and before AuthenticationMiddleware: a page served from the cache
    costs no session, user or page lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cookies_allowed = {
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
        }

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self._serve(request)
        finally:
            _request_memo.reset(token)

    def _serve(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        key = _page_key(request)
        # The generation as the page is rendered: a publish meanwhile makes
        # the page kept stale at once.
        current, entry = _lookup(key)
        if entry is not None:
            return self._from_entry(request, entry)
        response = self.get_response(request)
        entry = self._entry(request, response)
        if entry is not None:
            entry["generation"] = current
            cache.set(key, entry, TIMEOUT)
        return response

    def _eligible(self, request) -> bool:
        return (
            request.method == "GET"
            and not set(request.COOKIES) - self.cookies_allowed
            and "HTTP_AUTHORIZATION" not in request.META
            # htmx asks for parts of pages.
            and "HTTP_HX_REQUEST" not in request.META
        )

    def _entry(self, request, response) -> dict | None:
        """Return what to keep of the response, or None when it may not be kept."""
        if (
            response.status_code != 200
            or not getattr(response, "anonymous_cacheable", False)
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return None
        session = getattr(request, "session", None)
        if session is not None and (session.modified or session.session_key):
            return None
        messages = getattr(request, "_messages", None)
        if messages is not None and getattr(messages, "_queued_messages", None):
            return None
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return None
        content, has_token = without_csrf_token(request, response.content)
        return {
            "content": content,
            "has_token": has_token,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_STORED
            ],
        }

    def _from_entry(self, request, entry: dict) -> HttpResponse:
        content = entry["content"]
        if entry["has_token"]:
            # Also has CsrfViewMiddleware send the visitor their CSRF cookie.
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        return response


# Pages of logged-in people: a shared shell and their own parts.
#
# A page rendered for someone logged in is kept as a *shell*: the page with each
# part that is theirs (their menu, messages, progress, forms with their CSRF
# token) left out, in its place a marker ``{% personal %}`` wrote
# (core.templatetags.pagecache_tags). The shell holds nothing of the person it
# was rendered for: their CSRF token is replaced by the placeholder, as in the
# anonymous cache, and a shell is not kept when the page queued a message,
# changed the session or set a cookie. Each request renders only its own parts,
# in one small template, and puts them and its own CSRF token in the shell.

PERSONAL_MARKER = "<!--lms-personal:{index}-->"
# The template a request's own parts are rendered with, built from their names.
_PARTS_SEPARATOR = "\x00lms-part\x00"


# How long a person's own parts are kept at most: their menu shows a new role
# within this time, as the menu's own cache says (reports_tags.TIMEOUT).
PARTS_TIMEOUT = 5 * 60


def _shell_key(request, shared_key: str = "") -> str:
    digest = hashlib.sha256(
        (request.get_full_path() + "\x00" + shared_key).encode()
    ).hexdigest()[:40]
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"pagecache:shell:{request.scheme}:{request.get_host()}:{language}:{digest}"


def _parts_key(request, shell_key: str, personal_key: str | None) -> str | None:
    """Return the key of this person's parts of the page, or None when they may
    not be kept: no key given, a message waiting (shown once), an htmx request."""
    if personal_key is None or "HTTP_HX_REQUEST" in request.META:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    messages = getattr(request, "_messages", None)
    # Reads the waiting messages without marking them shown.
    if messages is not None and len(messages):
        return None
    # Kept per session, not per person: a part may name its session (the
    # service worker's owner key of courses.offline), and a new login must not
    # be shown another session's.
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None) or ""
    digest = hashlib.sha256(
        "\x00".join((shell_key, personal_key, session_key)).encode()
    ).hexdigest()[:40]
    return f"pagecache:parts:{user.pk}:{digest}"


@functools.lru_cache(maxsize=64)
def _parts_template(names: tuple[str, ...]):
    from django.template import engines

    source = _PARTS_SEPARATOR.join("{% include " + repr(name) + " %}" for name in names)
    return engines["django"].from_string(source)


def _untouched(request) -> bool:
    """Return whether rendering queued no message and left the session as it was:
    what was rendered may then be kept."""
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return not (
        (messages is not None and getattr(messages, "_queued_messages", None))
        or (session is not None and session.modified)
    )


def render_with_personal_parts(
    request,
    template_name: str,
    context,
    *,
    shared_key: str = "",
    personal_key: str | None = None,
    timeout=TIMEOUT,
):
    """Return the page, its shell from the cache when it is of the site's
    generation, its personal parts rendered for this request alone.

    For pages whose content, but for the parts their template marks with
    ``{% personal "template.html" %}``, is the same for everyone logged in who
    may see them (the caller makes sure of that). ``shared_key`` names what
    else than the address and the language the shell depends on.

    ``context`` is the context, or a function returning it, called only when
    something has to be rendered. With ``personal_key``, a string naming all
    that the person's parts show besides who they are, the language, the
    site's generation and their CSRF token (their progress, say), the parts are
    kept for that person under it (PARTS_TIMEOUT), unless a message waits for
    them. ``timeout``: seconds the shell is kept, or a function of the context
    returning them.
    """
    from django.template.loader import render_to_string

    key = _shell_key(request, shared_key)
    parts_key = _parts_key(request, key, personal_key)
    if parts_key is None:
        current, (entry,) = _lookup_many(key)
        kept_parts = None
    else:
        current, (entry, kept_parts) = _lookup_many(key, parts_key)
    if callable(context) and (
        entry is None or kept_parts is None or kept_parts["names"] != entry["parts"]
    ):
        context = context()
    if entry is None:
        names: list[str] = []
        html = render_to_string(
            template_name, {**context, "personal_parts": names}, request
        )
        shell, _has_token = without_csrf_token(request, html.encode())
        entry = {"generation": current, "content": shell, "parts": tuple(names)}
        if _untouched(request):
            cache.set(key, entry, timeout(context) if callable(timeout) else timeout)
    if kept_parts is not None and kept_parts["names"] == entry["parts"]:
        parts = kept_parts["parts"]
    else:
        parts = (
            _parts_template(entry["parts"])
            .render(context, request)
            .encode()
            .split(_PARTS_SEPARATOR.encode())
            if entry["parts"]
            else []
        )
        if parts_key is not None and _untouched(request):
            parts = [without_csrf_token(request, part)[0] for part in parts]
            cache.set(
                parts_key,
                {"generation": current, "names": entry["parts"], "parts": parts},
                PARTS_TIMEOUT,
            )
    content = entry["content"]
    for index, part in enumerate(parts):
        content = content.replace(PERSONAL_MARKER.format(index=index).encode(), part, 1)
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    return HttpResponse(content)
