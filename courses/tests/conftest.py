import pytest
from django.core.cache import cache

from core.site_tree import ensure_site_tree
from users.tests.factories import UserFactory

from .factories import CourseIndexPageFactory, course_with_lessons


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start and end each test with an empty cache: the site, its root page and
    navigation are cached, and a rolled-back test must not leave its copies."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return ensure_site_tree()


@pytest.fixture
def catalogue(home):
    return CourseIndexPageFactory(parent=home)


@pytest.fixture
def course(catalogue):
    """A live course of three live lessons, Bài 1 to Bài 3."""
    return course_with_lessons(parent=catalogue, title="Nộp hồ sơ trực tuyến")


@pytest.fixture
def lessons(course):
    return list(course.lessons())


@pytest.fixture
def learner(db):
    return UserFactory()
