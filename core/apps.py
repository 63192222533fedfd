from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import checks  # noqa: F401  (registers the system checks)
        from .admin_labels import label_wagtail_forms
        from .models import SiteSettings
        from .navigation import purge_navigation_cache, purge_site_settings_cache
        from .routing import connect_signals

        connect_signals()
        label_wagtail_forms()
        post_save.connect(
            purge_site_settings_cache, sender=SiteSettings, dispatch_uid="site-settings"
        )

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(purge_navigation_cache, dispatch_uid=f"nav-{signal!r}")
        self._connect_page_cache()

    def _connect_page_cache(self):
        """Purge the cached pages and fragments (core.pagecache) whenever what
        a page shows may have changed."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import SiteSettings
        from .pagecache import purge, purge_for_page

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(purge, dispatch_uid=f"pagecache-{signal!r}")
        for signal in (post_save, post_delete):
            # Sent with the page's own class (LessonPage...), never with Page.
            signal.connect(purge_for_page, dispatch_uid=f"pagecache-page-{signal!r}")
            for model in (Site, SiteSettings, get_image_model(), get_document_model()):
                signal.connect(
                    purge,
                    sender=model,
                    dispatch_uid=f"pagecache-{model._meta.label}-{signal!r}",
                )
