"""The campaign-peak load test's world on the target database (bench/load/).

``loadtest_prepare`` makes, or finds, what the simulated users of
``bench/load/locustfile.py`` need, and returns the plan they read (accounts,
addresses, the quiz's answer key):

- a course of realistic lessons with a final quiz of one question per screen,
  whose pass earns a certificate (as on a site: issued at the submit, its PDF
  made by the task worker);
- learners, each with their own account; teachers, each with a class of some of
  the learners and a session going on now; officials over the province and
  over one of its communes; people who hold a certificate, whose QR and code
  the public looks up.

Everything is marked so that ``loadtest_remove`` takes away exactly it:
usernames ``loadtest-...``, the course's slug ``loadtest-...``, the
organisation's code ``LOADTEST-...``, the certificate template's name. Every
account gets the same fresh random password at each prepare, hashed once with
the site's own hasher: logging in still costs the site one real password check
each, which is part of the peak.

``loadtest_check`` compares what the simulated learners saw submitted with the
database: an attempt whose result page a learner saw must be there, finished
and scored (else it is lost), and the database must hold no more submitted
attempts than learners sent submits (else one was counted twice).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from bench.fixtures import lesson_body
from certificates.models import Certificate, CertificateTemplate
from certificates.services import certificate_issue, certificate_policy_set
from classes.models import (
    Attendance,
    ClassMembership,
    ClassMode,
    ClassSession,
    Organisation,
    TrainingClass,
)
from classes.services import class_create, class_member_add, session_create
from core.site_tree import ensure_site_tree
from courses.models import (
    CompletionRule,
    CoursePage,
    Enrolment,
    LessonPage,
)
from courses.services import catalogue_index
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
from regions.models import Region
from reports.services import report_counts_rebuild
from users.models import ConsentRecord, LearnerKind, RegionRole, User
from users.services import consent_record

USERNAME_PREFIX = "loadtest-"
COURSE_SLUG = "loadtest-dich-vu-cong"
ORGANISATION_CODE = "LOADTEST-1"
TEMPLATE_NAME = "Mẫu giấy chứng nhận (thử tải)"
CATEGORY_NAME = "Thử tải"
DEFAULT_PROVINCE = "33"  # Tỉnh Hưng Yên since July 2025, as the demo's
LESSONS = 3
# People whose certificates the simulated public looks up.
CERTIFICATE_HOLDERS = 20
# Accounts for ``users`` simulated users: as many learners (the scenario
# gives 80% of them that role), a tenth plus two teachers, a twentieth plus
# two officials (10% and 5%), so that no two simulated users share an account.
TEACHER_SHARE, OFFICIAL_SHARE = 10, 20
# The accounts' kinds, in the order their phones are numbered.
ROLES = ("hv", "gv", "cb", "cc")

# (kind, text, choices as (text, correct), or accepted answers)
QUESTIONS = [
    (
        QuestionType.SINGLE,
        "Cổng Dịch vụ công quốc gia có địa chỉ nào?",
        [
            ("dichvucong.gov.vn", True),
            ("dichvucong.com.vn", False),
            ("congdichvu.vn", False),
        ],
    ),
    (
        QuestionType.TRUE_FALSE,
        "Cán bộ một cửa có thể hỏi mã xác thực OTP của người dân qua điện thoại.",
        [("Đúng", False), ("Sai", True)],
    ),
    (
        QuestionType.MULTIPLE,
        "Những cách nào dùng được để thanh toán lệ phí trực tuyến?",
        [
            ("Ví điện tử hoặc ứng dụng ngân hàng", True),
            ("Thẻ ATM nội địa", True),
            ("Chuyển khoản vào tài khoản cá nhân của cán bộ", False),
        ],
    ),
    (
        QuestionType.SHORT_TEXT,
        "Ứng dụng định danh điện tử của Bộ Công an tên là gì?",
        ["VNeID"],
    ),
    (
        QuestionType.SINGLE,
        "Mã xác thực gửi về ứng dụng VNeID dùng được trong bao lâu?",
        [("Vài phút", True), ("Một ngày", False), ("Một tuần", False)],
    ),
    (
        QuestionType.TRUE_FALSE,
        "Có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ mà không cần đăng nhập.",
        [("Đúng", True), ("Sai", False)],
    ),
]


class LoadTestError(Exception):
    pass


@dataclass(frozen=True)
class Counts:
    learners: int
    teachers: int
    officials: int

    @classmethod
    def for_users(cls, users: int) -> Counts:
        return cls(
            learners=users,
            teachers=users // TEACHER_SHARE + 2,
            officials=users // OFFICIAL_SHARE + 2,
        )


def _units(province_code: str) -> tuple[Region, Region]:
    province = (
        Region.objects.current()
        .filter(level=Region.Level.PROVINCE, code=province_code)
        .first()
    )
    if province is None:
        raise LoadTestError(
            f"No current province with code {province_code}: load the "
            "administrative units first (manage.py load_regions)."
        )
    commune = (
        Region.objects.current()
        .subtree(province, include_self=False)
        .filter(level=Region.Level.COMMUNE)
        .order_by("path")
        .first()
    )
    if commune is None:
        raise LoadTestError(f"{province} has no commune loaded.")
    return province, commune


def _course() -> tuple[CoursePage, list[LessonPage], QuizPage]:
    """Return the load test's course, its lessons and its quiz, made if missing."""
    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        home = ensure_site_tree()
        index = catalogue_index(home)
        course = index.add_child(
            instance=CoursePage(
                title="Dùng dịch vụ công trực tuyến (thử tải)",
                slug=COURSE_SLUG,
                summary="Khóa học của bài thử tải: xóa bằng load_prepare --remove.",
                estimated_minutes=LESSONS * 8,
                completion_rule=CompletionRule.LESSONS_AND_QUIZ,
            )
        )
        for number in range(1, LESSONS + 1):
            title = f"Bài {number}: nộp hồ sơ trực tuyến"
            course.add_child(
                instance=LessonPage(
                    title=title,
                    slug=f"bai-{number}",
                    intro=f"Bài {number}, từng bước có hình minh họa.",
                    estimated_minutes=8,
                    body=lesson_body(
                        title=title,
                        lesson_number=number,
                        slug=f"{COURSE_SLUG}-bai-{number}",
                    ),
                )
            )
        course.add_child(instance=_quiz())
    lessons = list(course.lessons())
    quiz = QuizPage.objects.live().child_of(course).first()
    if quiz is None or len(lessons) != LESSONS:
        raise LoadTestError(
            f"The load test's course ({COURSE_SLUG}) is incomplete: remove it "
            "(load_prepare --remove) and prepare again."
        )
    template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if template is None:
        template = CertificateTemplate.objects.create(
            name=TEMPLATE_NAME,
            issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            body="Đã hoàn thành khóa học {course}.",
            place="Hưng Yên",
            signatory_name="Nguyễn Văn Thành",
            signatory_title="GIÁM ĐỐC",
        )
        certificate_policy_set(course=course, template=template)
    return course, lessons, quiz


