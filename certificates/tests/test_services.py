"""Issuing, expiry, revocation and renewal of certificates, as the rule says."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates.models import Certificate, fill_placeholders
from certificates.selectors import (
    certificate_eligibility,
    certificate_eligibility_many,
    certificates_of,
    course_policy,
)
from certificates.services import (
    add_months,
    certificate_issue,
    certificate_issue_after_attendance,
    certificate_issue_if_eligible,
    certificate_policy_set,
    certificate_revoke,
    course_hours,
    enrolment_restart,
    format_hours,
)
from classes.models import AttendanceStatus
from classes.services import session_attendance_mark
from classes.tests.factories import ClassSessionFactory
from core.testing import vi
from courses.models import CompletionRule, CoursePage, Enrolment
from courses.services import enrolment_create, lesson_progress_record
from quizzes.models import AttemptState, QuizAttempt
from quizzes.tests.factories import quiz_create
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from users.models import User
from users.tests.factories import UserFactory

from .builders import (
    attend,
    certified_course,
    class_with_sessions,
    complete,
    learner,
)

pytestmark = pytest.mark.django_db

# What issuing one certificate after attendance reads and writes today.
QUERIES_TO_ISSUE_AFTER_ATTENDANCE = 14


def passed_attempt(user, quiz):
    now = timezone.now()
    return QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        number=1,
        state=AttemptState.FINISHED,
        passed=True,
        score=Decimal(100),
        started_at=now,
        submitted_at=now,
        pass_mark=50,
        seed=1,
    )


# The rule, condition by condition ---------------------------------------------


def test_completing_the_course_issues_the_certificate_at_once():
    """The last lesson done issues the certificate, filled in from the learner."""
    course = certified_course(hours=Decimal("1.5"))
    lan = learner()

    complete(lan, course)

    certificate = Certificate.objects.get(user=lan, course=course)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.printed["learner_name"] == "Nguyễn Thị Lan"
    assert certificate.printed["date_of_birth"] == "17/05/1990"
    assert certificate.printed["course"] == course.title
    assert certificate.printed["hours"] == "1,5"
    assert certificate.printed["unit"] == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert certificate.printed["issue_date"] == timezone.localtime(
        certificate.issued_at
    ).strftime("%d/%m/%Y")
    assert certificate.printed["issuer"] == course_policy(course).template.issuer
    assert certificate.printed["body"] == (
        f"Đã hoàn thành khóa học “{course.title}” (1,5 giờ) tại "
        "Xã Đông Hưng, Tỉnh Hưng Yên."
    )
    assert certificate.expires_at is None
    assert list(certificates_of(user=lan)) == [certificate]


def test_a_course_without_a_template_gives_no_certificate():
    course = certified_course(template=None)
    lan = learner()

    complete(lan, course)

    assert not Certificate.objects.exists()
    eligibility = certificate_eligibility(user=lan, course=course)
    assert eligibility.eligible is False
    assert eligibility.reason == vi("This course gives no certificate.")


def test_an_incomplete_course_gives_no_certificate():
    course = certified_course(lessons=2)
    lan = learner()
    first = course.lessons().first()
    lesson_progress_record(user=lan, lesson=first, course=course)
    enrolment = Enrolment.objects.get(user=lan, course=course)

    assert certificate_issue_if_eligible(enrolment=enrolment) is None
    with pytest.raises(ValidationError) as raised:
        certificate_issue(enrolment=enrolment)
    assert raised.value.messages == [vi("The course is not complete yet.")]
    assert not Certificate.objects.exists()


def test_a_course_that_asks_for_the_final_quiz_waits_for_it():
    """Lessons alone do not complete a course whose rule asks for the quiz; the
    passed quiz does, and the certificate comes with it."""
    course = certified_course(completion_rule=CompletionRule.LESSONS_AND_QUIZ)
    quiz = quiz_create(course=course)
    lan = learner()
    enrolment = complete(lan, course)
    assert enrolment.completed_at is None
    assert not Certificate.objects.exists()

    passed_attempt(lan, quiz)
    lesson_progress_record(user=lan, lesson=course.lessons().first(), course=course)

    assert Certificate.objects.filter(user=lan, course=course).count() == 1


def test_attendance_below_the_minimum_gives_no_certificate():
    """2 of 3 sessions is 66%: below a 70% rule, with the numbers in the reason."""
    course = certified_course(min_attendance=70)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=3, future=2)
    attend(lan, training_class, 2)

    complete(lan, course)

    assert not Certificate.objects.exists()
    reason = certificate_eligibility(user=lan, course=course).reason
    assert reason == vi(
        "Attended %(attended)d of %(held)d sessions (%(percent)d%%); the course "
        "asks for at least %(minimum)d%%.",
        attended=2,
        held=3,
        percent=66,
        minimum=70,
    )


def test_attendance_at_the_minimum_is_enough_and_counts_late():
    """3 of 4 held sessions (one late) meets a 75% rule; sessions to come and an
    absence do not count for it."""
    course = certified_course(min_attendance=75)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=4, future=3)
    attend(lan, training_class, 2)
    held = list(training_class.sessions.order_by("starts_at"))
    attend_one = held[2]
    session_attendance_mark(
        session=attend_one, user=lan, status=AttendanceStatus.LATE, actor=None
    )
    session_attendance_mark(
        session=held[3], user=lan, status=AttendanceStatus.ABSENT, actor=None
    )

    enrolment = complete(lan, course)

    certificate = Certificate.objects.get(user=lan, course=course)
    assert certificate.enrolment == enrolment
    assert certificate.training_class == training_class
    assert certificate.printed["class"] == training_class.name


def test_issuing_after_attendance_returns_what_it_issued():
    """Attendance that reaches a course's minimum gives the certificates it
    earns, and the call hands them back; a course whose rule does not ask for
    attendance is not issued here, and nothing earned gives an empty list."""
    course = certified_course(min_attendance=50)
    online = certified_course(slug="hoc-truc-tuyen")
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=2)
    training_class.courses.add(online)
    complete(lan, course)
    complete(lan, online)
    Certificate.objects.filter(course=online).delete()

    assert (
        certificate_issue_after_attendance(user=lan, training_class=training_class)
        == []
    )

    attend(lan, training_class, 1)
    issued = certificate_issue_after_attendance(user=lan, training_class=training_class)

    assert issued == [Certificate.objects.get(user=lan, course=course)]
    assert issued[0].training_class == training_class
    assert not Certificate.objects.filter(course=online).exists()


def test_attendance_marked_after_completion_issues_the_certificate():
    """A learner who completed the course online gets the certificate the moment
    the teacher marks the attendance that reaches the minimum."""
    course = certified_course(min_attendance=50)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=2)
    complete(lan, course)
    assert not Certificate.objects.exists()

    first = training_class.sessions.order_by("starts_at").first()
    session_attendance_mark(
        session=first, user=lan, status=AttendanceStatus.PRESENT, actor=None
    )

    assert Certificate.objects.filter(user=lan, course=course).count() == 1


def test_attendance_marked_again_returns_the_certificate_unless_revoked():
    """Attendance marked once more after the certificate was issued hands back
    that certificate, not a second one; once it is revoked, nothing."""
    course = certified_course(min_attendance=50)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=2)
    complete(lan, course)
    attend(lan, training_class, 1)
    [certificate] = certificate_issue_after_attendance(
        user=lan, training_class=training_class
    )

    attend(lan, training_class, 2)
    assert certificate_issue_after_attendance(
        user=lan, training_class=training_class
    ) == [certificate]

    certificate_revoke(certificate=certificate, by=UserFactory(), reason="Gian lận.")
    assert (
        certificate_issue_after_attendance(user=lan, training_class=training_class)
        == []
    )
    assert Certificate.objects.count() == 1


def test_no_class_or_no_session_held_gives_no_certificate_with_a_reason():
    course = certified_course(min_attendance=50)
    lan, minh = learner(), learner(phone="+84912000111", home_region=None)
    class_with_sessions(course=course, users=[minh], held=0, future=2)
    complete(lan, course)
    complete(minh, course)

    assert not Certificate.objects.exists()
    result = certificate_eligibility_many(users=[lan, minh], course=course)
    assert result[lan.pk].reason == vi(
        "The course asks for attendance at its class, and this person is in no "
        "class that teaches it."
    )
    assert result[minh.pk].reason == vi(
        "No session of the class has been held yet, so attendance is unknown."
    )


def test_the_best_of_several_classes_counts():
    course = certified_course(min_attendance=100)
    lan = learner()
    poor = class_with_sessions(course=course, users=[lan], held=2)
    good = class_with_sessions(course=course, users=[lan], held=1)
    attend(lan, poor, 1)
    attend(lan, good, 1)

    complete(lan, course)

    assert Certificate.objects.get(user=lan).training_class == good


@pytest.mark.parametrize("best_first", [True, False], ids=["best-first", "best-last"])
def test_attendance_at_one_class_names_the_best_class_on_the_certificate(best_first):
    """Attendance marked at a class the learner attends less names, on the
    certificate it issues, the class whose attendance counts: the best one,
    whichever class was made first."""
    course = certified_course(min_attendance=50)
    lan = learner()
    first = class_with_sessions(course=course, users=[lan], held=2)
    second = class_with_sessions(course=course, users=[lan], held=2)
    good, poor = (first, second) if best_first else (second, first)
    complete(lan, course)
    assert not Certificate.objects.exists()
    attend(lan, good, 2)
    attend(lan, poor, 1)

    [certificate] = certificate_issue_after_attendance(user=lan, training_class=poor)

    assert certificate.training_class == good


def test_eligibility_of_many_people_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    """Eligibility of a whole class is a handful of queries, not one per person."""
    course = certified_course(min_attendance=50)
    people = UserFactory.create_batch(30)
    training_class = class_with_sessions(course=course, users=people, held=2)
    for person in people[:25]:
        enrolment = enrolment_create(user=person, course=course)
        if person in people[:20]:
            Enrolment.objects.filter(pk=enrolment.pk).update(
                completed_at=timezone.now()
            )
    for person in people[:10]:
        attend(person, training_class, 1)

    with django_assert_max_num_queries(5):
        result = certificate_eligibility_many(users=people, course=course)

    assert sum(e.eligible for e in result.values()) == 10
    assert result[people[15].pk].reason == vi(
        "Attended %(attended)d of %(held)d sessions (%(percent)d%%); the course "
        "asks for at least %(minimum)d%%.",
        attended=0,
        held=2,
        percent=0,
        minimum=50,
    )
    assert result[people[22].pk].reason == vi("The course is not complete yet.")
    assert result[people[27].pk].reason == vi("Not enrolled in this course.")


# Idempotence and concurrency ---------------------------------------------------


@pytest.mark.parametrize(
    "issue", [certificate_issue, certificate_issue_if_eligible], ids=["hand", "auto"]
)
def test_issuing_prints_the_learner_as_they_are_now_not_as_the_caller_read_them(
    issue,
):
    """A caller holding an older copy of the enrolment (a name corrected since it
    was read) still issues the certificate with the name as it is now, by hand
    and automatically."""
    course = certified_course(min_attendance=50)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=1)
    complete(lan, course)
    attend(lan, training_class, 1)
    enrolment = Enrolment.objects.select_related("user").get(user=lan, course=course)
    User.objects.filter(pk=lan.pk).update(full_name="Nguyễn Thị Lan Anh")

    certificate = issue(enrolment=enrolment)

    assert certificate.printed["learner_name"] == "Nguyễn Thị Lan Anh"


def test_issuing_twice_for_the_same_completion_returns_the_same_certificate():
    course = certified_course()
    lan = learner()
    enrolment = complete(lan, course)
    first = Certificate.objects.get()

    again = certificate_issue(enrolment=enrolment)

    assert again.pk == first.pk
    assert again.code == first.code
    assert Certificate.objects.count() == 1


def test_issuing_again_after_the_rule_got_stricter_returns_the_certificate():
    """A certificate issued for a completion stays issued: asking again after
    the course's rule was raised returns it, not a refusal or a second one."""
    course = certified_course()
    lan = learner()
    enrolment = complete(lan, course)
    first = Certificate.objects.get()
    policy = course_policy(course)
    certificate_policy_set(
        course=CoursePage.objects.get(pk=course.pk),
        template=policy.template,
        min_attendance=100,
    )

    again = certificate_issue(enrolment=Enrolment.objects.get(pk=enrolment.pk))

    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_issuing_by_hand_for_a_revoked_completion_returns_the_revoked_one():
    """Asking by hand for a certificate whose completion already has a revoked
    one gives that revoked certificate back, never a fresh valid one."""
    course = certified_course()
    lan = learner()
    enrolment = complete(lan, course)
    revoked = certificate_revoke(
        certificate=Certificate.objects.get(), by=UserFactory(), reason="Gian lận."
    )

    again = certificate_issue(enrolment=enrolment)

    assert again.pk == revoked.pk
    assert again.status == Certificate.Status.REVOKED
    assert Certificate.objects.count() == 1


