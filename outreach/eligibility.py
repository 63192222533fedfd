"""Who may record helped people, and from which day.

A person may record when they hold a valid certificate (neither revoked nor
expired) or belong to a community digital technology team: a member, teacher or
co-teacher of a class run for a commune or hamlet team. A record may not be dated
before the helper's first valid certificate.
"""

from __future__ import annotations

import datetime

from django.db.models import Min, Q
from django.utils import timezone

from certificates.models import Certificate
from classes.models import Organisation, TrainingClass

TEAM_KINDS = (Organisation.Kind.COMMUNE_TEAM, Organisation.Kind.HAMLET_TEAM)


def team_classes():
    return TrainingClass.objects.filter(organisation__kind__in=TEAM_KINDS)


def is_team_member(user) -> bool:
    return (
        team_classes()
        .filter(Q(memberships__user=user) | Q(owner=user) | Q(co_teachers=user))
        .exists()
    )


def first_certificate_day(user) -> datetime.date | None:
    """Return the local day of the helper's first valid certificate, if any."""
    first = (
        Certificate.objects.valid()
        .filter(user=user)
        .aggregate(first=Min("issued_at"))["first"]
    )
    return timezone.localdate(first) if first is not None else None


def may_record(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if Certificate.objects.valid().filter(user=user).exists():
        return True
    return is_team_member(user)
