from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Coverage reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from classes.models import TrainingClass
        from classes.signals import attendance_recorded
        from core.signals import task_abandoned
        from courses.signals import enrolments_created
        from outreach.signals import help_records_changed

        from . import receivers

        # The writes of the rows the reports count: each receiver notes what
        # changed, and the counts and cached dashboards are refreshed after the
        # write commits (reports.receivers).
        for label, receiver in (
            ("certificates.Certificate", receivers.certificate_changed),
            ("courses.Enrolment", receivers.enrolment_changed),
            ("classes.Attendance", receivers.attendance_changed),
        ):
            post_save.connect(receiver, sender=label, dispatch_uid=f"reports-{label}")
            post_delete.connect(
                receiver, sender=label, dispatch_uid=f"reports-{label}-del"
            )
        enrolments_created.connect(
            receivers.enrolments_bulk_created, dispatch_uid="reports-enrolments-bulk"
        )
        attendance_recorded.connect(
            receivers.attendance_recorded, dispatch_uid="reports-attendance-recorded"
        )
        help_records_changed.connect(
            receivers.help_records_changed, dispatch_uid="reports-help-records"
        )
        post_delete.connect(
            receivers.help_record_deleted,
            sender="outreach.HelpRecord",
            dispatch_uid="reports-help-record-del",
        )
        post_save.connect(
            receivers.session_changed,
            sender="classes.ClassSession",
            dispatch_uid="reports-session",
        )
        post_save.connect(
            receivers.class_changed,
            sender="classes.TrainingClass",
            dispatch_uid="reports-class",
        )
        m2m_changed.connect(
            receivers.class_courses_changed,
            sender=TrainingClass.courses.through,
            dispatch_uid="reports-class-courses",
        )
        task_abandoned.connect(
            receivers.refresh_worker_lost, dispatch_uid="reports-worker-lost"
        )
        # Rows counted as they are, without kept counts: only the cache.
        cached = (
            "classes.ClassSession",
            "classes.TrainingClass",
            "reports.Target",
            "reports.OutcomeFigure",
        )
        for label in cached:
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.counted_row_changed,
                    sender=label,
                    dispatch_uid=f"reports-cache-{label}-{signal is post_save}",
                )
