from django import template
from django.core.cache import cache

from reports.selectors.access import can_view_reports

register = template.Library()
# How long the menu remembers whether someone is an official: a new role shows
# in the menu within this time, and pages pay no query for the menu meanwhile.
TIMEOUT = 5 * 60


@register.simple_tag(takes_context=True)
def shows_reports(context) -> bool:
    """Return whether the menu offers the coverage reports to the current user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    key = f"reports:menu:{user.pk}"
    shown = cache.get(key)
    if shown is None:
        shown = can_view_reports(user)
        cache.set(key, shown, TIMEOUT)
    return shown
