"""Score answers against an attempt's snapshot. Pure functions: no database.

Each question is scored as a fraction of its points, 0 to 1:

- single choice, true or false: 1 when the one correct choice is chosen, else 0;
- multiple answers: (correct chosen − wrong chosen) ÷ correct in total, never
  below 0, so ticking every box does not earn the full points;
- short text: 1 when the text matches an accepted answer, ignoring capitals and
  extra spaces, and also accents and punctuation when the editor allows it;
- essay: None, until a person marks it.
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

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
    return None


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