def _quiz() -> QuizPage:
    category, _created = QuestionCategory.objects.get_or_create(
        name=CATEGORY_NAME, parent=None
    )
    quiz = QuizPage(
        title="Kiểm tra cuối khóa",
        slug="kiem-tra-cuoi-khoa",
        intro=f"{len(QUESTIONS)} câu hỏi; đạt từ 60% trở lên.",
        pass_mark=60,
        max_attempts=None,
        time_limit_minutes=30,
        layout=QuizLayout.ONE_PER_SCREEN,
    )
    for kind, text, options in QUESTIONS:
        question = Question(category=category, kind=kind, text=text)
        if kind == QuestionType.SHORT_TEXT:
            question.ignore_accents = True
            for answer in options:
                question.accepted_answers.add(AcceptedAnswer(text=answer))
        else:
            for choice_text, is_correct in options:
                question.choices.add(Choice(text=choice_text, is_correct=is_correct))
        question.save()
        quiz.quiz_questions.add(QuizQuestion(question=question))
    return quiz


def _answer_key(quiz: QuizPage) -> dict[str, dict]:
    """Return {question id: {"choices": [right choice ids]} or {"text": ...}}."""
    key = {}
    for item in quiz.quiz_questions.select_related("question"):
        question = item.question
        if question.kind == QuestionType.SHORT_TEXT:
            key[str(question.pk)] = {"text": question.accepted_answers.first().text}
        else:
            key[str(question.pk)] = {
                "choices": [c.pk for c in question.choices.all() if c.is_correct]
            }
    return key


def _phone(role: str, number: int) -> str:
    """The account's phone: 050 followed by seven digits, a block no network
    uses (people log in with their phone, as on the site)."""
    return f"+8450{ROLES.index(role)}{number:06d}"


def national(phone: str) -> str:
    """Return +84500000001 as people type it: 0500000001."""
    return "0" + phone.removeprefix("+84")


