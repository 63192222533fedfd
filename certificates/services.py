"""Writes of certificates: issue, revoke, and start a course over to renew one;
award and revoke a certificate of merit (giấy khen).

A certificate is issued by an explicit call, never by a signal: on completion
(``courses.services.enrolment_completion_update``), after attendance is marked
(``classes.services.session_attendance_mark``), in bulk (``certificates.bulk``)
and by hand. Permission checks are the caller's (``certificates.scopes``).
"""

from __future__ import annotations

import calendar
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modelcluster.models import get_serializable_data_for_fields

from courses.models import CoursePage, Enrolment, LessonProgress
from regions.models import Region
from users.models import User

from .codes import new_code
from .credentials import status_list_forget, status_position
from .models import (
    Certificate,
    CertificatePolicy,
    CertificateTemplate,
    MeritCertificate,
    TemplateKind,
)
from .selectors import (
    Eligibility,
    certificate_eligibility,
    certificate_for_completion,
    course_policy,
)


def add_months(moment: datetime, months: int) -> datetime:
    """Return the same local time ``months`` calendar months later; the 31st of a
    month becomes the last day of a shorter one."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def course_hours(course: CoursePage) -> Decimal:
    """Return the hours printed for the course: its own figure, else its estimated
    duration rounded to the half hour (at least half an hour)."""
    policy = course_policy(course)
    if policy is not None and policy.hours is not None:
        return policy.hours
    halves = (Decimal(course.estimated_minutes) / 30).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return max(halves, Decimal(1)) / 2


def certificate_policy_set(
    *,
    course: CoursePage,
    template,
    min_attendance: int | None = None,
    valid_months: int | None = None,
    hours: Decimal | None = None,
) -> CertificatePolicy:
    """Give the course this certificate rule, replacing the one it had.

    The page's latest revision gets the rule too: the editor opens a course
    from it, and publishing it writes its rules back, so a rule set here must
    be in it."""
    policy, _created = CertificatePolicy.objects.update_or_create(
        course_id=course.pk,
        defaults={
            "template": template,
            "min_attendance": min_attendance,
            "valid_months": valid_months,
            "hours": hours,
        },
    )
    revision = course.latest_revision
    if revision is not None:
        revision.content = {
            **revision.content,
            "certificate_policies": [get_serializable_data_for_fields(policy)],
        }
        revision.save(update_fields=["content"])
    course._certificate_policy = policy
    return policy


def format_hours(hours: Decimal) -> str:
    """Write hours the Vietnamese way: 1,5 and 2 (not 2,0)."""
    text = f"{Decimal(hours).normalize():f}"
    return text.replace(".", ",")


def region_snapshot(region: Region | None) -> dict:
    """Return the region fields of a certificate for the learner's unit."""
    if region is None:
        return {
            "region": None,
            "region_path": "",
            "province": None,
            "district": None,
            "commune": None,
            "unit": "",
        }
    chain = [*region.ancestors(), region]
    by_level = {unit.level: unit for unit in chain}
    return {
        "region": region,
        "region_path": region.path,
        "province": by_level.get(Region.Level.PROVINCE),
        "district": by_level.get(Region.Level.DISTRICT),
        "commune": by_level.get(Region.Level.COMMUNE),
        # Nearest first, as Vietnamese addresses are written.
        "unit": ", ".join(unit.name for unit in reversed(chain)),
    }


def _person_values(user: User) -> dict[str, str]:
    """Return the placeholders that name the holder."""
    return {
        "learner_name": user.full_name or user.get_username(),
        "date_of_birth": (
            user.date_of_birth.strftime("%d/%m/%Y") if user.date_of_birth else ""
        ),
    }


def _printed(*, user: User, course, template, training_class, unit, issued_at):
    values = {
        **_person_values(user),
        "course": course.title,
        "hours": format_hours(course_hours(course)),
        "class": training_class.name if training_class else "",
        "unit": unit,
        "issue_date": timezone.localtime(issued_at).strftime("%d/%m/%Y"),
        "place": template.place,
    }
    return template.printed_with(values)


def certificate_issue(
    *,
    enrolment: Enrolment,
    issued_by: User | None = None,
    training_class=None,
    now: datetime | None = None,
) -> Certificate:
    """Issue the certificate for the enrolment's current completion, or return the
    one already issued for it.

    Raise ValidationError, with the reason, when the learner does not meet the
    course's rule. Safe to call twice at once: the second call returns the first
    one's certificate.
    """
    return _issue(
        enrolment=enrolment,
        issued_by=issued_by,
        training_class=training_class,
        now=now or timezone.now(),
    )


def _latest(enrolment: Enrolment) -> Certificate | None:
    """Return the person's latest certificate of the course up to the
    enrolment's completion: this very completion's, or the one a new
    certificate renews."""
    return (
        Certificate.objects.filter(
            user_id=enrolment.user_id,
            course_id=enrolment.course_id,
            completed_at__lte=enrolment.completed_at,
        )
        .order_by("-completed_at", "-pk")
        .first()
    )


