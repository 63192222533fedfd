from django import template

from core.pagecache import generation

register = template.Library()


@register.simple_tag
def page_generation() -> str:
    """Return the site's generation (core.pagecache), for the key of a fragment
    kept with ``{% cache %}`` until something is published."""
    return generation()
