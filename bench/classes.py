"""Classes as teachers run them (the classes issue's budgets): importing a school's
roster of 1,000 learners, and the class page with every learner's progress.

The benchmark database holds Vietnam's current administrative units (34
provinces, 3,321 communes, loaded by ``regions.loader`` from the installed
vietnam-provinces package), so a roster's commune names are matched against the
real tree: first within the class's province, then, for a name not found there,
by the search over every commune.
"""

import datetime
import io
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from classes.models import (
    AttendanceStatus,
    ClassMembership,
    ClassMode,
    Organisation,
    TrainingClass,
)
from classes.services import (
    class_create,
    class_member_add,
    roster_import_apply,
    roster_import_preview,
    session_attendance_mark,
    session_create,
)
from core.site_tree import ensure_site_tree
from core.text import fold
from courses.models import CoursePage, LessonPage
from courses.services import catalogue_index, lesson_progress_record
from quizzes.services import (
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from regions.loader import load_current_regions
from regions.models import Region
from users.models import LearnerKind, User
from users.services import consent_record, light_user_create

from .fixtures import learner
from .measure import captured_queries, format_queries, get_ok
from .quizzes import _answer, quiz_world
from .registry import Context, metric

PROVINCE_NAME = "Tỉnh Hưng Yên"
ROSTER_ROWS = 1000
# Timed imports (the median is reported) after one untimed warm-up import.
ROSTER_RUNS = 3
CLASS_SIZE = 40
TEACHER_GROUP = "Giáo viên"

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE_NAMES = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"]
GIVEN_NAMES = [
    "Lan",
    "Bình",
    "Châu",
    "Hà",
    "Em",
    "Giang",
    "Hải",
    "Hương",
    "Khánh",
    "Linh",
    "Nam",
    "Phúc",
    "Quyên",
    "Sơn",
    "Trang",
    "Tuấn",
    "Yến",
]
GROUPS = ["10A1", "10A2", "10A3", "11B1", "11B2", "12C1"]
MOBILE_PREFIXES = ["091", "098", "097", "086", "035", "039", "070", "083"]


# Shared data --------------------------------------------------------------------


@cache
def regions_loaded() -> Region:
    """Load the current administrative units once; return the roster's province."""
    started = time.perf_counter()
    load_current_regions()
    province = Region.objects.current().get(
        level=Region.Level.PROVINCE, name=PROVINCE_NAME
    )
    communes = Region.objects.current().filter(
        level=Region.Level.COMMUNE, path__startswith=province.path + "."
    )
    print(
        f"  loaded {Region.objects.count()} administrative units in "
        f"{time.perf_counter() - started:.1f} s; {province.name} has "
        f"{communes.count()} communes",
        file=sys.stderr,
    )
    return province


def _province_communes(province: Region) -> list[Region]:
    """The province's communes whose name, folded and without "Xã"/"Phường", is
    theirs alone in the province: a roster naming one is a match, not a choice."""
    communes = list(
        Region.objects.current()
        .filter(level=Region.Level.COMMUNE, path__startswith=province.path + ".")
        .order_by("code")
    )
    stripped = Counter(_bare(fold(c.name)) for c in communes)
    return [c for c in communes if stripped[_bare(fold(c.name))] == 1]


def _bare(folded: str) -> str:
    for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _teacher(username: str, full_name: str) -> User:
    user = User.objects.create_user(
        username=username,
        password="mat-khau-bench-2025",
        full_name=full_name,
        kind=LearnerKind.TEACHER,
        email=f"{username}@example.org",
    )
    user.groups.add(Group.objects.get(name=TEACHER_GROUP))
    consent_record(user=user)
    return user


@cache
def school() -> Organisation:
    province = regions_loaded()
    commune = _province_communes(province)[0]
    return Organisation.objects.create(
        name=f"Trường THPT {commune.name.split(' ', 1)[-1]}",
        kind=Organisation.Kind.SCHOOL,
        region=commune,
    )


@cache
def skills_course() -> CoursePage:
    """A second course of the classes: five short lessons, no quiz."""
    home = ensure_site_tree()
    index = catalogue_index(home)
    course = index.add_child(
        instance=CoursePage(
            title="Kỹ năng số cơ bản",
            slug="ky-nang-so-co-ban",
            summary="Dùng điện thoại an toàn: mật khẩu, mã OTP, tin nhắn lừa đảo.",
            estimated_minutes=40,
        )
    )
    for number in range(1, 6):
        course.add_child(
            instance=LessonPage(
                title=f"Kỹ năng {number}", slug=f"ky-nang-{number}", estimated_minutes=8
            )
        )
    return course


def _person(number: int) -> str:
    return (
        f"{FAMILY_NAMES[number % len(FAMILY_NAMES)]} "
        f"{MIDDLE_NAMES[(number // 3) % len(MIDDLE_NAMES)]} "
        f"{GIVEN_NAMES[(number // 7) % len(GIVEN_NAMES)]}"
    )


# Roster import ------------------------------------------------------------------


def _commune_spelling(commune: Region, number: int) -> str:
    """The commune as teachers type it: official, without "Xã", without accents,
    in capitals."""
    bare = commune.name.split(" ", 1)[1] if " " in commune.name else commune.name
    if commune.name.startswith("Thị trấn "):
        bare = commune.name.removeprefix("Thị trấn ")
    return [
        commune.name,
        bare,
        fold(commune.name),
        fold(bare),
        commune.name.upper(),
    ][number % 5]


def roster_xlsx(*, batch: int, communes: list[Region]) -> bytes:
    """Return a school's roster of ROSTER_ROWS learners as Excel writes it: a
    title row, Vietnamese headers, phones typed every which way, dates of birth
    as date cells or typed text, class labels, commune names with and without
    accents. Every batch has its own phones and emails."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(["DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG KỸ NĂNG SỐ"])
    sheet.append(
        ["STT", "Họ và tên", "Số điện thoại", "Ngày sinh", "Lớp", "Xã/Phường", "Email"]
    )
    for n in range(1, ROSTER_ROWS + 1):
        prefix = MOBILE_PREFIXES[n % len(MOBILE_PREFIXES)]
        digits = f"{prefix}{batch:02d}{n:05d}"
        phone = [
            f"{digits[:4]} {digits[4:7]} {digits[7:]}",
            f"{digits[:4]}.{digits[4:7]}.{digits[7:]}",
            digits,
            f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}",
        ][n % 4]
        if n % 20 == 0:
            phone = ""  # Pupils without a phone of their own.
        born = datetime.date(2008 + n % 3, 1 + n % 12, 1 + n % 28)
        if n % 10 == 3:
            born = ""
        elif n % 3 == 0:
            born = born.strftime("%d/%m/%Y")  # Typed as text.
        email = f"hocvien.{batch}.{n}@example.edu.vn" if n % 8 == 0 else ""
        commune = communes[n % len(communes)]
        sheet.append(
            [
                n,
                _person(n + batch),
                phone,
                born,
                GROUPS[n % len(GROUPS)],
                _commune_spelling(commune, n),
                email,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class RosterWorld:
    teacher: User
    files: tuple


@cache
def roster_world() -> RosterWorld:
    province = regions_loaded()
    communes = _province_communes(province)[:60]
    teacher = _teacher("bench-co-giao-danh-sach", "Cô Nguyễn Thị Mai")
    files = tuple(
        roster_xlsx(batch=batch, communes=communes)
        for batch in range(1, ROSTER_RUNS + 2)
    )
    return RosterWorld(teacher=teacher, files=files)


def _fresh_class(teacher: User, number: int) -> TrainingClass:
    return class_create(
        owner=teacher,
        name=f"Lớp kỹ năng số khối 10 – đợt {number}",
        organisation=school(),
        courses=[quiz_world().course, skills_course()],
        # Dates around today: the sessions, relative to now, fall within.
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
        ends_on=timezone.localdate() + datetime.timedelta(days=100),
        mode=ClassMode.IN_PERSON,
        audience_kind=LearnerKind.CITIZEN,
    )


@metric("roster_import_1000_s", under=5, unit="s")
def roster_import_1000_s(ctx: Context) -> float:
    """Time the preview and the apply of a 1,000-row XLSX roster, each run into a
    new class with phones nobody has yet, so that apply creates the people."""
    world = roster_world()
    size_kb = len(world.files[0]) / 1000
    ctx.log(f"  roster: {ROSTER_ROWS} rows, {size_kb:.0f} kB XLSX")
    totals, previews, applies = [], [], []
    for number, data in enumerate(world.files):
        training_class = _fresh_class(world.teacher, number)
        upload = SimpleUploadedFile("danh-sach-hoc-vien.xlsx", data)
        start = time.perf_counter()
        roster_import = roster_import_preview(
            training_class=training_class, upload=upload, actor=world.teacher
        )
        checked = time.perf_counter()
        result = roster_import_apply(roster_import=roster_import, actor=world.teacher)
        done = time.perf_counter()
        statuses = Counter(row["status"] for row in roster_import.rows)
        if statuses != {"new": ROSTER_ROWS}:
            errors = [r for r in roster_import.rows if r["status"] == "error"][:3]
            raise AssertionError(f"Preview found {dict(statuses)}; {errors}")
        members = training_class.memberships.count()
        if result.created != ROSTER_ROWS or members != ROSTER_ROWS:
            raise AssertionError(
                f"Apply created {result.created} people and the class has "
                f"{members} members, not {ROSTER_ROWS}."
            )
        label = "warm-up" if number == 0 else f"run {number}"
        ctx.log(
            f"  {label}: preview {checked - start:.2f} s + apply "
            f"{done - checked:.2f} s = {done - start:.2f} s"
        )
        if number:
            totals.append(done - start)
            previews.append(checked - start)
            applies.append(done - checked)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    ctx.log(
        f"  median preview {statistics.median(previews):.2f} s, apply "
        f"{statistics.median(applies):.2f} s; load average {load} on "
        f"{os.cpu_count()} CPUs"
    )
    if ctx.explain_queries:
        _explain_roster(ctx, world)
    return round(statistics.median(totals), 2)


def _explain_roster(ctx: Context, world: RosterWorld) -> None:
    """Count the SQL of one more import, preview and apply apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = roster_xlsx(batch=90, communes=_province_communes(regions_loaded())[:60])
    training_class = _fresh_class(world.teacher, 90)
    upload = SimpleUploadedFile("danh-sach-hoc-vien.xlsx", data)
    with CaptureQueriesContext(connection) as preview:
        roster_import = roster_import_preview(
            training_class=training_class, upload=upload, actor=world.teacher
        )
    with CaptureQueriesContext(connection) as apply:
        roster_import_apply(roster_import=roster_import, actor=world.teacher)
    for name, captured in (("preview", preview), ("apply", apply)):
        queries = captured.captured_queries
        ctx.log(f"SQL of the roster {name}, {len(queries)} queries:")
        ctx.log(format_queries([{**q, "sql": q["sql"][:300]} for q in queries]))


# Class progress page ------------------------------------------------------------


@dataclass(frozen=True)
class ProgressWorld:
    client: Client
    url: str
    training_class: TrainingClass


def _take_quiz(user: User, quiz, *, wrong: set) -> None:
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    for position, item in enumerate(attempt.snapshot["questions"], 1):
        quiz_answer_record(
            attempt=attempt,
            user=user,
            question_id=item["id"],
            **_answer(item, right=position not in wrong),
        )
    quiz_attempt_submit(attempt=attempt, user=user)


def _add_learner(training_class, number: int, *, lessons, skills, quiz, sessions):
    """Add a learner with some lessons done, quiz attempts and attendance."""
    if number % 2:
        user = light_user_create(
            full_name=_person(number),
            phone=f"+849{number:08d}",
            kind=LearnerKind.CITIZEN,
        )
    else:
        user = learner(username=f"bench-lop-hoc-vien-{number}")
        user.full_name = _person(number)
        user.save(update_fields=["full_name"])
    class_member_add(
        training_class=training_class,
        user=user,
        source=ClassMembership.Source.ROSTER,
        group_label=GROUPS[number % 2],
    )
    quiz_course, skills_course_ = quiz.get_course(), skills[0].get_parent()
    for lesson in lessons[: number % (len(lessons) + 1)]:
        lesson_progress_record(user=user, lesson=lesson, course=quiz_course)
    for lesson in skills[: number % (len(skills) + 1)]:
        lesson_progress_record(user=user, lesson=lesson, course=skills_course_)
    if number % 3:
        _take_quiz(user, quiz, wrong={1, 2, 3, 4} if number % 2 else {3})
        if number % 5 == 0:
            _take_quiz(user, quiz, wrong={3})
    statuses = [
        AttendanceStatus.PRESENT,
        AttendanceStatus.PRESENT,
        AttendanceStatus.LATE,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    ]
    for index, session in enumerate(sessions):
        if session.starts_at <= timezone.now() and (number + index) % 7:
            session_attendance_mark(
                session=session,
                user=user,
                status=statuses[(number + index) % len(statuses)],
                actor=training_class.owner,
            )
    return user


@cache
def progress_world() -> ProgressWorld:
    """A class of CLASS_SIZE learners on two courses (one with a final quiz), six
    sessions of which four are held; the teacher logged in."""
    world = quiz_world()
    teacher = _teacher("bench-co-giao-tien-do", "Cô Trần Thu Hằng")
    training_class = class_create(
        owner=teacher,
        name="Lớp 10A – Dịch vụ công trực tuyến",
        organisation=school(),
        courses=[world.course, skills_course()],
        # Dates around today: the sessions, relative to now, fall within.
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
        ends_on=timezone.localdate() + datetime.timedelta(days=100),
        mode=ClassMode.MIXED,
        audience_kind=LearnerKind.CITIZEN,
    )
    now = timezone.now()
    sessions = [
        session_create(
            training_class=training_class,
            title=f"Buổi {number + 1}",
            # Four held (the last six days ago), two to come.
            starts_at=now + datetime.timedelta(days=7 * (number - 4) + 1),
            ends_at=now + datetime.timedelta(days=7 * (number - 4) + 1, hours=2),
            place="Phòng máy tầng 2",
        )
        for number in range(6)
    ]
    skills = list(LessonPage.objects.child_of(skills_course()).order_by("path"))
    for number in range(1, CLASS_SIZE + 1):
        _add_learner(
            training_class,
            number,
            lessons=list(world.lessons),
            skills=skills,
            quiz=world.quiz,
            sessions=sessions,
        )
    client = Client()
    client.force_login(teacher)
    url = reverse("classes:detail", args=[training_class.pk])
    html = get_ok(client, url).content.decode()
    rows = html.count('<th scope="row">')
    if rows != CLASS_SIZE:
        raise AssertionError(f"GET {url} shows {rows} learners, not {CLASS_SIZE}.")
    return ProgressWorld(client=client, url=url, training_class=training_class)


@metric("class_progress_page_queries", at_most=15, unit="queries")
def class_progress_page_queries(ctx: Context) -> float:
    """Count the SQL of the teacher's warm GET of the class page of 40 learners
    with lessons done, quiz attempts and attendance; then check that one learner
    more adds no query."""
    world = progress_world()
    queries = captured_queries(lambda: get_ok(world.client, world.url))
    if ctx.explain_queries:
        ctx.log(f"SQL of GET {world.url} (warm), {len(queries)} queries:")
        ctx.log(format_queries(queries))
    quiz = quiz_world()
    sessions = list(world.training_class.sessions.order_by("starts_at"))
    skills = list(LessonPage.objects.child_of(skills_course()).order_by("path"))
    _add_learner(
        world.training_class,
        CLASS_SIZE + 1,
        lessons=list(quiz.lessons),
        skills=skills,
        quiz=quiz.quiz,
        sessions=sessions,
    )
    more = captured_queries(lambda: get_ok(world.client, world.url))
    ctx.log(
        f"  {len(queries)} queries for {CLASS_SIZE} learners, {len(more)} for "
        f"{CLASS_SIZE + 1}"
    )
    if len(more) != len(queries):
        ctx.log("  one learner more costs queries: the page queries per learner.")
        ctx.log(format_queries(more))
    return len(queries)