_UNREAD = object()


def _issue(
    *,
    enrolment: Enrolment,
    issued_by: User | None,
    training_class,
    now: datetime,
    eligibility: Eligibility | None = None,
    fresh: bool = False,
    classes=(),
    latest=_UNREAD,
) -> Certificate:
    """Do ``certificate_issue``; ``eligibility`` is the rule's verdict at ``now``
    when the caller has it already, else it is found here. ``fresh``: the
    caller read the enrolment, with its user and their unit, so it is not read
    again; ``classes`` are classes it has read, one of which the certificate
    may name; ``latest`` is ``_latest(enrolment)`` when it has read that.

    No transaction of its own: it writes one row, and the unique completion
    settles two issues at once."""
    if not fresh:
        known = enrolment._state.fields_cache.get("course")
        enrolment = Enrolment.objects.select_related(
            "user", "user__home_region", "course"
        ).get(pk=enrolment.pk)
        if hasattr(known, "_certificate_policy"):
            # The rule the caller read for this course (course_policy): not twice.
            enrolment.course._certificate_policy = known._certificate_policy
    course, user = enrolment.course, enrolment.user
    if latest is _UNREAD:
        latest = _latest(enrolment) if enrolment.completed_at is not None else None
    if latest is not None and latest.completed_at == enrolment.completed_at:
        # This completion's certificate, returned as it is.
        return latest
    if eligibility is None:
        eligibility = certificate_eligibility(
            user=user, course=course, training_class=training_class, now=now
        )
    if not eligibility.eligible:
        raise ValidationError(eligibility.reason, code="not_eligible")
    if training_class is None and eligibility.training_class_id:
        training_class = next(
            (c for c in classes if c.pk == eligibility.training_class_id), None
        )
        if training_class is None:
            from classes.models import TrainingClass

            training_class = TrainingClass.objects.get(pk=eligibility.training_class_id)

    previous = latest
    if (
        previous is not None
        and Certificate.objects.filter(renewal_of=previous).exists()
    ):
        previous = None
    policy = course_policy(course)
    template = policy.template
    snapshot = region_snapshot(user.home_region)
    unit = snapshot.pop("unit")
    expires_at = add_months(now, policy.valid_months) if policy.valid_months else None
    certificate = Certificate(
        user=user,
        course=course,
        enrolment=enrolment,
        completed_at=enrolment.completed_at,
        training_class=training_class,
        template=template,
        renewal_of=previous,
        issued_at=now,
        issued_by=issued_by,
        expires_at=expires_at,
        learner_kind=user.kind,
        printed=_printed(
            user=user,
            course=course,
            template=template,
            training_class=training_class,
            unit=unit,
            issued_at=now,
        ),
        **snapshot,
    )
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Another call issued it for this completion first.
        existing = certificate_for_completion(enrolment)
        if existing is None:
            raise
        return existing
    return certificate


def certificate_issue_if_eligible(
    *, enrolment: Enrolment, training_class=None
) -> Certificate | None:
    """Issue the certificate when the learner meets the course's rule; return it,
    or None when they do not (yet). The automatic path."""
    return _issue_if_eligible(enrolment=enrolment, training_class=training_class)


def _issue_if_eligible(
    *, enrolment: Enrolment, training_class=None, fresh=False, classes=()
) -> Certificate | None:
    """Do ``certificate_issue_if_eligible``; with ``fresh`` (see ``_issue``),
    this completion's certificate is looked for first, and the rule then
    knows that none of it was revoked."""
    course = enrolment.course
    if enrolment.completed_at is None or course_policy(course) is None:
        return None
    latest = _UNREAD
    if fresh:
        latest = _latest(enrolment)
        if latest is not None and latest.completed_at == enrolment.completed_at:
            # Issued already, and returned as the rule would: unless revoked.
            return None if latest.revoked_at is not None else latest
    now = timezone.now()
    eligibility = certificate_eligibility(
        user=enrolment.user,
        course=course,
        training_class=training_class,
        now=now,
        enrolment=enrolment if fresh else None,
        unrevoked=fresh,
    )
    if not eligibility.eligible:
        return None
    # The rule was just checked: issuing does not check it again.
    return _issue(
        enrolment=enrolment,
        issued_by=None,
        training_class=training_class,
        now=now,
        eligibility=eligibility,
        fresh=fresh,
        classes=classes,
        latest=latest,
    )


