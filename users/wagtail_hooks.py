from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import RegionRole


class RegionRoleViewSet(ModelViewSet):
    """Who is an official of which unit (and so sees, read-only, its classes)."""

    model = RegionRole
    icon = "user"
    menu_label = _("Unit officials")
    menu_order = 350
    add_to_admin_menu = True
    list_display = ["user", "region", "role"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__phone", "region__name"]
    form_fields = ["user", "region", "role"]

    def get_queryset(self, request):
        return RegionRole.objects.select_related("user", "region", "region__parent")


@hooks.register("register_admin_viewset")
def register_region_role_viewset():
    return RegionRoleViewSet("region_roles")
