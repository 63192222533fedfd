from django.core.cache import cache

CATALOGUE_URL_CACHE_KEY = "core:catalogue-url"
SITE_SETTINGS_CACHE_KEY = "core:site-settings"


def purge_navigation_cache(**kwargs) -> None:
    """Forget cached navigation addresses when pages are published, moved or
    unpublished."""
    cache.delete(CATALOGUE_URL_CACHE_KEY)


def purge_site_settings_cache(**kwargs) -> None:
    cache.delete(SITE_SETTINGS_CACHE_KEY)
