"""Lessons kept on the learner's phone for reading offline.

The service worker (``templates/courses/sw.js``, served at ``/sw.js``) asks
``offline_copy`` what to keep: the pages of the courses the learner is enrolled
in (“Học tập của tôi”, each course, each lesson), the image renditions those
pages show, and the static files they load. It keeps them for one session of
one person, under ``session_key``: every page of the site names that key
(``data-offline-owner``, rendered for each request as a personal part), the
service worker drops what it keeps for any other key, and logging out drops it
too, so a page of someone else's is never served from it.

A lesson marked done offline is queued by the service worker and sent again,
with a fresh CSRF token from ``offline_copy``, to the lesson's own
``complete/`` route once the phone is online: that route sets a state (done or
not done) rather than adding to a count, so however often a mark arrives it
counts once.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache as memoise
from functools import reduce
from html.parser import HTMLParser
from operator import or_
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from core.pagecache import generation

from .models import CoursePage, LessonPage

# What the service worker keeps beside the pages: what they load and the
# installed app's icons.
ASSETS = [
    "css/site.css",
    "js/site.js",
    "django_htmx/htmx-2.min.js",
    "icons/icon-192.png",
]
# How long the image renditions found in a lesson's published body are kept;
# a publish changes the site's generation, which is part of their key.
IMAGES_TIMEOUT = 24 * 60 * 60


def session_key(request) -> str:
    """Return the key under which the service worker keeps this session's pages:
    one for every page of a login, another after logging out and in again, ""
    for a visitor, and also "" for a stand-in request without a session (a page
    that renders its header for a public copy): such a page names no owner. It
    tells neither who the person is nor their session."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None:
        return ""
    value = f"{user.pk}:{session.session_key}"
    return salted_hmac(f"{__name__}.session", value).hexdigest()[:24]


def is_prefetch(request) -> bool:
    """Whether the request fetches a page ahead of its being read: the service
    worker keeping it offline says ``Purpose: prefetch``, browsers prefetching
    a link ``Sec-Purpose: prefetch``."""
    return request.headers.get("Purpose") == "prefetch" or request.headers.get(
        "Sec-Purpose", ""
    ).startswith("prefetch")


def learner_key(user) -> str:
    """Return the key of the lessons a person marked done offline: the same in
    every session of theirs, so that a mark queued before a new login is still
    theirs to send, and never another person's."""
    return salted_hmac(f"{__name__}.learner", str(user.pk)).hexdigest()[:24]


def _children_of(courses) -> Q:
    return reduce(
        or_,
        (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses),
    )


class _Pictures(HTMLParser):
    """Collect the images of a piece of HTML: each ``<picture>`` (or a lone
    ``<img>``) as one group of the files a browser chooses from."""

    def __init__(self):
        super().__init__()
        self.groups: list[list[dict]] = []
        self._picture: list[dict] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "picture":
            self._picture = []
        elif tag in ("source", "img"):
            found = _candidates(attributes)
            if self._picture is not None:
                self._picture.extend(found)
            elif found:
                self.groups.append(found)

    def handle_endtag(self, tag):
        if tag == "picture" and self._picture is not None:
            if self._picture:
                self.groups.append(self._picture)
            self._picture = None


def _candidates(attributes: dict) -> list[dict]:
    kind = attributes.get("type") or ""
    found = []
    for item in (attributes.get("srcset") or "").split(","):
        parts = item.split()
        if not parts:
            continue
        width = parts[1] if len(parts) > 1 else ""
        found.append(
            {
                "src": parts[0],
                "w": int(width[:-1])
                if width.endswith("w") and width[:-1].isdigit()
                else None,
                "type": kind or _type_of(parts[0]),
            }
        )
    src = attributes.get("src")
    if src and all(c["src"] != src for c in found):
        width = attributes.get("width") or ""
        found.append(
            {
                "src": src,
                "w": int(width) if width.isdigit() else None,
                "type": kind or _type_of(src),
            }
        )
    return found


def _type_of(url: str) -> str:
    suffix = Path(url.split("?")[0]).suffix.lower()
    return {
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".png": "image/png",
        ".gif": "image/gif",
    }.get(suffix, "image/jpeg" if suffix in (".jpg", ".jpeg") else "")


def image_groups(html: str) -> list[list[dict]]:
    """Return the images of the HTML, a group of candidate files per picture,
    each candidate {"src", "w" (its width or None), "type"}."""
    parser = _Pictures()
    parser.feed(html)
    parser.close()
    return parser.groups