def _accounts(
    role: str, count: int, *, kind: str, region: Region, password: str
) -> list[User]:
    """Return count accounts named loadtest-<role>-NNNN, made if missing, all
    with the password's hash."""
    names = {
        f"{USERNAME_PREFIX}{role}-{n:04d}": _phone(role, n) for n in range(1, count + 1)
    }
    have = set(
        User.objects.filter(username__in=names).values_list("username", flat=True)
    )
    new = [
        User(
            username=name,
            phone=phone,
            full_name=f"Người thử tải {role} {name[-4:]}",
            kind=kind,
            home_region=region,
            password=password,
        )
        for name, phone in names.items()
        if name not in have
    ]
    taken = list(
        User.objects.filter(phone__in=[u.phone for u in new]).values_list(
            "phone", flat=True
        )
    )
    if taken:
        raise LoadTestError(
            f"Phones of the load test's block are someone else's: {taken[:5]}."
        )
    User.objects.bulk_create(new)
    made = User.objects.filter(username__in=[u.username for u in new])
    for user in made:
        # Agreed to the current text, as everyone who logs in has.
        consent_record(user=user)
    users = list(User.objects.filter(username__in=names).order_by("username"))
    for user in users:
        if user.phone is None:  # made by an earlier version, without one
            user.phone = names[user.username]
            user.save(update_fields=["phone"])
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=password)
    return users


def _organisation(commune: Region) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        code=ORGANISATION_CODE,
        defaults={
            "name": "Trường thử tải",
            "kind": Organisation.Kind.SCHOOL,
            "region": commune,
        },
    )
    return organisation


def _classes(*, teachers, learners, course, organisation, now: datetime) -> list[dict]:
    """Give each teacher a class of every n-th learner and a session going on
    now; return what the simulated teachers need."""
    plans = []
    for number, teacher in enumerate(teachers):
        training_class = TrainingClass.objects.filter(
            owner=teacher, organisation=organisation
        ).first()
        if training_class is None:
            training_class = class_create(
                owner=teacher,
                name=f"Lớp thử tải {number + 1}",
                organisation=organisation,
                courses=[course],
                starts_on=now.date() - timedelta(days=30),
                ends_on=now.date() + timedelta(days=60),
                mode=ClassMode.IN_PERSON,
                audience_kind=LearnerKind.STUDENT,
            )
        members = learners[number :: len(teachers)]
        have = set(training_class.memberships.values_list("user_id", flat=True))
        for learner in members:
            if learner.pk not in have:
                class_member_add(
                    training_class=training_class,
                    user=learner,
                    source=ClassMembership.Source.ROSTER,
                )
        session = training_class.sessions.filter(title="Buổi thử tải").first()
        if session is None:
            session = session_create(
                training_class=training_class,
                title="Buổi thử tải",
                starts_at=now - timedelta(minutes=10),
                ends_at=now + timedelta(hours=12),
            )
        else:
            # Going on at the time of every run.
            ClassSession.objects.filter(pk=session.pk).update(
                starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=12)
            )
        plans.append(
            {
                "username": teacher.username,
                "login": national(teacher.phone),
                "class": training_class.pk,
                "session": session.pk,
                "members": [learner.pk for learner in members],
            }
        )
    return plans


def _certificates(*, holders, course, now: datetime) -> list[dict]:
    """Issue each holder the course's certificate (once); return their tokens
    and codes."""
    found = []
    for holder in holders:
        certificate = Certificate.objects.filter(user=holder, course=course).first()
        if certificate is None:
            enrolment, _created = Enrolment.objects.get_or_create(
                user=holder, course=course
            )
            if enrolment.completed_at is None:
                enrolment.completed_at = now
                enrolment.save(update_fields=["completed_at"])
            certificate = certificate_issue(enrolment=enrolment, now=now)
        found.append({"token": certificate.token, "code": certificate.code})
    return found


