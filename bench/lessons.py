"""A lesson page, as an enrolled learner on a phone opens it (DESIGN.md, Budgets)."""

import re
from dataclasses import dataclass
from functools import cache

from django.test import Client

from courses.models import LessonPage
from courses.services import enrolment_create, lesson_progress_record

from .fixtures import SITE_LOGIN_BACKEND, course_with_lessons, learner
from .measure import (
    captured_queries,
    format_queries,
    get_ok,
    gzip_size,
    linked_assets,
    median_ms,
    static_file,
)
from .registry import Context, metric


@dataclass(frozen=True)
class LessonWorld:
    client: Client
    url: str


@cache
def lesson_world() -> LessonWorld:
    """Build a course of 8 lessons and a learner who has done the first 3, logged
    in; return their client and the address of the lesson they resume at."""
    course = course_with_lessons(slug="dich-vu-cong-truc-tuyen", lesson_count=8)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    user = learner(username="hoc-vien-bench")
    enrolment_create(user=user, course=course)
    for lesson in lessons[:3]:
        lesson_progress_record(user=user, lesson=lesson, course=course)
    client = Client()
    # Through the backend the site's own login names in the session, as a
    # learner who logged in has (force_login would name the first in
    # settings, axes's).
    client.force_login(user, backend=SITE_LOGIN_BACKEND)
    url = lessons[3].get_url()
    # The first visit records the lesson as the one to come back to and renders
    # the image renditions; a warm page does neither.
    get_ok(client, url)
    return LessonWorld(client=client, url=url)


@metric("lesson_page_queries", at_most=10, unit="queries")
def lesson_page_queries(ctx: Context) -> float:
    world = lesson_world()
    queries = captured_queries(lambda: get_ok(world.client, world.url))
    if ctx.explain_queries:
        ctx.log(f"SQL of GET {world.url} (warm), {len(queries)} queries:")
        ctx.log(format_queries(queries))
    return len(queries)


@metric("lesson_page_ms_p50", under=25, unit="ms")
def lesson_page_ms_p50(ctx: Context) -> float:
    world = lesson_world()
    return round(
        median_ms(
            lambda: get_ok(world.client, world.url),
            runs=ctx.runs,
            warmup=3,
            log=ctx.log,
        ),
        2,
    )


@metric("lesson_page_kb_gz", under=60, unit="kB gzip")
def lesson_page_kb_gz(ctx: Context) -> float:
    """Return the kilobytes (1 kB = 1000 bytes) of the page's HTML, stylesheets and
    scripts, each gzip-compressed; images are left out."""
    world = lesson_world()
    response = get_ok(world.client, world.url)
    html = response.content
    sizes = {world.url: gzip_size(html)}
    for url in linked_assets(html.decode(response.charset or "utf-8")):
        sizes[url] = gzip_size(static_file(url).read_bytes())
    for url, size in sizes.items():
        ctx.log(f"  {size / 1000:7.1f} kB gz  {url}")
    return round(sum(sizes.values()) / 1000, 1)


# What a page carries for the installed app and the service worker: the head's
# manifest, icon and theme colour, and the session's key on the menu.
_OFFLINE_TAGS = re.compile(
    r'\s*<link rel="(?:manifest|apple-touch-icon)"[^>]*>'
    r'|\s*<meta name="theme-color"[^>]*>'
    r'| data-offline-owner="[^"]*"'
)
# Where site.js's part on the service worker (and the install button) starts.
_OFFLINE_SCRIPT = "// Offline lessons"


@metric("offline_page_kb_gz", under=10, unit="kB gzip")
def offline_page_kb_gz(ctx: Context) -> float:
    """Return what the installed app and the service worker add to a lesson page,
    gzip-compressed: the page's own tags, site.js's part that registers the
    worker, and the manifest (which browsers keep for a day). The worker itself
    is fetched once, not per page: its size is logged, not counted."""
    world = lesson_world()
    html = get_ok(world.client, world.url).content.decode()
    script = static_file("/static/js/site.js").read_text()
    start = script.index(_OFFLINE_SCRIPT)
    added = {
        "page tags": gzip_size(html.encode())
        - gzip_size(_OFFLINE_TAGS.sub("", html).encode()),
        "site.js, the worker's part": gzip_size(script.encode())
        - gzip_size(script[:start].encode()),
        "/manifest.webmanifest": gzip_size(
            get_ok(world.client, "/manifest.webmanifest").content
        ),
    }
    for name, size in added.items():
        ctx.log(f"  {size / 1000:7.2f} kB gz  {name}")
    worker = gzip_size(get_ok(world.client, "/sw.js").content)
    ctx.log(f"  ({worker / 1000:.2f} kB gz  /sw.js, once, not per page)")
    return round(sum(added.values()) / 1000, 2)
