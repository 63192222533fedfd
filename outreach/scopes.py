"""Who may see which helped-person records.

- A helper sees their own records, with the helped person's name and phone.
- A teacher sees the records of the members of their classes, and a team leader
  (the teacher of a team's class) those of their team; both may confirm them and
  review the flagged ones.
- A unit official sees aggregates only: counts per unit under their units, and
  the helpers ranked for recognition, never a helped person's name or phone.
- A superuser sees everything.

Rows outside a person's scope answer 404, so their existence does not leak.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from classes.models import ClassMembership
from classes.scopes import classes_managed_by
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
