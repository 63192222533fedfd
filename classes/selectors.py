"""Reads of classes: progress of the members, attendance counts.

Participations (lượt: attendance rows present or late) and people (người: the
distinct persons among them) are always counted separately.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import LessonProgress
from courses.selectors import live_lesson_counts
from users.names import roll_order_key

from .models import ATTENDED, Attendance, ClassMembership, ClassSession, TrainingClass

# Below this share of sessions attended, a learner is falling behind.
ATTENDANCE_THRESHOLD = 0.5


@dataclass
class AttendanceCounts:
    participations: int
    people: int


def attendance_counts(*, sessions) -> AttendanceCounts:
    """Return participations and distinct people over the given sessions."""
    row = Attendance.objects.filter(
        session__in=sessions, status__in=ATTENDED
    ).aggregate(participations=Count("id"), people=Count("user", distinct=True))
    return AttendanceCounts(row["participations"], row["people"])


def session_attendance_counts(*, session: ClassSession) -> AttendanceCounts:
    return attendance_counts(sessions=[session])


@dataclass(frozen=True)
class SessionsAttended:
    """The sessions of some classes held by a moment (started by then), and how
    many of them each person attended (present or late)."""

    held: dict[int, int]  # class id -> sessions held
    attended: dict[tuple[int, int], int]  # (user id, class id) -> of those, attended

    def of(self, *, user_id: int, class_id: int) -> tuple[int, int]:
        """Return (sessions attended, sessions held) of the person in the class."""
        return self.attended.get((user_id, class_id), 0), self.held.get(class_id, 0)

    def share(self, *, user_id: int, class_id: int) -> float | None:
        """Return the share of the class's held sessions the person attended, or
        None when none was held."""
        attended, held = self.of(user_id=user_id, class_id=class_id)
        return attended / held if held else None


def sessions_attended(
    *, class_ids: Iterable[int], now, user_ids=None, sessions=None
) -> SessionsAttended:
    """Return the sessions of the classes held by ``now`` and how many of them
    each person (of ``user_ids``, ids or a queryset; everyone when None)
    attended.

    Two queries; one when the caller passes the classes' ``sessions`` it has
    loaded already, from which the held ones are counted.
    """
    class_ids = list(class_ids)
    if sessions is None:
        held = dict(
            ClassSession.objects.filter(
                training_class_id__in=class_ids, starts_at__lte=now
            )
            .values_list("training_class_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    else:
        held = Counter(
            session.training_class_id
            for session in sessions
            if session.starts_at <= now
        )
    attendance = Attendance.objects.filter(
        session__training_class_id__in=class_ids,
        session__starts_at__lte=now,
        status__in=ATTENDED,
    )
    if user_ids is not None:
        attendance = attendance.filter(user_id__in=user_ids)
    attended = {
        (row["user_id"], row["session__training_class_id"]): row["n"]
        for row in attendance.values("user_id", "session__training_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return SessionsAttended(held=dict(held), attended=attended)


def memberships_attended(memberships, *, now) -> list[tuple[int, int, int, int]]:
    """Return, for each of these memberships (a queryset), newest joined first:
    (user id, class id, sessions of the class held by ``now``, how many of
    them the person attended). One query."""

    def counted(rows, group):
        return Coalesce(
            Subquery(
                rows.order_by().values(group).annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    held = ClassSession.objects.filter(
        training_class=OuterRef("training_class_id"), starts_at__lte=now
    )
    attended = Attendance.objects.filter(
        session__training_class=OuterRef("training_class_id"),
        user=OuterRef("user_id"),
        session__starts_at__lte=now,
        status__in=ATTENDED,
    )
    return list(
        memberships.order_by("-joined_at")
        .annotate(
            held=counted(held, "training_class"), attended=counted(attended, "user")
        )
        .values_list("user_id", "training_class_id", "held", "attended")
    )


def _per_class(aggregate) -> Coalesce:
    attended = (
        Attendance.objects.filter(
            session__training_class=OuterRef("pk"), status__in=ATTENDED
        )
        .order_by()
        .values("session__training_class")
        .annotate(n=aggregate)
        .values("n")
    )
    return Coalesce(Subquery(attended, output_field=IntegerField()), 0)


def classes_with_counts(queryset):
    """Return the classes with ``member_count``, ``participations`` (attendance
    present or late) and ``people`` (distinct persons among them)."""
    members = (
        ClassMembership.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        participations=_per_class(Count("pk")),
        people=_per_class(Count("user", distinct=True)),
    )


@dataclass
class CourseProgress:
    course_id: int
    done: int
    total: int


@dataclass
class LearnerProgress:
    membership: ClassMembership
    courses: list[CourseProgress] = field(default_factory=list)
    best_score: Decimal | None = None
    attended: int = 0
    sessions_held: int = 0
    falling_behind: bool = False

    @property
    def user(self):
        return self.membership.user

    @property
    def lessons_done(self) -> int:
        return sum(c.done for c in self.courses)

    @property
    def lessons_total(self) -> int:
        return sum(c.total for c in self.courses)

    @property
    def progress(self) -> float:
        return self.lessons_done / self.lessons_total if self.lessons_total else 0.0

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.sessions_held if self.sessions_held else None


@dataclass
class ClassProgress:
    courses: list
    learners: list[LearnerProgress]
    # Every session of the class, held or not, in order.
    sessions: list[ClassSession]
    sessions_held: int
    counts: AttendanceCounts


def class_roll(*, training_class: TrainingClass) -> list[ClassMembership]:
    """Return the class's memberships, with their people, in roll order: by given
    name, as a Vietnamese roll is read (users.names.roll_order_key)."""
    return sorted(
        training_class.memberships.select_related("user"),
        key=lambda m: (roll_order_key(m.user.full_name), m.user_id),
    )


def class_progress(*, training_class: TrainingClass, now=None) -> ClassProgress:
    """Return each member's lessons done per course, best quiz score, attendance
    rate and whether they are falling behind, in a fixed number of queries.

    Falling behind: progress below the class median, or attendance under half
    the sessions held so far.
    """
    from quizzes.models import AttemptState, QuizAttempt, QuizPage

    now = now or timezone.now()
    courses = list(training_class.courses.order_by("path"))
    memberships = class_roll(training_class=training_class)
    user_ids = [m.user_id for m in memberships]
    totals = live_lesson_counts(courses)
    done = {
        (row["enrolment__user_id"], row["enrolment__course_id"]): row["n"]
        for row in LessonProgress.objects.filter(
            enrolment__user_id__in=user_ids,
            enrolment__course__in=courses,
            completed_at__isnull=False,
            lesson__live=True,
        )
        .values("enrolment__user_id", "enrolment__course_id")
        .annotate(n=Count("id"))
    }
    quiz_filter = Q(pk__in=[])
    for course in courses:
        quiz_filter |= Q(path__startswith=course.path, depth=course.depth + 1)
    best = dict(
        QuizAttempt.objects.filter(
            user_id__in=user_ids,
            state=AttemptState.FINISHED,
            quiz__in=QuizPage.objects.filter(quiz_filter).values("pk"),
        )
        .values_list("user_id")
        .annotate(best=Max("score"))
    )
    sessions = list(training_class.sessions.order_by("starts_at"))
    shares = sessions_attended(
        class_ids=[training_class.pk], now=now, sessions=sessions
    )
    sessions_held = shares.held.get(training_class.pk, 0)
    # Everyone who attended, members or not any more: the class's counts.
    attended = {uid: n for (uid, _class_id), n in shares.attended.items()}
    learners = []
    for membership in memberships:
        uid = membership.user_id
        learners.append(
            LearnerProgress(
                membership=membership,
                courses=[
                    CourseProgress(c.pk, done.get((uid, c.pk), 0), totals.get(c.pk, 0))
                    for c in courses
                ],
                best_score=best.get(uid),
                attended=attended.get(uid, 0),
                sessions_held=sessions_held,
            )
        )
    if learners:
        median = statistics.median(learner.progress for learner in learners)
        for learner in learners:
            rate = learner.attendance_rate
            learner.falling_behind = learner.progress < median or (
                rate is not None and rate < ATTENDANCE_THRESHOLD
            )
    counts = AttendanceCounts(
        participations=sum(attended.values()), people=len(attended)
    )
    return ClassProgress(
        courses=courses,
        learners=learners,
        sessions=sessions,
        sessions_held=sessions_held,
        counts=counts,
    )


def session_roll(*, session: ClassSession) -> list[tuple[ClassMembership, str]]:
    """Return the class members with their status at the session ("" if unmarked)."""
    statuses = dict(session.attendance.values_list("user_id", "status"))
    memberships = class_roll(training_class=session.training_class)
    return [(m, statuses.get(m.user_id, "")) for m in memberships]
