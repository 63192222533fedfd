"""On a 360px phone: a visitor finds a lesson by typing without accents, and
answers whether it helped without leaving it."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonFeedback
from tests.browser.phone import assert_no_horizontal_scroll, small_tap_targets


@pytest.mark.browser
def test_a_visitor_finds_a_lesson_and_says_it_did_not_help(new_phone, course):
    """From the header's search, "tao tai khoan" finds “Tạo tài khoản…” first;
    under the lesson, "Không" and a comment are sent in place, once."""
    page = new_phone().new_page()
    errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    page.goto("/")
    assert_no_horizontal_scroll(page)
    page.locator("header a.site-search-link").click()
    expect(page).to_have_url(re.compile(r"/tim-kiem/$"))
    field = page.locator("input[name=q]")
    expect(field).to_be_focused()
    field.fill("tao tai khoan")
    field.press("Enter")

    first = page.locator(".search-result").first
    expect(first.locator("h2")).to_have_text(
        "Tạo tài khoản trên Cổng Dịch vụ công quốc gia"
    )
    expect(first).to_contain_text(
        "Bài học · Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công"
    )
    assert_no_horizontal_scroll(page)
    assert small_tap_targets(page) == []
    first.locator("h2 a").click()

    url = page.url
    widget = page.locator("#y-kien")
    widget.get_by_text("Không", exact=True).click()
    widget.locator("summary").click()
    widget.locator("textarea").fill("Bước 2 thiếu ảnh chụp màn hình.")
    assert_no_horizontal_scroll(page)
    widget.get_by_role("button", name="Gửi").click()

    expect(page.locator("#y-kien h2")).to_have_text(
        "Cảm ơn bạn! Câu trả lời của bạn giúp bài học tốt hơn."
    )
    assert page.url == url, "answering should not leave the lesson"
    [feedback] = LessonFeedback.objects.all()
    assert (feedback.helpful, feedback.comment) == (
        False,
        "Bước 2 thiếu ảnh chụp màn hình.",
    )
    assert errors == []
