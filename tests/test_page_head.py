"""What every page's head carries: an icon at the address browsers ask for, a
description, and htmx only where a page uses it."""

import re

import pytest
from django.urls import reverse

from tests.content import build_learner

HTMX = "django_htmx/htmx-2.min.js"


def description(response) -> str:
    found = re.search(r'<meta name="description" content="([^"]*)">', response.text)
    return found.group(1) if found else ""


def test_the_favicon_is_served_small_and_cached(client, db):
    """/favicon.ico answers an icon of under 4 KB that browsers keep for a day."""
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    assert len(response.content) < 4096
    assert "max-age=86400" in response["Cache-Control"]


def test_every_page_has_a_description(client, course):
    """The home page, the catalogue and a course each describe themselves: the
    page's own search description where an editor wrote one, else the site's."""
    course.page.search_description = "Nộp hồ sơ trực tuyến từng bước."
    course.page.save_revision().publish()

    home = client.get("/")
    assert "dịch vụ công trực tuyến" in description(home)
    assert description(client.get(course.index.url)) != ""
    assert description(client.get(course.page.url)) == (
        "Nộp hồ sơ trực tuyến từng bước."
    )


@pytest.mark.parametrize("path", ["/", reverse("users:login")])
def test_pages_without_htmx_do_not_load_it(client, db, site_home, path):
    """The home and login pages use no htmx and do not load its 41 KB."""
    response = client.get(path)

    assert response.status_code == 200
    assert HTMX not in response.text


def test_a_course_page_does_not_load_htmx_but_a_lesson_does(client, course, place):
    """The course page has no htmx; the lesson's “Đã học xong” button uses it."""
    learner = build_learner(place=place, phone="0987654324", password="hoc-dvc-2025")
    client.force_login(learner)

    assert HTMX not in client.get(course.page.url).text
    assert HTMX in client.get(course.lessons[0].url).text


def test_the_sign_up_page_loads_htmx(client, db, site_home):
    """Sign-up searches communes as one types, with htmx."""
    assert HTMX in client.get(reverse("users:signup")).text
