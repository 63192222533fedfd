"""The frame of every page on a cheap phone: a header of one row, so that a quiz's
answers start on the first screen, and the small things every page carries."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.phone import log_in, small_tap_targets
from tests.content import build_learner

PHONE_NUMBER = "0987 654 323"
PASSWORD = "hoc-dvc-2025"
# The screen of conftest.PHONE.
SCREEN_HEIGHT = 740
# A header of one row: a 48px button with a little room around it.
HEADER_MAX = 64


def header_height(page: Page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


@pytest.mark.browser
def test_the_header_is_one_row_and_the_first_answer_is_on_the_first_screen(
    new_phone, quiz_course, place
):
    """Logged in on a 360×740 phone, the header is one row (at most 64px), its
    links fold under “Menu”, which opens them one per line; on a quiz question
    the question and its first answer are within the first screen."""
    course, quiz = quiz_course, quiz_course.quiz
    build_learner(
        place=place,
        phone=PHONE_NUMBER,
        password=PASSWORD,
        lessons_done=course.lessons,
    )
    page = new_phone().new_page()
    page.goto(course.page.url)
    assert header_height(page) <= HEADER_MAX, "the visitor's header"

    log_in(page, PHONE_NUMBER, PASSWORD, quiz.url)
    assert header_height(page) <= HEADER_MAX, "the learner's header"
    menu = page.locator(".site-menu")
    links = menu.get_by_role("link", name="Học tập của tôi")
    expect(links).to_be_hidden()
    menu.locator("summary").click()
    expect(links).to_be_visible()
    for name in ("Khóa học", "Chứng chỉ của tôi", "Lớp học", "Tài khoản của tôi"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    expect(menu.get_by_role("button", name="Đăng xuất")).to_be_visible()
    # One link a line, each a full tap target.
    first = menu.get_by_role("link", name="Học tập của tôi").bounding_box()
    second = menu.get_by_role("link", name="Khóa học").bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1
    assert first["height"] >= 44
    menu.locator("summary").click()
    expect(links).to_be_hidden()

    page.get_by_role("button", name="Bắt đầu làm bài").click()
    question = page.locator("fieldset.question")
    expect(question).to_have_count(1)
    assert header_height(page) <= HEADER_MAX, "the quiz's header"
    first_answer = question.locator("label").first.bounding_box()
    assert first_answer["y"] + first_answer["height"] <= SCREEN_HEIGHT, (
        f"the first answer ends at {first_answer['y'] + first_answer['height']}px"
    )


# Every aria-describedby and aria-labelledby id that names no element of the page.
DANGLING_ARIA_IDS = """() => {
  const missing = [];
  for (const attribute of ["aria-describedby", "aria-labelledby"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/)) {
        if (id && !document.getElementById(id)) missing.push(`${attribute}=${id}`);
      }
    }
  }
  return missing;
}"""


@pytest.mark.browser
def test_every_aria_reference_names_an_element_of_its_page(
    new_phone, quiz_course, place
):
    """On the visitor's and the learner's main pages, each id that an
    aria-describedby or aria-labelledby names is on the page."""
    course, quiz = quiz_course, quiz_course.quiz
    build_learner(
        place=place,
        phone=PHONE_NUMBER,
        password=PASSWORD,
        lessons_done=course.lessons[:1],
    )
    page = new_phone().new_page()
    visited = 0
    for path in ("/", "/tai-khoan/dang-ky/", "/tai-khoan/dang-nhap/", course.page.url):
        page.goto(path)
        assert page.evaluate(DANGLING_ARIA_IDS) == [], path
        visited += 1
    # The sign-up form's phone field points at its help text.
    page.goto("/tai-khoan/dang-ky/")
    phone = page.locator("input[name=phone]")
    described = phone.get_attribute("aria-describedby")
    assert described, "the phone field has no description"
    expect(page.locator(f"#{described}")).to_contain_text("số")

    log_in(page, PHONE_NUMBER, PASSWORD, "/hoc-tap-cua-toi/")
    for path in (
        "/hoc-tap-cua-toi/",
        course.page.url,
        course.lessons[1].url,
        quiz.url,
        "/chung-chi/",
        "/tai-khoan/",
        "/lop-hoc/",
    ):
        page.goto(path)
        assert page.evaluate(DANGLING_ARIA_IDS) == [], path
        visited += 1
    page.goto(quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.locator("fieldset.question")).to_have_count(1)
    assert page.evaluate(DANGLING_ARIA_IDS) == [], "a quiz question"
    assert visited == 11


@pytest.mark.browser
def test_a_learner_s_pages_have_targets_large_enough_to_tap(
    new_phone, quiz_course, place
):
    """On every page a learner uses, each link or button standing on its own is
    at least 44px tall, and one inside a sentence sits on a line of at least
    24px (WCAG 2.5.8); with the menu open too."""
    course, quiz = quiz_course, quiz_course.quiz
    build_learner(
        place=place,
        phone=PHONE_NUMBER,
        password=PASSWORD,
        lessons_done=course.lessons[:1],
    )
    page = new_phone().new_page()
    small = []
    for path in ("/", course.index.url, course.page.url, "/tai-khoan/dang-nhap/"):
        page.goto(path)
        small += small_tap_targets(page)
    log_in(page, PHONE_NUMBER, PASSWORD, "/hoc-tap-cua-toi/")
    for path in (
        "/hoc-tap-cua-toi/",
        course.index.url,
        course.page.url,
        course.lessons[0].url,
        course.lessons[1].url,
        quiz.url,
        "/chung-chi/",
        "/ket-qua-kiem-tra/",
        "/tai-khoan/",
    ):
        page.goto(path)
        small += small_tap_targets(page)
    page.locator(".site-menu summary").click()
    small += small_tap_targets(page)
    assert small == [], "\n".join(small)


@pytest.mark.browser
def test_the_filter_chips_show_that_they_scroll(new_phone, course):
    """On a 360px phone the catalogue's audience chips overflow their row; a fade
    on the right says so until the row is scrolled to its end, where the last
    chip is wholly in view."""
    page = new_phone().new_page()
    page.goto(course.index.url)
    frame = page.locator(".chips-frame")
    row = frame.locator(".chips")
    assert row.evaluate("row => row.scrollWidth > row.clientWidth")
    expect(frame).to_have_class(re.compile(r"chips-frame--more"))
    fade = frame.evaluate("frame => getComputedStyle(frame, '::after').opacity")
    assert fade == "1"

    row.evaluate("row => row.scrollTo({left: row.scrollWidth})")
    expect(frame).not_to_have_class(re.compile(r"chips-frame--more"))
    last = row.locator(".chip").last.bounding_box()
    assert last["x"] + last["width"] <= 360, last
    for chip in row.locator(".chip").all():
        assert chip.bounding_box()["height"] >= 44
