from django import template
from django.utils.safestring import mark_safe

from core.pagecache import PERSONAL_MARKER, generation

register = template.Library()


@register.simple_tag
def page_generation() -> str:
    """Return the site's generation (core.pagecache), for the key of a fragment
    kept with ``{% cache %}`` until something is published."""
    return generation()


@register.simple_tag(takes_context=True)
def personal(context, template_name: str):
    """Include a part of the page that is the visitor's own (their menu, their
    progress, a form with their CSRF token). While a shared shell is rendered
    (core.pagecache.render_with_personal_parts) it writes a marker instead, and
    the part is rendered for each request."""
    names = context.get("personal_parts")
    if names is None:
        template = context.template.engine.get_template(template_name)
        with context.push():
            return template.render(context)
    names.append(template_name)
    return mark_safe(PERSONAL_MARKER.format(index=len(names) - 1))