def test_a_lost_race_returns_the_winners_certificate():
    """When another call inserts the row between the check and the insert, the
    unique constraint refuses the second and the first one comes back."""
    course = certified_course()
    lan = learner()
    enrolment = complete(lan, course)
    winner = Certificate.objects.get()
    real_filter = Certificate.objects.filter
    calls = {"n": 0}

    def first_miss(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if any(key.startswith("completed_at") for key in kwargs) and not calls["n"]:
            calls["n"] += 1
            return qs.none()
        return qs

    with mock.patch.object(Certificate.objects, "filter", side_effect=first_miss):
        result = certificate_issue(enrolment=enrolment)

    assert calls["n"] == 1
    assert result.pk == winner.pk
    assert Certificate.objects.count() == 1


# Expiry ---------------------------------------------------------------------


def test_a_certificate_expires_after_its_valid_months():
    course = certified_course(valid_months=12)
    lan = learner()
    issued = timezone.make_aware(datetime.datetime(2026, 1, 31, 9, 0))
    enrolment = complete(lan, course)
    Certificate.objects.all().delete()

    certificate = certificate_issue(enrolment=enrolment, now=issued)

    assert timezone.localtime(certificate.expires_at) == timezone.localtime(
        issued
    ).replace(year=2027)
    just_before = certificate.expires_at - datetime.timedelta(seconds=1)
    assert certificate.status_at(just_before) == Certificate.Status.VALID
    assert certificate.status_at(certificate.expires_at) == Certificate.Status.EXPIRED


def test_months_are_counted_by_the_calendar():
    jan31 = timezone.make_aware(datetime.datetime(2026, 1, 31, 9, 0))
    assert add_months(jan31, 1).date() == datetime.date(2026, 2, 28)
    assert add_months(jan31, 13).date() == datetime.date(2027, 2, 28)
    assert add_months(jan31, 24).date() == datetime.date(2028, 1, 31)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 12, 15), 1, datetime.date(2027, 1, 15)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 8, 31), 18, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 10, 31), 1, datetime.date(2026, 11, 30)),
        (datetime.date(2026, 11, 30), 14, datetime.date(2028, 1, 30)),
        (datetime.date(2026, 11, 15), 1, datetime.date(2026, 12, 15)),
        (datetime.date(2026, 11, 15), 12, datetime.date(2027, 11, 15)),
    ],
)
def test_months_carry_into_the_next_year_from_any_month(start, months, expected):
    """Counting months on from late in a year lands in the right month of the
    next year, on the same day or the last day of a shorter month."""
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    later = add_months(moment, months)
    assert later.date() == expected
    assert later.time() == datetime.time(9)


