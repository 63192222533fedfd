from django import template
from django.core.cache import cache

from core.navigation import CATALOGUE_URL_CACHE_KEY

register = template.Library()


@register.simple_tag
def catalogue_url() -> str:
    """Return the course catalogue's address (cached until a page is published)."""
    url = cache.get(CATALOGUE_URL_CACHE_KEY)
    if url is None:
        from courses.models import CourseIndexPage

        page = CourseIndexPage.objects.live().first()
        url = page.url if page else "/"
        cache.set(CATALOGUE_URL_CACHE_KEY, url, 60 * 60)
    return url
