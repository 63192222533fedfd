"""When each certificate is its person's counting certificate.

A person counts as trained in a period through their *counting certificate*
(``reports.selectors.coverage``): the latest certificate issued in the period
that is still valid at its end. Which certificate that is depends only on the
end of the period (the start only asks that it was issued after it), so each
certificate can carry the set of period ends at which it is its person's latest
valid one. Counting people trained over any period is then a plain count of the
certificates issued in the period whose set holds the period's end: no ranking
of every person's certificates per report.

A certificate is *live* at a moment m when it was issued before m and is neither
revoked nor expired at m: issued_at < m < min(revoked_at, expires_at). It counts
at m when it is live and no later certificate of the same person (later
``issued_at``, then higher id) is live at m. Which certificates compete depends on
the report's filters, hence four *scopes*: every certificate of the person, those
of the same course, of the same kind, of the same course and kind.

The sets are kept as spans ``after < m < before`` (``before`` None for no end),
computed on whole microseconds, the resolution of the stored times; a span that
holds for several scopes is one row with a flag per scope. Every certificate has
at least one row, and exactly one row of each certificate has ``first`` set, so
the same scan counts the certificates issued.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Each scope, and what a certificate must share with a later one to compete.
_SHARED = {
    "person": (),
    "course": ("course_id",),
    "kind": ("learner_kind",),
    "course_kind": ("course_id", "learner_kind"),
}
SCOPES = tuple(_SHARED)

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)
_NEVER = 1 << 62  # beyond any stored time


@dataclass(frozen=True)
class Held:
    """What a span needs to know of a certificate."""

    pk: int
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    course_id: int
    learner_kind: str


@dataclass(frozen=True)
class Span:
    certificate_id: int
    after: datetime.datetime  # counts at moments strictly after this
    before: datetime.datetime | None  # and strictly before this (None: no end)
    scopes: frozenset[str]  # the scopes it counts in over the span
    first: bool  # the certificate's one row that counts it as issued


def _micros(moment: datetime.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _moment(micros: int) -> datetime.datetime:
    return _EPOCH + micros * _MICROSECOND


def _live(held: Held) -> tuple[int, int]:
    """Return the closed range of whole microseconds at which held is live."""
    ends = [_micros(m) for m in (held.revoked_at, held.expires_at) if m is not None]
    return _micros(held.issued_at) + 1, min(ends, default=_NEVER + 1) - 1


def _subtract(ranges: list[tuple[int, int]], cut: tuple[int, int]):
    low, high = cut
    kept = []
    for start, end in ranges:
        if end < low or start > high:
            kept.append((start, end))
            continue
        if start < low:
            kept.append((start, low - 1))
        if end > high:
            kept.append((high + 1, end))
    return kept


def _partition_key(held: Held, scope: str) -> tuple:
    return tuple(getattr(held, name) for name in _SHARED[scope])


def spans_of(certificates: Iterable[Held]) -> Iterator[Span]:
    """Return the spans of one person's certificates (all of them)."""
    ordered = sorted(certificates, key=lambda held: (held.issued_at, held.pk))
    for position, held in enumerate(ordered):
        counting: dict[str, list[tuple[int, int]]] = {}
        start, end = _live(held)
        for scope in SCOPES:
            ranges = [(start, end)] if start <= end else []
            key = _partition_key(held, scope)
            for later in ordered[position + 1 :]:
                if ranges and _partition_key(later, scope) == key:
                    ranges = _subtract(ranges, _live(later))
            counting[scope] = ranges
        yield from _merge(held.pk, counting)


def _merge(certificate_id: int, counting: dict[str, list[tuple[int, int]]]):
    """Turn each scope's ranges into rows of (range, scopes), adjacent pieces
    with the same scopes joined, and the issued row first."""
    edges = sorted(
        {edge for ranges in counting.values() for s, e in ranges for edge in (s, e + 1)}
    )
    pieces: list[tuple[int, int, frozenset[str]]] = []
    for low, next_low in zip(edges, edges[1:], strict=False):
        scopes = frozenset(
            scope
            for scope, ranges in counting.items()
            if any(s <= low <= e for s, e in ranges)
        )
        if not scopes:
            continue
        if pieces and pieces[-1][1] == low - 1 and pieces[-1][2] == scopes:
            pieces[-1] = (pieces[-1][0], next_low - 1, scopes)
        else:
            pieces.append((low, next_low - 1, scopes))
    if not pieces:
        # Never counting (revoked at once): a row all the same, for the issued.
        yield Span(certificate_id, _EPOCH, _EPOCH, frozenset(), True)
        return
    for number, (low, high, scopes) in enumerate(pieces):
        yield Span(
            certificate_id,
            after=_moment(low - 1),
            before=None if high >= _NEVER else _moment(high + 1),
            scopes=scopes,
            first=number == 0,
        )
