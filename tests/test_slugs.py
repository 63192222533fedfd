"""Pages get ASCII slugs from Vietnamese titles, so shared links stay readable."""

from django.urls import reverse

from core.slugs import ascii_slug
from courses.models import LessonPage
from users.tests.factories import UserFactory

TITLE = "Dùng ví điện tử an toàn"


def test_the_slug_of_a_vietnamese_title_is_ascii():
    """Tone marks go and “đ” becomes “d”, not nothing."""
    assert ascii_slug(TITLE) == "dung-vi-dien-tu-an-toan"
    assert ascii_slug("Đăng ký khai sinh: hồ sơ điện tử") == (
        "dang-ky-khai-sinh-ho-so-dien-tu"
    )


def test_a_lesson_saved_without_a_slug_gets_an_ascii_one(course):
    """A lesson saved with no slug gets its title's ASCII slug, and a second of
    the same title under the same course gets “-2”."""
    first = course.page.add_child(instance=LessonPage(title=TITLE))
    second = course.page.add_child(instance=LessonPage(title=TITLE))

    assert first.slug == "dung-vi-dien-tu-an-toan"
    assert second.slug == "dung-vi-dien-tu-an-toan-2"
    assert first.url.endswith("/dung-vi-dien-tu-an-toan/")


def test_the_editor_s_slug_field_writes_ascii(client, course):
    """The admin's slug field is told not to keep accents when it slugifies the
    title as the editor types."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=["courses", "lessonpage", course.page.pk],
        )
    )

    assert response.status_code == 200
    assert 'data-controller="w-slug"' in response.text
    # The widget leaves the attribute out when it is false, the script's default.
    assert "data-w-slug-allow-unicode-value" not in response.text
