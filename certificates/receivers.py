"""certificates listens to what courses and classes announce: a completed
enrolment or an attended session may earn a certificate. Connected in
``CertificatesConfig.ready()``; run in the sender's transaction, so the
certificate is issued with the completion or the attendance, or not at all.

It also listens to core: a bulk run whose task died with its worker resumes."""

from .bulk import certificate_batch_worker_lost
from .services import certificate_issue_after_attendance, certificate_issue_if_eligible


def issue_on_completion(sender, enrolment, **kwargs):
    certificate_issue_if_eligible(enrolment=enrolment)


def issue_on_attendance(sender, user, training_class, **kwargs):
    certificate_issue_after_attendance(user=user, training_class=training_class)


def resume_after_worker_lost(sender, task_path, task_id, times, **kwargs):
    from .tasks import certificate_batch_task

    if task_path == certificate_batch_task.module_path:
        certificate_batch_worker_lost(task_id=task_id, times=times)
