"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.content import build_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A cheap phone.
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_in_memory_sqlite():
    """Serve one request at a time when the tests run on in-memory SQLite.

    Django's live server then shares the test's single database connection with
    every request thread, so two requests at once (a double-tapped submit)
    interleave their statements on one connection and fail in ways no real
    deployment can. PostgreSQL gets the usual threaded server; real concurrent
    submits are tested there (quizzes/tests/test_concurrency.py).
    """
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneRequestAtATimeServer(ThreadedWSGIServer):
        # Connections are still accepted on their own threads (browsers keep
        # several open), but Django handles one request at a time.
        lock = threading.Lock()

        def set_app(self, application):
            def serialised(environ, start_response):
                with self.lock:
                    return application(environ, start_response)

            super().set_app(serialised)

    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = threaded


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is absent: install Debian's chromium package "
        "(scripts/system-deps.sh does) to run the browser tests."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """Chromium, launched once per module.

    Playwright's sync API keeps an event loop running in this thread, and Django
    refuses ORM calls under a running loop; the fixtures and assertions of these
    tests call the ORM between browser steps, which is safe here because nothing
    else uses the thread. The switch is set only while the browser is up.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_phone(browser, live_server):
    """Return a function opening a fresh phone-sized browser context, optionally
    with the cookies of an earlier one; every context is closed after the test."""
    contexts = []

    def open_context(storage_state=None, **options):
        # options: more of Playwright's new_context arguments, such as
        # service_workers="block" for a test that routes the page's requests
        # (a request the site's service worker sends is not the page's).
        context = browser.new_context(
            base_url=live_server.url, storage_state=storage_state, **PHONE, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def site_home(db, live_server):
    """The home page of a site rebuilt from nothing, answering at the live server."""
    address = urlsplit(live_server.url)
    return build_site(hostname=address.hostname, port=address.port)


@pytest.fixture
def wagtail_defaults(db):
    """What Wagtail's migrations make and the live server's tests empty the
    tables of: the root collection, and the editors' group (which the demo
    editor joins) with its image permissions there."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    from core.groups import EDITORS

    root = Collection.get_first_root_node() or Collection.add_root(name="Gốc")
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    for codename in ("add_image", "change_image", "choose_image"):
        GroupCollectionPermission.objects.get_or_create(
            group=editors,
            collection=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )


def pytest_terminal_summary(terminalreporter):
    """Print what the budget tests measured (tests/browser/budgets.py)."""
    from tests.browser.budgets import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.write_sep("=", "axe-core and Lighthouse (mobile) budgets")
        for line in lines:
            terminalreporter.write_line(line)
