"""A short-lived cache of the dashboard page, shared by the officials who open
the same report within a minute, made stale by any counted write."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .coverage import coverage_dashboard
from .filters import Dashboard, ReportFilters

# How old the figures on the dashboard page may be. Officials open the same
# province dashboard together in the weekly meeting; within this time they share
# one computation. Exports and the feed always compute afresh. The setting
# REPORTS_CACHE_SECONDS overrides it; 0 turns the cache off (to time a cold page).
CACHE_SECONDS = 60
_VERSION_KEY = "reports:version"


def figures_changed(**_kwargs) -> None:
    """Make every cached dashboard stale (connected to the saves and deletes of
    the rows the reports count; writes that send no signal, such as bulk
    inserts, show within CACHE_SECONDS)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def cache_seconds() -> int:
    """Return how long a dashboard is kept (0: not kept)."""
    return getattr(settings, "REPORTS_CACHE_SECONDS", CACHE_SECONDS)


def dashboard_key(*, filters: ReportFilters) -> str:
    """Return the key the dashboard of these filters is kept under: it changes
    with every counted row saved through the ORM."""
    version = cache.get(_VERSION_KEY, 0)
    return (
        "reports:dashboard:"
        + hashlib.sha256(
            "|".join(
                str(part)
                for part in (
                    version,
                    translation.get_language(),
                    filters.region.pk,
                    filters.start,
                    filters.end,
                    filters.course.pk if filters.course else "",
                    filters.kind or "",
                )
            ).encode()
        ).hexdigest()
    )


def cached_coverage_dashboard(
    *, filters: ReportFilters, key: str | None = None
) -> Dashboard:
    """Return ``coverage_dashboard(filters=filters)``, computed at most
    CACHE_SECONDS ago and after the last counted row saved through the ORM
    (key: the one ``dashboard_key`` gave for the filters, when the caller has
    it)."""
    seconds = cache_seconds()
    if not seconds:
        return coverage_dashboard(filters=filters)
    key = key or dashboard_key(filters=filters)
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = coverage_dashboard(filters=filters)
        cache.set(key, dashboard, seconds)
    dashboard.cache_key, dashboard.cache_seconds = key, seconds
    return dashboard