def _lesson_images(lessons: list[LessonPage], request) -> list[list[dict]]:
    """Return the image groups the lessons' published bodies show, rendered as
    the lesson page renders them (so the very renditions it uses), kept until
    the next publish."""
    current = generation()
    keys = {
        lesson.pk: f"courses:offline-images:{current}:{lesson.pk}:"
        f"{lesson.live_revision_id}"
        for lesson in lessons
    }
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        fresh = {}
        for lesson in LessonPage.objects.filter(pk__in=missing):
            html = render_to_string(
                "courses/includes/lesson_body.html", {"page": lesson}, request
            )
            fresh[keys[lesson.pk]] = image_groups(html)
        cache.set_many(fresh, IMAGES_TIMEOUT)
        found.update(fresh)
    return [group for key in keys.values() for group in found.get(key, [])]


def _cover_images(courses: list[CoursePage], request) -> list[list[dict]]:
    groups = []
    for course in courses:
        if course.cover_image_id:
            html = render_to_string(
                "courses/includes/course_cover.html", {"page": course}, request
            )
            groups.extend(image_groups(html))
    return groups


def offline_pages() -> list[str]:
    """Return the addresses of the pages shown offline in place of one not kept:
    what works offline, and the quiz's."""
    return [reverse("courses:offline"), reverse("courses:offline_quiz")]


def offline_copy(*, request) -> dict:
    """Return what the service worker keeps for the learner of the request:

    - ``owner``: the session's key (``session_key``), "" for a visitor, who
      gets nothing else;
    - ``learner``: the person's key (``learner_key``), under which the lessons
      marked done offline wait;
    - ``csrf``: a CSRF token of the session, which sends them;
    - ``pages``: {"url", "v"}: “Học tập của tôi”, the pages on what works
      offline, each enrolled course and its live lessons; "v" changes when a
      lesson is published again (None: fetch the page at every update);
    - ``images``: the image groups those pages show (``image_groups``);
    - ``assets``: the static files the pages load;
    - ``online_only``: the addresses under which a page needs a connection
      (the courses' quizzes): offline, their page says so;
    - ``text``: what the service worker says, in the learner's language.
    """
    user = request.user
    if not user.is_authenticated:
        return {
            "owner": "",
            "learner": "",
            "pages": [],
            "images": [],
            "assets": [],
            "online_only": [],
            "text": {},
        }
    courses = list(
        CoursePage.objects.live()
        .filter(enrolments__user=user)
        .select_related("cover_image")
        .order_by("path")
    )
    lessons, quizzes = [], []
    if courses:
        children = _children_of(courses)
        lessons = list(
            LessonPage.objects.live()
            .filter(children)
            .defer_streamfields()
            .order_by("path")
        )
        quizzes = list(
            Page.objects.live().filter(children).not_type(LessonPage).order_by("path")
        )
    pages = [
        {"url": reverse("courses:my_learning"), "v": None},
        *({"url": url, "v": None} for url in offline_pages()),
        *({"url": course.get_url(request), "v": None} for course in courses),
        *(
            {"url": lesson.get_url(request), "v": str(lesson.live_revision_id)}
            for lesson in lessons
        ),
    ]
    return {
        "owner": session_key(request),
        "learner": learner_key(user),
        "csrf": get_token(request),
        "pages": pages,
        "images": _cover_images(courses, request) + _lesson_images(lessons, request),
        "assets": [static(name) for name in ASSETS],
        "online_only": [quiz.get_url(request) for quiz in quizzes],
        "text": {
            "saved": ngettext(
                "%(count)s lesson is saved on this phone for reading offline.",
                "%(count)s lessons are saved on this phone for reading offline.",
                len(lessons),
            )
            % {"count": len(lessons)},
            "queued": _("Saved on this phone: it will be sent when you are online."),
            "sent": _("The lessons you marked done offline have been sent."),
        },
    }


@memoise
def service_worker() -> tuple[str, str]:
    """Return the service worker's script and its version, which changes with
    the script and with every static file it keeps, so that phones fetch the
    new one and drop what the old one kept."""
    from django.template.loader import get_template

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "assets": json.dumps([static(name) for name in ASSETS]),
            "offline_pages": json.dumps(offline_pages()),
            "list_url": json.dumps(reverse("courses:offline_list")),
            "logout_url": json.dumps(reverse("users:logout")),
            "text": json.dumps(
                {
                    "queued": _(
                        "Saved on this phone: it will be sent when you are online."
                    ),
                },
                ensure_ascii=False,
            ),
        }
        script = get_template("courses/sw.js").render(
            {**context, "version": "__version__"}
        )
    digest = hashlib.sha256(script.encode())
    for name in ASSETS:
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    version = digest.hexdigest()[:12]
    return script.replace("__version__", version), version
