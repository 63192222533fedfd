"""On a cheap phone, the lessons lead on to the final quiz, and “Nộp bài” asks
once, saying how many questions are unanswered, before an attempt is spent."""

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import AttemptState, QuizAttempt
from tests.browser.phone import assert_no_horizontal_scroll, header_link, log_in
from tests.content import build_learner

MY_LEARNING = "/hoc-tap-cua-toi/"
PHONE_NUMBER = "0987 654 322"
PASSWORD = "hoc-dvc-2025"
TAKE_QUIZ = "Làm bài kiểm tra cuối khóa"
QUIZ_REMAINS = "Còn bài kiểm tra cuối khóa."


def saved(page: Page, action) -> None:
    """Do the action and wait for the answer it changes to be saved."""
    with page.expect_response(
        lambda response: (
            response.request.method == "POST"
            and response.request.headers.get("hx-request") == "true"
        )
    ):
        action()
    expect(page.locator("#save-status")).to_have_text("Đã lưu.")


@pytest.mark.browser
def test_the_last_lesson_leads_to_the_final_quiz_and_submit_asks_once(
    new_phone, quiz_course, place, tmp_path
):
    """A volunteer with one of two lessons done finishes the last one on a 360px
    phone; the next step is then the final quiz on the lesson, the course page and
    “Học tập của tôi”, with the lessons at 100% and the quiz said to remain. In
    the quiz, “Nộp bài…” stands apart from “Lưu và sang câu tiếp”, and tapping it
    asks first, counting the unanswered questions; going back spends nothing;
    confirming submits one attempt."""
    course, quiz = quiz_course, quiz_course.quiz
    first, last = course.lessons
    learner = build_learner(
        place=place, phone=PHONE_NUMBER, password=PASSWORD, lessons_done=[first]
    )
    page = new_phone().new_page()
    log_in(page, PHONE_NUMBER, PASSWORD, course.page.url)

    # From the course page's list of lessons to the one left.
    page.locator("main .lesson-list").get_by_role("link", name=last.title).click()
    expect(page.locator("h1")).to_have_text(last.title)

    # Marking the last lesson done turns its next button into the final quiz.
    page.get_by_role("button", name="Đánh dấu đã học xong").click()
    pager = page.locator("#lesson-progress .pager")
    expect(pager.get_by_role("link", name=f"{TAKE_QUIZ} →")).to_have_attribute(
        "href", re.compile(re.escape(quiz.url) + "$")
    )
    expect(pager).not_to_contain_text("Quay lại khóa học")
    expect(page.locator("#course-progress")).to_contain_text(
        f"Đã học xong các bài. {QUIZ_REMAINS}"
    )
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "last-lesson.png", full_page=True)

    # The course page: lessons full, the quiz said to remain and offered.
    page.locator(".breadcrumb").get_by_role("link", name=course.page.title).click()
    action = page.locator(".course__action")
    expect(action.locator("progress")).to_have_attribute("value", "100")
    expect(action).to_contain_text(f"Đã học xong 2/2 bài. {QUIZ_REMAINS}")
    expect(action).not_to_contain_text("99")
    expect(action.get_by_role("link", name=re.compile("Học tiếp"))).to_have_count(0)
    expect(action.get_by_role("link", name=TAKE_QUIZ)).to_be_visible()
    assert_no_horizontal_scroll(page)

    # “Học tập của tôi” offers the quiz too; it opens the quiz.
    header_link(page, MY_LEARNING).click()
    card = page.locator(".card").filter(has_text=course.page.title)
    expect(card).to_contain_text(QUIZ_REMAINS)
    card.get_by_role("link", name=TAKE_QUIZ).click()
    expect(page.locator("h1")).to_have_text(quiz.title)
    page.get_by_role("button", name="Bắt đầu làm bài").click()

    # Question 1: submitting is outlined, not filled, and set apart below.
    expect(page.locator(".quiz-attempt > .meta")).to_contain_text("Câu 1 trên 4")
    next_button = page.get_by_role("button", name="Lưu và sang câu tiếp")
    submit = page.get_by_role("button", name="Nộp bài…")
    style = "e => getComputedStyle(e).backgroundColor"
    assert next_button.evaluate(style) != submit.evaluate(style)
    gap = submit.bounding_box()["y"] - (
        next_button.bounding_box()["y"] + next_button.bounding_box()["height"]
    )
    assert gap >= 40, f"“Nộp bài…” is {gap}px under “Lưu và sang câu tiếp”"
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "question.png", full_page=True)
    saved(page, page.get_by_label("dichvucong.gov.vn", exact=True).check)

    # Tapping it asks first: 1 of 4 answered, 3 not; going back spends nothing.
    submit.click()
    expect(page).to_have_url(re.compile(r"/attempt/\d+/submit/\?q=1$"))
    expect(page.locator("h1")).to_have_text("Nộp bài?")
    expect(page.locator("main")).to_contain_text("Đã trả lời 1 trên 4 câu")
    expect(page.locator("main")).to_contain_text("Còn 3 câu chưa trả lời.")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "confirm.png", full_page=True)
    attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
    assert attempt.state == AttemptState.IN_PROGRESS
    page.get_by_role("link", name="Quay lại làm tiếp").click()
    expect(page.locator(".quiz-attempt > .meta")).to_contain_text("Câu 1 trên 4")
    expect(page.get_by_label("dichvucong.gov.vn", exact=True)).to_be_checked()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS

    # Asked again, confirmed: one attempt submitted, its result shown.
    page.get_by_role("button", name="Nộp bài…").click()
    page.get_by_role("button", name="Nộp bài", exact=True).click()
    expect(page).to_have_url(re.compile(r"/attempt/\d+/result/$"))
    expect(page.locator(".quiz-result > .meta")).to_have_text("Lần 1")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert QuizAttempt.objects.filter(user=learner, quiz=quiz).count() == 1
