"""A learner takes a course's final quiz on a cheap phone: fails, tries again,
passes, and finds the course complete."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from courses.models import Enrolment
from quizzes.models import AttemptState, QuizAttempt
from tests.browser.phone import assert_no_horizontal_scroll, header_link
from tests.content import build_learner

MY_LEARNING = "/hoc-tap-cua-toi/"
PHONE_NUMBER = "0987 654 321"
PASSWORD = "hoc-dvc-2025"
SAVE_AND_NEXT = "Lưu và sang câu tiếp"
SUBMIT = "Nộp bài"
# The question screen's button, which asks before submitting.
SUBMIT_ASKS = "Nộp bài…"

# What the learner answers, question by question, on each run. The first scores
# 25%: the address is right; a right and a wrong tick cancel out; true is false;
# the city is wrong. The second scores 100%, the city typed without accents.
WRONG_RUN = [
    ("dichvucong.gov.vn",),
    ("Số điện thoại chính chủ", "Sổ hộ khẩu giấy"),
    ("Sai",),
    "Hải Phòng",
]
RIGHT_RUN = [
    ("dichvucong.gov.vn",),
    ("Số điện thoại chính chủ", "Tài khoản VNeID mức độ 2"),
    ("Đúng",),
    "ha noi",
]


def log_in(page: Page) -> None:
    form = page.locator("form.form")
    form.locator("input[name=username]").fill(PHONE_NUMBER)
    form.locator("input[name=password]").fill(PASSWORD)
    form.get_by_role("button", name="Đăng nhập").click()


def question_screen(page: Page, position: int, *, total: int = 4) -> Locator:
    """Return the one question on the screen, once it is question `position`."""
    expect(page.locator(".quiz-attempt > .meta")).to_contain_text(
        f"Câu {position} trên {total}"
    )
    question = page.locator("fieldset.question")
    expect(question).to_have_count(1)
    return question


def autosaved(page: Page, action) -> None:
    """Do the action and wait for the answer it changes to be saved in the
    background, so a later save cannot be overtaken by this one."""
    with page.expect_response(
        lambda response: (
            response.request.method == "POST"
            and response.request.headers.get("hx-request") == "true"
        )
    ):
        action()
    expect(page.locator("#save-status")).to_have_text("Đã lưu.")


def answer_quiz(page: Page, answers: list, *, screenshot=None) -> None:
    """Answer every question, one screen at a time, ending on the last one."""
    total = len(answers)
    for position, answer in enumerate(answers, 1):
        question = question_screen(page, position, total=total)
        assert_no_horizontal_scroll(page)
        if isinstance(answer, str):
            field = question.get_by_role("textbox")
            field.fill(answer)
            # Leaving the field saves it in the background, as tapping the
            # button would; wait for that save so the two do not race.
            autosaved(page, field.blur)
        else:
            for text in answer:
                control = question.get_by_label(text, exact=True)
                autosaved(page, control.check)
        if position == 2 and screenshot:
            page.screenshot(path=screenshot, full_page=True)
        if position < total:
            page.get_by_role("button", name=SAVE_AND_NEXT).click()
        else:
            page.get_by_role("button", name="Lưu", exact=True).click()
    question_screen(page, total, total=total)
    expect(page.locator(".quiz-attempt > .meta")).to_contain_text(
        f"Đã trả lời {total} trên {total} câu"
    )


def submit_on_a_slow_connection(page: Page) -> int:
    """Double-tap “Nộp bài” while the connection hangs, then tap it once more, as
    an impatient learner does; return how many submissions reached the server.

    The server gets the first submission but its answer is held back, so the
    phone stays on the question with the button still there. Chromium folds the
    two clicks of a double click into one submission; the later tap makes another.
    """
    submissions = []
    answered = []

    def hold_the_first_answer(route):
        request = route.request
        if request.method != "POST" or "action=submit" not in request.post_data:
            route.continue_()
            return
        submissions.append(request)
        if len(submissions) > 1:
            route.continue_()
            return
        answered.append(route.fetch(max_redirects=0))

    page.route("**/attempt/*/**", hold_the_first_answer)
    button = page.get_by_role("button", name=SUBMIT, exact=True)
    box = button.bounding_box()
    button.dblclick()
    deadline = time.monotonic() + 10
    while not answered:
        assert time.monotonic() < deadline, "the first submission got no answer"
        page.wait_for_timeout(50)
    assert answered[0].status == 302
    # A tap by position: Playwright's own click would wait for the hung page.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/attempt/\d+/result/$"))
    page.unroute_all(behavior="ignoreErrors")
    return len(submissions)


def review_of(page: Page, question_text: str) -> Locator:
    """Return the result page's review of the question with that text."""
    return page.locator(".quiz-result section.question").filter(has_text=question_text)


