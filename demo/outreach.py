"""The demo's helped people (lượt hỗ trợ): pupils of class 9A who hold a valid
certificate help their parents file dossiers online, as in the ward where
students helped file 1,831 dossiers; the community team's members help
neighbours and citizens at the one-stop shop. Some are confirmed by the helped
person's link, one by the teacher, and one waits unconfirmed.

Everything goes through the outreach app's services, so only people who may
record do (a valid certificate, or a team's class), and a record is never dated
before its helper's first certificate. A second run adds nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from classes.models import ClassMembership, TrainingClass
from courses.models import CoursePage
from courses.services import lesson_progress_record
from outreach.eligibility import first_certificate_day, is_team_member, may_record
from outreach.loader import load_procedure_fields
from outreach.models import HelpAction, HelpRecord, HelpRelation, ProcedureField
from outreach.services import (
    help_record_confirm_by_link,
    help_record_create,
    help_record_review,
)
from quizzes.models import QuizAttempt
from quizzes.selectors import final_quiz
from quizzes.services import (
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from regions.models import Region
from users.models import User

from . import people
from .certificates import issue_earned
from .classes import SCHOOL_CLASS, TEAM_CLASS

# The pupils of 9A who finished the class's first course and passed its final
# quiz at school, so they hold its certificate and may record whom they help.
CERTIFIED_PUPILS = ["Nguyễn Văn An", "Phạm Thị Hồng Nhung", "Bùi Thị Lan Anh"]

# What a pupil does for their parents, day by day back from today: (days ago,
# action, procedure field code or "", confirmed by the parent's link).
PUPIL_HELP = [
    (0, HelpAction.DOSSIER, "ho-tich", True),
    (1, HelpAction.DOSSIER, "cu-tru", True),
    (2, HelpAction.FEE, "", False),
]
# What a team member does: (days ago, action, relation, confirmed).
TEAM_HELP = [
    (0, HelpAction.ACCOUNT, HelpRelation.NEIGHBOUR, True),
    (1, HelpAction.APP, HelpRelation.CITIZEN, True),
    (3, HelpAction.DOSSIER, HelpRelation.CITIZEN, False),
]


def _members(class_name: str) -> list[User]:
    klass = TrainingClass.objects.filter(name=class_name).first()
    if klass is None:
        return []
    ids = ClassMembership.objects.filter(training_class=klass).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))


def _day(helper: User, days_ago: int) -> datetime.date:
    """The day days_ago back, never before the helper's first certificate."""
    today = timezone.localdate()
    day = today - datetime.timedelta(days=days_ago)
    first = first_certificate_day(helper)
    return max(day, first) if first else day


def _record(helper, commune, days_ago, action, relation, field_code):
    field = (
        ProcedureField.objects.filter(code=field_code or "khac").first()
        if action == HelpAction.DOSSIER
        else None
    )
    return help_record_create(
        helper=helper,
        helped_on=_day(helper, days_ago),
        region=helper.home_region
        if helper.home_region and helper.home_region.level == Region.Level.COMMUNE
        else commune,
        action=action,
        relation=relation,
        procedure_field=field,
    )


def _right_answer(item: dict) -> dict | None:
    if item.get("correct"):
        return {"choice_ids": item["correct"]}
    if item.get("accepted"):
        return {"text": item["accepted"][0]}
    return None


def _finish_course(pupil: User, course: CoursePage, summary) -> None:
    """Finish the course's lessons and pass its final quiz, through the
    learner's services, unless already done."""
    for lesson in course.lessons():
        lesson_progress_record(user=pupil, lesson=lesson, course=course)
    quiz = final_quiz(course=course)
    if quiz is None or QuizAttempt.objects.filter(user=pupil, quiz=quiz).exists():
        return
    attempt = quiz_attempt_start(user=pupil, quiz=quiz)
    for item in attempt.snapshot["questions"]:
        answer = _right_answer(item)
        if answer is not None:
            quiz_answer_record(
                attempt=attempt, user=pupil, question_id=item["id"], **answer
            )
    quiz_attempt_submit(attempt=attempt, user=pupil)
    summary.add("quiz attempts")


def _certify_pupils(courses: dict[str, CoursePage], summary) -> None:
    course = courses.get(SCHOOL_CLASS.courses[0])
    if course is None:
        return
    for pupil in _members(SCHOOL_CLASS.name):
        if pupil.full_name in CERTIFIED_PUPILS and not may_record(pupil):
            _finish_course(pupil, course, summary)
    issue_earned(courses, summary)


def load_outreach(
    commune: Region, users: dict[str, User], courses: dict[str, CoursePage], summary
) -> None:
    """Load the procedure fields and the demo's helped people, once."""
    _certify_pupils(courses, summary)
    result = load_procedure_fields()
    if result.created:
        summary.add("procedure fields", result.created)
    pupils = [user for user in _members(SCHOOL_CLASS.name) if may_record(user)]
    team = [
        user
        for user in _members(TEAM_CLASS.name)
        if is_team_member(user) and may_record(user)
    ]
    helpers = pupils + [user for user in team if user not in pupils]
    if HelpRecord.objects.filter(helper__in=helpers).exists():
        return
    teacher = users[people.TEACHER.login]
    waiting = []
    for pupil in pupils:
        for days_ago, action, field_code, confirmed in PUPIL_HELP:
            record = _record(
                pupil, commune, days_ago, action, HelpRelation.PARENT, field_code
            )
            summary.add("helped people")
            if confirmed:
                help_record_confirm_by_link(token=record.confirm_token)
            else:
                waiting.append(record)
    for member in team:
        if member in pupils:
            continue
        for days_ago, action, relation, confirmed in TEAM_HELP:
            record = _record(member, commune, days_ago, action, relation, "khac")
            summary.add("helped people")
            if confirmed:
                help_record_confirm_by_link(token=record.confirm_token)
    # The teacher confirms one pupil's record after asking the parent; the
    # others wait for the parent.
    if waiting:
        help_record_review(record=waiting[0], reviewer=teacher, confirm=True)
