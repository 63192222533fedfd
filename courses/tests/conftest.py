import pytest

from core.site_tree import ensure_site_tree
from users.tests.factories import UserFactory

from .factories import CourseIndexPageFactory, course_with_lessons


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
