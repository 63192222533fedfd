"""load_prepare: the campaign-peak load test's data, its lost-attempt count and
its removal (bench/load/)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from certificates.models import Certificate
from classes.models import ClassSession, TrainingClass
from courses.models import CoursePage, Enrolment
from demo.loadtest import (
    CERTIFICATE_HOLDERS,
    loadtest_check,
    loadtest_prepare,
    loadtest_remove,
)
from quizzes.models import AttemptState, QuizAttempt, QuizPage
from quizzes.services import quiz_answer_record, quiz_attempt_start, quiz_attempt_submit
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole, User
from users.phone import normalise_phone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_lessons(monkeypatch):
    """Lessons without bench.fixtures' screenshots, which take seconds each."""
    monkeypatch.setattr(
        "demo.loadtest.lesson_body",
        lambda **kwargs: json.dumps(
            [{"type": "paragraph", "value": "<p>Bước 1.</p>", "id": "p1"}]
        ),
    )


@pytest.fixture
def province():
    province = ProvinceFactory(code="33", name="Tỉnh Hưng Yên")
    CommuneFactory(parent=province)
    return province


@pytest.fixture
def plan(province):
    return loadtest_prepare(users=10)


def _submitted_attempt(account, plan, *, right=True):
    user = User.objects.get(username=account["username"])
    quiz = QuizPage.objects.get(url_path__endswith="/kiem-tra-cuoi-khoa/")
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    for question, key in plan["answers"].items():
        answer = (
            {"text": key["text"]} if "text" in key else {"choice_ids": key["choices"]}
        )
        if right:
            quiz_answer_record(
                attempt=attempt, user=user, question_id=int(question), **answer
            )
    quiz_attempt_submit(attempt=attempt, user=user)
    return attempt


def _record(attempt, *, seen=True):
    return {
        "user": attempt.user.username,
        "attempt": attempt.pk,
        "submit_sent": True,
        "result_seen": seen,
    }


def test_prepare_makes_an_account_for_every_simulated_user(plan, province):
    """Ten simulated users get ten learner accounts, three teachers with a
    class and a session going on now, two officials (the province and a
    commune) and certificates for the public to verify."""
    assert len(plan["learners"]) == 10
    assert len(plan["teachers"]) == 3
    assert len(plan["officials"]) == 2
    assert len(plan["certificates"]) == CERTIFICATE_HOLDERS
    assert {o["unit"] for o in plan["officials"]} == {
        province.pk,
        province.children.get().pk,
    }
    assert (
        RegionRole.objects.filter(user__username__startswith="loadtest-cb-").count()
        == 2
    )
    members = sorted(m for t in plan["teachers"] for m in t["members"])
    assert members == sorted(
        User.objects.filter(
            username__in=[a["username"] for a in plan["learners"]]
        ).values_list("pk", flat=True)
    )
    now = timezone.now()
    for teacher in plan["teachers"]:
        session = ClassSession.objects.get(pk=teacher["session"])
        assert session.starts_at < now < session.ends_at
        assert session.training_class.owner.username == teacher["username"]
    assert len(plan["answers"]) == 6
    assert plan["lessons"] and plan["quiz"].startswith(plan["course"])


def test_the_plans_password_logs_in(plan):
    """Every account logs in with the plan's password."""
    for account in (plan["learners"][0], plan["officials"][0]):
        user = User.objects.get(phone=normalise_phone(account["login"]))
        assert user.username == account["username"]
        assert user.check_password(plan["password"]) is True


def test_prepare_again_adds_nothing_and_changes_the_password(plan):
    """A second prepare finds everything; only the new password works."""
    counts = (
        User.objects.count(),
        TrainingClass.objects.count(),
        Certificate.objects.count(),
    )
    again = loadtest_prepare(users=10)
    assert (
        User.objects.count(),
        TrainingClass.objects.count(),
        Certificate.objects.count(),
    ) == counts
    assert CoursePage.objects.filter(slug="loadtest-dich-vu-cong").count() == 1
    assert again["password"] != plan["password"]
    learner = User.objects.get(username=plan["learners"][0]["username"])
    assert learner.check_password(plan["password"]) is False
    assert learner.check_password(again["password"]) is True


