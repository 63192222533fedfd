"""Classes, joining, attendance and check-in."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from classes import checkin
from classes.models import (
    JOIN_CODE_ALPHABET,
    Attendance,
    AttendanceStatus,
    ClassMembership,
    ClassMode,
    TrainingClass,
)
from classes.selectors import attendance_counts, class_progress, classes_with_counts
from classes.services import (
    class_create,
    class_join,
    session_attendance_mark,
    session_self_check_in,
    session_walk_in_add,
)
from courses.models import Enrolment
from courses.services import lesson_progress_record
from users.models import LearnerKind, User
from users.tests.factories import UserFactory

from .factories import ClassSessionFactory, TrainingClassFactory

pytestmark = pytest.mark.django_db


def test_class_create_defaults_region_and_makes_a_join_code(
    teacher, organisation, course
):
    co = UserFactory()
    training_class = class_create(
        owner=teacher,
        name=" Lớp 10A1 ",
        organisation=organisation,
        courses=[course],
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
        mode=ClassMode.MIXED,
        audience_kind=LearnerKind.STUDENT,
        co_teachers=[co, teacher],
    )

    assert training_class.name == "Lớp 10A1"
    assert training_class.region == organisation.region
    assert len(training_class.join_code) == 8
    assert set(training_class.join_code) <= set(JOIN_CODE_ALPHABET)
    assert list(training_class.co_teachers.all()) == [co]


def test_class_create_refuses_an_end_before_the_start(teacher, organisation, course):
    with pytest.raises(ValidationError):
        class_create(
            owner=teacher,
            name="Lớp",
            organisation=organisation,
            courses=[course],
            starts_on=datetime.date(2026, 9, 30),
            ends_on=datetime.date(2026, 9, 1),
            mode=ClassMode.IN_PERSON,
            audience_kind=LearnerKind.STUDENT,
        )


def test_join_with_the_code_enrols_once(klass, course):
    """Typing the code in lower case with spaces joins the class and enrols the
    learner in its course; joining again changes nothing."""
    learner = UserFactory()
    code = " ".join(klass.join_code.lower())

    assert class_join(join_code=code, user=learner) == klass
    class_join(join_code=klass.join_code, user=learner)

    assert ClassMembership.objects.filter(user=learner).count() == 1
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_join_with_an_unknown_code_is_refused(klass):
    with pytest.raises(ValidationError, match="Không có lớp nào có mã này"):
        class_join(join_code="ZZZZZZZZ", user=UserFactory())


def test_participations_and_people_are_counted_apart(klass, teacher, student):
    """Two sessions attended by the same two people: 4 participations, 2 people;
    absent and excused count in neither."""
    other = UserFactory()
    third = UserFactory()
    for user in (other, third):
        ClassMembership.objects.create(
            training_class=klass, user=user, source="teacher"
        )
    sessions = [ClassSessionFactory(training_class=klass) for _ in range(2)]
    for session in sessions:
        session_attendance_mark(
            session=session, user=student, status="present", actor=teacher
        )
        session_attendance_mark(
            session=session, user=other, status="late", actor=teacher
        )
        session_attendance_mark(
            session=session, user=third, status="absent", actor=teacher
        )
    session_attendance_mark(
        session=sessions[1], user=third, status="excused", actor=teacher
    )

    counts = attendance_counts(sessions=sessions)

    assert (counts.participations, counts.people) == (4, 2)
    assert Attendance.objects.count() == 6


def test_marking_again_changes_the_status(klass, teacher, student):
    session = ClassSessionFactory(training_class=klass)
    session_attendance_mark(
        session=session, user=student, status="present", actor=teacher
    )
    session_attendance_mark(
        session=session, user=student, status="excused", actor=teacher
    )

    assert Attendance.objects.get().status == AttendanceStatus.EXCUSED


def test_only_members_can_be_marked(klass, teacher):
    session = ClassSessionFactory(training_class=klass)
    with pytest.raises(ValidationError, match="Người này không thuộc lớp"):
        session_attendance_mark(
            session=session, user=UserFactory(), status="present", actor=teacher
        )


def test_a_membership_of_another_class_or_person_does_not_admit_a_mark(
    klass, teacher, student
):
    """The caller's membership is checked against the session and the person,
    not taken on trust."""
    session = ClassSessionFactory(training_class=klass)
    elsewhere = ClassMembership.objects.create(
        training_class=TrainingClassFactory(), user=student, source="teacher"
    )
    stranger = UserFactory()
    own = klass.memberships.get(user=student)
    for membership, user in ((elsewhere, student), (own, stranger)):
        with pytest.raises(ValidationError, match="Người này không thuộc lớp"):
            session_attendance_mark(
                session=session,
                user=user,
                status="present",
                actor=teacher,
                membership=membership,
            )
    assert not Attendance.objects.exists()
    session_attendance_mark(
        session=session, user=student, status="late", actor=teacher, membership=own
    )
    assert Attendance.objects.get().status == AttendanceStatus.LATE


def test_walk_in_is_added_as_a_light_account_and_marked_present(klass, teacher):
    session = ClassSessionFactory(training_class=klass)

    user, added = session_walk_in_add(
        session=session, full_name="Bà Tư", phone="0912 000 111", actor=teacher
    )
    again, added_again = session_walk_in_add(
        session=session, full_name="Bà Tư", phone="+84912000111", actor=teacher
    )

    assert again == user
    assert user.is_light is True
    assert user.phone == "+84912000111"
    membership = ClassMembership.objects.get(user=user)
    assert (membership.source, membership.created_account) == ("walk_in", True)
    assert (added, added_again) == ("member", "already")
    assert Attendance.objects.get(user=user).status == "present"


# Rotating check-in code, on a frozen clock.

NOW = 1_790_000_000.0  # a moment in 2026


def test_check_in_code_changes_every_30_seconds():
    window = checkin.current_window(NOW)
    assert checkin.checkin_code(1, window) != checkin.checkin_code(1, window + 1)
    assert checkin.checkin_code(1, window) != checkin.checkin_code(2, window)
    assert len(checkin.checkin_code(1, window)) == 6


def test_check_in_code_depends_on_the_secret_key(settings):
    """The code is keyed by the site's secret: another key gives other codes, so
    knowing the session number and the time is not enough to work it out."""
    window = checkin.current_window(NOW)
    settings.SECRET_KEY = "khoa-bi-mat-thu-nhat-" + "a" * 40
    first = [checkin.checkin_code(session_id, window) for session_id in range(1, 6)]
    settings.SECRET_KEY = "khoa-bi-mat-thu-hai-" + "b" * 40
    second = [checkin.checkin_code(session_id, window) for session_id in range(1, 6)]

    assert all(a != b for a, b in zip(first, second, strict=True))


def test_check_in_codes_spread_over_all_six_digit_numbers(settings):
    """Codes are spread over the whole million: across 1000 sessions every first
    digit occurs, about a tenth start with 0, and almost no two are the same."""
    settings.SECRET_KEY = "khoa-bi-mat-co-dinh-" + "c" * 40
    window = checkin.current_window(NOW)
    codes = [checkin.checkin_code(session_id, window) for session_id in range(1000)]

    assert {code[0] for code in codes} == set("0123456789")
    assert sum(code.startswith("0") for code in codes) < 200
    assert len(set(codes)) > 990


def test_current_and_previous_code_are_accepted_older_refused(klass):
    session = ClassSessionFactory(training_class=klass)
    window = checkin.current_window(NOW)
    current = checkin.checkin_code(session.pk, window)
    previous = checkin.checkin_code(session.pk, window - 1)
    old = checkin.checkin_code(session.pk, window - 2)

    assert checkin.code_is_valid(session.pk, current, now=NOW) is True
    assert checkin.code_is_valid(session.pk, previous, now=NOW) is True
    assert checkin.code_is_valid(session.pk, old, now=NOW) is False
    # Sixty seconds on, the code shown now is refused.
    assert checkin.code_is_valid(session.pk, current, now=NOW + 60) is False


def test_self_check_in_with_an_old_code_is_refused(klass, student):
    session = ClassSessionFactory(training_class=klass)
    old = checkin.checkin_code(session.pk, checkin.current_window(NOW) - 2)

    with pytest.raises(ValidationError, match="Mã điểm danh này đã hết hạn"):
        session_self_check_in(session=session, user=student, code=old, now=NOW)

    assert not Attendance.objects.exists()


def test_self_check_in_marks_present_once(klass, student):
    session = ClassSessionFactory(training_class=klass)
    code = checkin.checkin_code(session.pk, checkin.current_window(NOW))

    session_self_check_in(session=session, user=student, code=code, now=NOW)
    attendance = session_self_check_in(
        session=session, user=student, code=code, now=NOW
    )

    assert attendance.status == "present"
    assert attendance.source == Attendance.Source.SELF_CHECK_IN
    assert Attendance.objects.count() == 1


# Progress.


def test_class_progress_counts_lessons_attendance_and_flags_who_is_behind(
    klass, teacher, student, course
):
    ahead = UserFactory(full_name="An")
    ClassMembership.objects.create(training_class=klass, user=ahead, source="teacher")
    for lesson in course.lessons():
        lesson_progress_record(user=ahead, lesson=lesson, course=course)
    session = ClassSessionFactory(training_class=klass)
    session_attendance_mark(
        session=session, user=ahead, status="present", actor=teacher
    )
    session_attendance_mark(
        session=session, user=student, status="absent", actor=teacher
    )

    progress = class_progress(training_class=klass)

    rows = {row.user: row for row in progress.learners}
    assert (rows[ahead].lessons_done, rows[ahead].lessons_total) == (3, 3)
    assert rows[ahead].attendance_rate == 1
    assert rows[ahead].falling_behind is False
    assert (rows[student].lessons_done, rows[student].attendance_rate) == (0, 0)
    assert rows[student].falling_behind is True
    assert (progress.counts.participations, progress.counts.people) == (1, 1)


def test_class_progress_queries_do_not_grow_with_the_class(
    klass, course, django_assert_max_num_queries
):
    users = User.objects.bulk_create(
        [User(username=f"u{n}", full_name=f"Học viên {n}") for n in range(40)]
    )
    ClassMembership.objects.bulk_create(
        [ClassMembership(training_class=klass, user=u, source="roster") for u in users]
    )
    with django_assert_max_num_queries(10):
        progress = class_progress(training_class=klass)
    assert len(progress.learners) == 40


def test_class_list_counts_members_participations_and_people(klass, teacher, student):
    """Three sessions attended by one of two members: 3 participations, 1 person."""
    other = UserFactory()
    ClassMembership.objects.create(training_class=klass, user=other, source="teacher")
    for session in [ClassSessionFactory(training_class=klass) for _ in range(3)]:
        session_attendance_mark(
            session=session, user=student, status="present", actor=teacher
        )
    session_attendance_mark(session=session, user=other, status="absent", actor=teacher)

    counted = classes_with_counts(TrainingClass.objects.filter(pk=klass.pk)).get()

    assert (counted.member_count, counted.participations, counted.people) == (2, 3, 1)
