from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Coverage reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from classes.models import TrainingClass
        from courses.signals import enrolments_created

        from .selectors.cache import figures_changed
        from .services import (
            attendance_changed,
            certificate_changed,
            class_changed,
            class_courses_changed,
            enrolment_created,
            enrolment_deleted,
            enrolments_bulk_created,
            session_changed,
        )

        # Purge cached dashboards when a counted row changes (a cache purge, the
        # kind of decoupled side effect signals are kept for).
        for label in (
            "certificates.Certificate",
            "courses.Enrolment",
            "classes.Attendance",
            "classes.ClassSession",
            "classes.TrainingClass",
            "reports.Target",
        ):
            post_save.connect(figures_changed, sender=label, dispatch_uid=f"rc-{label}")
            post_delete.connect(
                figures_changed, sender=label, dispatch_uid=f"rc-{label}-del"
            )
        # The certificate spans the reports count people trained from are a
        # derived index of the certificates, kept in the same transaction as
        # each write, whatever wrote it (an issue, a revocation, the admin).
        post_save.connect(
            certificate_changed,
            sender="certificates.Certificate",
            dispatch_uid="reports-certificate-spans",
        )
        post_delete.connect(
            certificate_changed,
            sender="certificates.Certificate",
            dispatch_uid="reports-certificate-spans-del",
        )
        # Likewise the enrolments by day, counted as enrolments are created
        # (one by one or in bulk) and deleted.
        post_save.connect(
            enrolment_created,
            sender="courses.Enrolment",
            dispatch_uid="reports-enrolment-days",
        )
        post_delete.connect(
            enrolment_deleted,
            sender="courses.Enrolment",
            dispatch_uid="reports-enrolment-days-del",
        )
        enrolments_created.connect(
            enrolments_bulk_created, dispatch_uid="reports-enrolment-days-bulk"
        )
        # Likewise the participations, from the attendance, the sessions'
        # times and the classes' units and courses.
        post_save.connect(
            attendance_changed,
            sender="classes.Attendance",
            dispatch_uid="reports-participations",
        )
        post_delete.connect(
            attendance_changed,
            sender="classes.Attendance",
            dispatch_uid="reports-participations-del",
        )
        post_save.connect(
            session_changed,
            sender="classes.ClassSession",
            dispatch_uid="reports-participations-session",
        )
        post_save.connect(
            class_changed,
            sender="classes.TrainingClass",
            dispatch_uid="reports-participations-class",
        )
        m2m_changed.connect(
            class_courses_changed,
            sender=TrainingClass.courses.through,
            dispatch_uid="reports-participations-courses",
        )
