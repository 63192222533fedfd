from django.core.cache import cache

CATALOGUE_URL_CACHE_KEY = "core:catalogue-url"


def purge_navigation_cache(**kwargs) -> None:
    """Forget cached navigation addresses when pages are published, moved or
    unpublished."""
    cache.delete(CATALOGUE_URL_CACHE_KEY)
