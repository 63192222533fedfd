from django import template
from django.core.cache import cache

from core.navigation import CATALOGUE_URL_CACHE_KEY, SITE_SETTINGS_CACHE_KEY
from core.pagecache import generation

register = template.Library()
TIMEOUT = 60 * 60
# The catalogue's address for the site's generation of this process.
_catalogue_urls: dict[str, str] = {}


@register.simple_tag
def catalogue_url() -> str:
    """Return the address of the catalogue the home page names (cached until a
    page is published).

    Kept in this process too, for the site's generation (which every publish
    renews, core.pagecache, and which the request has read already): the
    header asks for it on every page, logged in or not."""
    current = generation()
    known = _catalogue_urls.get(current)
    if known is not None:
        return known
    url = cache.get(CATALOGUE_URL_CACHE_KEY)
    if url is None:
        from core.models import HomePage

        home = HomePage.objects.select_related("catalogue").first()
        page = home.live_catalogue() if home else None
        url = page.url if page else "/"
        cache.set(CATALOGUE_URL_CACHE_KEY, url, TIMEOUT)
    _catalogue_urls.clear()
    _catalogue_urls[current] = url
    return url


@register.simple_tag
def site_settings() -> dict:
    """Return the footer's site settings (cached until they are saved)."""
    values = cache.get(SITE_SETTINGS_CACHE_KEY)
    if values is None:
        from core.models import SiteSettings

        row = SiteSettings.objects.first()
        values = {
            "organisation": row.organisation if row else "",
            "contact": row.contact if row else "",
        }
        cache.set(SITE_SETTINGS_CACHE_KEY, values, TIMEOUT)
    return values
