"""Who may record helped people, and from which day.

A person may record when they hold a valid certificate (neither revoked nor
expired) or belong to a community digital technology team: a member, teacher or
co-teacher of a class run for a commune or hamlet team. A record may not be dated
before the helper's first valid certificate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Standing:
    may_record: bool
    # The day of the helper's first valid certificate: no record before it.
    first_certificate_day: datetime.date | None


def standing(user) -> Standing:
    """Return whether the user may record, and from which day, in one or two
    queries."""
    if not user.is_authenticated or not user.is_active:
        return Standing(may_record=False, first_certificate_day=None)
    first = first_certificate_day(user)
    return Standing(
        may_record=first is not None or is_team_member(user),
        first_certificate_day=first,
    )


def may_record(user) -> bool:
    return standing(user).may_record
