"""The question types that test a procedure: ordering, matching, hotspot, select
missing words, numerical.

What an attempt freezes of them (``snapshot_parts``), how they reach the learner
(``shown_parts``: no key, region or right order; every row named by an opaque id
that depends on the attempt's secret seed, since database keys are created in
the editor's order and would give the right order away), and how an answer or
a key reads as text (``answer_text``, ``key_text``) for the result page and the
item analysis. Scoring is in ``scoring.py``.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import (
    GAP_PATTERN,
    GapWord,
    HotspotRegion,
    MatchPair,
    OrderingStep,
    Question,
    QuestionType,
    gap_numbers,
)
from .scoring import parse_number, parse_tap

ROW_MODELS = {
    QuestionType.ORDERING: OrderingStep,
    QuestionType.MATCHING: MatchPair,
    QuestionType.GAP_SELECT: GapWord,
    QuestionType.HOTSPOT: HotspotRegion,
}


def opaque_id(seed: int, pk: int) -> str:
    """Return the id a row goes by in one attempt: it tells nothing of the row's
    key or place without the attempt's seed, which never leaves the server."""
    key = str(seed).encode()[:32]
    return hashlib.blake2s(str(pk).encode(), key=key, digest_size=6).hexdigest()


def snapshot_parts(question: Question, rng, *, shuffle: bool) -> dict:
    """Return what an attempt freezes of a procedure question: the rows in the
    order shown and the key. ``shuffle`` shuffles what the editor's order would
    otherwise keep (matching items); answer lists are always shuffled."""
    kind = question.kind
    if kind == QuestionType.ORDERING:
        right = [step.pk for step in question.steps.all()]
        shown = list(right)
        rng.shuffle(shown)
        if shown == right and len(right) > 1:
            # Never start in the right order: that would be a free answer.
            shown = shown[1:] + shown[:1]
        return {"choices": shown, "correct": right}
    if kind == QuestionType.MATCHING:
        pairs = list(question.pairs.all())
        options: dict[str, int] = {}
        for pair in pairs:
            options.setdefault(pair.answer.strip(), pair.pk)
        prompts = [pair for pair in pairs if pair.prompt.strip()]
        if shuffle:
            rng.shuffle(prompts)
        option_ids = list(options.values())
        rng.shuffle(option_ids)
        return {
            "prompts": [pair.pk for pair in prompts],
            "choices": option_ids,
            "correct": [options[pair.answer.strip()] for pair in prompts],
        }
    if kind == QuestionType.GAP_SELECT:
        words = list(question.gap_words.all())
        gaps, right = [], []
        for number in gap_numbers(question.text):
            word = words[number - 1]
            same: dict[str, int] = {}
            for other in words:
                if other.group == word.group:
                    same.setdefault(other.text.strip(), other.pk)
            offered = list(same.values())
            rng.shuffle(offered)
            gaps.append(offered)
            right.append(same[word.text.strip()])
        return {
            "gaps": gaps,
            "choices": [word.pk for word in words],
            "correct": right,
        }
    if kind == QuestionType.NUMERICAL:
        return {
            "numbers": [
                [str(number.value), str(number.tolerance), number.grade]
                for number in question.numbers.all()
            ],
            "unit": question.unit,
        }
    if kind == QuestionType.HOTSPOT:
        regions = list(question.regions.all())
        shown = [region.pk for region in regions]
        rng.shuffle(shown)
        return {
            "choices": shown,
            "correct": [region.pk for region in regions if region.is_correct],
            "areas": [
                [str(region.x), str(region.y), str(region.width), str(region.height)]
                for region in regions
                if region.is_correct
            ],
        }
    return {}


def rows_for(items: list[dict]) -> dict[str, dict[int, object]]:
    """Return the rows the items' procedure questions refer to, by type and key,
    in one query per type present."""
    wanted: dict[str, set[int]] = {}
    for item in items:
        if item["kind"] in ROW_MODELS:
            ids = wanted.setdefault(item["kind"], set())
            ids.update(item.get("choices", []))
            ids.update(item.get("prompts", []))
    return {kind: ROW_MODELS[kind].objects.in_bulk(ids) for kind, ids in wanted.items()}


@dataclass
class Option:
    """A row as the learner sees it: an opaque id and a text."""

    id: str
    text: str


@dataclass
class Gap:
    number: int  # 0, 1... in reading order
    options: list[Option]
    chosen: str = ""


@dataclass
class Prompt:
    number: int
    text: str
    chosen: str = ""


@dataclass
class ShownParts:
    """The parts of a procedure question shown to the learner."""

    steps: list[Option] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    # Text and gaps in reading order: str or Gap.
    segments: list = field(default_factory=list)
    regions: list[Option] = field(default_factory=list)
    chosen_region: str = ""
    tap: tuple[str, str] | None = None
    unit: str = ""
    # Opaque id -> database key; used on the server only, never rendered.
    keys: dict[str, int] = field(default_factory=dict)