def certificate_issue_after_attendance(*, user: User, training_class) -> list:
    """Issue what the learner's attendance at the class now earns: certificates of
    the class's courses they completed whose rule asks for attendance."""
    enrolments = Enrolment.objects.filter(
        user=user,
        completed_at__isnull=False,
        course__in=training_class.courses.filter(
            certificate_policies__min_attendance__isnull=False,
        ),
    ).select_related("course", "user__home_region")
    issued = []
    for enrolment in enrolments:
        certificate = _issue_if_eligible(
            enrolment=enrolment, fresh=True, classes=[training_class]
        )
        if certificate is not None:
            issued.append(certificate)
    return issued


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, by: User, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke the certificate with a reason, which the verification page shows."""
    certificate = _revoked(certificate, by=by, reason=reason, now=now)
    # The published revocation list says so at once, on every machine that
    # shares the cache (and within its lifetime on any other).
    number, _index = status_position(certificate.pk)
    transaction.on_commit(lambda: status_list_forget(number))
    return certificate


def _revoked(document, *, by: User, reason: str, now: datetime | None):
    """Revoke a certificate or a certificate of merit, locked, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for revoking the certificate."), code="reason"
        )
    document = type(document).objects.select_for_update().get(pk=document.pk)
    if document.revoked_at is not None:
        raise ValidationError(
            _("This certificate is already revoked."), code="already_revoked"
        )
    document.revoked_at = now or timezone.now()
    document.revoked_by = by
    document.revoked_reason = reason
    document.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return document


@transaction.atomic
def merit_certificate_revoke(
    *, merit: MeritCertificate, by: User, reason: str, now: datetime | None = None
) -> MeritCertificate:
    """Revoke the certificate of merit with a reason, which its verification
    page shows. The caller checks the person may (``scopes``)."""
    return _revoked(merit, by=by, reason=reason, now=now)


class MeritExists(Exception):
    """The person already has a certificate of merit for this unit and period."""

    def __init__(self, merit: MeritCertificate):
        super().__init__(merit.code)
        self.merit = merit


def _period_text(start, end) -> str:
    """Return the period as printed, in the site's language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("from %(start)s to %(end)s") % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }


@transaction.atomic
def merit_certificate_award(
    *,
    user: User,
    template: CertificateTemplate,
    awarded_by: User,
    region: Region,
    period_start,
    period_end,
    reason: str,
    helped_count: int,
    campaign_name: str = "",
    now: datetime | None = None,
) -> MeritCertificate:
    """Award a certificate of merit, printed from a template of merit, or raise
    ``MeritExists`` when the person has one for this unit and period (revoked
    or not), so a second award writes nothing. Who may award whom, and for
    what, is the caller's rule (``outreach.services.merit_award``)."""
    if template.kind != TemplateKind.MERIT:
        raise ValidationError(
            _("Choose a template of merit (giấy khen)."), code="template_kind"
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Write what the certificate of merit is for."))
    existing = MeritCertificate.objects.filter(
        user=user, region=region, period_start=period_start, period_end=period_end
    ).first()
    if existing is not None:
        raise MeritExists(existing)
    issued_at = now or timezone.now()
    values = {
        **_person_values(user),
        "reason": reason,
        "helped": str(helped_count),
        "period": _period_text(period_start, period_end),
        "campaign": campaign_name,
        "unit": region_snapshot(region)["unit"],
        "issue_date": timezone.localtime(issued_at).strftime("%d/%m/%Y"),
        "place": template.place,
    }
    merit = MeritCertificate(
        user=user,
        template=template,
        awarded_by=awarded_by,
        region=region,
        region_path=region.path,
        period_start=period_start,
        period_end=period_end,
        campaign_name=campaign_name,
        reason=reason,
        helped_count=helped_count,
        issued_at=issued_at,
        printed=template.printed_with(values),
    )
    # A code is never shared with a certificate: /verify/ looks both up.
    while Certificate.objects.filter(code=merit.code).exists():
        merit.code = new_code()
    try:
        with transaction.atomic():
            merit.save()
    except IntegrityError:
        # Awarded at the same moment by someone else.
        existing = MeritCertificate.objects.filter(
            user=user, region=region, period_start=period_start, period_end=period_end
        ).first()
        if existing is None:
            raise
        raise MeritExists(existing) from None
    return merit


@transaction.atomic
def enrolment_restart(*, enrolment: Enrolment, now: datetime | None = None):
    """Start a completed course over, so a new completion renews its certificate.

    Allowed once the certificate of the current completion has expired, and only
    then: while it is valid there is nothing to renew, and a revoked one is for
    the issuing body to settle, not to be redone around. Lessons are no longer
    marked done and final-quiz attempts from before now no longer count; the
    expired certificate stays as it was.
    """
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.completed_at is None:
        raise ValidationError(
            _("The course is not complete yet, so there is nothing to redo."),
            code="not_complete",
        )
    certificate = certificate_for_completion(enrolment)
    if certificate is None or certificate.status_at(now) != Certificate.Status.EXPIRED:
        raise ValidationError(
            _("A course can be redone once its certificate has expired."),
            code="not_expired",
        )
    LessonProgress.objects.filter(
        enrolment=enrolment, completed_at__isnull=False
    ).update(completed_at=None)
    enrolment.completed_at = None
    enrolment.restarted_at = now
    enrolment.last_lesson = None
    enrolment.save(update_fields=["completed_at", "restarted_at", "last_lesson"])
    return enrolment
