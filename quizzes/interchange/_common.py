"""What the GIFT and Moodle XML parsers share: category paths, answer-key checks,
the names of unsupported kinds and the places a problem is reported at."""

import re
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .types import (
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    ImportedChoice,
    ImportProblem,
)

HUNDRED = Decimal(100)
# Moodle offers grades such as 33.33333%; three of them make 99.99999%.
SUM_TOLERANCE = Decimal("0.1")

# Moodle's names of the question kinds this platform does not hold, with what an
# editor calls them. A kind missing here is still reported, by Moodle's name.
UNSUPPORTED_LABELS = {
    "calculated": gettext_lazy("Calculated"),
    "calculatedmulti": gettext_lazy("Calculated multichoice"),
    "calculatedsimple": gettext_lazy("Simple calculated"),
    "ddimageortext": gettext_lazy("Drag and drop onto image"),
    "ddmarker": gettext_lazy("Drag and drop markers"),
    "ddwtos": gettext_lazy("Drag and drop into text"),
    "description": gettext_lazy("Description (no answer)"),
    "gapselect": gettext_lazy("Select missing words"),
    "matching": gettext_lazy("Matching"),
    "multianswer": gettext_lazy("Embedded answers (Cloze)"),
    "cloze": gettext_lazy("Embedded answers (Cloze)"),
    "numerical": gettext_lazy("Numerical"),
    "ordering": gettext_lazy("Ordering"),
    "randomsamatch": gettext_lazy("Random short-answer matching"),
    "random": gettext_lazy("Random question"),
}

_CONTEXT_MARKER = re.compile(r"^\$[a-z0-9_]*\$$", re.IGNORECASE)
_SLASH = "\ue0ff"


def unsupported_label(type_name: str) -> str:
    """Return what an editor calls a Moodle question kind this platform lacks."""
    return str(UNSUPPORTED_LABELS.get(type_name, type_name))


def at_line(line: int) -> str:
    return _("line %(line)d") % {"line": line}


def at_question(index: int, name: str) -> str:
    if not name:
        return _("question %(index)d") % {"index": index}
    return _("question %(index)d «%(name)s»") % {"index": index, "name": name}


def category_from_moodle(raw: str) -> tuple[str, ...]:
    """Return the names of a Moodle category path, from the top of the bank.

    ``$course$/top/Dịch vụ công/VNeID`` gives ``("Dịch vụ công", "VNeID")``: the
    leading context markers and ``top`` name no category of their own. Moodle
    writes a slash inside a name as ``//``.
    """
    parts = [
        part.replace(_SLASH, "/").strip()
        for part in raw.strip().replace("//", _SLASH).split("/")
    ]
    parts = [part for part in parts if part]
    while parts and _CONTEXT_MARKER.match(parts[0]):
        parts.pop(0)
    if parts and parts[0] == "top":
        parts.pop(0)
    return tuple(parts)


def category_to_moodle(path: Sequence[str]) -> str:
    return "/".join(["$course$", "top", *(name.replace("/", "//") for name in path)])


def default_name(text: str) -> str:
    """Return a question name made from its text, as Moodle does when none is given."""
    plain = re.sub(r"<[^>]*>", " ", text)
    plain = " ".join(plain.split())
    return plain if len(plain) <= 80 else plain[:79].rstrip() + "…"


def parse_fraction(raw: str) -> Decimal | None:
    """Return a grade in percent from -100 to 100, or None if it is not one."""
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except ArithmeticError:
        return None
    if not value.is_finite() or not -HUNDRED <= value <= HUNDRED:
        return None
    return value


def choices_for(kind: str, answers: Sequence[tuple]):
    """Return the choices of answers given as (text, fraction, feedback), or
    (text, fraction, feedback, format of the text)."""
    choices = []
    for text, fraction, feedback, *text_format in answers:
        if kind == MULTIPLE:
            correct = fraction > 0
        else:
            correct = fraction == HUNDRED
        choices.append(
            ImportedChoice(text, correct, fraction, feedback, *text_format[:1])
        )
    return tuple(choices)


