"""Reads of certificates: who may get one (the issuing rule) and whose they are.

The issuing rule of a course (``courses.CoursePage``):

1. the course names a certificate template;
2. the learner's enrolment is complete (which may already require passing the
   final quiz, see ``courses.services.completion_rule_met``);
3. when the course sets a minimum attendance, the learner attended (present or
   late) at least that share of the sessions held so far (started by now) of
   their class that teaches the course; of several such classes the best counts;
4. the certificate for this very completion was not revoked (a revoked
   certificate is not silently issued again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from classes.models import ClassMembership
from classes.selectors import (
    SessionsAttended,
    memberships_attended,
    sessions_attended,
)
from courses.models import CoursePage, Enrolment

from .models import (
    Certificate,
    CertificatePolicy,
    CertificateTemplate,
    MeritCertificate,
    TemplateKind,
)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str  # translated, for people; "" when eligible
    # The class the certificate is for (the best one for the attendance rule, else
    # the learner's latest class teaching the course), when any.
    training_class_id: int | None = None


def course_policy(course: CoursePage) -> CertificatePolicy | None:
    """Return the course's certificate rule with its template, or None when the
    course gives no certificate. Read once per course object (and never for an
    unsaved one); ``certificate_policy_set`` leaves its result there."""
    try:
        return course._certificate_policy
    except AttributeError:
        pass
    policy = None
    if course.pk is not None:
        policy = (
            CertificatePolicy.objects.select_related("template")
            .filter(course_id=course.pk)
            .first()
        )
    course._certificate_policy = policy
    return policy


def _user_ids(users) -> list[int] | QuerySet:
    if isinstance(users, QuerySet):
        return users.values("pk")
    return [getattr(user, "pk", user) for user in users]


def _attended(attended: int, held: int, minimum: int) -> bool:
    # Whole numbers: 2 of 3 sessions is 66.7%, below 67% and above 66%.
    return attended * 100 >= minimum * held


def certificate_eligibility_many(
    *,
    users: Iterable,
    course: CoursePage,
    training_class=None,
    now: datetime | None = None,
    completions: dict | None = None,
    completions_unrevoked: bool = False,
) -> dict[int, Eligibility]:
    """Return, keyed by user id, whether each person meets the course's issuing
    rule now and, when not, why. ``users`` are users, ids or a queryset of users;
    ``completions`` (user id -> the enrolment's completed_at) when the caller
    has read the enrolments, and ``completions_unrevoked`` when it knows no
    certificate of those completions exists (so none is revoked).

    At most four queries whatever the number of people.
    """
    now = now or timezone.now()
    ids = _user_ids(users)
    wanted = (
        list(ids.values_list("pk", flat=True)) if isinstance(ids, QuerySet) else ids
    )
    policy = course_policy(course)
    if policy is None:
        reason = _("This course gives no certificate.")
        return {uid: Eligibility(False, reason) for uid in wanted}

    if completions is None:
        completions = dict(
            Enrolment.objects.filter(course=course, user_id__in=ids).values_list(
                "user_id", "completed_at"
            )
        )
    revoked = set()
    if not completions_unrevoked:
        revoked = set(
            Certificate.objects.filter(
                course=course, user_id__in=ids, revoked_at__isnull=False
            ).values_list("user_id", "completed_at")
        )

    # The learners' classes that teach the course, with what they attended.
    memberships = ClassMembership.objects.filter(user_id__in=ids)
    if training_class is not None:
        memberships = memberships.filter(training_class=training_class)
    else:
        memberships = memberships.filter(training_class__courses=course)
    minimum = policy.min_attendance
    classes_of: dict[int, list[int]] = {}
    shares = SessionsAttended(held={}, attended={})
    if minimum:
        for user_id, class_id, held, attended in memberships_attended(
            memberships, now=now
        ):
            classes_of.setdefault(user_id, []).append(class_id)
            shares.held[class_id] = held
            shares.attended[(user_id, class_id)] = attended
    else:
        for user_id, class_id in memberships.order_by("-joined_at").values_list(
            "user_id", "training_class_id"
        ):
            classes_of.setdefault(user_id, []).append(class_id)
    if training_class is not None and set(wanted) - set(classes_of):
        # A class named by the caller counts even for whoever is not on its roll
        # yet, so the reason says what is missing.
        for uid in wanted:
            classes_of.setdefault(uid, [training_class.pk])
        if minimum:
            shares.held.update(
                sessions_attended(
                    class_ids=[training_class.pk], user_ids=[], now=now
                ).held
            )

    result = {}
    for uid in wanted:
        class_ids_of = classes_of.get(uid, [])
        if uid not in completions:
            result[uid] = Eligibility(False, _("Not enrolled in this course."))
            continue
        completed_at = completions[uid]
        if completed_at is None:
            result[uid] = Eligibility(False, _("The course is not complete yet."))
            continue
        if (uid, completed_at) in revoked:
            result[uid] = Eligibility(
                False, _("The certificate for this completion was revoked.")
            )
            continue
        if not minimum:
            result[uid] = Eligibility(
                True, "", class_ids_of[0] if class_ids_of else None
            )
            continue
        result[uid] = _attendance_eligibility(
            minimum=minimum, user_id=uid, class_ids=class_ids_of, shares=shares
        )
    return result


def _attendance_eligibility(
    *, minimum: int, user_id: int, class_ids: list[int], shares: SessionsAttended
) -> Eligibility:
    if not class_ids:
        return Eligibility(
            False,
            _(
                "The course asks for attendance at its class, and this person is "
                "in no class that teaches it."
            ),
        )
    with_sessions = [cid for cid in class_ids if shares.held.get(cid)]
    if not with_sessions:
        return Eligibility(
            False,
            _("No session of the class has been held yet, so attendance is unknown."),
        )
    best = max(
        with_sessions, key=lambda cid: shares.share(user_id=user_id, class_id=cid)
    )
    attended, held = shares.of(user_id=user_id, class_id=best)
    if _attended(attended, held, minimum):
        return Eligibility(True, "", best)
    return Eligibility(
        False,
        _(
            "Attended %(attended)d of %(held)d sessions (%(percent)d%%); the course "
            "asks for at least %(minimum)d%%."
        )
        % {
            "attended": attended,
            "held": held,
            "percent": attended * 100 // held,
            "minimum": minimum,
        },
        best,
    )


def certificate_eligibility(
    *,
    user,
    course: CoursePage,
    training_class=None,
    now: datetime | None = None,
    enrolment: Enrolment | None = None,
    unrevoked: bool = False,
) -> Eligibility:
    """Return whether the person meets the course's issuing rule now, and why
    not; ``enrolment`` is theirs in the course when the caller has read it,
    ``unrevoked`` when it knows no certificate of its completion exists."""
    return certificate_eligibility_many(
        users=[user],
        course=course,
        training_class=training_class,
        now=now,
        completions=None if enrolment is None else {user.pk: enrolment.completed_at},
        completions_unrevoked=enrolment is not None and unrevoked,
    )[user.pk]


def certificates_of(*, user) -> QuerySet[Certificate]:
    """Return the learner's certificates, newest first, for "Chứng chỉ của tôi"."""
    return (
        Certificate.objects.filter(user=user)
        .select_related("course", "template")
        .order_by("-issued_at", "-pk")
    )


def certificate_for_course(*, user, course: CoursePage) -> Certificate | None:
    """Return the learner's latest certificate for the course, if any."""
    if not user.is_authenticated:
        return None
    return (
        Certificate.objects.filter(user=user, course=course)
        .order_by("-completed_at", "-pk")
        .first()
    )


def certificate_for_completion(enrolment: Enrolment) -> Certificate | None:
    """Return the certificate of the enrolment's current completion, if any."""
    return Certificate.objects.filter(
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        completed_at=enrolment.completed_at,
    ).first()


def certificate_by_code(code: str | None) -> Certificate | MeritCertificate | None:
    """Return the certificate, or the certificate of merit, with this
    (normalised) code, or None."""
    if not code:
        return None
    return _public(code=code)


def certificate_by_token(token: str) -> Certificate | MeritCertificate | None:
    """Return the certificate, or the certificate of merit, the QR token names,
    or None."""
    if not token:
        return None
    return _public(token=token)


def _public(**secret) -> Certificate | MeritCertificate | None:
    return (
        Certificate.objects.filter(**secret).select_related("course").first()
        or MeritCertificate.objects.filter(**secret).first()
    )


def merits_of(*, user) -> QuerySet[MeritCertificate]:
    """Return the person's certificates of merit, newest first."""
    return (
        MeritCertificate.objects.filter(user=user)
        .select_related("template")
        .order_by("-issued_at", "-pk")
    )


def merit_templates() -> QuerySet[CertificateTemplate]:
    """Return the templates a certificate of merit may be printed from."""
    return CertificateTemplate.objects.filter(kind=TemplateKind.MERIT)
