"""A person's own data, downloaded: every app's records of them, in JSON and in
XLSX, and nothing of anyone else's, though both learners sit in classes of the
same course, answer the same quiz and hold certificates of it."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from classes.models import AttendanceStatus, ClassMembership
from classes.services import class_person_add, session_attendance_mark
from classes.tests.factories import ClassSessionFactory
from courses.services import lesson_progress_record
from courses.tests.factories import LessonPageFactory
from quizzes.services import (
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from quizzes.tests.factories import question_create, quiz_create
from users import personal_data

pytestmark = pytest.mark.django_db


def _learn(world, commune, answer_right: bool):
    """The learner's whole journey: the course's lesson (which earns its
    certificate), the quiz, a class session."""
    learner = commune.learner
    lesson_progress_record(user=learner, lesson=world.lesson, course=world.course)
    attempt = quiz_attempt_start(user=learner, quiz=world.quiz)
    choice = world.question.choices.get(is_correct=answer_right)
    quiz_answer_record(
        attempt=attempt,
        user=learner,
        question_id=world.question.pk,
        choice_ids=[choice.pk],
    )
    quiz_attempt_submit(attempt=attempt, user=learner)
    session = ClassSessionFactory(training_class=commune.training_class)
    session_attendance_mark(
        session=session,
        user=learner,
        status=AttendanceStatus.PRESENT,
        actor=commune.teacher,
    )


@pytest.fixture
def journeys(world):
    world.lesson = LessonPageFactory(parent=world.course, title="Mở VNeID")
    world.question = question_create(
        text="Ứng dụng nào dùng để định danh điện tử?",
        choices=[("VNeID", True), ("Zalo", False)],
    )
    world.quiz = quiz_create(course=world.course, questions=[world.question])
    _learn(world, world.a, answer_right=False)
    _learn(world, world.b, answer_right=True)
    # Class A's teacher adds B's learner by phone: an invitation, not a membership.
    class_person_add(
        training_class=world.a.training_class,
        user=world.b.learner,
        source=ClassMembership.Source.TEACHER,
        invited_by=world.a.teacher,
    )
    return world


def test_the_download_holds_every_app_s_records_and_only_the_person_s(client, journeys):
    world = journeys
    me, other = world.b.learner, world.a.learner
    client.force_login(me)

    data = json.loads(client.get(reverse("users:data_json")).content)

    assert data["profile"][0]["full_name"] == me.full_name
    assert [row["course"] for row in data["enrolments"]] == [world.course.title]
    assert [row["lesson"] for row in data["lesson_progress"]] == [world.lesson.title]
    assert len(data["quiz_attempts"]) == 1
    assert len(data["quiz_answers"]) == 1
    assert "VNeID" in json.dumps(data["quiz_answers"], ensure_ascii=False)
    assert len(data["attendance"]) == 1
    assert [row["code"] for row in data["certificates"]] == [me.certificates.get().code]
    classes = [row["training_class"] for row in data["class_memberships"]]
    assert classes == [world.b.training_class.name]
    invitations = [row["training_class"] for row in data["class_invitations"]]
    assert invitations == [world.a.training_class.name]
    assert data["consents"]
    # Nothing of the other learner, who did all the same in the sibling commune.
    text = json.dumps(data, ensure_ascii=False)
    assert other.full_name not in text
    assert other.email not in text
    assert other.phone_display not in text
    mine = other.certificates.get()
    assert mine.code not in text


def test_the_spreadsheet_has_a_sheet_per_section_with_the_same_rows(client, journeys):
    me = journeys.b.learner
    client.force_login(me)
    data = json.loads(client.get(reverse("users:data_json")).content)

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("users:data_xlsx")).content), read_only=True
    )

    sheets = {sheet.title: sheet for sheet in workbook.worksheets}
    for section in personal_data.sections():
        sheet = sheets[str(section.title)[:31]]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [str(header) for _key, header in section.columns]
        expected = len(data[section.name])
        # The data-download event of the JSON above is one more history row.
        if section.name == "account_events":
            expected += 1
        assert len(rows) - 1 == expected, section.name
