from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("People")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_delete, post_save
        from django.utils.module_loading import autodiscover_modules

        from . import receivers
        from .models import RegionRole, User

        # Each app's personal_data module registers its sections of a person's
        # data (users.personal_data), so users imports no app above it.
        autodiscover_modules("personal_data")
        user_logged_in.connect(
            receivers.remember_login, dispatch_uid="users.remember_login"
        )
        user_logged_out.connect(
            receivers.forget_login, dispatch_uid="users.forget_login"
        )
        # A role granted or taken away is seen by the next check of scopes,
        # even on a User object that already read its roles.
        post_save.connect(
            receivers.region_roles_changed,
            sender=RegionRole,
            dispatch_uid="users.region_role_saved",
        )
        post_delete.connect(
            receivers.region_roles_changed,
            sender=RegionRole,
            dispatch_uid="users.region_role_deleted",
        )
        # A signed-in person's row is kept in the shared cache for their pages
        # (users.backends.PhoneOrEmailBackend.get_user) until it changes.
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.user_changed,
                sender=User,
                dispatch_uid=f"users.user_changed-{signal is post_save}",
            )
