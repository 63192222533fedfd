from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Return a duration in whole minutes, rounded up ("14 min 30 s" is 15)."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)