def test_validity_from_30_november_ends_in_the_next_year():
    """A certificate issued on 30/11/2026 valid 3 months expires on 28/02/2027 at
    the hour it was issued."""
    course = certified_course(valid_months=3)
    enrolment = complete(learner(), course)
    Certificate.objects.all().delete()
    issued = timezone.make_aware(datetime.datetime(2026, 11, 30, 14, 30))

    certificate = certificate_issue(enrolment=enrolment, now=issued)

    assert timezone.localtime(certificate.expires_at).replace(
        tzinfo=None
    ) == datetime.datetime(2027, 2, 28, 14, 30)


# Revocation ------------------------------------------------------------------


def test_revoking_needs_a_reason():
    course = certified_course()
    lan = learner()
    complete(lan, course)
    certificate = Certificate.objects.get()
    editor = UserFactory()

    with pytest.raises(ValidationError) as raised:
        certificate_revoke(certificate=certificate, by=editor, reason="   ")
    assert raised.value.messages == [
        vi("Give the reason for revoking the certificate.")
    ]

    certificate_revoke(certificate=certificate, by=editor, reason="Cấp nhầm người học.")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_reason == "Cấp nhầm người học."
    assert certificate.revoked_by == editor
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=editor, reason="Lần nữa.")


def test_a_revocation_that_fails_part_way_leaves_the_certificate_valid():
    """Revoking is all or nothing: when publishing it to the revocation list
    fails, the certificate is not left revoked without the list knowing."""
    course = certified_course()
    lan = learner()
    complete(lan, course)
    certificate = Certificate.objects.get()

    with (
        mock.patch("certificates.services.status_position", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        certificate_revoke(certificate=certificate, by=UserFactory(), reason="Sai.")

    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert certificate.status == Certificate.Status.VALID


def test_revoking_returns_the_certificate_as_revoked():
    """The revoked certificate comes back with the time, the person and the
    reason (trimmed) that the verification page shows."""
    course = certified_course()
    complete(learner(), course)
    editor = UserFactory()
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))

    revoked = certificate_revoke(
        certificate=Certificate.objects.get(),
        by=editor,
        reason="  Cấp nhầm người học.  ",
        now=moment,
    )

    assert revoked.status == Certificate.Status.REVOKED
    assert revoked.revoked_at == moment
    assert revoked.revoked_by == editor
    assert revoked.revoked_reason == "Cấp nhầm người học."
    stored = Certificate.objects.get()
    assert (stored.revoked_at, stored.revoked_reason) == (
        moment,
        "Cấp nhầm người học.",
    )


