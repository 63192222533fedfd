"""An attendance tap (the reorganisation issue's budget): the teacher marks a
learner present at a class session on the class page, and that attendance
earns the learner the certificate of a course they had completed (its rule asks
for half of the class's sessions).

Counted: every SQL query of the teacher's HTMX POST, the work the other apps do
after it commits included (the benchmark runs outside any test transaction, so
``transaction.on_commit`` callbacks run as in production). Background work is
queued as on a site (bench/settings.py): the reports' counts are refreshed by a
worker after the tap, and that refresh is measured on its own.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from itertools import count

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection

from certificates.models import Certificate
from certificates.services import certificate_policy_set
from classes.models import ClassMembership, ClassMode, ClassSession, TrainingClass
from classes.services import class_create, class_member_add, session_create
from core.site_tree import ensure_site_tree
from courses.models import CoursePage, LessonPage
from courses.services import catalogue_index, lesson_progress_record
from users.models import LearnerKind, User

from .classes import _teacher, school
from .fixtures import learner
from .measure import captured_queries, format_queries
from .registry import Context, metric


class _Summary:
    def add(self, *_):
        pass


@dataclass
class TapWorld:
    client: Client
    training_class: TrainingClass
    session: ClassSession
    course: CoursePage
    lessons: list


def _course() -> CoursePage:
    """A course of two lessons whose certificate asks for half the sessions."""
    from demo.certificates import demo_template

    home = ensure_site_tree()
    index = catalogue_index(home)
    template = demo_template(Collection.get_first_root_node(), _Summary())
    course = index.add_child(
        instance=CoursePage(
            title="Nộp hồ sơ trực tuyến cùng lớp",
            slug="nop-ho-so-cung-lop",
            summary="Học ở lớp, làm theo trên điện thoại.",
            estimated_minutes=60,
        )
    )
    certificate_policy_set(course=course, template=template, min_attendance=50)
    for number in (1, 2):
        course.add_child(
            instance=LessonPage(title=f"Bước {number}", slug=f"buoc-{number}")
        )
    return course


@cache
def tap_world() -> TapWorld:
    teacher = _teacher("bench-diem-danh", "Trần Thị Hà")
    course = _course()
    training_class = class_create(
        owner=teacher,
        name="Lớp Tổ công nghệ số cộng đồng – điểm danh",
        organisation=school(),
        courses=[course],
        # Dates around today: the sessions, relative to now, fall within.
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
        ends_on=timezone.localdate() + datetime.timedelta(days=100),
        mode=ClassMode.IN_PERSON,
        audience_kind=LearnerKind.VOLUNTEER,
    )
    now = timezone.now()
    sessions = [
        session_create(
            training_class=training_class,
            title=f"Buổi {number}",
            starts_at=now - datetime.timedelta(days=8 - number),
            ends_at=now - datetime.timedelta(days=8 - number, hours=-2),
            place="Nhà văn hóa thôn",
        )
        for number in (1, 2)
    ]
    client = Client()
    client.force_login(teacher)
    return TapWorld(
        client=client,
        training_class=training_class,
        session=sessions[0],
        course=course,
        lessons=list(LessonPage.objects.child_of(course).order_by("path")),
    )


_numbers = count(1)


def _completed_learner(world: TapWorld) -> User:
    """A member of the class who did every lesson and attended nothing yet."""
    user = learner(username=f"bench-diem-danh-{next(_numbers)}")
    class_member_add(
        training_class=world.training_class,
        user=user,
        source=ClassMembership.Source.ROSTER,
    )
    for lesson in world.lessons:
        lesson_progress_record(user=user, lesson=lesson, course=world.course)
    return user


@metric("attendance_tap_queries", at_most=15, unit="queries")
def attendance_tap_queries(ctx: Context) -> float:
    """Count the SQL of one tap that marks a learner present and so issues their
    certificate (a fresh learner each tap; the first tap warms up)."""
    world = tap_world()
    taps = []

    def tap():
        user = _completed_learner(world)
        taps.append(user)
        url = reverse("classes:attendance_mark", args=[world.session.pk, user.pk])
        return lambda: world.client.post(
            url, {"status": "present"}, HTTP_HX_REQUEST="true"
        )

    prepared = [tap(), tap()]
    calls = iter(prepared)
    queries = captured_queries(lambda: next(calls)())
    issued = Certificate.objects.filter(user__in=taps, course=world.course).count()
    if issued != len(taps):
        raise AssertionError(
            f"{len(taps)} taps issued {issued} certificates: the tap must earn one."
        )
    if ctx.explain_queries:
        ctx.log(f"SQL of one attendance tap, {len(queries)} queries:")
        ctx.log(format_queries(queries))
    return len(queries)


@metric("report_refresh_queries", at_most=15, unit="queries")
def report_refresh_queries(ctx: Context) -> float:
    """Count the SQL of the reports' refresh a worker runs after one tap that
    issued a certificate (its participations and certificate spans)."""
    from django_tasks_db.models import DBTaskResult

    from reports.services import Changes, report_counts_refresh
    from reports.tasks import report_counts_refresh_task

    world = tap_world()
    user = _completed_learner(world)
    DBTaskResult.objects.all().delete()
    world.client.post(
        reverse("classes:attendance_mark", args=[world.session.pk, user.pk]),
        {"status": "present"},
        HTTP_HX_REQUEST="true",
    )
    changes = Changes()
    for row in DBTaskResult.objects.filter(
        task_path=report_counts_refresh_task.module_path
    ):
        for name, values in vars(Changes.from_json(row.args_kwargs["args"][0])).items():
            getattr(changes, name).update(values)
    if user.pk not in changes.certificate_people & changes.attendance_people:
        raise AssertionError("The tap queued no refresh of the learner's counts.")
    queries = captured_queries(lambda: report_counts_refresh(changes))
    if ctx.explain_queries:
        ctx.log(f"SQL of the reports' refresh after a tap, {len(queries)} queries:")
        ctx.log(format_queries(queries))
    return len(queries)
