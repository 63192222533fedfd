from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import SiteSettings
        from .navigation import purge_navigation_cache, purge_site_settings_cache
        from .routing import connect_signals

        connect_signals()
        post_save.connect(
            purge_site_settings_cache, sender=SiteSettings, dispatch_uid="site-settings"
        )

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(purge_navigation_cache, dispatch_uid=f"nav-{signal!r}")
