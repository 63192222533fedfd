"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded and rendered files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
