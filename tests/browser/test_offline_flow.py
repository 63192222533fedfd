"""A learner without signal, on a cheap phone: the lessons of their course kept
online are read offline, a lesson marked done offline is counted once when the
phone is online again, and a quiz says it needs a connection (courses.offline)."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.urls import re_path
from django.views.static import serve
from PIL import Image as PILImage
from playwright.sync_api import expect
from wagtail.images import get_image_model

from courses.models import LessonProgress
from courses.services import enrolment_create
from tests.browser.phone import (
    assert_no_horizontal_scroll,
    log_in,
    small_tap_targets,
)
from tests.content import build_learner

PASSWORD = "hoc-dvc-2025"
PHONE_NUMBER = "0912 555 017"
MY_LEARNING = "/hoc-tap-cua-toi/"
# The service worker fetches a course's pages and pictures, or sends the marks,
# in the background: on a busy machine that may take a while.
BACKGROUND = {"timeout": 60_000}
# Take the address out of what the service worker keeps for the session.
FORGET = """async (url) => {
  for (const name of await caches.keys()) {
    if (name.startsWith("lms-lessons-")) await (await caches.open(name)).delete(url);
  }
}"""
# Whether the address is among what the service worker keeps for the session.
KEPT = """async (url) => {
  for (const name of await caches.keys()) {
    if (name.startsWith("lms-lessons-") && await (await caches.open(name)).match(url)) {
      return true;
    }
  }
  return false;
}"""

# The site's addresses, and the uploaded pictures from the test media folder,
# which the live server does not serve: the service worker fetches them itself.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]


@pytest.fixture
def media_served(settings):
    from lms import urls

    urlpatterns[1:] = urls.urlpatterns
    settings.ROOT_URLCONF = __name__


def with_screenshot(lesson):
    """Add a captioned screenshot to the lesson's body and publish it."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 500), (30, 90, 200)).save(buffer, "PNG")
    image = get_image_model()(
        title="Màn hình kết quả",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="ket-qua.png"),
    )
    image._set_image_file_metadata()
    image.save()
    lesson.body = [
        *lesson.body.raw_data,
        {
            "type": "image",
            "value": {"image": image.pk, "alt": "", "caption": "Kết quả tra cứu"},
        },
    ]
    lesson.save_revision().publish()


