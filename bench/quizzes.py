"""A quiz, as learners on phones take it: the attempt's question screen and the
final submit (the quiz issue's budgets).

The quiz is a course's final quiz of 10 questions of mixed types (single choice,
multiple answers, true or false, short text, one with a screenshot), laid out one
question per screen, with a time limit; its course completes when the lessons are
done and the quiz is passed, so a passing submit also completes the enrolment.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.test import Client

from core.site_tree import ensure_site_tree
from courses.models import CompletionRule, CoursePage, LessonPage
from courses.services import catalogue_index, enrolment_create, lesson_progress_record
from quizzes.models import (
    AcceptedAnswer,
    AttemptState,
    Choice,
    Question,
    QuestionCategory,
    QuestionType,
    QuizAttempt,
    QuizLayout,
    QuizPage,
    QuizQuestion,
)
from quizzes.services import quiz_answer_record, quiz_attempt_start

from .fixtures import learner, wagtail_image
from .measure import captured_queries, format_queries, get_ok, median_ms
from .registry import Context, metric

# The submit's warm-up runs of median_ms; each run uses up one prepared attempt.
SUBMIT_WARMUP = 3
# The attempt page shows this question (1-based) with the ones before it answered.
MID_POSITION = 5

# (kind, text, choices as (text, correct) or accepted answers, with a screenshot)
QUESTIONS = [
    (
        QuestionType.SINGLE,
        "Cổng Dịch vụ công quốc gia có địa chỉ nào?",
        [
            ("dichvucong.gov.vn", True),
            ("dichvucong.com.vn", False),
            ("congdichvu.vn", False),
            ("dvc.gov.com", False),
        ],
        False,
    ),
    (
        QuestionType.TRUE_FALSE,
        "Cán bộ một cửa có thể hỏi mã xác thực OTP của người dân qua điện thoại.",
        [("Đúng", False), ("Sai", True)],
        False,
    ),
    (
        QuestionType.MULTIPLE,
        "Những giấy tờ nào cần chuẩn bị trước khi nộp hồ sơ đăng ký khai sinh "
        "trực tuyến?",
        [
            ("Giấy chứng sinh", True),
            ("Căn cước công dân của cha hoặc mẹ", True),
            ("Sổ hộ khẩu giấy", False),
            ("Giấy khám sức khỏe", False),
        ],
        False,
    ),
    (
        QuestionType.SHORT_TEXT,
        "Ứng dụng định danh điện tử của Bộ Công an tên là gì?",
        ["VNeID"],
        False,
    ),
    (
        QuestionType.SINGLE,
        "Trên màn hình này, bạn bấm vào đâu để đăng nhập bằng tài khoản định "
        "danh điện tử?",
        [
            ("Nút “Đăng nhập” ở góc trên bên phải", True),
            ("Ô tìm kiếm thủ tục", False),
            ("Biểu tượng loa ở cuối trang", False),
            ("Nút “Tiếp tục” ở giữa trang", False),
        ],
        True,
    ),
    (
        QuestionType.MULTIPLE,
        "Những cách nào dùng được để thanh toán lệ phí trực tuyến?",
        [
            ("Ví điện tử hoặc ứng dụng ngân hàng", True),
            ("Thẻ ATM nội địa", True),
            ("Gửi tiền mặt qua bưu điện cho cán bộ", False),
            ("Chuyển khoản vào tài khoản cá nhân của cán bộ", False),
            ("Quét mã QR trên trang thanh toán", True),
        ],
        False,
    ),
    (
        QuestionType.TRUE_FALSE,
        "Có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ mà không cần đăng nhập.",
        [("Đúng", True), ("Sai", False)],
        False,
    ),
    (
        QuestionType.SHORT_TEXT,
        "Thủ tục đăng ký cho trẻ mới sinh gọi là đăng ký gì?",
        ["khai sinh", "đăng ký khai sinh"],
        False,
    ),
    (
        QuestionType.SINGLE,
        "Mã xác thực gửi về ứng dụng VNeID dùng được trong bao lâu?",
        [
            ("Vài phút", True),
            ("Một ngày", False),
            ("Một tuần", False),
            ("Không giới hạn", False),
        ],
        False,
    ),
    (
        QuestionType.MULTIPLE,
        "Khi người dân gặp lỗi lúc nộp hồ sơ, họ có thể hỏi ai?",
        [
            ("Tổ công nghệ số cộng đồng ở thôn, tổ dân phố", True),
            ("Bộ phận một cửa của xã, phường", True),
            ("Người lạ nhắn tin tự xưng là cán bộ", False),
            ("Tổng đài hỗ trợ của Cổng Dịch vụ công", True),
        ],
        False,
    ),
]


def _question(*, category, kind, text, options, with_image, number) -> Question:
    question = Question(
        category=category,
        kind=kind,
        text=text,
        explanation=f"Giải thích câu {number}: xem lại bài hướng dẫn tương ứng.",
        ignore_accents=kind == QuestionType.SHORT_TEXT,
        image=(
            wagtail_image(title=f"Câu {number}", number=number, slug=f"cau-{number}")
            if with_image
            else None
        ),
    )
    if kind == QuestionType.SHORT_TEXT:
        for answer in options:
            question.accepted_answers.add(AcceptedAnswer(text=answer))
    else:
        for choice_text, is_correct in options:
            question.choices.add(
                Choice(
                    text=choice_text,
                    is_correct=is_correct,
                    feedback="Đúng rồi." if is_correct else "Chưa đúng.",
                )
            )
    question.save()
    return question


def _answer(item: dict, *, right: bool) -> dict:
    """Return the service arguments of an answer to a snapshot item, right or
    wrong."""
    if item["kind"] == QuestionType.SHORT_TEXT:
        # In lower case, as learners type on a phone.
        return {"text": item["accepted"][0].lower() if right else "không biết"}
    if right:
        return {"choice_ids": item["correct"]}
    wrong = [pk for pk in item["choices"] if pk not in item["correct"]]
    return {"choice_ids": wrong[:1]}


@dataclass(frozen=True)
class QuizWorld:
    course: CoursePage
    quiz: QuizPage
    lessons: tuple


@cache
def quiz_world() -> QuizWorld:
    """Build a course of 3 lessons whose final quiz has the 10 questions."""
    home = ensure_site_tree()
    index = catalogue_index(home)
    course = index.add_child(
        instance=CoursePage(
            title="Nộp hồ sơ trực tuyến cho người dân",
            slug="nop-ho-so-truc-tuyen",
            summary="Hướng dẫn người dân nộp hồ sơ trên Cổng Dịch vụ công quốc gia.",
            estimated_minutes=30,
            completion_rule=CompletionRule.LESSONS_AND_QUIZ,
        )
    )
    lessons = tuple(
        course.add_child(
            instance=LessonPage(
                title=f"Bài {number}", slug=f"bai-{number}", estimated_minutes=8
            )
        )
        for number in range(1, 4)
    )
    category = QuestionCategory.objects.create(name="Dịch vụ công trực tuyến")
    questions = [
        _question(
            category=category,
            kind=kind,
            text=text,
            options=options,
            with_image=with_image,
            number=number,
        )
        for number, (kind, text, options, with_image) in enumerate(QUESTIONS, 1)
    ]
    quiz = QuizPage(
        title="Kiểm tra cuối khóa",
        slug="kiem-tra-cuoi-khoa",
        intro="10 câu hỏi; đạt từ 80% trở lên.",
        pass_mark=80,
        max_attempts=3,
        time_limit_minutes=30,
        layout=QuizLayout.ONE_PER_SCREEN,
    )
    for question in questions:
        quiz.quiz_questions.add(QuizQuestion(question=question))
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    quiz = QuizPage.objects.get(pk=quiz.pk)
    return QuizWorld(course=course, quiz=quiz, lessons=lessons)


def _learner_in_attempt(username: str, *, answered: int, wrong=()) -> tuple:
    """Return a new learner who finished the lessons and answered the first
    questions of an attempt at the quiz, and the attempt."""
    world = quiz_world()
    user = learner(username=username)
    enrolment_create(user=user, course=world.course)
    for lesson in world.lessons:
        lesson_progress_record(user=user, lesson=lesson, course=world.course)
    attempt = quiz_attempt_start(user=user, quiz=world.quiz)
    for position, item in enumerate(attempt.snapshot["questions"][:answered], 1):
        quiz_answer_record(
            attempt=attempt,
            user=user,
            question_id=item["id"],
            **_answer(item, right=position not in wrong),
        )
    return user, attempt


def _session_of(client: Client, user) -> str:
    """Log the user in on a session of their own; return its cookie's value."""
    # Without a cookie, force_login starts a new session rather than flushing the
    # previous learner's.
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _url(quiz: QuizPage, name: str, attempt: QuizAttempt) -> str:
    return quiz.url + quiz.reverse_subpage(name, args=[attempt.pk])


