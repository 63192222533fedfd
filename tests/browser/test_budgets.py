"""The budgets of issue 17 on the pages people use logged in, on a phone.

For each of “Học tập của tôi”, a quiz question, a quiz result, the teacher's
attendance page and the coverage dashboard: axe-core finds no violation, and
Lighthouse's mobile audit scores accessibility 100. Lighthouse's performance
score is recorded beside them (see tests/browser/budgets.py). The lesson page
weighs under 60 KB gzipped before images.
"""

import pytest

from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateTemplateFactory
from quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.browser.budgets import (
    axe_violations,
    cookie_header,
    kb_gzip_before_images,
    lighthouse,
    record,
)
from tests.browser.phone import log_in
from tests.browser.test_report_flow import build_province
from tests.content import build_learner
from users.models import LearnerKind, RegionRole

PASSWORD = "hoc-dvc-2025"
LEARNER, STUDENT, OFFICIAL = "0987 654 400", "0987 654 401", "0987 654 402"
# The class build_province makes is run by this teacher.
TEACHER, TEACHER_PASSWORD = "0912 000 111", "x-day-hoc-2025"
LESSON_KB_GZ = 60


@pytest.fixture
def world(site_home, quiz_course, place):
    """A learner with a failed quiz, a student in the middle of one, the class
    and session of build_province's teacher, and an official of the province."""
    course, quiz = quiz_course, quiz_course.quiz
    certificate_policy_set(course=course.page, template=CertificateTemplateFactory())
    training_class = build_province(place, course)
    learner = build_learner(
        place=place, phone=LEARNER, password=PASSWORD, lessons_done=course.lessons
    )
    finished = quiz_attempt_submit(
        attempt=quiz_attempt_start(user=learner, quiz=quiz), user=learner
    )
    student = build_learner(
        place=place,
        phone=STUDENT,
        password=PASSWORD,
        lessons_done=course.lessons,
        kind=LearnerKind.STUDENT,
    )
    ongoing = quiz_attempt_start(user=student, quiz=quiz)
    official = build_learner(
        place=place, phone=OFFICIAL, password=PASSWORD, kind=LearnerKind.OFFICIAL
    )
    RegionRole.objects.create(user=official, region=place.province)
    return {
        "course": course,
        "result": f"{quiz.url}attempt/{finished.pk}/result/",
        "question": f"{quiz.url}attempt/{ongoing.pk}/",
        "attendance": f"/lop-hoc/buoi-hoc/{training_class.sessions.get().pk}/",
        "dashboard": f"/bao-cao/don-vi/{place.province.pk}/",
    }


@pytest.mark.browser
def test_logged_in_pages_pass_axe_and_lighthouse_accessibility(
    new_phone, live_server, world
):
    """Each of the five pages, opened by the person it is for: no axe-core
    violation and Lighthouse accessibility 100, with the performance score and
    its metrics recorded."""
    pages = [
        ("Học tập của tôi", LEARNER, PASSWORD, "/hoc-tap-cua-toi/"),
        ("Kết quả bài kiểm tra", LEARNER, PASSWORD, world["result"]),
        ("Câu hỏi bài kiểm tra", STUDENT, PASSWORD, world["question"]),
        ("Điểm danh (giáo viên)", TEACHER, TEACHER_PASSWORD, world["attendance"]),
        ("Bảng theo dõi (cán bộ)", OFFICIAL, PASSWORD, world["dashboard"]),
    ]
    problems = []
    for name, phone, password, path in pages:
        context = new_phone()
        page = context.new_page()
        log_in(page, phone, password, path)
        violations = axe_violations(page)
        scores = lighthouse(live_server.url + path, cookie_header(context))
        record(name, path, axe=len(violations), **scores)
        problems += [f"{path} axe: {line}" for line in violations]
        if scores["accessibility"] != 100:
            problems.append(
                f"{path} Lighthouse accessibility {scores['accessibility']}: "
                + "; ".join(scores["accessibility_failed"])
            )
    assert problems == []


@pytest.mark.browser
def test_the_lesson_page_weighs_under_60_kb_gzipped_before_images(new_phone, world):
    """A learner's lesson page, with its style sheets, scripts and fonts, is
    under 60 KB once gzipped, images left out; axe-core finds nothing on it."""
    lesson = world["course"].lessons[0]
    page = new_phone().new_page()
    log_in(page, LEARNER, PASSWORD, lesson.url)
    kb = kb_gzip_before_images(page, lesson.url)
    record("Bài học", lesson.url, kb_gz=round(kb, 1), axe=len(axe_violations(page)))
    assert kb < LESSON_KB_GZ
    assert axe_violations(page) == []
