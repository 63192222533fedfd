"""Factories and a small hand-counted world for the coverage reports.

``build_world()`` makes one province with two communes (A, B), a pre-reform
province > district > commune that rolls up into it (the old commune into A),
two courses, and the certificates, enrolments and attendance listed in its
docstring, whose figures the tests count by hand.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from certificates.selectors import course_policy
from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateFactory, CertificateTemplateFactory
from classes.models import Attendance, AttendanceStatus, ClassMembership
from classes.tests.factories import (
    ClassSessionFactory,
    OrganisationFactory,
    TrainingClassFactory,
)
from core.site_tree import ensure_site_tree
from courses.models import CourseIndexPage, Enrolment
from courses.services import enrolment_create
from courses.tests.factories import CourseIndexPageFactory, CoursePageFactory
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from reports.models import Target
from reports.services import enrolment_day_keys, enrolment_days_refresh
from users.models import LearnerKind
from users.tests.factories import UserFactory

TZ = datetime.timezone(datetime.timedelta(hours=7))
START = datetime.date(2026, 9, 1)
END = datetime.date(2026, 11, 30)


def at(day: str, hour: int = 9) -> datetime.datetime:
    """Return 9:00 (Vietnam) on a day written "2026-09-10"."""
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=TZ
    )


def catalogue():
    found = CourseIndexPage.objects.first()
    return found or CourseIndexPageFactory(parent=ensure_site_tree())


def course(title: str, template=None):
    page = CoursePageFactory(parent=catalogue(), title=title)
    certificate_policy_set(
        course=page, template=template or CertificateTemplateFactory()
    )
    return page


def certificate(*, user, course, region, issued: str, **kwargs):
    """Return a certificate of user for course, made in region on that day."""
    issued_at = at(issued) if isinstance(issued, str) else issued
    return CertificateFactory(
        user=user,
        course=course,
        template=course_policy(course).template,
        region=region,
        completed_at=issued_at,
        issued_at=issued_at,
        learner_kind=kwargs.pop("learner_kind", user.kind),
        **kwargs,
    )


def enrolment(*, user, course, enrolled: str, completed: str | None = None):
    row = enrolment_create(user=user, course=course)
    today = enrolment_day_keys([row])
    # Back-dated: counted again on its day in the reports' enrolments by day.
    Enrolment.objects.filter(pk=row.pk).update(
        enrolled_at=at(enrolled), completed_at=at(completed) if completed else None
    )
    row.refresh_from_db()
    enrolment_days_refresh(keys=today | enrolment_day_keys([row]))
    return row


def attend(session, user, status=AttendanceStatus.PRESENT):
    ClassMembership.objects.get_or_create(
        training_class=session.training_class,
        user=user,
        defaults={"source": ClassMembership.Source.TEACHER},
    )
    return Attendance.objects.create(
        session=session,
        user=user,
        status=status,
        source="teacher",
        learner_kind=user.kind,
    )


def build_world() -> SimpleNamespace:
    """Build the hand-counted world, period 01/09/2026–30/11/2026.

    Certificates (C1, C2 the courses; all valid unless said):
      u1 volunteer, A:  C1 10/09, and C1 again 05/10      -> trained once, in A
      u2 student,   B:  C1 20/09, revoked 01/10           -> revoked, not trained
      u3 citizen,   B:  C2 15/09, expired 01/11           -> not trained
      u4 volunteer, old commune (now A): C1 12/09         -> trained, in A
      u5 official,  the province itself: C2 10/10         -> trained, direct
      u6 volunteer, A:  C1 01/08 (before the period)      -> nothing
      u7 citizen,   A:  C1 05/09; B: C2 20/10             -> trained once, in B
    Totals: trained 4 (A 2, B 1, direct 1); issued 8 (A 4, B 3, direct 1);
    revoked 1 (B). By course: C1 3 (u1, u4, u7), C2 2 (u5, u7).

    Enrolments (by the home region at enrolment): u1 (A) C1 02/09 completed
    09/09; u2 (B) C1 03/09, not completed; u6 (A) C1 01/07 (before): enrolled 2
    (A 1, B 1), completed 1, in progress 1.

    Attendance: class K in A, sessions 05/09 and 12/09; class K2 in B, session
    01/10. u1 present and late in K; u2 absent in K; u7 present in K (05/09) and
    K2: participations 4 (A 3, B 1); participants 2 (u1 in A, u7 in B, where
    they attended last).
    """
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    a = CommuneFactory(parent=province, name="Xã An Bình")
    b = CommuneFactory(parent=province, name="Phường Bạch Đằng")
    old_province = ProvinceFactory(name="Tỉnh Thái Bình", legacy=True)
    old_province.replaced_by = province
    old_province.save()
    old_district = DistrictFactory(
        parent=old_province, name="Huyện Đông Hưng", replaced_by=province
    )
    old_commune = CommuneFactory(
        parent=old_district, name="Xã Đông Các", replaced_by=a, successors=[a]
    )
    c1 = course("Nộp hồ sơ trực tuyến")
    c2 = course("Thanh toán trực tuyến")

    def person(kind, home):
        return UserFactory(kind=kind, home_region=home)

    u1 = person(LearnerKind.VOLUNTEER, a)
    u2 = person(LearnerKind.STUDENT, b)
    u3 = person(LearnerKind.CITIZEN, b)
    u4 = person(LearnerKind.VOLUNTEER, a)
    u5 = person(LearnerKind.OFFICIAL, a)
    u6 = person(LearnerKind.VOLUNTEER, a)
    u7 = person(LearnerKind.CITIZEN, a)

    certificate(user=u1, course=c1, region=a, issued="2026-09-10")
    certificate(user=u1, course=c1, region=a, issued="2026-10-05")
    certificate(
        user=u2,
        course=c1,
        region=b,
        issued="2026-09-20",
        revoked_at=at("2026-10-01"),
        revoked_reason="Cấp nhầm",
    )
    certificate(
        user=u3, course=c2, region=b, issued="2026-09-15", expires_at=at("2026-11-01")
    )
    certificate(user=u4, course=c1, region=old_commune, issued="2026-09-12")
    certificate(user=u5, course=c2, region=province, issued="2026-10-10")
    certificate(user=u6, course=c1, region=a, issued="2026-08-01")
    certificate(user=u7, course=c1, region=a, issued="2026-09-05")
    certificate(user=u7, course=c2, region=b, issued="2026-10-20")

    enrolment(user=u1, course=c1, enrolled="2026-09-02", completed="2026-09-09")
    enrolment(user=u2, course=c1, enrolled="2026-09-03")
    enrolment(user=u6, course=c1, enrolled="2026-07-01")

    k = TrainingClassFactory(
        name="Lớp DVCTT xã An Bình",
        organisation=OrganisationFactory(region=a),
        courses=[c1],
    )
    k2 = TrainingClassFactory(
        name="Lớp DVCTT phường Bạch Đằng",
        organisation=OrganisationFactory(region=b),
        courses=[c2],
    )
    s1 = ClassSessionFactory(
        training_class=k, starts_at=at("2026-09-05"), ends_at=at("2026-09-05", 11)
    )
    s2 = ClassSessionFactory(
        training_class=k, starts_at=at("2026-09-12"), ends_at=at("2026-09-12", 11)
    )
    s3 = ClassSessionFactory(
        training_class=k2, starts_at=at("2026-10-01"), ends_at=at("2026-10-01", 11)
    )
    attend(s1, u1)
    attend(s2, u1, AttendanceStatus.LATE)
    attend(s1, u2, AttendanceStatus.ABSENT)
    attend(s1, u7)
    attend(s3, u7)

    return SimpleNamespace(
        province=province,
        a=a,
        b=b,
        old_province=old_province,
        old_district=old_district,
        old_commune=old_commune,
        c1=c1,
        c2=c2,
        users=[u1, u2, u3, u4, u5, u6, u7],
        k=k,
        k2=k2,
    )


def target(region, people, *, due="2026-12-31", kind="all", course=None):
    return Target.objects.create(
        region=region,
        people=people,
        due_on=datetime.date.fromisoformat(due),
        kind=kind,
        course=course,
    )


def help_record(helper, region, day: str, action="account", **kwargs):
    """Return a helped-person record of helper in region on that day, announced
    as outreach's services announce theirs (so the reports count it)."""
    from outreach.models import HelpRecord
    from outreach.signals import help_records_changed

    record = HelpRecord.objects.create(
        helper=helper,
        helper_kind=helper.kind,
        helped_on=datetime.date.fromisoformat(day),
        region=region,
        region_path=region.path,
        action=action,
        relation="parent",
        **kwargs,
    )
    help_records_changed.send(sender=HelpRecord, records=[record])
    return record


