"""Who may see which helped-person records.

- A helper sees their own records, with the helped person's name and phone.
- A teacher sees the records of the members of their classes, and a team leader
  (the teacher of a team's class) those of their team; both may confirm them and
  review the flagged ones.
- A unit official sees aggregates only: counts per unit under their units, and
  the helpers ranked for recognition, never a helped person's name or phone.
- A superuser sees everything.
- Whoever sees a ranking may award a certificate of merit (giấy khen) to the
  helpers in it: an official to the helpers of their unit, a team leader or
  teacher to the members of the classes they lead, nobody to themselves.

Rows outside a person's scope answer 404, so their existence does not leak.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from classes.models import ClassMembership
from classes.scopes import classes_managed_by
from regions.models import Region
from regions.scopes import is_under, under_paths
from users.scopes import regions_visible_to

from .models import HelpRecord


def _led_helpers(user):
    """The people in the classes the user teaches or leads."""
    return ClassMembership.objects.filter(
        training_class__in=classes_managed_by(user)
    ).values("user_id")


def records_visible_to(user, qs: QuerySet | None = None) -> QuerySet[HelpRecord]:
    """Return the records whose rows (names, phones) the user may see."""
    qs = HelpRecord.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(Q(helper=user) | Q(helper_id__in=_led_helpers(user)))


def records_reviewable_by(user, qs: QuerySet | None = None) -> QuerySet[HelpRecord]:
    """Return the records the user may confirm and clear: their students' or
    team's, never their own."""
    qs = HelpRecord.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(helper_id__in=_led_helpers(user)).exclude(helper=user)


def may_review(user) -> bool:
    return records_reviewable_by(user).exists() or user.is_superuser


def record_for(user, pk, *, review: bool = False) -> HelpRecord:
    qs = records_reviewable_by(user) if review else records_visible_to(user)
    return get_object_or_404(
        qs.select_related("region", "procedure_field", "helper"), pk=pk
    )


def units_for_aggregates(user):
    """Return the units whose aggregates (counts, rankings) the user may read."""
    return regions_visible_to(user)


def merit_unit(awarder, helper, unit: Region | None) -> Region | None:
    """Return the unit a certificate of merit from the awarder to the helper
    is for, or None when the helper is outside the awarder's scope.

    With a unit (an official's ranking), the helper recorded help there or
    lives there, and the unit is one the awarder answers for; without one (a
    leader's ranking), the helper is in a class the awarder leads, and the
    award is for that class's unit."""
    if helper.pk == awarder.pk:
        return None
    if unit is not None:
        if not regions_visible_to(awarder).filter(pk=unit.pk).exists():
            return None
        home = helper.home_region
        if home is not None and is_under(home.path, [unit.path]):
            return unit
        helped_there = HelpRecord.objects.filter(
            under_paths([unit.path], "region_path"), helper=helper
        ).exists()
        return unit if helped_there else None
    membership = (
        ClassMembership.objects.filter(
            training_class__in=classes_managed_by(awarder), user=helper
        )
        .select_related("training_class__region")
        .order_by("-joined_at", "-pk")
        .first()
    )
    return membership.training_class.region if membership else None
