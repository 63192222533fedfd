from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import checks  # noqa: F401  (registers the system checks)
        from .navigation import purge_navigation_cache

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(purge_navigation_cache, dispatch_uid=f"nav-{signal!r}")
