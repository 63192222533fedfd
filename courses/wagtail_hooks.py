from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.viewsets import ReadOnlyModelViewSet

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