@pytest.mark.browser
def test_a_lesson_read_and_marked_done_offline_counts_once_online(
    media_served, wagtail_defaults, new_phone, quiz_course, place, tmp_path
):
    """Logged in online, the learner sees their course's lessons saved on the
    phone; offline, they read the second lesson with its screenshot, mark it
    done (twice, after reopening it) and find the quiz needs a connection; back
    online, the mark is sent, “Học tập của tôi” counts 1 of 2 lessons, and the
    database holds it once."""
    first, second = quiz_course.lessons
    with_screenshot(second)
    learner = build_learner(place=place, phone=PHONE_NUMBER, password=PASSWORD)
    enrolment_create(user=learner, course=quiz_course.page)
    context = new_phone()
    page = context.new_page()

    log_in(page, PHONE_NUMBER, PASSWORD, MY_LEARNING)
    expect(page.locator("[data-offline-status]")).to_have_text(
        "Đã lưu 2 bài học trên máy này để đọc khi không có mạng.", **BACKGROUND
    )

    context.set_offline(True)
    page.goto(second.url)
    expect(page.locator("h1")).to_have_text(second.title)
    expect(page.locator(".lesson__body")).to_contain_text("Gõ tên thủ tục")
    figure = page.locator(".lesson__body figure")
    figure.scroll_into_view_if_needed()
    expect(figure).to_contain_text("Kết quả tra cứu")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=figure.locator("img").element_handle(),
    )
    # The screenshot this phone shows is the one the service worker kept.
    assert page.evaluate(KEPT, figure.locator("img").evaluate("img => img.currentSrc"))
    assert_no_horizontal_scroll(page)
    page.locator("#lesson-progress button[type=submit]").click()
    expect(page.locator("#lesson-progress")).to_contain_text(
        "Đã ghi lại trên máy này: sẽ tự gửi đi khi có mạng."
    )
    # The way on stays: the next step after the last lesson.
    expect(page.locator("#lesson-progress .pager a")).not_to_have_count(0)
    page.screenshot(path=tmp_path / "offline-lesson.png", full_page=True)
    # Opened again offline, the kept copy shows it not done yet; pressing again
    # still makes one mark.
    page.goto(second.url)
    page.locator("#lesson-progress button[type=submit]").click()
    expect(page.locator("#lesson-progress")).to_contain_text("Đã ghi lại trên máy")
    assert not LessonProgress.objects.filter(enrolment__user=learner).exists()

    page.goto(quiz_course.quiz.url)
    expect(page.locator("h1")).to_have_text("Bài kiểm tra cần kết nối mạng")
    assert_no_horizontal_scroll(page)
    assert small_tap_targets(page) == []
    page.goto("/chung-chi/")
    expect(page.locator("h1")).to_have_text("Học khi không có mạng")
    assert_no_horizontal_scroll(page)
    assert small_tap_targets(page) == []
    # Without the session's own copy of that page, the visitor's copy kept at
    # installation is shown; it names no session, so that it does not read as
    # a logout, which would drop the lessons.
    page.evaluate(FORGET, "/hoc-tap-cua-toi/ngoai-tuyen/")
    page.goto("/lop-hoc/")
    expect(page.locator("h1")).to_have_text("Học khi không có mạng")
    expect(page.locator("header .site-nav")).to_be_visible()
    expect(page.locator("[data-offline-owner]")).to_have_count(0)

    page.goto(first.url)
    context.set_offline(False)
    expect(page.locator(".message--success")).to_contain_text(
        "Đã gửi các bài bạn đánh dấu học xong lúc không có mạng.", **BACKGROUND
    )
    page.goto(MY_LEARNING)
    card = page.locator(".card").filter(has_text=quiz_course.page.title)
    expect(card).to_contain_text(re.compile(r"\b1\b\D+\b2\b"))
    expect(card.locator("progress")).to_have_attribute("value", "50")
    assert small_tap_targets(page) == []
    done = LessonProgress.objects.filter(enrolment__user=learner)
    assert [(p.lesson_id, p.completed_at is not None) for p in done] == [
        (second.pk, True)
    ]


@pytest.mark.browser
def test_the_site_installs_and_logging_out_drops_the_saved_lessons(
    new_phone, course, place
):
    """The site can be installed; after logging out, nothing of the learner's
    is served offline: their lesson gives the page on reading offline, shown
    to a visitor."""
    learner = build_learner(place=place, phone=PHONE_NUMBER, password=PASSWORD)
    enrolment_create(user=learner, course=course.page)
    context = new_phone()
    page = context.new_page()
    log_in(page, PHONE_NUMBER, PASSWORD, MY_LEARNING)
    expect(page.locator("[data-offline-status]")).to_contain_text(
        "Đã lưu 3 bài học", **BACKGROUND
    )

    # Chromium finds nothing in the way of installing the site but the private
    # context Playwright opens ("in-incognito"), and reads the manifest whole.
    session = context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    assert session.send("Page.getAppManifest")["errors"] == []

    page.locator("header .site-menu summary").click()
    page.locator("header form[action$='/dang-xuat/'] button").click()
    expect(page.locator("header .site-nav[data-offline-owner='']")).to_be_visible()
    names = page.evaluate("caches.keys()")
    assert not [name for name in names if name.startswith("lms-lessons-")]

    context.set_offline(True)
    page.goto(course.lessons[0].url)
    expect(page.locator("h1")).to_have_text("Học khi không có mạng")
    expect(page.locator("header .site-menu")).to_have_count(0)
