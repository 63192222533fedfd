"""Pages are served through the cached site and one-lookup routing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.site_tree import ensure_site_tree
from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.services import lesson_progress_record
from users.models import User
from users.tests.factories import consent_given


@pytest.fixture
def course_tree(db):
    home = ensure_site_tree()
    index = home.add_child(instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc"))
    course = index.add_child(
        instance=CoursePage(title="Tài khoản", slug="tai-khoan", summary="Tóm tắt.")
    )
    lessons = [
        course.add_child(
            instance=LessonPage(
                title=f"Bài {n}",
                slug=f"bai-{n}",
                body=[("paragraph", "<p>Nội dung.</p>")],
            )
        )
        for n in (1, 2, 3)
    ]
    course.add_child(
        instance=LessonPage(title="Nháp", slug="nhap", body=[], live=False)
    )
    return home, course, lessons


def test_pages_resolve_as_wagtail_would(client, course_tree):
    """Live pages answer 200; drafts, unknown slugs and unknown sub-paths 404."""
    assert client.get("/").status_code == 200
    assert client.get("/khoa-hoc/").status_code == 200
    assert client.get("/khoa-hoc/tai-khoan/").status_code == 200
    assert client.get("/khoa-hoc/tai-khoan/bai-1/").status_code == 200
    assert client.get("/khoa-hoc/tai-khoan/nhap/").status_code == 404
    assert client.get("/khoa-hoc/tai-khoan/khong-co/").status_code == 404
    assert client.get("/khoa-hoc/khong-co/bai-1/").status_code == 404
    assert client.get("/khong-co/").status_code == 404
    assert client.get("/khoa-hoc/tai-khoan/bai-1/them/").status_code == 404


def test_sub_routes_reach_the_page(client, course_tree):
    """A course's own routes (enrol/) are reached below its address."""
    assert client.get("/khoa-hoc/tai-khoan/enrol/").status_code == 405


def test_published_changes_show_at_once(client, course_tree):
    """A renamed course and an edited home page show as soon as they are published;
    an old address leads to the new one (Wagtail's redirect, made once the
    rename commits)."""
    home, course, _lessons = course_tree
    client.get("/")
    course.slug = "tai-khoan-moi"
    course.save_revision().publish()
    assert client.get("/khoa-hoc/tai-khoan-moi/bai-1/").status_code == 200
    moved = client.get("/khoa-hoc/tai-khoan/bai-1/")
    assert moved.status_code == 301
    assert moved["Location"].endswith("/khoa-hoc/tai-khoan-moi/bai-1/")
    home.headline = "Tiêu đề mới"
    home.save_revision().publish()
    assert "Tiêu đề mới" in client.get("/").content.decode()


def test_lesson_page_stays_within_its_query_budget(client, course_tree):
    """A lesson page for an enrolled learner takes at most 10 queries once warm."""
    _home, course, lessons = course_tree
    user = consent_given(User.objects.create(username="hv", full_name="Lê Văn Học"))
    lesson_progress_record(user=user, lesson=lessons[0], course=course)
    client.force_login(user)
    client.get(lessons[1].url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(lessons[1].url)
    assert response.status_code == 200
    assert len(queries) <= 10, [q["sql"] for q in queries]
