"""Who sees which unit's reports: an official their units' subtrees, a
superuser every province."""

from __future__ import annotations

from regions.models import Region
from users import scopes


def dashboard_root_for(user) -> Region | None:
    """Return the unit a user's dashboard opens at: the highest unit they are an
    official of (a province official's province, a commune official's commune),
    or None for anyone else (a superuser picks a province)."""
    return scopes.official_units(user).order_by("level", "path").first()


def can_view_reports(user) -> bool:
    return user.is_authenticated and (user.is_superuser or scopes.is_official(user))
