"""Finding administrative units for what a person typed."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr

from core.text import fold

from .models import Region

# More candidates than this and the person is asked to type more letters.
MAX_COMMUNE_CHOICES = 8

# Folded type words a person may type before a commune's name ("xã đông hưng").
_COMMUNE_TYPES = ("xa", "phuong", "dac khu", "thi tran")
# ... and before a province's ("đông hưng, tỉnh hưng yên").
_PROVINCE_TYPES = ("tinh", "thanh pho", "tp")


@dataclass(frozen=True)
class CommuneMatches:
    """The best communes for what was typed, and how many others match."""

    units: list[Region]
    more: int


def commune_matches(query: str, *, limit: int = MAX_COMMUNE_CHOICES) -> CommuneMatches:
    """Return the best current communes for query, and how many more match.

    The count costs a query only when there are more matches than ``limit``.
    """
    candidates = commune_candidates(query)
    units = list(candidates[: limit + 1])
    if len(units) <= limit:
        return CommuneMatches(units=units, more=0)
    return CommuneMatches(units=units[:limit], more=candidates.count() - limit)


def commune_candidates(query: str) -> QuerySet[Region]:
    """Return the current communes matching what was typed, best first.

    Case, accents and the type word ("xã", "phường", "đặc khu") are ignored. A
    commune whose name is exactly what was typed comes first, then one whose name
    holds the typed words as whole words ("Xã Bắc Đông Hưng" for "dong hung"),
    then one with a word starting with each typed word. Words at the end naming
    a province ("dong hung hung yen", "... tinh hung yen", or a province merged in
    2025 such as "thai binh") are matched against the province, which narrows the
    list; the whole text still finds a commune named that way ("nguyen hue").
    Without a province, a word may also match the start of the province's name,
    so a half-typed province ("dong hung hung y") still finds, ranked last.
    """
    words = _strip_leading(fold(query).split(), _COMMUNE_TYPES)
    if not words:
        return Region.objects.none()
    communes = (
        Region.objects.current()
        .filter(level=Region.Level.COMMUNE)
        .select_related("parent")
        # The commune's own folded name: search_name is " <name> <parent names>"
        # and the province's own search_name is " <province name>".
        .annotate(
            own_name=Substr(
                "search_name",
                1,
                Length("search_name") - Length("parent__search_name"),
            )
        )
    )
    own = _name_match(words)
    mine = [own["exact"], own["whole"], own["starts"]]
    split = _province_split(words)
    if split is None:
        found, best = own["starts"] | _starts(words, "search_name"), mine
    else:
        theirs = _name_match(split.commune_words)
        in_province = Q(parent_id__in=split.province_ids)
        theirs = [theirs[how] & in_province for how in ("exact", "whole", "starts")]
        if split.complete:
            found = own["starts"] | theirs[-1]
            best = [a | b for a, b in zip(mine, theirs, strict=True)]
        else:
            # A province half typed: the communes there rank after those whose
            # own name answers every word, but before the rest.
            found, best = own["starts"] | _starts(words, "search_name"), mine + theirs
    return (
        communes.filter(found)
        .annotate(
            rank=Case(
                *(When(q, then=Value(rank)) for rank, q in enumerate(best)),
                default=Value(len(best)),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", Length("own_name"), "own_name", "parent__search_name", "path")
    )


def _strip_leading(words: list[str], types: tuple[str, ...]) -> list[str]:
    for kind in types:
        kind_words = kind.split()
        if words[: len(kind_words)] == kind_words:
            return words[len(kind_words) :]
    return words


def _strip_trailing(words: list[str], types: tuple[str, ...]) -> list[str]:
    for kind in types:
        kind_words = kind.split()
        if len(words) > len(kind_words) and words[-len(kind_words) :] == kind_words:
            return words[: -len(kind_words)]
    return words


def _name_match(words: list[str]) -> dict[str, Q]:
    """Return the conditions on a commune's own name for words, by how well."""
    phrase = " ".join(words)
    exact = Q(own_name=" " + phrase) | Q(
        own_name__in=[f" {kind} {phrase}" for kind in _COMMUNE_TYPES]
    )
    whole = Q(own_name__endswith=" " + phrase) | Q(own_name__contains=f" {phrase} ")
    return {"exact": exact, "whole": whole, "starts": _starts(words, "own_name")}


def _starts(words: list[str], field: str) -> Q:
    """Return the condition that every word starts a word of field."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": " " + word})
    return condition


@dataclass(frozen=True)
class _ProvinceSplit:
    commune_words: list[str]
    province_ids: set[int]
    # False when the last word is only the start of the province's name.
    complete: bool


def _province_split(words: list[str]) -> _ProvinceSplit | None:
    """Split words into the commune's and the current provinces the last ones name.

    Return None when the last words name no province, or nothing is left before
    them. A province merged in 2025 names the province it became. The last word
    may be half typed ("dong hung hung y").
    """
    if len(words) < 2:
        return None
    provinces: dict[tuple[str, ...], set[int]] = {}
    for pk, name, is_current, replaced_by in Region.objects.filter(
        level=Region.Level.PROVINCE
    ).values_list("pk", "name", "is_current", "replaced_by_id"):
        key = tuple(_strip_leading(fold(name).split(), _PROVINCE_TYPES))
        target = pk if is_current else replaced_by
        if key and target is not None:
            provinces.setdefault(key, set()).add(target)
    for key in sorted(provinces, key=len, reverse=True):
        if len(words) > len(key) and tuple(words[-len(key) :]) == key:
            return _ProvinceSplit(
                _strip_trailing(words[: -len(key)], _PROVINCE_TYPES),
                provinces[key],
                complete=True,
            )
    partial: dict[int, set[int]] = {}
    for key, ids in provinces.items():
        for typed in range(1, min(len(key), len(words) - 1) + 1):
            tail = words[-typed:]
            if tuple(tail[:-1]) == key[: typed - 1] and key[typed - 1].startswith(
                tail[-1]
            ):
                partial.setdefault(typed, set()).update(ids)
    if not partial:
        return None
    typed = max(partial)
    return _ProvinceSplit(
        _strip_trailing(words[:-typed], _PROVINCE_TYPES),
        partial[typed],
        complete=False,
    )
