"""Who answers for which units: people and their roles.

- A unit official (``RegionRole`` with role "official") answers for their units
  and every unit below them: they see, read-only, what each app records there
  (``classes.scopes``, ``certificates.scopes``).
- A superuser answers for every unit.

Each app decides who may see its own rows, from the roles this module reads.

A person's official paths are read once per ``User`` object (a request loads
its own), and read again after any ``RegionRole`` is saved or deleted in the
process (``users.receivers.region_roles_changed``), so a role granted or taken
away is seen by the next check even on the same object. Between role changes
they are kept in the shared cache too, under the *roles version* every role
saved or deleted renews (in every process, and again once the change is
committed), so an official's pages ask the database for them once, not on
every request.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db.models import QuerySet

from core.cache import forget
from regions.models import Region
from regions.scopes import is_under, under_paths

from .models import RegionRole

# Replaced whenever a role is saved or deleted: paths cached with an older token
# are stale.
_roles_token = object()
# The shared cache's roles version, forgotten (so a new one is drawn) whenever a
# role is saved or deleted; a person's paths are kept with the version they
# were read under.
ROLES_VERSION_KEY = "users:roles-version"
PATHS_TIMEOUT = 60 * 60


def _paths_key(user_id: int) -> str:
    return f"users:official-paths:{user_id}"


def region_roles_changed() -> None:
    """Make every person's cached official paths stale: in this process now,
    in the shared cache now and once the change is committed (a page read
    meanwhile may have kept the roles as they were before it)."""
    global _roles_token
    _roles_token = object()
    forget(ROLES_VERSION_KEY)


def official_units(user) -> QuerySet[Region]:
    """Return the units the user is an official of (not the units below them)."""
    if not user.is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(
        pk__in=RegionRole.objects.filter(
            user=user, role=RegionRole.Role.OFFICIAL
        ).values("region_id")
    )


def official_paths(user) -> list[str]:
    """Return the paths of the units the user is an official of."""
    token, paths = getattr(user, "_official_paths", (None, None))
    if token is not _roles_token:
        token = _roles_token
        if not user.is_authenticated:
            return []
        paths = _shared_official_paths(user)
        user._official_paths = (token, paths)
    return paths


def _shared_official_paths(user) -> list[str]:
    """Return the user's official paths from the shared cache when kept under
    the current roles version, else from the database (and keep them)."""
    key = _paths_key(user.pk)
    found = cache.get_many([ROLES_VERSION_KEY, key])
    version, kept = found.get(ROLES_VERSION_KEY), found.get(key)
    if version is not None and kept is not None and kept[0] == version:
        return list(kept[1])
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(ROLES_VERSION_KEY, version, None):
            version = cache.get(ROLES_VERSION_KEY)
    paths = list(official_units(user).values_list("path", flat=True))
    if version is not None:
        cache.set(key, (version, paths), PATHS_TIMEOUT)
    return paths


def is_official(user) -> bool:
    return bool(official_paths(user))


def regions_under(user) -> QuerySet[Region]:
    """Return the units the user is an official of, and every unit below them."""
    return Region.objects.filter(under_paths(official_paths(user), "path"))


def regions_visible_to(user) -> QuerySet[Region]:
    """Return the units whose figures the user answers for: every unit for a
    superuser, an official's units and everything below them, none otherwise."""
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    return regions_under(user)


def may_see_region(user, region) -> bool:
    """Whether the unit is one of regions_visible_to(user), told from the
    unit's path and the user's roles without a query of the units."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or is_under(region.path, official_paths(user))


def can_act_for_region(user, region) -> bool:
    """Whether the user answers for the unit (see regions_visible_to): may set its
    targets and issue certificates in bulk for everyone under it. The same rule
    as seeing its figures (may_see_region)."""
    return may_see_region(user, region)
