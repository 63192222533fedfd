"""Reads of the outreach app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.models import MeritCertificate
from regions.models import Region
from regions.scopes import under_paths

from .models import Campaign, HelpRecord
from .scopes import merit_unit


def counted(qs: QuerySet[HelpRecord] | None = None) -> QuerySet[HelpRecord]:
    """Return the records that count: every record but those waiting for review
    (flagged, flag not cleared). Each record counts once, in its own unit."""
    qs = HelpRecord.objects.all() if qs is None else qs
    return qs.filter(Q(flag__isnull=True) | Q(flag_cleared_at__isnull=False))


def records_in(
    region: Region, start: datetime.date, end: datetime.date
) -> QuerySet[HelpRecord]:
    """Return the records of the unit's subtree dated from start to end."""
    return HelpRecord.objects.filter(
        under_paths([region.path], "region_path"),
        helped_on__gte=start,
        helped_on__lte=end,
    )


@dataclass(frozen=True)
class RankedHelper:
    rank: int
    helper_id: int
    name: str
    confirmed: int
    recorded: int


def helpers_ranked(
    records: QuerySet[HelpRecord], *, limit: int = 50
) -> list[RankedHelper]:
    """Return the helpers of these records (a unit's in a period, say) ranked by
    confirmed helped people, then by records counted, then by name; equal
    figures share a rank. Records waiting for review do not count."""
    rows = (
        counted(records)
        .values("helper_id", "helper__full_name", "helper__username")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            recorded=Count("pk"),
        )
        .filter(confirmed__gt=0)
        .order_by("-confirmed", "-recorded", "helper__full_name", "helper_id")[:limit]
    )
    ranked, previous, rank = [], None, 0
    for position, row in enumerate(rows, start=1):
        key = (row["confirmed"], row["recorded"])
        if key != previous:
            rank, previous = position, key
        ranked.append(
            RankedHelper(
                rank=rank,
                helper_id=row["helper_id"],
                name=row["helper__full_name"] or row["helper__username"],
                confirmed=row["confirmed"],
                recorded=row["recorded"],
            )
        )
    return ranked


def awaiting_review(qs: QuerySet[HelpRecord]) -> QuerySet[HelpRecord]:
    """Return the records flagged and not yet cleared, or not yet confirmed."""
    return qs.filter(
        Q(flag__isnull=False, flag_cleared_at__isnull=True)
        | Q(confirmed_at__isnull=True)
    )


def confirmed_counts(records: QuerySet[HelpRecord], helper_ids) -> dict[int, int]:
    """Return {helper id: confirmed helped people} among these records, as the
    ranking counts them (records waiting for review do not count)."""
    return dict(
        counted(records)
        .filter(helper_id__in=helper_ids, confirmed_at__isnull=False)
        .values_list("helper_id")
        .annotate(confirmed=Count("pk"))
        .order_by()
    )


@dataclass(frozen=True)
class Ranking:
    """What a ranking shows: the records it counts and for what."""

    records: QuerySet[HelpRecord]
    start: datetime.date
    end: datetime.date
    # The unit of an official's ranking; None for a team leader's.
    unit: Region | None = None
    campaign: Campaign | None = None


@dataclass(frozen=True)
class MeritCandidate:
    """A helper ticked in a ranking, and what awarding them would do."""

    helper_id: int
    name: str
    confirmed: int
    unit: Region | None  # None: outside the awarder's scope
    existing: MeritCertificate | None
    reason: str  # what the certificate of merit would print, in Vietnamese
    problem: str  # why it cannot be awarded, "" when it can

    @property
    def awardable(self) -> bool:
        return not self.problem and self.existing is None


def merit_reason(*, helped: int, ranking: Ranking) -> str:
    """Return what a certificate of merit for these helped people is for, as
    printed: in the site's language (Vietnamese), whoever awards it."""
    with translation.override(settings.LANGUAGE_CODE):
        if ranking.campaign is not None:
            return ngettext(
                "Helped %(count)d person use online public services in the "
                "campaign “%(campaign)s”",
                "Helped %(count)d people use online public services in the "
                "campaign “%(campaign)s”",
                helped,
            ) % {"count": helped, "campaign": ranking.campaign.name}
        return ngettext(
            "Helped %(count)d person use online public services from %(start)s "
            "to %(end)s",
            "Helped %(count)d people use online public services from %(start)s "
            "to %(end)s",
            helped,
        ) % {
            "count": helped,
            "start": ranking.start.strftime("%d/%m/%Y"),
            "end": ranking.end.strftime("%d/%m/%Y"),
        }


def merit_candidates(*, awarder, ranking: Ranking, helpers) -> list[MeritCandidate]:
    """Return, for each helper (users), whether the awarder may award them a
    certificate of merit for the ranking's period, the confirmed helped
    people it would name, and the one they already have."""
    counts = confirmed_counts(ranking.records, [helper.pk for helper in helpers])
    candidates = []
    for helper in helpers:
        name = helper.full_name or helper.get_username()
        unit = merit_unit(awarder, helper, ranking.unit)
        confirmed = counts.get(helper.pk, 0)
        existing = None
        problem = ""
        if unit is None:
            problem = _(
                "%(name)s is outside the units and classes you answer for: no "
                "certificate of merit can be awarded."
            ) % {"name": name}
        elif not confirmed:
            problem = _(
                "%(name)s has no confirmed helped person in this period: no "
                "certificate of merit can be awarded."
            ) % {"name": name}
        else:
            existing = MeritCertificate.objects.filter(
                user=helper,
                region=unit,
                period_start=ranking.start,
                period_end=ranking.end,
            ).first()
        candidates.append(
            MeritCandidate(
                helper_id=helper.pk,
                name=name,
                confirmed=confirmed,
                unit=unit,
                existing=existing,
                reason=merit_reason(helped=confirmed, ranking=ranking),
                problem=problem,
            )
        )
    return candidates