def test_a_revoked_certificate_is_not_issued_again_automatically():
    course = certified_course()
    lan = learner()
    enrolment = complete(lan, course)
    certificate_revoke(
        certificate=Certificate.objects.get(), by=UserFactory(), reason="Gian lận."
    )

    assert certificate_issue_if_eligible(enrolment=enrolment) is None
    assert certificate_eligibility(user=lan, course=course).reason == vi(
        "The certificate for this completion was revoked."
    )
    assert Certificate.objects.count() == 1


# Renewal ---------------------------------------------------------------------


def test_a_course_cannot_be_redone_after_its_certificate_was_revoked():
    """A revoked certificate is for the issuing body to settle: the course cannot
    be redone, not even after the date the certificate would have expired."""
    course = certified_course(valid_months=6)
    lan = learner()
    enrolment = complete(lan, course)
    certificate = Certificate.objects.get()
    certificate_revoke(certificate=certificate, by=UserFactory(), reason="Gian lận.")

    after_expiry = certificate.expires_at + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        enrolment_restart(enrolment=enrolment, now=after_expiry)

    assert raised.value.messages == [
        vi("A course can be redone once its certificate has expired.")
    ]
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.restarted_at is None


def test_redoing_a_course_after_expiry_renews_the_certificate():
    """Once the certificate expired, the learner starts over; finishing again
    gives a new certificate that renews the old one, which stays as it was."""
    course = certified_course(valid_months=6)
    lan = learner()
    enrolment = complete(lan, course)
    old = Certificate.objects.get()
    with pytest.raises(ValidationError) as raised:
        enrolment_restart(enrolment=enrolment)
    assert raised.value.messages == [
        vi("A course can be redone once its certificate has expired.")
    ]

    later = old.expires_at + datetime.timedelta(days=1)
    enrolment = enrolment_restart(enrolment=enrolment, now=later)
    assert enrolment.completed_at is None
    assert enrolment.restarted_at == later
    assert not enrolment.lesson_progress.filter(completed_at__isnull=False).exists()

    complete(lan, course)

    new = Certificate.objects.exclude(pk=old.pk).get()
    assert new.renewal_of == old
    assert new.code != old.code
    fresh_old = Certificate.objects.get(pk=old.pk)
    assert fresh_old.code == old.code
    assert fresh_old.printed == old.printed
    assert fresh_old.expires_at == old.expires_at


