"""Fixtures for flows that cross apps: a site, a course and a place to live."""

import pytest

from courses.models import CompletionRule

from .content import build_course, build_final_quiz, build_place, build_site


@pytest.fixture
def site_home(db):
    """The home page of a site rebuilt from nothing (see tests/content.py)."""
    return build_site()


@pytest.fixture
def course(site_home):
    """A published course of three lessons in the catalogue under the home page."""
    return build_course(home=site_home)


@pytest.fixture
def quiz_course(site_home):
    """A published course of two lessons and a final quiz of four questions, which
    is complete once every lesson is done and the quiz passed."""
    course = build_course(
        home=site_home,
        lesson_count=2,
        completion_rule=CompletionRule.LESSONS_AND_QUIZ,
    )
    build_final_quiz(course=course)
    return course


@pytest.fixture
def place(db):
    """Tỉnh Hưng Yên and its commune Xã Đông Hưng."""
    return build_place()
