from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.permissions import ReadOnlyPermissionPolicy
from core.viewsets import ReadOnlyModelViewSet

from .models import AccountEvent, PersonalDataExport, RegionRole


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


class SuperuserReadOnlyPolicy(ReadOnlyPermissionPolicy):
    """Only superusers list and inspect the rows; nobody changes them."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        return users.filter(is_superuser=True)


class SuperuserReadOnlyViewSet(ReadOnlyModelViewSet):
    def on_register(self):
        register_permission_policy(self.model, SuperuserReadOnlyPolicy(self.model))
        super(ReadOnlyModelViewSet, self).on_register()


class AccountEventViewSet(SuperuserReadOnlyViewSet):
    """Resets, login cards, claims, password changes and the like, with who did
    them, for whom and when."""

    model = AccountEvent
    icon = "history"
    menu_label = _("Account events")
    list_display = ["at", "subject", "kind", "actor", "ip_address", "detail"]
    list_filter = ["kind"]
    search_fields = ["subject__full_name", "subject__phone", "actor__full_name"]
    inspect_view_fields = ["at", "subject", "kind", "actor", "ip_address", "detail"]

    def get_queryset(self, request):
        return AccountEvent.objects.select_related("subject", "actor")


class PersonalDataExportViewSet(SuperuserReadOnlyViewSet):
    """Every file of other people's personal data someone took."""

    model = PersonalDataExport
    icon = "download"
    menu_label = _("Exports of personal data")
    list_display = ["at", "actor", "kind", "description", "people", "region"]
    list_filter = ["kind"]
    search_fields = ["actor__full_name", "description"]
    inspect_view_fields = [
        "at",
        "actor",
        "kind",
        "description",
        "people",
        "region",
        "ip_address",
    ]

    def get_queryset(self, request):
        return PersonalDataExport.objects.select_related(
            "actor", "region", "region__parent"
        )


class AccountSecurityGroup(ViewSetGroup):
    menu_label = _("Account security")
    menu_icon = "lock"
    menu_order = 360
    items = (
        AccountEventViewSet("account_events"),
        PersonalDataExportViewSet("personal_data_exports"),
    )


@hooks.register("register_admin_viewset")
def register_account_security_viewsets():
    return AccountSecurityGroup()
