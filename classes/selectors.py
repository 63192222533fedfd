"""Reads of classes: progress of the members, attendance counts.

Participations (lượt: attendance rows present or late) and people (người: the
distinct persons among them) are always counted separately.
"""

from __future__ import annotations

import statistics
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
    held = [session.pk for session in sessions if session.starts_at <= now]
    sessions_held = len(held)
    attended = dict(
        Attendance.objects.filter(session_id__in=held, status__in=ATTENDED)
        .values_list("user_id")
        .annotate(n=Count("id"))
    )
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
