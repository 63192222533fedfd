"""certificates listens to what courses and classes announce: a completed
enrolment or an attended session may earn a certificate. Connected in
``CertificatesConfig.ready()``; run in the sender's transaction, so the
certificate is issued with the completion or the attendance, or not at all."""

from .services import certificate_issue_after_attendance, certificate_issue_if_eligible


def issue_on_completion(sender, enrolment, **kwargs):
    certificate_issue_if_eligible(enrolment=enrolment)


def issue_on_attendance(sender, user, training_class, **kwargs):
    certificate_issue_after_attendance(user=user, training_class=training_class)