def verdict(review: Locator) -> Locator:
    return review.get_by_role("status").locator("strong")


@pytest.mark.browser
def test_learner_fails_the_final_quiz_retries_passes_and_completes_the_course(
    new_phone, quiz_course, place, tmp_path
):
    """A volunteer who has done both lessons logs in on a 360px phone, takes the
    course's final quiz one question per screen under a running 10-minute clock,
    scores 25% and sees the fail message; tries again, writes “ha noi” for “Hà
    Nội”, double-taps “Nộp bài” and passes with 100% on one finished attempt; the
    course then shows as completed, on its page and in “Học tập của tôi”."""
    course, quiz = quiz_course, quiz_course.quiz
    learner = build_learner(
        place=place,
        phone=PHONE_NUMBER,
        password=PASSWORD,
        lessons_done=quiz_course.lessons,
    )
    # The slow connection is played by routing the page's requests, which the
    # site's service worker would otherwise send on the page's behalf.
    page = new_phone(service_workers="block").new_page()

    # The course page, then the login form, which comes back to it.
    page.goto(course.page.url)
    page.locator(".course__action").get_by_role("link", name="Đăng nhập").click()
    log_in(page)
    expect(page).to_have_url(re.compile(re.escape(course.page.url) + "$"))
    action = page.locator(".course__action")
    # Every lesson done, but the course is not complete until the quiz is passed.
    expect(action.locator("progress")).to_have_attribute("value", "100")
    expect(action).to_contain_text("Đã học xong 2/2 bài. Còn bài kiểm tra cuối khóa.")
    expect(action).not_to_contain_text("Hoàn thành")
    expect(page.locator("main")).to_contain_text(
        "Để hoàn thành khóa học, hãy học xong mọi bài học và đạt bài kiểm tra "
        "cuối cùng."
    )

    # The course's main button now leads to the quiz.
    action.get_by_role("link", name="Làm bài kiểm tra cuối khóa").click()
    expect(page.locator("h1")).to_have_text(quiz.title)
    rules = page.locator(".quiz ul.meta")
    expect(rules).to_contain_text("Điểm đạt: 75%")
    expect(rules).to_contain_text("Thời gian làm bài: 10 phút")
    expect(rules).to_contain_text("Được làm 3 lần")
    page.get_by_role("button", name="Bắt đầu làm bài").click()

    # First run: a clock counting down from 10 minutes, four screens, 25%.
    question_screen(page, 1)
    timer = page.get_by_role("timer")
    expect(timer).to_be_visible()
    expect(timer).to_have_text(re.compile(r"^Thời gian còn lại: (10:00|9:[0-5]\d)$"))
    shown = timer.inner_text()
    expect(timer).not_to_have_text(shown)
    answer_quiz(page, WRONG_RUN, screenshot=tmp_path / "question.png")
    page.get_by_role("button", name=SUBMIT_ASKS).click()
    expect(page.locator("main")).to_contain_text("Bạn đã trả lời tất cả các câu.")
    page.get_by_role("button", name=SUBMIT, exact=True).click()

    expect(page).to_have_url(re.compile(r"/attempt/\d+/result/$"))
    result = page.locator(".quiz-result")
    expect(result.locator("> .meta")).to_have_text("Lần 1")
    expect(result.locator(".quiz-result__score")).to_have_text(
        "Điểm của bạn: 25% (điểm đạt 75%)"
    )
    expect(result.locator(".message--error")).to_have_text(quiz.fail_message)
    expect(result.locator(".message--success")).to_have_count(0)
    city = review_of(page, "đặt trụ sở ở thành phố nào?")
    expect(city).to_contain_text("Câu trả lời của bạn: Hải Phòng")
    expect(verdict(city)).to_have_text("Chưa đúng.")
    expect(city).to_contain_text("Các đáp án được chấp nhận: Hà Nội")
    expect(verdict(review_of(page, "VNeID"))).to_have_text("Chưa đúng.")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "result-failed.png", full_page=True)
    first = QuizAttempt.objects.get(user=learner, quiz=quiz)
    assert (first.number, first.state, first.passed) == (1, "finished", False)
    assert first.score == 25
    assert Enrolment.objects.get(user=learner, course=course.page).completed_at is None

    # Back to the quiz, which lists the attempt and offers another.
    page.get_by_role("link", name="Quay lại bài kiểm tra").click()
    expect(page.locator(".quiz .card-list")).to_contain_text("Lần 1 · 25% · Chưa đạt")
    page.get_by_role("button", name="Làm lại").click()

    # Second run: a new attempt, every answer right, the submit button tapped twice.
    question_screen(page, 1)
    expect(page).to_have_url(re.compile(rf"/attempt/(?!{first.pk}/)\d+/"))
    expect(page.get_by_label("dichvucong.gov.vn", exact=True)).not_to_be_checked()
    answer_quiz(page, RIGHT_RUN)
    page.get_by_role("button", name=SUBMIT_ASKS).click()
    submissions = submit_on_a_slow_connection(page)

    expect(page).to_have_url(re.compile(r"/attempt/\d+/result/$"))
    expect(result.locator("> .meta")).to_have_text("Lần 2")
    expect(result.locator(".quiz-result__score")).to_have_text(
        "Điểm của bạn: 100% (điểm đạt 75%)"
    )
    expect(result.locator(".message--success")).to_have_text(quiz.pass_message)
    expect(result.locator(".message--error")).to_have_count(0)
    city = review_of(page, "đặt trụ sở ở thành phố nào?")
    expect(city).to_contain_text("Câu trả lời của bạn: ha noi")
    expect(verdict(city)).to_have_text("Đúng.")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "result-passed.png", full_page=True)
    assert submissions >= 2, "the second tap never reached the server"
    attempts = QuizAttempt.objects.filter(user=learner, quiz=quiz)
    assert attempts.count() == 2
    second = attempts.get(number=2)
    assert (second.state, second.passed, second.score) == (
        AttemptState.FINISHED,
        True,
        100,
    )
    assert second.answers.count() == 4
    enrolment = Enrolment.objects.get(user=learner, course=course.page)
    assert enrolment.completed_at is not None
    completed_on = timezone.localtime(enrolment.completed_at).strftime("%d/%m/%Y")

    # The course page, by the quiz's way back to it, then “Học tập của tôi”.
    page.get_by_role("link", name="Quay lại bài kiểm tra").click()
    expect(page.locator(".quiz .card-list")).to_contain_text("Lần 2 · 100% · Đạt")
    page.locator(".breadcrumb").get_by_role("link", name=course.page.title).click()
    expect(page.locator("h1")).to_have_text(course.page.title)
    action = page.locator(".course__action")
    expect(action.locator("progress")).to_have_attribute("value", "100")
    expect(action).to_contain_text(f"Hoàn thành ngày {completed_on}.")
    expect(action.get_by_role("link", name="Xem lại các bài học")).to_be_visible()
    assert_no_horizontal_scroll(page)

    header_link(page, MY_LEARNING).click()
    expect(page.locator("h1")).to_have_text("Học tập của tôi")
    expect(page.get_by_role("heading", name="Đang học")).to_have_count(0)
    done = page.locator("h2:text-is('Đã hoàn thành') + .card-list .card")
    expect(done).to_have_count(1)
    expect(done).to_contain_text(course.page.title)
    expect(done).to_contain_text(f"Hoàn thành ngày {completed_on}")
    assert_no_horizontal_scroll(page)
