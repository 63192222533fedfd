"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded and rendered files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start and end every test with an empty cache.

    Cached pages and Sites are purged by signals, but a test's rolled-back
    transaction sends none, so a later test could see rows that no longer exist.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
