"""Who answers for which units: people and their roles.

- A unit official (``RegionRole`` with role "official") answers for their units
  and every unit below them: they see, read-only, what each app records there
  (``classes.scopes``, ``certificates.scopes``).
- A superuser answers for every unit.

Each app decides who may see its own rows, from the roles this module reads.

A person's official paths are read once per ``User`` object (a request loads
its own), and read again after any ``RegionRole`` is saved or deleted in the
process (``users.receivers.region_roles_changed``), so a role granted or taken
away is seen by the next check even on the same object.
"""

from __future__ import annotations

from django.db.models import QuerySet

from regions.models import Region
from regions.scopes import under_paths

from .models import RegionRole

# Replaced whenever a role is saved or deleted: paths cached with an older token
# are stale.
_roles_token = object()


def region_roles_changed() -> None:
    """Make every person's cached official paths stale."""
    global _roles_token
    _roles_token = object()


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
        paths = list(official_units(user).values_list("path", flat=True))
        if user.is_authenticated:
            user._official_paths = (token, paths)
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


def can_act_for_region(user, region) -> bool:
    """Whether the user answers for the unit (see regions_visible_to): may set its
    targets and issue certificates in bulk for everyone under it."""
    return regions_visible_to(user).filter(pk=region.pk).exists()
