"""Fixtures for flows that cross apps: a site, a course and a place to live."""

import pytest

from .content import build_course, build_place, build_site


@pytest.fixture
def site_home(db):
    """The home page of a site rebuilt from nothing (see tests/content.py)."""
    return build_site()


@pytest.fixture
def course(site_home):
    """A published course of three lessons in the catalogue under the home page."""
    return build_course(home=site_home)


@pytest.fixture
def place(db):
    """Tỉnh Hưng Yên and its commune Xã Đông Hưng."""
    return build_place()