@metric("quiz_attempt_page_queries", at_most=12, unit="queries")
def quiz_attempt_page_queries(ctx: Context) -> float:
    """Count the SQL of a warm GET of a question screen in the middle of an
    attempt: the question at MID_POSITION, the ones before it answered."""
    world = quiz_world()
    user, attempt = _learner_in_attempt(
        "bench-quiz-dang-lam", answered=MID_POSITION - 1
    )
    client = Client()
    client.force_login(user)
    url = f"{_url(world.quiz, 'attempt', attempt)}?q={MID_POSITION}"
    html = get_ok(client, url).content.decode()
    if 'type="hidden" name="shown"' not in html:
        raise AssertionError(f"GET {url} shows no question.")
    queries = captured_queries(lambda: get_ok(client, url))
    if ctx.explain_queries:
        ctx.log(f"SQL of GET {url} (warm), {len(queries)} queries:")
        ctx.log(format_queries(queries))
    return len(queries)


@metric("quiz_submit_ms_p50", under=50, unit="ms")
def quiz_submit_ms_p50(ctx: Context) -> float:
    """Time the POST that submits an attempt whose 10 answers are saved (9 right,
    1 wrong: a pass, which completes the course), each run a new learner's."""
    world = quiz_world()
    ctx.log(f"  preparing {SUBMIT_WARMUP + ctx.runs} attempts of 10 answers...")
    # One client, as one server process: a new Client would load the middleware
    # (and WhiteNoise scan the static files) on its first request. Each run sends
    # the cookie of its learner's session.
    client = Client()
    prepared = []
    for number in range(SUBMIT_WARMUP + ctx.runs):
        user, attempt = _learner_in_attempt(
            f"bench-quiz-nop-{number}", answered=len(QUESTIONS), wrong={3}
        )
        prepared.append((_session_of(client, user), attempt))
    pending = iter(prepared)

    def submit():
        session, attempt = next(pending)
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        url = _url(world.quiz, "submit", attempt)
        response = client.post(url)
        if response.status_code != 302 or not response["Location"].endswith(
            _url(world.quiz, "result", attempt)
        ):
            raise AssertionError(
                f"POST {url} answered {response.status_code}, not a redirect to "
                f"the result: {response.content[:300]!r}"
            )

    result = median_ms(submit, runs=ctx.runs, warmup=SUBMIT_WARMUP, log=ctx.log)
    # Every submit scored its attempt as a pass and completed the course.
    ids = [attempt.pk for _session, attempt in prepared]
    finished = QuizAttempt.objects.filter(
        pk__in=ids, state=AttemptState.FINISHED, passed=True, score=90
    ).count()
    completed = world.course.enrolments.filter(
        user__quiz_attempts__pk__in=ids, completed_at__isnull=False
    ).count()
    if finished != len(ids) or completed != len(ids):
        raise AssertionError(
            f"Of {len(ids)} submits, {finished} attempts passed at 90% and "
            f"{completed} enrolments completed."
        )
    if ctx.explain_queries:
        user, attempt = _learner_in_attempt(
            "bench-quiz-nop-giai-thich", answered=len(QUESTIONS), wrong={3}
        )
        _session_of(client, user)
        url = _url(world.quiz, "submit", attempt)
        queries = captured_queries(lambda: client.post(url), warmup=0)
        ctx.log(f"SQL of POST {url}, {len(queries)} queries:")
        ctx.log(format_queries(queries))
    return round(result, 2)