def shown_parts(item: dict, question: Question, answer, seed: int, rows) -> ShownParts:
    """Return what the learner sees of a procedure question, with their saved
    answer in place, and nothing that tells the right one."""
    kind = item["kind"]
    found = rows.get(kind, {})
    parts = ShownParts(unit=item.get("unit", ""))

    def option(pk, text) -> Option:
        token = opaque_id(seed, pk)
        parts.keys[token] = pk
        return Option(token, text)

    given = list(answer.choice_ids) if answer else []
    if kind == QuestionType.ORDERING:
        order = given if sorted(given) == sorted(item["choices"]) else item["choices"]
        parts.steps = [option(pk, found[pk].text) for pk in order if pk in found]
    elif kind == QuestionType.MATCHING:
        parts.options = [
            option(pk, found[pk].answer) for pk in item["choices"] if pk in found
        ]
        for n, pk in enumerate(item["prompts"]):
            chosen = given[n] if n < len(given) and given[n] is not None else None
            parts.prompts.append(
                Prompt(
                    n,
                    found[pk].prompt if pk in found else "",
                    opaque_id(seed, chosen) if chosen is not None else "",
                )
            )
    elif kind == QuestionType.GAP_SELECT:
        pieces = GAP_PATTERN.split(question.text)
        # split() alternates text and gap numbers: text, n, text, n, text.
        for n, piece in enumerate(pieces):
            if n % 2 == 0:
                if piece:
                    parts.segments.append(piece)
                continue
            number = n // 2
            offered = item["gaps"][number] if number < len(item["gaps"]) else []
            chosen = given[number] if number < len(given) else None
            parts.segments.append(
                Gap(
                    number,
                    [option(pk, found[pk].text) for pk in offered if pk in found],
                    opaque_id(seed, chosen) if chosen is not None else "",
                )
            )
    elif kind == QuestionType.HOTSPOT:
        parts.regions = [
            option(pk, found[pk].label) for pk in item["choices"] if pk in found
        ]
        if given:
            parts.chosen_region = opaque_id(seed, given[0])
        tap = parse_tap(answer.text) if answer else None
        if tap is not None:
            parts.tap = (f"{tap[0]:.2f}", f"{tap[1]:.2f}")
    return parts


def gap_text_plain(text: str) -> str:
    """Return a gap question's text with its gaps shown as blanks."""
    return GAP_PATTERN.sub("___", text)


def _number(value) -> str:
    value = Decimal(value).normalize()
    text = f"{value:,f}" if value == value.to_integral() else f"{value:f}"
    # Vietnamese: dots between thousands, a decimal comma.
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def number_answer_text(text: str, unit: str) -> str:
    """Return a written number as Vietnamese writes it, with its unit, so that
    50000 and 50.000 read the same."""
    value = parse_number(text)
    shown = _number(value) if value is not None else text
    return " ".join(part for part in (shown, unit) if part)


def answer_text(item: dict, *, choice_ids, text: str, rows) -> str:
    """Return a learner's answer to a procedure question as one line of text."""
    kind = item["kind"]
    found = rows.get(kind, {})
    given = list(choice_ids or [])
    if kind == QuestionType.ORDERING:
        return " → ".join(found[pk].text for pk in given if pk in found)
    if kind == QuestionType.MATCHING:
        return "; ".join(
            f"{found[prompt].prompt} → "
            + (found[given[n]].answer if n < len(given) and given[n] in found else "—")
            for n, prompt in enumerate(item.get("prompts", []))
            if prompt in found
        )
    if kind == QuestionType.GAP_SELECT:
        return "; ".join(
            found[pk].text if pk in found else "—"
            for pk in given[: len(item.get("gaps", []))]
        )
    if kind == QuestionType.NUMERICAL:
        return " ".join(part for part in (text, item.get("unit", "")) if part)
    if kind == QuestionType.HOTSPOT:
        if given:
            return ", ".join(found[pk].label for pk in given if pk in found)
        tap = parse_tap(text)
        if tap is not None:
            inside = [
                region.label
                for region in found.values()
                if region.holds(*tap) and region.pk in item.get("choices", [])
            ]
            if inside:
                return _("a tap on “%(label)s”") % {"label": inside[0]}
            return _("a tap outside every region")
    return ""


def key_text(item: dict, *, rows) -> str:
    """Return the right answer of a procedure question as one line of text."""
    kind = item["kind"]
    found = rows.get(kind, {})
    if kind == QuestionType.NUMERICAL:
        unit = item.get("unit", "")
        texts = []
        for value, tolerance, grade in item.get("numbers", []):
            if int(grade) != 100:
                continue
            shown = _number(value)
            if Decimal(tolerance):
                shown += f" ± {_number(tolerance)}"
            texts.append(" ".join(part for part in (shown, unit) if part))
        return "; ".join(texts)
    if kind == QuestionType.HOTSPOT:
        return ", ".join(
            found[pk].label for pk in item.get("correct", []) if pk in found
        )
    return answer_text(item, choice_ids=item.get("correct", []), text="", rows=rows)