def outcome(region, start: str, received, online, *, period="week", **counts):
    from reports.models import OutcomeFigure

    return OutcomeFigure.objects.create(
        region=region,
        period=period,
        period_start=datetime.date.fromisoformat(start),
        received=received,
        received_online=online,
        processed_online=counts.get("processed", online),
        paid_online=counts.get("paid", 0),
    )


def build_outcomes(world) -> None:
    """Add to the hand-counted world its people helped and one-stop-shop
    figures (period 01/09/2026–30/11/2026).

    Help records (u1 h1, u4 h2, u7 h3, u5 h4; ✓ confirmed):
      r1  h1 A      10/09 dossier ✓
      r2  h1 A      12/09 account
      r3  h1 B      20/10 dossier            -> h1's last: B
      r4  h2 old→A  15/09 dossier ✓
      r5  h2 A      15/09 fee ✓
      r9  h2 B      01/11 dossier ✓, flagged then reviewed -> h2's last: B
      r6  h3 prov.  01/10 other ✓            -> h3's last: direct
      r7  h3 B      02/10 dossier, flagged, not reviewed: awaiting review
      r8  h3 A      05/08 (before the period): nothing
      r10 h4 A      20/11 account            -> h4's last: A
    Helped: A 5, B 2, direct 1 (8); confirmed A 3, B 1, direct 1 (5);
    dossiers A 2, B 2 (4); active helpers A 1, B 2, direct 1 (4); awaiting
    review B 1.

    Weekly figures (received / online): A 07/09 100/20, 23/11 100/50 (and
    31/08 100/100 before the period, and a month of October 1000/500 not
    read since weekly figures exist); B 07/09 200/100, 23/11 100/60;
    the province itself 14/09 50/10.
    A 200/70 = 35.0%, change +30.0 points; B 300/160 = 53.3%, +10.0;
    total 550/240 = 43.6%, first week 120/300 = 40%, last 110/200 = 55%:
    +15.0.
    """
    from django.utils import timezone

    u1, _u2, _u3, u4, u5, _u6, u7 = world.users
    a, b, province = world.a, world.b, world.province
    now = timezone.now()
    help_record(u1, a, "2026-09-10", "dossier", confirmed_at=now)
    help_record(u1, a, "2026-09-12")
    help_record(u1, b, "2026-10-20", "dossier")
    help_record(u4, world.old_commune, "2026-09-15", "dossier", confirmed_at=now)
    help_record(u4, a, "2026-09-15", "fee", confirmed_at=now)
    help_record(u7, province, "2026-10-01", "other", confirmed_at=now)
    help_record(u7, b, "2026-10-02", "dossier", flag="daily_limit", flagged_at=now)
    help_record(u7, a, "2026-08-05")
    help_record(
        u4,
        b,
        "2026-11-01",
        "dossier",
        confirmed_at=now,
        flag="phone_repeated",
        flagged_at=now,
        flag_cleared_at=now,
    )
    help_record(u5, a, "2026-11-20")

    outcome(a, "2026-09-07", 100, 20)
    outcome(a, "2026-11-23", 100, 50)
    outcome(a, "2026-08-31", 100, 100)
    outcome(a, "2026-10-01", 1000, 500, period="month")
    outcome(b, "2026-09-07", 200, 100)
    outcome(b, "2026-11-23", 100, 60)
    outcome(province, "2026-09-14", 50, 10)