def check_answer_key(
    kind: str, choices: Sequence[ImportedChoice], where: str
) -> tuple[list[ImportProblem], list[ImportProblem]]:
    """Return the problems and the notes of a question's answers.

    A problem refuses the file: too few choices, an empty one, no right answer,
    or weights that do not add up. A note reports a grade this platform cannot
    give, so the report says what the import changes.
    """
    problems, notes = [], []

    def problem(message):
        problems.append(ImportProblem(where, message))

    if kind in (SINGLE, MULTIPLE):
        if len(choices) < 2:
            problem(_("A multiple-choice question needs at least two answers."))
        if any(not choice.text for choice in choices):
            problem(_("One of the answers is empty."))
    if kind == SINGLE:
        right = [choice for choice in choices if choice.is_correct]
        if not right:
            problem(
                _(
                    "No answer is marked right: mark the right answer with “=” "
                    "(GIFT) or give it the grade 100%."
                )
            )
        elif len(right) > 1:
            problem(
                _(
                    "%(count)d answers are worth 100%%, but a single-choice "
                    "question has one right answer."
                )
                % {"count": len(right)}
            )
        for choice in choices:
            if choice.fraction < 0:
                notes.append(
                    ImportProblem(
                        where,
                        _(
                            "The answer «%(answer)s» is worth %(fraction)s%% in "
                            "the file, a penalty; here a wrong answer scores 0 "
                            "and takes nothing away."
                        )
                        % {"answer": choice.text, "fraction": _percent(choice)},
                    )
                )
            if 0 < choice.fraction < HUNDRED:
                notes.append(
                    ImportProblem(
                        where,
                        _(
                            "The answer «%(answer)s» is worth %(fraction)s%% in "
                            "the file; here it counts as wrong."
                        )
                        % {"answer": choice.text, "fraction": _percent(choice)},
                    )
                )
    if kind == MULTIPLE:
        positive = sum(
            (choice.fraction for choice in choices if choice.fraction > 0), Decimal(0)
        )
        if positive == 0:
            problem(
                _(
                    "No answer is right: mark the right answer with “=” (GIFT) or "
                    "give each right answer a positive grade, such as %50%."
                )
            )
        elif abs(positive - HUNDRED) > SUM_TOLERANCE:
            problem(
                _(
                    "The positive grades add up to %(total)s%%; for a question "
                    "with several right answers they must add up to 100%%."
                )
                % {"total": decimal_text(positive)}
            )
    if kind == SHORT_TEXT:
        if not any(choice.is_correct and choice.text for choice in choices):
            problem(_("No accepted answer is worth 100%."))
        for choice in choices:
            if not choice.text:
                problem(_("One of the accepted answers is empty."))
            elif not choice.is_correct:
                notes.append(
                    ImportProblem(
                        where,
                        _(
                            "The answer «%(answer)s» is worth %(fraction)s%% in "
                            "the file; here only answers worth 100%% are accepted."
                        )
                        % {"answer": choice.text, "fraction": _percent(choice)},
                    )
                )
            elif "*" in choice.text:
                notes.append(
                    ImportProblem(
                        where,
                        _(
                            "The accepted answer «%(answer)s» uses Moodle's "
                            "wildcard “*”; here it must be typed as it is."
                        )
                        % {"answer": choice.text},
                    )
                )
    return problems, notes


def decimal_text(value) -> str:
    """Return a number as Moodle writes it: 50, 33.33333, -100 (no exponent)."""
    return format(Decimal(value).normalize(), "f")


def _percent(choice: ImportedChoice) -> str:
    return decimal_text(choice.fraction)


# Moodle's multi-language texts: consecutive ``<span lang="xx" class="multilang">``
# (or ``<lang lang="xx">``) elements, of which the multilang filter shows one; and
# the ``{mlang xx}...{mlang}`` blocks of the multilang2 filter.
_MULTILANG_SPAN = (
    r"<(?P<tag>span|lang)\b(?=[^>]*\blang\s*=\s*[\"'](?P<lang>[A-Za-z0-9_-]+)[\"'])"
    r"(?:(?=[^>]*\bclass\s*=\s*[\"'][^\"']*\bmultilang\b)|(?<=<lang))[^>]*>"
    r"(?P<body>.*?)</(?P=tag)\s*>"
)
_SPAN = re.compile(_MULTILANG_SPAN, re.IGNORECASE | re.DOTALL)
# Two spans or more in a row, as the multilang filter requires.
_SPAN_GROUP = re.compile(
    r"(?:<(span|lang)\b(?=[^>]*\blang\s*=\s*[\"'][A-Za-z0-9_-]+[\"'])"
    r"(?:(?=[^>]*\bclass\s*=\s*[\"'][^\"']*\bmultilang\b)|(?<=<lang))[^>]*>"
    r".*?</(?:span|lang)\s*>\s*){2,}",
    re.IGNORECASE | re.DOTALL,
)
_MLANG = re.compile(
    r"\{mlang\s+(?P<lang>[A-Za-z0-9_,\s-]+?)\s*\}(?P<body>.*?)\{\s*mlang\s*\}",
    re.IGNORECASE | re.DOTALL,
)
_MLANG_GROUP = re.compile(
    r"(?:\{mlang\s+[A-Za-z0-9_,\s-]+?\s*\}.*?\{\s*mlang\s*\}\s*)+",
    re.IGNORECASE | re.DOTALL,
)


def _pick(versions: list[tuple[str, str]]) -> str:
    """Return the version of a multi-language text to keep: the site's language,
    else English, else the first (the multilang2 filter's "other" counts as the
    fallback before English)."""
    site = settings.LANGUAGE_CODE.split("-")[0].lower()
    by_lang: dict[str, str] = {}
    for langs, body in versions:
        for lang in re.split(r"[,\s]+", langs.strip().lower()):
            by_lang.setdefault(lang.replace("_", "-").split("-")[0], body)
    for wanted in (site, "other", "en"):
        if wanted in by_lang:
            return by_lang[wanted]
    return versions[0][1]


def keep_language(text: str) -> tuple[str, bool]:
    """Return a text with each multi-language group reduced to one language (see
    ``_pick``), and whether there was any."""
    found = False

    def spans(match):
        nonlocal found
        found = True
        versions = [
            (m.group("lang"), m.group("body")) for m in _SPAN.finditer(match.group(0))
        ]
        trailing = match.group(0)[len(match.group(0).rstrip()) :]
        return _pick(versions) + trailing

    def mlangs(match):
        nonlocal found
        found = True
        versions = [
            (m.group("lang"), m.group("body")) for m in _MLANG.finditer(match.group(0))
        ]
        trailing = match.group(0)[len(match.group(0).rstrip()) :]
        return _pick(versions) + trailing

    if "lang" not in text.lower():
        return text, False
    text = _SPAN_GROUP.sub(spans, text)
    text = _MLANG_GROUP.sub(mlangs, text)
    return text, found


def multilang_note(where: str) -> ImportProblem:
    return ImportProblem(
        where,
        _(
            "The text is written in several languages; only the %(language)s "
            "version is kept (or the first one when there is none)."
        )
        % {"language": settings.LANGUAGE_CODE},
    )
