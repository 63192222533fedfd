"""A learner answers the procedure questions on a cheap phone: puts the steps of
filing a dossier in order with the move buttons, taps "Nộp hồ sơ" on the
portal's screenshot, writes a fee, matches documents and fills the missing
words; nothing is wider than the screen and the result is 100%."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from quizzes.models import QuizLayout, QuizPage, QuizQuestion, ShowAnswers
from quizzes.tests.procedure_factories import (
    gap_question,
    hotspot_question,
    matching_question,
    numerical_question,
    ordering_question,
)
from tests.browser.conftest import PHONE
from tests.browser.phone import assert_no_horizontal_scroll, log_in
from tests.content import build_learner

PHONE_NUMBER = "0912 345 678"
PASSWORD = "thu-tuc-2025"


def serve_media(page: Page) -> None:
    """Serve uploaded pictures from the test media folder, which the test
    server does not."""
    root = Path(settings.MEDIA_ROOT)

    def handle(route):
        path = root / route.request.url.split("/media/", 1)[1]
        route.fulfill(path=str(path))

    page.route("**/media/**", handle)


def autosaved(page: Page, action) -> None:
    with page.expect_response(
        lambda response: (
            response.request.method == "POST"
            and response.request.headers.get("hx-request") == "true"
        )
    ):
        action()
    expect(page.locator("#save-status")).to_have_text("Đã lưu.")


@pytest.mark.browser
def test_learner_answers_every_procedure_question_on_a_phone(
    browser, live_server, wagtail_defaults, course, place
):
    ordering = ordering_question()
    hotspot = hotspot_question()
    number = numerical_question()
    matching = matching_question()
    gaps = gap_question()
    quiz = QuizPage(
        title="Thực hành thủ tục",
        slug="thuc-hanh-thu-tuc",
        pass_mark=80,
        max_attempts=None,
        layout=QuizLayout.ALL_ON_ONE_PAGE,
        show_answers=ShowAnswers.AT_END,
    )
    for question in (ordering, hotspot, number, matching, gaps):
        quiz.quiz_questions.add(QuizQuestion(question=question))
    quiz = course.page.add_child(instance=quiz)
    quiz.save_revision().publish()
    build_learner(place=place, phone=PHONE_NUMBER, password=PASSWORD)
    # A phone with a touch screen: the hotspot is tapped.
    context = browser.new_context(base_url=live_server.url, has_touch=True, **PHONE)
    context.set_default_timeout(10_000)
    try:
        answer_on_the_phone(context.new_page(), quiz, ordering, hotspot, matching)
    finally:
        context.close()


def answer_on_the_phone(page: Page, quiz, ordering, hotspot, matching) -> None:
    serve_media(page)
    log_in(page, PHONE_NUMBER, PASSWORD, quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.locator("fieldset.question")).to_have_count(5)
    # The width is the laid-out page's: its style sheet and quiz.js done.
    page.wait_for_load_state("load")
    assert_no_horizontal_scroll(page)

    # Ordering: the steps come shuffled; the move buttons put them right.
    steps = [step.text for step in ordering.steps.all()]
    order_list = page.locator("[data-order-list]")
    items = order_list.locator("li")
    shown = items.locator(".order-list__text").all_inner_texts()
    assert shown != steps and sorted(shown) == sorted(steps)
    up = items.first.get_by_role("button", name="Chuyển lên")
    box = up.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    for place_wanted, text in enumerate(steps):
        while True:
            current = items.locator(".order-list__text").all_inner_texts()
            at = current.index(text)
            if at == place_wanted:
                break
            step = items.nth(at)
            autosaved(page, step.get_by_role("button", name="Chuyển lên").click)
    expect(items.locator(".order-list__text")).to_have_text(steps)

    # Hotspot: a tap on the picture, in the middle of the "Nộp hồ sơ" region.
    picture = page.locator(".hotspot img")
    expect(picture).to_be_visible()
    size = picture.bounding_box()
    assert size["width"] <= 360 and size["width"] > 200
    region = hotspot.regions.get(is_correct=True)
    x = float(region.x + region.width / 2) / 100 * size["width"]
    y = float(region.y + region.height / 2) / 100 * size["height"]
    autosaved(page, lambda: picture.tap(position={"x": x, "y": y}))
    expect(page.locator(".hotspot__mark")).to_be_visible()
    # The accessible list offers every region, none chosen.
    hotspot_card = page.locator("fieldset.question").nth(1)
    hotspot_card.locator("summary").click()
    for label in hotspot.regions.values_list("label", flat=True):
        expect(hotspot_card.get_by_label(label)).not_to_be_checked()

    # Numerical: the fee as Vietnamese write it.
    fee = page.locator("fieldset.question").nth(2).get_by_role("textbox")
    fee.fill("1.234.567")
    autosaved(page, fee.blur)

    # Matching and missing words: lists.
    card = page.locator("fieldset.question").nth(3)
    for pair in matching.pairs.exclude(prompt=""):
        select = card.get_by_label(pair.prompt)
        autosaved(page, lambda s=select, a=pair.answer: s.select_option(label=a))
    card = page.locator("fieldset.question").nth(4)
    selects = card.locator("select")
    autosaved(page, lambda: selects.nth(0).select_option(label="VNeID"))
    autosaved(page, lambda: selects.nth(1).select_option(label="Nộp hồ sơ"))
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Nộp bài…").click()
    expect(page.locator("main")).to_contain_text("Bạn đã trả lời tất cả các câu.")
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    expect(page).to_have_url(re.compile(r"/attempt/\d+/result/$"))
    expect(page.locator(".quiz-result__score")).to_contain_text("100%")
    assert_no_horizontal_scroll(page)
