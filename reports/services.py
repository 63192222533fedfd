"""Writes of the reports app: its own targets, never other apps' data."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import CoursePage
from regions.models import Region
from users import scopes

from .models import Target


def can_set_target(user, region: Region) -> bool:
    """Return whether the user may set targets for the unit: one they answer for
    (users.scopes.can_act_for_region). Only current units have targets."""
    return region.is_current and scopes.can_act_for_region(user, region)


@transaction.atomic
def target_set(
    *,
    region: Region,
    kind: str,
    course: CoursePage | None,
    due_on: datetime.date,
    people: int,
    set_by=None,
) -> Target:
    """Set the unit's target for (kind, course, due date), replacing the number of
    one already set for the same four; with ``set_by``, check they may."""
    if set_by is not None and not can_set_target(set_by, region):
        raise PermissionDenied
    if not region.is_current:
        raise ValidationError(_("Targets are set for current units only."))
    if people < 0:
        raise ValidationError(_("The number of people cannot be negative."))
    target, _created = Target.objects.update_or_create(
        region=region,
        kind=kind,
        course=course,
        due_on=due_on,
        defaults={"people": people, "set_by": set_by},
    )
    return target


def target_delete(*, target: Target, deleted_by=None) -> None:
    """Delete a target; with ``deleted_by``, check they may."""
    if deleted_by is not None and not can_set_target(deleted_by, target.region):
        raise PermissionDenied
    target.delete()