def loadtest_prepare(*, users: int, province_code: str = DEFAULT_PROVINCE) -> dict:
    """Make or find the load test's world for ``users`` simulated users; return
    the plan the simulated users read (with the accounts' password)."""
    if users < 1:
        raise LoadTestError("Say how many simulated users: at least 1.")
    counts = Counts.for_users(users)
    province, commune = _units(province_code)
    now = timezone.now()
    password = secrets.token_urlsafe(18)
    hashed = make_password(password)
    with transaction.atomic():
        course, lessons, quiz = _course()
        learners = _accounts(
            "hv",
            counts.learners,
            kind=LearnerKind.STUDENT,
            region=commune,
            password=hashed,
        )
        teachers = _accounts(
            "gv",
            counts.teachers,
            kind=LearnerKind.TEACHER,
            region=commune,
            password=hashed,
        )
        officials = _accounts(
            "cb",
            counts.officials,
            kind=LearnerKind.OFFICIAL,
            region=commune,
            password=hashed,
        )
        holders = _accounts(
            "cc",
            CERTIFICATE_HOLDERS,
            kind=LearnerKind.CITIZEN,
            region=commune,
            password=hashed,
        )
        units = [province, commune]
        for number, official in enumerate(officials):
            RegionRole.objects.get_or_create(
                user=official, region=units[number % 2], role=RegionRole.Role.OFFICIAL
            )
        classes = _classes(
            teachers=teachers,
            learners=learners,
            course=course,
            organisation=_organisation(commune),
            now=now,
        )
        certificates = _certificates(holders=holders, course=course, now=now)
    return {
        "prepared_at": now.isoformat(),
        "password": password,
        "course": course.url,
        "lessons": [lesson.url for lesson in lessons],
        "quiz": quiz.url,
        "answers": _answer_key(quiz),
        "learners": [
            {"username": user.username, "login": national(user.phone)}
            for user in learners
        ],
        "teachers": classes,
        "officials": [
            {
                "username": user.username,
                "login": national(user.phone),
                "unit": units[number % 2].pk,
            }
            for number, user in enumerate(officials)
        ],
        "certificates": certificates,
    }


def loadtest_remove() -> dict[str, int]:
    """Delete everything loadtest_prepare made, and nothing else."""
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    removed = {}
    with transaction.atomic():
        organisations = Organisation.objects.filter(code=ORGANISATION_CODE)
        classes = TrainingClass.objects.filter(organisation__in=organisations)
        removed["attendance"] = Attendance.objects.filter(
            session__training_class__in=classes
        ).delete()[0]
        removed["classes"] = classes.delete()[0]
        removed["organisations"] = organisations.delete()[0]
        Certificate.objects.filter(user__in=users).update(renewal_of=None)
        removed["certificates"] = Certificate.objects.filter(user__in=users).delete()[0]
        removed["attempts"] = QuizAttempt.objects.filter(user__in=users).delete()[0]
        removed["enrolments"] = Enrolment.objects.filter(user__in=users).delete()[0]
        ConsentRecord.objects.filter(user__in=users).delete()
        removed["people"] = users.delete()[0]
        courses = list(CoursePage.objects.filter(slug=COURSE_SLUG))
        for course in courses:
            course.delete()
        removed["courses"] = len(courses)
        removed["questions"] = Question.objects.filter(
            category__name=CATEGORY_NAME
        ).delete()[0]
        QuestionCategory.objects.filter(name=CATEGORY_NAME).delete()
        CertificateTemplate.objects.filter(name=TEMPLATE_NAME).delete()
        # The lessons' screenshots, named after the course (bench.fixtures).
        removed["images"] = (
            get_image_model().objects.filter(file__contains=COURSE_SLUG).delete()[0]
        )
        # The reports' counts of what is gone.
        report_counts_rebuild()
    return removed


def loadtest_check(records: list[dict], *, since: datetime) -> dict:
    """Compare the learners' records of their attempts with the database.

    ``records``: one {"user", "attempt", "submit_sent", "result_seen", "score"}
    a started attempt. Lost: an attempt whose result page its learner saw that
    is not in the database finished and scored under that learner. Extra: the
    submitted attempts the load test's learners started since ``since`` beyond
    the submits they sent (one counted twice)."""
    seen = {r["attempt"]: r for r in records if r.get("result_seen")}
    sent = sum(1 for r in records if r.get("submit_sent"))
    rows = {
        row["pk"]: row
        for row in QuizAttempt.objects.filter(pk__in=list(seen)).values(
            "pk", "user__username", "state", "submitted_at", "score"
        )
    }
    lost = []
    for attempt, record in seen.items():
        row = rows.get(attempt)
        if (
            row is None
            or row["user__username"] != record["user"]
            or row["state"] != AttemptState.FINISHED
            or row["submitted_at"] is None
            or row["score"] is None
        ):
            lost.append(attempt)
    # Attempts of this run only: one left open by an earlier run is closed
    # when its learner starts again, and was not submitted by this run.
    submitted = QuizAttempt.objects.filter(
        user__username__startswith=USERNAME_PREFIX,
        started_at__gte=since,
        submitted_at__isnull=False,
    ).count()
    return {
        "attempts_started": len(records),
        "submits_sent": sent,
        "results_seen": len(seen),
        "submitted_in_db": submitted,
        "lost_attempts": len(lost),
        "lost_attempt_ids": sorted(lost)[:50],
        "extra_attempts": max(0, submitted - sent),
    }


def read_records(text: str) -> list[dict]:
    """Read the learners' records: one JSON object a line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]
