from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.viewsets import ReadOnlyModelViewSet

from .feedback_report import LessonFeedbackReportView
from .models import Enrolment


class EnrolmentViewSet(ReadOnlyModelViewSet):
    """Who is taking which course, how far they are; written by the learners' own
    actions, so read-only here."""

    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["user", "course", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["course", "completed_at"]
    search_fields = ["user__full_name", "user__phone", "user__email"]
    inspect_view_fields = [
        "user",
        "course",
        "enrolled_at",
        "last_lesson",
        "last_activity_at",
        "completed_at",
    ]


@hooks.register("register_admin_viewset")
def register_enrolment_viewset():
    return EnrolmentViewSet("enrolments")


class LessonFeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("courses.view_lessonfeedback")


@hooks.register("register_admin_urls")
def register_lesson_feedback_report_urls():
    return [
        path(
            "reports/lesson-feedback/",
            LessonFeedbackReportView.as_view(),
            name="lesson_feedback_report",
        ),
        path(
            "reports/lesson-feedback/results/",
            LessonFeedbackReportView.as_view(results_only=True),
            name="lesson_feedback_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_lesson_feedback_report_menu_item():
    return LessonFeedbackMenuItem(
        _("Lesson feedback"),
        reverse("lesson_feedback_report"),
        name="lesson-feedback",
        icon_name="help",
        order=650,
    )
