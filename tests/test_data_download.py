"""“Tải dữ liệu của tôi”: a learner downloads everything the platform holds about
them, as JSON and as an Excel workbook, and nothing about anyone else; deleting
the account then erases what they wrote."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from certificates.tests.factories import CertificateFactory
from classes.models import Attendance, ClassMembership
from classes.tests.factories import (
    ClassSessionFactory,
    OrganisationFactory,
    TrainingClassFactory,
)
from core.testing import vi
from quizzes.models import AnswerLog, QuestionType
from quizzes.services import quiz_answer_record, quiz_attempt_start
from users.models import AccountEvent
from users.services import user_erase

from .content import build_course, build_final_quiz, build_learner

pytestmark = pytest.mark.django_db

PASSWORD = "hoc-tap-so-2025"
SECTIONS = {
    "profile",
    "consents",
    "unit_roles",
    "account_events",
    "signed_in_sessions",
    "access_tokens",
    "enrolments",
    "lesson_progress",
    "lesson_feedback",
    "quiz_attempts",
    "quiz_answers",
    "class_memberships",
    "attendance",
    "class_invitations",
    "certificates",
    "merit_certificates",
}


@pytest.fixture
def learner_world(site_home, place):
    course = build_course(home=site_home, lesson_count=2)
    quiz = build_final_quiz(course=course)
    learner = build_learner(
        place=place,
        phone="0912 345 678",
        password=PASSWORD,
        lessons_done=course.lessons[:1],
        full_name="Trần Văn Minh",
    )
    learner.date_of_birth = datetime.date(2008, 9, 2)
    learner.save()
    other = build_learner(
        place=place, phone="0987 654 321", password=PASSWORD, full_name="Lê Thị Khác"
    )
    attempt = quiz_attempt_start(user=learner, quiz=quiz)
    short = next(
        item
        for item in attempt.snapshot["questions"]
        if item["kind"] == QuestionType.SHORT_TEXT
    )
    quiz_answer_record(
        attempt=attempt, user=learner, question_id=short["id"], text="Thủ đô Hà Nội"
    )
    klass = TrainingClassFactory(
        name="Lớp DVCTT xã Đông Hưng",
        organisation=OrganisationFactory(region=place.commune),
        region=place.commune,
        courses=[course.page],
    )
    for person in (learner, other):
        ClassMembership.objects.create(
            training_class=klass, user=person, source=ClassMembership.Source.ROSTER
        )
    session = ClassSessionFactory(training_class=klass)
    Attendance.objects.create(
        session=session, user=learner, status="present", source="teacher"
    )
    CertificateFactory(user=learner, course=course.page, region=place.commune)
    CertificateFactory(user=other, course=course.page, region=place.commune)
    return learner, other


def test_the_json_holds_every_section_of_the_learner_only(client, learner_world):
    learner, other = learner_world
    client.force_login(learner)

    response = client.get(reverse("users:data_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert set(data) == SECTIONS
    assert data["profile"][0]["full_name"] == "Trần Văn Minh"
    assert data["profile"][0]["phone"] == "0912 345 678"
    assert data["profile"][0]["date_of_birth"] == "2008-09-02"
    assert [c["text_version"] for c in data["consents"]] == ["2026-01-01"]
    assert len(data["enrolments"]) == 1
    assert len(data["lesson_progress"]) == 1
    assert len(data["quiz_attempts"]) == 1
    [answer] = data["quiz_answers"]
    assert answer["text"] == "Thủ đô Hà Nội"
    # The attempt is not finished: whether the answer is right is not given.
    assert answer["correct"] is None
    assert [m["training_class"] for m in data["class_memberships"]] == [
        "Lớp DVCTT xã Đông Hưng"
    ]
    assert len(data["attendance"]) == 1
    assert len(data["certificates"]) == 1
    assert data["certificates"][0]["learner_name"] == "Trần Văn Minh"
    assert "Lê Thị Khác" not in response.content.decode()
    assert AccountEvent.objects.filter(
        subject=learner, kind=AccountEvent.Kind.DATA_DOWNLOADED, detail="json"
    ).exists()


def test_the_workbook_has_a_sheet_per_section_headed_in_vietnamese(
    client, learner_world
):
    learner, _other = learner_world
    client.force_login(learner)

    response = client.get(reverse("users:data_xlsx"))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == len(SECTIONS)
    profile = workbook.worksheets[0]
    headers = [cell.value for cell in profile[1]]
    assert workbook.sheetnames[0] == vi("Profile")
    assert headers[0] == vi("Full name")
    born = dict(zip(headers, profile[2], strict=False))[vi("Date of birth")]
    assert born.value.date() == datetime.date(2008, 9, 2)
    assert born.number_format == "dd/mm/yyyy"


def test_only_the_person_downloads_their_data(client):
    for url in (reverse("users:data_json"), reverse("users:data_xlsx")):
        assert client.get(url)["Location"].startswith(reverse("users:login"))


def test_deleting_the_account_erases_what_the_learner_wrote(client, learner_world):
    learner, other = learner_world

    user_erase(user=learner, reason="self")

    answer = AnswerLog.objects.get(attempt__user=learner)
    assert answer.text == ""
    data_left = {
        "memberships": ClassMembership.objects.filter(user=learner).count(),
        "attendance": Attendance.objects.filter(user=learner).count(),
    }
    assert data_left == {"memberships": 1, "attendance": 1}
    assert timezone.now() >= learner.certificates.get().withdrawn_at
    assert other.certificates.get().withdrawn_at is None
