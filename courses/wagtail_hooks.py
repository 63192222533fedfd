from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.permissions import ReadOnlyPermissionPolicy

from .models import Enrolment


class EnrolmentViewSet(ModelViewSet):
    """Who is taking which course, how far they are; written by the learners' own
    actions, so read-only here."""

    model = Enrolment
    # Enrolments hold no references to content; indexing them would cost a task
    # (or, with immediate tasks, several queries) on every save.
    add_to_reference_index = False
    icon = "user"
    menu_label = _("Enrolments")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["user", "course", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["course", "completed_at"]
    search_fields = ["user__full_name", "user__phone", "user__email"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "user",
        "course",
        "enrolled_at",
        "last_lesson",
        "last_activity_at",
        "completed_at",
    ]
    copy_view_enabled = False
    # Required by ModelViewSet; the permission policy never lets anyone use it.
    form_fields = ["completed_at"]


register_permission_policy(Enrolment, ReadOnlyPermissionPolicy(Enrolment))


@hooks.register("register_admin_viewset")
def register_enrolment_viewset():
    return EnrolmentViewSet("enrolments")
