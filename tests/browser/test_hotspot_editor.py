"""The hotspot question on both sides (issue 18 §1), on a 360 px screen.

The demo editor logs into the Wagtail admin, creates a hotspot question, draws
one region with the mouse and one with a finger on the portal's screenshot,
saves, and the regions are stored where they were drawn. A learner who uses no
pointer at all answers with the keyboard only, from the list of labelled
regions, and gets full marks.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from demo import people
from demo.loader import Summary, _person
from quizzes.models import (
    AttemptState,
    Question,
    QuestionType,
    QuizAttempt,
    QuizLayout,
    QuizPage,
    QuizQuestion,
    ShowAnswers,
)
from quizzes.tests.factories import QuestionCategoryFactory
from quizzes.tests.procedure_factories import hotspot_question, picture
from tests.browser.conftest import PHONE
from tests.browser.phone import assert_no_horizontal_scroll, log_in
from tests.browser.test_procedure_questions import serve_media
from tests.content import build_learner

PHONE_NUMBER = "0912 345 679"
PASSWORD = "ban-phim-2025"


def drag(page: Page, picture_box, start, end, *, touch=None) -> None:
    """Drag across the picture from start to end (fractions of its size): with
    the mouse, or, given a CDP session, with one finger."""
    x0 = picture_box["x"] + start[0] * picture_box["width"]
    y0 = picture_box["y"] + start[1] * picture_box["height"]
    x1 = picture_box["x"] + end[0] * picture_box["width"]
    y1 = picture_box["y"] + end[1] * picture_box["height"]
    steps = [(x0 + (x1 - x0) * n / 8, y0 + (y1 - y0) * n / 8) for n in range(1, 9)]
    if touch is None:
        page.mouse.move(x0, y0)
        page.mouse.down()
        for x, y in steps:
            page.mouse.move(x, y)
        page.mouse.up()
        return
    touch.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]},
    )
    for x, y in steps:
        touch.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]},
        )
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.browser
def test_the_demo_editor_draws_regions_on_a_phone(
    browser, live_server, wagtail_defaults, site_home, place
):
    _person(people.EDITOR, place.commune, Summary())
    category = QuestionCategoryFactory(name="Thủ tục trực tuyến")
    screenshot = picture(width=800, height=600, title="Màn hình cổng dịch vụ công")
    context = browser.new_context(base_url=live_server.url, has_touch=True, **PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        serve_media(page)
        add_url = reverse("wagtailsnippets_quizzes_question:add")
        log_in(page, people.EDITOR.login, people.EDITOR.password, add_url)
        choose(page, "category", category.name, category.pk)
        page.locator("#id_kind").select_option(QuestionType.HOTSPOT)
        page.locator("#id_text").fill("Chạm vào nút Nộp hồ sơ.")
        # The picture, from Wagtail's image chooser.
        choose(page, "image", screenshot.title, screenshot.pk)
        board = page.locator(".hotspot-editor img")
        expect(board).to_be_visible()
        board.scroll_into_view_if_needed()
        expect(board).to_have_js_property("complete", True)
        box = board.bounding_box()
        assert 0 < box["width"] <= 360
        # The right place by mouse, a wrong one by finger.
        drag(page, box, (0.6, 0.7), (0.9, 0.85))
        expect(page.locator("#id_regions-0-x")).not_to_have_value("")
        page.locator("#id_regions-0-label").fill("Nút Nộp hồ sơ")
        touch = context.new_cdp_session(page)
        box = board.bounding_box()
        drag(page, box, (0.1, 0.1), (0.4, 0.2), touch=touch)
        expect(page.locator("#id_regions-1-x")).not_to_have_value("")
        page.locator("#id_regions-1-label").fill("Ô tìm kiếm")
        page.locator("#id_regions-1-is_correct").uncheck()
        expect(page.locator(".hotspot-editor__region")).to_have_count(2)
        assert_no_horizontal_scroll(page)
        page.locator("button.action-save").click()
        expect(page).not_to_have_url(re.compile(re.escape(add_url) + "$"))
    finally:
        context.close()
    question = Question.objects.get(category=category)
    assert question.kind == QuestionType.HOTSPOT
    assert question.image_id == screenshot.pk
    right, wrong = (
        question.regions.get(label="Nút Nộp hồ sơ"),
        question.regions.get(label="Ô tìm kiếm"),
    )
    assert right.is_correct and not wrong.is_correct
    # Where they were drawn, in per cent of the picture, within a pixel or two.
    for region, (x, y, width, height) in (
        (right, (60, 70, 30, 15)),
        (wrong, (10, 10, 30, 10)),
    ):
        got = [float(v) for v in (region.x, region.y, region.width, region.height)]
        assert got == pytest.approx([x, y, width, height], abs=1.5), region.label


@pytest.mark.browser
def test_a_learner_answers_the_hotspot_with_the_keyboard_only(
    browser, live_server, wagtail_defaults, course, place
):
    hotspot = hotspot_question()
    quiz = QuizPage(
        title="Tìm nút nộp hồ sơ",
        slug="tim-nut-nop-ho-so",
        pass_mark=80,
        layout=QuizLayout.ONE_PER_SCREEN,
        show_answers=ShowAnswers.AT_END,
    )
    quiz.quiz_questions.add(QuizQuestion(question=hotspot))
    quiz = course.page.add_child(instance=quiz)
    quiz.save_revision().publish()
    learner = build_learner(place=place, phone=PHONE_NUMBER, password=PASSWORD)
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    right = hotspot.regions.get(is_correct=True)
    try:
        page = context.new_page()
        serve_media(page)
        log_in(page, PHONE_NUMBER, PASSWORD, quiz.url)
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        expect(page).to_have_url(re.compile(r"/attempt/\d+/"))
        # From here on, the keyboard only.
        tab_to(page, "summary", "Hoặc chọn trong danh sách các vị trí trên hình")
        page.keyboard.press("Enter")
        expect(page.locator("details.hotspot__list")).to_have_attribute("open", "")
        page.keyboard.press("Tab")
        assert focused(page)["type"] == "radio"
        labels = list(hotspot.regions.values_list("label", flat=True))
        for _n in range(len(labels) + 1):
            if page.get_by_label(right.label).is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(page.get_by_label(right.label)).to_be_checked()
        expect(page.locator("#save-status")).to_have_text("Đã lưu.")
        tab_to(page, "button", "Nộp bài…")
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_contain_text("Bạn đã trả lời tất cả các câu.")
        tab_to(page, "button", "Nộp bài")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/attempt/\d+/result/$"))
        expect(page.locator(".quiz-result__score")).to_contain_text("100%")
    finally:
        context.close()
    attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 100


def choose(page: Page, field: str, title: str, pk: int) -> None:
    """Pick a row in one of Wagtail's chooser dialogs by its title."""
    page.locator(f"#id_{field}-chooser").get_by_role("button").first.click()
    page.locator(".modal-dialog").get_by_text(title, exact=True).first.click()
    expect(page.locator(f'input[name="{field}"]')).to_have_value(str(pk))
    expect(page.locator(".modal-dialog")).to_have_count(0)


def focused(page: Page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName.toLowerCase(), type: e.type || '',"
        " text: (e.innerText || e.value || '').trim()}; }"
    )


def tab_to(page: Page, tag: str, text: str | None = None, most: int = 60) -> None:
    """Press Tab until the element of this tag (and exact text) has the focus."""
    for _n in range(most):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == tag and (text is None or now["text"] == text):
            return
    raise AssertionError(f"Tab never reached {tag} {text!r}")