def test_attendance_issues_without_reading_the_enrolment_again(
    django_assert_max_num_queries,
):
    """The attendance path hands the rule the enrolment it read, so issuing a
    certificate there costs no more reads than it does today (#19 counts the
    queries of an attendance tap)."""
    course = certified_course(min_attendance=50)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=2)
    complete(lan, course)
    attend(lan, training_class, 1)

    with django_assert_max_num_queries(QUERIES_TO_ISSUE_AFTER_ATTENDANCE):
        issued = certificate_issue_after_attendance(
            user=lan, training_class=training_class
        )

    assert len(issued) == 1


def test_attendance_after_redoing_the_course_renews_the_certificate():
    """A learner who redid the course after the certificate expired, and whose
    attendance fell short meanwhile, gets a new certificate renewing the old one
    the moment the attendance is made up."""
    course = certified_course(min_attendance=50, valid_months=6)
    lan = learner()
    training_class = class_with_sessions(course=course, users=[lan], held=2)
    enrolment = complete(lan, course)
    attend(lan, training_class, 1)
    [old] = certificate_issue_after_attendance(user=lan, training_class=training_class)
    for days in (3, 4):
        ClassSessionFactory(
            training_class=training_class,
            starts_at=timezone.now() - datetime.timedelta(days=days),
        )
    enrolment_restart(
        enrolment=enrolment, now=old.expires_at + datetime.timedelta(days=1)
    )
    complete(lan, course)
    assert Certificate.objects.count() == 1

    attend(lan, training_class, 4)
    [new] = certificate_issue_after_attendance(user=lan, training_class=training_class)

    assert new != old
    assert new.renewal_of == old
    assert Certificate.objects.count() == 2


