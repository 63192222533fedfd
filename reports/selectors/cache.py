"""A short-lived cache of the dashboard page and of the outcomes view, shared
by the officials who open the same report within a minute, made stale by any
counted write."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .coverage import coverage_dashboard
from .filters import Dashboard, ReportFilters
from .outcomes import OutcomesDashboard, outcomes_dashboard

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


def _key(prefix: str, filters: ReportFilters, *more) -> str:
    """Return the cache key of a report of the filters, as of the last counted
    write (the version) and in the language asked for."""
    parts = (
        cache.get(_VERSION_KEY, 0),
        translation.get_language(),
        filters.region.pk,
        filters.start,
        filters.end,
        filters.course.pk if filters.course else "",
        filters.kind or "",
        *more,
    )
    return prefix + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def dashboard_key(*, filters: ReportFilters) -> str:
    """Return the key the dashboard of these filters is kept under: it changes
    with every counted row saved through the ORM."""
    return _key("reports:dashboard:", filters)


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


def cached_outcomes_dashboard(
    *, filters: ReportFilters, campaign=None
) -> OutcomesDashboard:
    """Return ``outcomes_dashboard(filters=filters, campaign=campaign)`` for
    the outcomes page, computed at most CACHE_SECONDS ago and after the last
    counted write (help records, certificates and outcome figures all make
    the version move). A campaign is named by its id and its target share
    (which picks the units that need help); its other fields are read
    afresh."""
    seconds = cache_seconds()
    if not seconds:
        return outcomes_dashboard(filters=filters, campaign=campaign)
    key = _key(
        "reports:outcomes:",
        filters,
        campaign.pk if campaign else "",
        campaign.target_online_share if campaign else "",
    )
    board = cache.get(key)
    if board is None:
        board = outcomes_dashboard(filters=filters, campaign=campaign)
        cache.set(key, board, seconds)
    board.campaign = campaign
    return board
