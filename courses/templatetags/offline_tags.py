from django import template

from courses.offline import session_key

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_owner(context) -> str:
    """Return the key under which the service worker keeps the pages of this
    session (courses.offline.session_key); "" for a visitor."""
    request = context.get("request")
    return session_key(request) if request is not None else ""
