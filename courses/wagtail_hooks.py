from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from core.viewsets import ReadOnlyModelViewSet

from . import paper_views
from .feedback_report import LessonFeedbackReportView
from .models import Enrolment, LessonPage
from .paper_views import can_print_posters


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


class LessonLeafletButton(PageMenuItem):
    """“Tải tờ hướng dẫn (PDF)”: the lesson's leaflet, for a print shop."""

    label = _("Download the leaflet (PDF)")
    icon_name = "doc-full"
    url_name = "courses_lesson_leaflet"
    priority = 45

    def is_shown(self, user):
        return (
            issubclass(self.page.specific_class or Page, LessonPage)
            and self.page.live
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_listing_more_buttons")
def lesson_leaflet_listing_button(page, user, next_url=None):
    yield LessonLeafletButton(page=page)


@hooks.register("register_page_header_buttons")
def lesson_leaflet_header_button(page, user, view_name, next_url=None):
    yield LessonLeafletButton(page=page)


class QrPosterMenuItem(MenuItem):
    def is_shown(self, request):
        return can_print_posters(request.user)


@hooks.register("register_admin_menu_item")
def register_qr_poster_menu_item():
    return QrPosterMenuItem(
        _("QR code poster"),
        reverse("courses_qr_poster"),
        icon_name="doc-full",
        order=290,
    )


@hooks.register("register_admin_urls")
def register_paper_urls():
    return [
        path(
            "courses/lessons/<int:pk>/leaflet.pdf",
            paper_views.lesson_leaflet,
            name="courses_lesson_leaflet",
        ),
        path(
            "courses/qr-poster/",
            paper_views.QrPosterView.as_view(),
            name="courses_qr_poster",
        ),
    ]


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