def test_a_quiz_passed_before_the_restart_does_not_complete_the_course_again():
    course = certified_course(
        completion_rule=CompletionRule.LESSONS_AND_QUIZ, valid_months=1
    )
    quiz = quiz_create(course=course)
    lan = learner()
    passed_attempt(lan, quiz)
    enrolment = complete(lan, course)
    assert enrolment.completed_at is not None
    old = Certificate.objects.get()

    enrolment_restart(enrolment=enrolment, now=old.expires_at)
    enrolment = complete(lan, course)

    assert enrolment.completed_at is None
    assert Certificate.objects.count() == 1


# The snapshot -----------------------------------------------------------------


def test_the_certificate_keeps_the_unit_the_learner_had_when_issued():
    course = certified_course()
    lan = learner()
    commune = lan.home_region
    complete(lan, course)

    lan.home_region = CommuneFactory(parent=ProvinceFactory(name="Tỉnh Thái Bình"))
    lan.kind = "official"
    lan.save()

    certificate = Certificate.objects.get()
    assert certificate.region == commune
    assert certificate.region_path == commune.path
    assert certificate.commune == commune
    assert certificate.province == commune.parent
    assert certificate.district is None
    assert certificate.learner_kind == "volunteer"
    assert certificate.printed["unit"] == "Xã Đông Hưng, Tỉnh Hưng Yên"


def test_a_learner_without_a_unit_gets_a_certificate_that_counts_nowhere():
    """A learner who gave no unit still gets the certificate; it records no unit
    and prints none, so no unit's report counts it."""
    course = certified_course()
    lan = learner(home_region=None)

    complete(lan, course)

    certificate = Certificate.objects.get()
    assert certificate.region is None
    assert certificate.region_path == ""
    assert (certificate.province, certificate.district, certificate.commune) == (
        None,
        None,
        None,
    )
    assert certificate.printed["unit"] == ""


def test_a_pre_reform_unit_records_its_district():
    course = certified_course()
    district = DistrictFactory(name="Huyện Tiên Lữ")
    commune = CommuneFactory(parent=district, name="Xã Thủ Sỹ")
    lan = learner(home_region=commune)

    complete(lan, course)

    certificate = Certificate.objects.get()
    assert certificate.district == district
    assert certificate.province == district.parent
    assert certificate.commune == commune
    assert certificate.printed["unit"] == (
        f"Xã Thủ Sỹ, Huyện Tiên Lữ, {district.parent.name}"
    )


def test_hours_come_from_the_estimated_duration_to_the_half_hour():
    course = certified_course(estimated_minutes=100)
    lan = learner()
    complete(lan, course)
    assert Certificate.objects.get().printed["hours"] == "1,5"


@pytest.mark.parametrize(
    ("minutes", "printed"),
    [
        (1, "0,5"),
        (10, "0,5"),
        (14, "0,5"),
        (15, "0,5"),
        (44, "0,5"),
        (45, "1"),
        (75, "1,5"),
        (105, "2"),
        (120, "2"),
    ],
)
def test_hours_are_the_nearest_half_hour_and_at_least_half_an_hour(minutes, printed):
    """The estimated duration prints to the nearest half hour, rounding up when
    exactly between two (45 minutes is 1 hour, 105 is 2), and never less than
    half an hour, so a 10-minute course does not print 0."""
    course = CoursePage(title="Khóa học", estimated_minutes=minutes)
    assert format_hours(course_hours(course)) == printed


def test_placeholders_are_filled_and_nothing_else_is_evaluated():
    values = {"learner_name": "Lan", "class": "Lớp 9A"}
    assert (
        fill_placeholders(
            "{learner_name} {class} {unknown} {learner_name.upper} }{", values
        )
        == "Lan Lớp 9A {unknown} {learner_name.upper} }{"
    )
