from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.admin.panels import InlinePanel

        from classes.signals import attendance_marked
        from core.signals import task_abandoned
        from courses.completion import outcome_register
        from courses.models import CoursePage
        from courses.signals import enrolment_completed

        from . import checks, receivers  # noqa: F401 - checks registers itself

        # The course's certificate rule, edited on the course page: courses
        # knows nothing of certificates.
        CoursePage.content_panels = [
            *CoursePage.content_panels,
            InlinePanel(
                "certificate_policies",
                max_num=1,
                heading=_("Certificate"),
                label=_("Certificate rule"),
                help_text=_(
                    "Add a rule for learners who complete the course to get a "
                    "certificate. Without one the course gives none."
                ),
            ),
        ]

        enrolment_completed.connect(
            receivers.issue_on_completion, dispatch_uid="certificates.on_completion"
        )
        attendance_marked.connect(
            receivers.issue_on_attendance, dispatch_uid="certificates.on_attendance"
        )
        task_abandoned.connect(
            receivers.resume_after_worker_lost, dispatch_uid="certificates.worker_lost"
        )
        # The final quiz's result says whether the course's certificate came.
        outcome_register(receivers.certificate_outcome)
