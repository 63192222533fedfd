"""certificates listens to what courses and classes announce: a completed
enrolment or an attended session may earn a certificate. Connected in
``CertificatesConfig.ready()``; run in the sender's transaction, so the
certificate is issued with the completion or the attendance, or not at all.

It also listens to core: a bulk run whose task died with its worker resumes.
And it tells courses what a completed course brought (``certificate_outcome``).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from courses.completion import Outcome

from .bulk import certificate_batch_worker_lost
from .selectors import (
    certificate_eligibility,
    certificate_for_completion,
    course_policy,
)
from .services import certificate_issue_after_attendance, certificate_issue_if_eligible


def issue_on_completion(sender, enrolment, **kwargs):
    certificate_issue_if_eligible(enrolment=enrolment)


def issue_on_attendance(sender, user, training_class, **kwargs):
    certificate_issue_after_attendance(user=user, training_class=training_class)


def resume_after_worker_lost(sender, task_path, task_id, times, **kwargs):
    from .tasks import certificate_batch_task

    if task_path == certificate_batch_task.module_path:
        certificate_batch_worker_lost(task_id=task_id, times=times)


def certificate_outcome(enrolment) -> Outcome | None:
    """Say whether the completed course's certificate was issued, and where it
    is, or what it still waits for; nothing for a course without one."""
    course = enrolment.course
    if course_policy(course) is None:
        return None
    certificate = certificate_for_completion(enrolment)
    if certificate is not None and certificate.revoked_at is None:
        return Outcome(
            text=_("Your certificate for this course has been issued."),
            url=reverse("certificates:mine"),
            label=_("See my certificates"),
        )
    if certificate is not None:
        return None  # revoked: the certificates page says why
    eligibility = certificate_eligibility(
        user=enrolment.user, course=course, enrolment=enrolment
    )
    if eligibility.eligible:
        return Outcome(
            text=_("Your certificate is being issued."),
            url=reverse("certificates:mine"),
            label=_("See my certificates"),
        )
    return Outcome(
        text=_("The certificate is not issued yet: %(reason)s")
        % {"reason": eligibility.reason}
    )
