from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("People")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.utils.module_loading import autodiscover_modules

        from . import receivers

        # Each app's personal_data module registers its sections of a person's
        # data (users.personal_data), so users imports no app above it.
        autodiscover_modules("personal_data")
        user_logged_in.connect(
            receivers.remember_login, dispatch_uid="users.remember_login"
        )
        user_logged_out.connect(
            receivers.forget_login, dispatch_uid="users.forget_login"
        )
