"""Small worlds for the issuing rule's tests: a course with a certificate, a learner
who completed it, a class with sessions and attendance."""

import datetime

from django.utils import timezone

from classes.models import Attendance, AttendanceStatus, ClassMembership
from classes.tests.factories import ClassSessionFactory, TrainingClassFactory
from core.site_tree import ensure_site_tree
from courses.models import CourseIndexPage, Enrolment
from courses.services import lesson_progress_record
from courses.tests.factories import CourseIndexPageFactory, course_with_lessons
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.tests.factories import UserFactory

from ..services import certificate_policy_set
from .factories import CertificateTemplateFactory


def catalogue():
    index = CourseIndexPage.objects.first()
    return index or CourseIndexPageFactory(parent=ensure_site_tree())


def certified_course(
    *,
    lessons: int = 2,
    template=True,
    min_attendance=None,
    valid_months=None,
    hours=None,
    **fields,
):
    """Return a course of ``lessons`` lessons giving a certificate (unless told),
    with the rule's attendance, validity and hours; ``fields`` are the page's."""
    if template is True:
        template = CertificateTemplateFactory(
            body="Đã hoàn thành khóa học “{course}” ({hours} giờ) tại {unit}."
        )
    course = course_with_lessons(
        parent=catalogue(),
        lessons=lessons,
        title="Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công",
        **fields,
    )
    if template:
        certificate_policy_set(
            course=course,
            template=template,
            min_attendance=min_attendance,
            valid_months=valid_months,
            hours=hours,
        )
    return course


def place():
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    return CommuneFactory(parent=province, name="Xã Đông Hưng")


def learner(**fields):
    fields.setdefault("full_name", "Nguyễn Thị Lan")
    fields.setdefault("date_of_birth", datetime.date(1990, 5, 17))
    fields.setdefault("phone", "+84912345678")
    if "home_region" not in fields:
        fields["home_region"] = place()
    return UserFactory(**fields)


def complete(user, course) -> Enrolment:
    """Mark every lesson of the course done for the user; return the enrolment."""
    for lesson in course.lessons():
        lesson_progress_record(user=user, lesson=lesson, course=course)
    return Enrolment.objects.get(user=user, course=course)


def class_with_sessions(*, course, users, held: int, future: int = 0, **fields):
    """Return a class teaching the course with the users on its roll, ``held``
    sessions already started and ``future`` ones to come."""
    training_class = TrainingClassFactory(courses=[course], **fields)
    for user in users:
        ClassMembership.objects.create(
            training_class=training_class,
            user=user,
            source=ClassMembership.Source.TEACHER,
        )
    now = timezone.now()
    for number in range(held):
        ClassSessionFactory(
            training_class=training_class,
            starts_at=now - datetime.timedelta(days=held - number),
        )
    for number in range(future):
        ClassSessionFactory(
            training_class=training_class,
            starts_at=now + datetime.timedelta(days=number + 1),
        )
    return training_class


def attend(user, training_class, count: int, status=AttendanceStatus.PRESENT):
    """Record the user at the first ``count`` held sessions of the class, directly
    (not through the service, so no certificate is issued on the way)."""
    sessions = training_class.sessions.filter(starts_at__lte=timezone.now())
    for session in sessions.order_by("starts_at")[:count]:
        Attendance.objects.update_or_create(
            session=session,
            user=user,
            defaults={"status": status, "source": Attendance.Source.TEACHER},
        )
