"""Score answers against an attempt's snapshot. Pure functions: no database.

Each question is scored as a fraction of its points, 0 to 1:

- single choice, true or false: 1 when the one correct choice is chosen, else 0;
- multiple answers: (correct chosen − wrong chosen) ÷ correct in total, never
  below 0, so ticking every box does not earn the full points;
- short text: 1 when the text matches an accepted answer, ignoring capitals and
  extra spaces, and also accents and punctuation when the editor allows it;
- essay: None, until a person marks it;
- ordering: by correct neighbouring pairs, the share of the n − 1 places between
  two steps where the learner's step is followed by the step that follows it
  in the right order; so one step moved costs at most two pairs, wherever it
  lands, and a reversed list earns nothing (chosen over correct positions,
  where one step inserted early shifts, and zeroes, every step after it);
- matching: the share of items matched with their own answer;
- select missing words: the share of gaps filled with their own word;
- numerical: the best grade among the accepted numbers whose tolerance holds
  the answer (written 1.500.000, 1 500 000, 1500000 or 2,5), else 0;
- hotspot: 1 for a tap inside a right region, or for a right region chosen from
  the list of regions, else 0.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.text import fold

from .models import QuestionType

ONE = Decimal(1)
ZERO = Decimal(0)


def normalise_text(text: str, *, ignore_accents: bool) -> str:
    """Return the text in the form answers are compared in."""
    if ignore_accents:
        return fold(text)
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split())


def text_matches(text: str, accepted: list[str], *, ignore_accents: bool) -> bool:
    """Whether the written answer matches one of the accepted answers."""
    given = normalise_text(text, ignore_accents=ignore_accents)
    if not given:
        return False
    return any(
        given == normalise_text(answer, ignore_accents=ignore_accents)
        for answer in accepted
    )


def answer_fraction(
    item: dict, *, choice_ids: list[int] | None = None, text: str = ""
) -> Decimal | None:
    """Return the fraction of the question's points the answer earns, 0-1, or None
    for an essay (a person marks it)."""
    kind = item["kind"]
    chosen = set(choice_ids or [])
    correct = set(item.get("correct", []))
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return ONE if chosen and chosen == correct else ZERO
    if kind == QuestionType.MULTIPLE:
        if not correct:
            return ZERO
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        return max(ZERO, Decimal(right - wrong) / Decimal(len(correct))).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )
    if kind == QuestionType.SHORT_TEXT:
        matched = text_matches(
            text, item.get("accepted", []), ignore_accents=item.get("ignore_accents")
        )
        return ONE if matched else ZERO
    if kind == QuestionType.ORDERING:
        return _share(ordering_pairs_right(list(choice_ids or []), correct_order(item)))
    if kind in (QuestionType.MATCHING, QuestionType.GAP_SELECT):
        key = item.get("correct", [])
        given = list(choice_ids or [])
        right = sum(
            1
            for n, pk in enumerate(key)
            if n < len(given) and given[n] is not None and given[n] == pk
        )
        return _share((right, len(key)))
    if kind == QuestionType.NUMERICAL:
        return numerical_fraction(text, item.get("numbers", []))
    if kind == QuestionType.HOTSPOT:
        return ONE if hotspot_hit(item, choice_ids=choice_ids, text=text) else ZERO
    return None


def _share(counts: tuple[int, int]) -> Decimal:
    right, total = counts
    if total <= 0:
        return ZERO
    return (Decimal(right) / Decimal(total)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def correct_order(item: dict) -> list[int]:
    return list(item.get("correct", []))


def ordering_pairs_right(given: list[int], right: list[int]) -> tuple[int, int]:
    """Return how many neighbouring pairs of the given order are in the right
    order, and how many pairs there are (steps − 1)."""
    total = len(right) - 1
    if total < 1 or sorted(given) != sorted(right):
        return 0, max(total, 0)
    place = {pk: n for n, pk in enumerate(right)}
    pairs = sum(
        1 for a, b in zip(given, given[1:], strict=False) if place[b] == place[a] + 1
    )
    return pairs, total


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def parse_number(text: str) -> Decimal | None:
    """Return the number a learner wrote, or None.

    Vietnamese writes 1.500.000 (dots between thousands) and 2,5 (a decimal
    comma); 1500000 and 2.5 are read too. Spaces are ignored.
    """
    raw = "".join((text or "").split())
    if not raw:
        return None
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".")
    elif _THOUSANDS.match(raw):
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def numerical_fraction(text: str, numbers: list) -> Decimal:
    """Return the best grade, 0-1, of the accepted numbers holding the answer;
    ``numbers`` are [value, tolerance, grade in per cent] (values as text)."""
    given = parse_number(text)
    if given is None:
        return ZERO
    best = 0
    for value, tolerance, grade in numbers:
        if abs(given - Decimal(value)) <= Decimal(tolerance):
            best = max(best, int(grade))
    return (Decimal(best) / 100).quantize(Decimal("0.0001"))


def parse_tap(text: str) -> tuple[Decimal, Decimal] | None:
    """Return the tap "x;y" (per cent of the picture), or None."""
    try:
        x, y = (Decimal(part) for part in (text or "").split(";"))
    except (ValueError, InvalidOperation):
        return None
    if not (x.is_finite() and y.is_finite() and 0 <= x <= 100 and 0 <= y <= 100):
        return None
    return x, y


def hotspot_hit(item: dict, *, choice_ids=None, text: str = "") -> bool:
    """Whether the tap falls in a right region, or a right region was chosen."""
    if choice_ids:
        return set(choice_ids) <= set(item.get("correct", []))
    tap = parse_tap(text)
    if tap is None:
        return False
    x, y = tap
    for left, top, width, height in item.get("areas", []):
        left, top = Decimal(left), Decimal(top)
        if left <= x <= left + Decimal(width) and top <= y <= top + Decimal(height):
            return True
    return False


def attempt_percent(items: list[dict], fractions: dict[int, Decimal]) -> Decimal:
    """Return the attempt's score in per cent, two decimals, from the fraction
    earned on each question (missing = unanswered = 0)."""
    total = sum(Decimal(item["points"]) for item in items)
    if not total:
        return ZERO
    earned = sum(
        Decimal(item["points"]) * fractions.get(item["id"], ZERO) for item in items
    )
    return (100 * earned / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def passes(score: Decimal, pass_mark: int) -> bool:
    return score >= Decimal(pass_mark)
