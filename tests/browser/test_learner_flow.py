"""A learner's first visit, on a cheap phone: from sign-up to progress kept."""

import re

import pytest
from playwright.sync_api import Page, expect

from courses.models import Enrolment
from tests.browser.phone import assert_no_horizontal_scroll, header_link
from users.models import User

MY_LEARNING = "/hoc-tap-cua-toi/"


def sign_up(page: Page) -> None:
    page.goto("/")
    page.click("a[href='/tai-khoan/dang-ky/']")
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-ky/$"))
    form = page.locator("form.form")
    form.locator("input[name=full_name]").fill("Nguyễn Thị Lan")
    form.locator("input[name=phone]").fill("0912 345 678")
    form.locator("input[name=kind][value=volunteer]").check()
    # Typed without accents, as people do on a phone keyboard; htmx suggests.
    form.locator("input[name=commune_query]").press_sequentially("dong hung")
    commune = form.get_by_role("radio", name=re.compile("Xã Đông Hưng"))
    expect(commune).to_have_count(1)
    commune.check()
    expect(form.locator("input[name=commune_query]")).to_have_value(
        "Xã Đông Hưng, Tỉnh Hưng Yên"
    )
    form.locator("input[name=password1]").fill("hoc-dvc-2025")
    form.locator("input[name=password2]").fill("hoc-dvc-2025")
    form.locator("input[name=consent]").check()
    assert_no_horizontal_scroll(page)
    form.locator("button[type=submit]").click()


def mark_done(page: Page, *, percent: int) -> None:
    """Tap the lesson's done button and see the panel and the bar update in place."""
    url = page.url
    button = page.locator("#lesson-progress button[type=submit]")
    label = button.inner_text()
    button.click()
    expect(button).not_to_have_text(label)
    expect(page.locator("#lesson-progress input[name=done]")).to_have_value("0")
    expect(page.locator("#course-progress progress")).to_have_attribute(
        "value", str(percent)
    )
    assert page.url == url, "marking done should not leave the lesson"


@pytest.mark.browser
def test_learner_signs_up_completes_two_lessons_and_finds_progress(
    new_phone, course, place, tmp_path
):
    """A volunteer signs up on a 360px phone, enrols, finishes two of three
    lessons, comes back later and sees 2 of 3 done (67%) in “Học tập của tôi”,
    with the course offering to continue where they were."""
    first, second, _third = course.lessons
    page = new_phone().new_page()

    sign_up(page)
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator(".messages")).to_contain_text("Lan")
    expect(header_link(page, MY_LEARNING)).to_be_visible()
    # The open menu lies over the page; close it again.
    page.locator("header .site-menu summary").click()
    learner = User.objects.get(phone="+84912345678")
    assert learner.full_name == "Nguyễn Thị Lan"
    assert learner.kind == "volunteer"
    assert learner.home_region == place.commune

    # From the home page to the catalogue to the course, by tapping.
    page.click(f"main a[href='{course.index.url}']")
    page.get_by_role("link", name=course.page.title).click()
    expect(page.locator("h1")).to_have_text(course.page.title)
    page.locator("form[action$='enrol/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(first.url) + "$"))
    expect(page.locator("h1")).to_have_text(first.title)
    expect(page.locator(".lesson__body")).to_contain_text("Cổng Dịch vụ công")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "lesson.png", full_page=True)
    mark_done(page, percent=33)

    page.locator("#lesson-progress a[rel=next]").click()
    expect(page).to_have_url(re.compile(re.escape(second.url) + "$"))
    expect(page.locator("h1")).to_have_text(second.title)
    assert_no_horizontal_scroll(page)
    mark_done(page, percent=67)

    # Leave: close the browser; come back later on the same phone (same cookies).
    page.goto("/")
    cookies = page.context.storage_state()
    page.context.close()
    page = new_phone(storage_state=cookies).new_page()

    page.goto(course.page.url)
    action = page.locator(".course__action")
    expect(action.locator("progress")).to_have_attribute("value", "67")
    resume = action.get_by_role("link", name=re.compile(re.escape(second.title)))
    expect(resume).to_have_attribute("href", second.url)
    assert_no_horizontal_scroll(page)

    header_link(page, MY_LEARNING).click()
    expect(page).to_have_url(re.compile(re.escape(MY_LEARNING) + "$"))
    expect(page.locator("h1")).to_have_text("Học tập của tôi")
    card = page.locator(".card").filter(has_text=course.page.title)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(re.compile(r"\b2\b\D+\b3\b"))
    expect(card).to_contain_text("67%")
    expect(card.locator("progress")).to_have_attribute("value", "67")
    resume = card.get_by_role("link", name=re.compile(re.escape(second.title)))
    expect(resume).to_have_attribute("href", second.url)
    assert_no_horizontal_scroll(page)
    resume.click()
    expect(page.locator("h1")).to_have_text(second.title)
    expect(page.locator("#lesson-progress input[name=done]")).to_have_value("0")

    enrolment = Enrolment.objects.get(user=learner, course=course.page)
    assert enrolment.completed_at is None
    assert enrolment.last_lesson_id == second.pk
