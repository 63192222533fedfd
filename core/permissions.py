from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Let people with the view (or change) permission list and inspect rows, and
    nobody add, change or delete them in the admin: such rows are written by
    services only."""

    def user_has_permission(self, user, action):
        if action != "view" or not (user.is_active and user.is_authenticated):
            return False
        return user.has_perm(self._get_permission_name("view")) or user.has_perm(
            self._get_permission_name("change")
        )

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model()._default_manager.none()
        return super().users_with_any_permission({"view", "change"})