def test_check_counts_no_loss_when_every_seen_result_is_there(plan):
    """Submitted attempts whose results the learners saw are neither lost nor
    counted twice."""
    since = timezone.now()
    attempts = [_submitted_attempt(u, plan) for u in plan["learners"][:3]]
    found = loadtest_check([_record(a) for a in attempts], since=since)
    assert found["lost_attempts"] == 0
    assert found["extra_attempts"] == 0
    assert found["results_seen"] == found["submitted_in_db"] == 3
    assert all(
        a.state == AttemptState.FINISHED and a.score is not None
        for a in QuizAttempt.objects.filter(pk__in=[a.pk for a in attempts])
    )


def test_check_counts_a_seen_result_missing_from_the_database_as_lost(plan):
    """An attempt whose result a learner saw but which is still in progress,
    or is another learner's, is lost."""
    since = timezone.now()
    user = User.objects.get(username=plan["learners"][0]["username"])
    quiz = QuizPage.objects.get(url_path__endswith="/kiem-tra-cuoi-khoa/")
    open_attempt = quiz_attempt_start(user=user, quiz=quiz)
    other = _submitted_attempt(plan["learners"][1], plan, right=False)
    records = [
        _record(open_attempt),
        {**_record(other), "user": plan["learners"][2]["username"]},
    ]
    found = loadtest_check(records, since=since)
    assert found["lost_attempts"] == 2
    assert found["lost_attempt_ids"] == sorted([open_attempt.pk, other.pk])


def test_check_counts_attempts_beyond_the_submits_sent_as_counted_twice(plan):
    """The database holding more submitted attempts than learners sent submits
    is a double count."""
    since = timezone.now()
    attempts = [_submitted_attempt(u, plan) for u in plan["learners"][:2]]
    found = loadtest_check([_record(attempts[0])], since=since)
    assert found["lost_attempts"] == 0
    assert found["extra_attempts"] == 1


def test_remove_takes_away_the_load_tests_data_and_nothing_else(plan, province):
    """--remove deletes the accounts, classes, course, attempts and
    certificates the load test made; other people stay."""
    someone = User.objects.create_user(username="nguoi-that", password="x")
    _submitted_attempt(plan["learners"][0], plan)
    loadtest_remove()
    assert not User.objects.filter(username__startswith="loadtest-").exists()
    assert not CoursePage.objects.filter(slug="loadtest-dich-vu-cong").exists()
    assert not TrainingClass.objects.exists()
    assert not Certificate.objects.exists()
    assert not Enrolment.objects.exists()
    assert not QuizAttempt.objects.exists()
    assert User.objects.filter(pk=someone.pk).exists()
    # And it can be prepared again from nothing.
    assert len(loadtest_prepare(users=2)["learners"]) == 2


def test_command_writes_the_plan_and_checks_a_records_file(province, tmp_path):
    """load_prepare --out - prints the plan as JSON; --check reads the
    learners' records and prints the counts."""
    out = StringIO()
    call_command(
        "load_prepare", "--users", "3", "--out", "-", stdout=out, stderr=StringIO()
    )
    plan = json.loads(out.getvalue())
    attempt = _submitted_attempt(plan["learners"][0], plan)
    records = tmp_path / "attempts.jsonl"
    records.write_text(json.dumps(_record(attempt)) + "\n")
    out = StringIO()
    call_command(
        "load_prepare",
        "--check",
        str(records),
        "--since",
        plan["prepared_at"],
        stdout=out,
    )
    found = json.loads(out.getvalue())
    assert (found["results_seen"], found["lost_attempts"]) == (1, 0)


def test_command_says_when_the_units_are_missing():
    """Without the administrative units, prepare says what to load first."""
    with pytest.raises(CommandError, match="load_regions"):
        call_command("load_prepare", "--users", "3", stdout=StringIO())
