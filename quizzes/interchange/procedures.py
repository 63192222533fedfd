"""Moodle XML for the procedure kinds: ordering, matching, hotspot (Moodle's
``ddmarker``), select missing words (``gapselect``), numerical, and Cloze
(``multianswer``) where its parts make one of these.

Kept apart from ``moodle_xml`` and ``export``, which call ``read_procedure`` and
``procedure_lines``. How each maps:

- ``ordering``: the answers in the order of their ``fraction`` (Moodle stores the
  right place there). This platform scores by neighbouring pairs, Moodle's
  ``RELATIVE_NEXT_EXCLUDE_LAST``; another grading type is noted.
- ``matching``: ``<subquestion>`` items with their ``<answer>``; an item with no
  text is an extra wrong answer.
- ``ddmarker``: a question with one marker becomes a hotspot: its drop zones
  are the right regions (circles and polygons become the rectangles around
  them, which is noted), its background the picture. Zones that are not right
  are written as ``<wrongregion>``, which Moodle ignores; a zone's label as the
  drop's ``<text>``. Several markers cannot be one tap: the question is listed
  as unsupported, with a note.
- ``gapselect``: ``[[n]]`` gaps and ``<selectoption>`` words with their group,
  as here.
- ``numerical``: each ``<answer>`` worth more than 0% with its ``<tolerance>``;
  the first unit with multiplier 1 is kept as text.
- ``multianswer``: the embedded answers (``{1:MULTICHOICE:=a~b}``) are read from
  the text. Only multiple-choice parts make a "select missing words" question
  (each part's answers a group); one numerical part alone makes a numerical
  question; anything else is listed as unsupported, with a note.
"""

import re
from decimal import Decimal, InvalidOperation
from io import BytesIO
from xml.sax.saxutils import quoteattr

from django.utils.translation import gettext as _

from ._common import HUNDRED, decimal_text
from .types import (
    GAP_SELECT,
    HOTSPOT,
    MATCHING,
    NUMERICAL,
    ORDERING,
    ImportedQuestion,
    ImportedRegion,
    UnsupportedQuestion,
)

MOODLE_TYPES = {
    "ordering",
    "matching",
    "ddmarker",
    "gapselect",
    "numerical",
    "multianswer",
}
OUR_GRADING = "RELATIVE_NEXT_EXCLUDE_LAST"
# The Cloze parts that are multiple choice with one answer, in Moodle's names.
_CLOZE_CHOICE = {
    "MULTICHOICE",
    "MC",
    "MULTICHOICE_V",
    "MCV",
    "MULTICHOICE_H",
    "MCH",
    "MULTICHOICE_S",
    "MCS",
    "MULTICHOICE_VS",
    "MCVS",
    "MULTICHOICE_HS",
    "MCHS",
}
_CLOZE_NUMBER = {"NUMERICAL", "NM"}
_CLOZE = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^}])*)\}")
_HUNDRED_PX = Decimal(100)


def _plain(element, path="text") -> str:
    if element is None:
        return ""
    return (element.findtext(path) or "").strip()


def _number(raw: str) -> Decimal | None:
    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_procedure(reader) -> tuple[str, dict] | None:
    """Return the kind and the fields of a procedure question read by
    ``moodle_xml._Question`` (``reader``), or None when it is listed as
    unsupported (with a note why) or has problems (recorded on the reader)."""
    kind = reader.kind
    element = reader.element
    if kind == "ordering":
        return _ordering(reader, element)
    if kind == "matching":
        return _matching(reader, element)
    if kind == "gapselect":
        return _gapselect(reader, element)
    if kind == "numerical":
        return _numerical(reader, element)
    if kind == "ddmarker":
        return _ddmarker(reader, element)
    return _multianswer(reader, element)


def _note(reader, message):
    reader.notes.append(message)


def _unsupported(reader, message):
    reader.result.unsupported.append(
        UnsupportedQuestion(reader.kind, reader.name, reader.where, reader.category)
    )
    _note(reader, message)
    return None


def _ordering(reader, element):
    answers = []
    for n, answer in enumerate(element.findall("answer")):
        place = _number(answer.get("fraction", "")) or Decimal(n)
        answers.append((place, n, reader.area(answer)))
    steps = tuple(text for _place, _n, text in sorted(answers) if text)
    grading = _plain(element, "gradingtype").upper()
    if grading and grading not in (OUR_GRADING, "1"):
        _note(
            reader,
            _(
                "Moodle graded this ordering as «%(grading)s»; here the score is "
                "the share of neighbouring pairs of steps in the right order."
            )
            % {"grading": grading},
        )
    select = _plain(element, "selecttype").upper()
    if select and select not in ("ALL", "0"):
        _note(
            reader,
            _("Moodle showed some of the steps only; here every step is shown."),
        )
    return ORDERING, {"steps": steps}


def _matching(reader, element):
    pairs = []
    for sub in element.findall("subquestion"):
        prompt = reader.area(sub)
        answer = _plain(sub.find("answer"))
        pairs.append((prompt, answer))
    return MATCHING, {"pairs": tuple(pairs)}


def _gapselect(reader, element):
    words = []
    for option in element.findall("selectoption"):
        try:
            group = int(_plain(option, "group") or "1")
        except ValueError:
            group = 1
        words.append((_plain(option), max(group, 1)))
    return GAP_SELECT, {"gap_words": tuple(words)}


def _numerical(reader, element):
    numbers = []
    for answer in element.findall("answer"):
        raw = _plain(answer)
        fraction = _number(answer.get("fraction", "0")) or Decimal(0)
        if raw == "*":
            _note(reader, _("The answer “*” (any other answer) is not kept."))
            continue
        value = _number(raw)
        if value is None:
            reader.problem(
                _("The accepted number «%(answer)s» is not a number.") % {"answer": raw}
            )
            continue
        tolerance = _number(_plain(answer, "tolerance") or "0")
        if tolerance is None:
            tolerance = Decimal(-1)
        if fraction <= 0:
            _note(
                reader,
                _("The answer %(answer)s, worth 0%%, is not kept.") % {"answer": raw},
            )
            continue
        numbers.append((value, tolerance, min(fraction, HUNDRED)))
    unit = ""
    units = element.findall("units/unit")
    for item in units:
        if _number(_plain(item, "multiplier")) == 1:
            unit = _plain(item, "unit_name")
            break
    if len(units) > 1 or (units and not unit):
        _note(
            reader,
            _("Only the unit with multiplier 1 is kept, shown after the answer."),
        )
    return NUMERICAL, {"numbers": tuple(numbers), "unit": unit}


def _size(content: bytes) -> tuple[int, int] | None:
    from PIL import Image

    try:
        with Image.open(BytesIO(content)) as picture:
            return picture.size
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file
        return None


def _box(shape: str, coords: str) -> tuple[Decimal, ...] | None:
    """Return the rectangle (x, y, width, height) in pixels around a Moodle
    drop zone: "x,y;r" (circle), "x,y;w,h" (rectangle), "x,y;x,y;..." (polygon)."""
    try:
        points = [
            [Decimal(value) for value in part.split(",")]
            for part in coords.replace(" ", "").split(";")
            if part
        ]
    except (InvalidOperation, ValueError):
        return None
    if shape == "circle" and len(points) == 2 and len(points[0]) == 2:
        (x, y), (radius, *_rest) = points
        return x - radius, y - radius, 2 * radius, 2 * radius
    if shape == "rectangle" and len(points) == 2 and len(points[1]) == 2:
        (x, y), (width, height) = points
        return x, y, width, height
    if shape == "polygon" and len(points) >= 3 and all(len(p) == 2 for p in points):
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
    return None


def _region(label, is_correct, box, size) -> ImportedRegion:
    width, height = size
    x, y, w, h = box

    def percent(value, whole):
        value = max(Decimal(0), min(_HUNDRED_PX, value * _HUNDRED_PX / whole))
        return value.quantize(Decimal("0.001"))

    left, top = percent(x, width), percent(y, height)
    return ImportedRegion(
        label=label,
        is_correct=is_correct,
        x=left,
        y=top,
        width=max(Decimal("0.1"), min(percent(w, width), _HUNDRED_PX - left)),
        height=max(Decimal("0.1"), min(percent(h, height), _HUNDRED_PX - top)),
    )


def _ddmarker(reader, element):
    drags = element.findall("drag")
    if len(drags) != 1:
        return _unsupported(
            reader,
            _(
                "This drag-and-drop markers question has %(count)d markers; a "
                "hotspot question is one tap, so only a question with one marker "
                "becomes one."
            )
            % {"count": len(drags)},
        )
    label = _plain(drags[0])
    number = _plain(drags[0], "no") or "1"
    # The question's own <file> is the background.
    reader.area(element)
    names = [(file.get("name") or "").strip() for file in element.findall("file")]
    background = next((name for name in names if name in reader.files), None)
    if background is None:
        reader.problem(_("The question has no background picture."))
        return None
    size = _size(reader.files[background])
    if size is None or not all(size):
        reader.problem(
            _("The background «%(name)s» is not a picture.") % {"name": background}
        )
        return None
    regions, reshaped = [], False
    drops = [(drop, True) for drop in element.findall("drop")]
    drops += [(drop, False) for drop in element.findall("wrongregion")]
    for drop, is_right in drops:
        if is_right and _plain(drop, "choice") not in (number, ""):
            continue
        shape = _plain(drop, "shape").lower() or "rectangle"
        box = _box(shape, _plain(drop, "coords"))
        if box is None:
            reader.problem(
                _("A drop zone's place «%(coords)s» cannot be read.")
                % {"coords": _plain(drop, "coords")}
            )
            continue
        reshaped = reshaped or shape != "rectangle"
        regions.append(_region(_plain(drop) or label, is_right, box, size))
    if reshaped:
        _note(
            reader,
            _(
                "Circles and polygons become the rectangles around them: a tap just "
                "outside the shape may count."
            ),
        )
    # The picture is the question's first image, as the bank keeps it.
    return HOTSPOT, {
        "regions": tuple(regions),
        "picture": background,
    }


def _cloze_answers(body: str) -> list[tuple[str, Decimal, str]]:
    """Return the (text, grade %, tolerance) of a Cloze part's answers."""
    answers = []
    for raw in re.split(r"(?<!\\)~", body):
        raw = re.split(r"(?<!\\)#", raw, maxsplit=1)[0]
        fraction = Decimal(0)
        if raw.startswith("="):
            fraction, raw = HUNDRED, raw[1:]
        elif match := re.match(r"%(-?[\d.]+)%", raw):
            fraction = _number(match.group(1)) or Decimal(0)
            raw = raw[match.end() :]
        text = re.sub(r"\\(.)", r"\1", raw).strip()
        if text:
            answers.append((text, fraction, ""))
    return answers


def _multianswer(reader, element):
    text = reader.text_of_question
    parts = list(_CLOZE.finditer(text))
    types = [match.group(2).upper() for match in parts]
    if parts and all(kind in _CLOZE_CHOICE for kind in types):
        right, wrong = [], []
        new_text = text
        for n, match in enumerate(parts):
            answers = _cloze_answers(match.group(3))
            best = [a for a in answers if a[1] == HUNDRED]
            if len(best) < 1:
                reader.problem(
                    _("Embedded answer %(number)d has no answer worth 100%%.")
                    % {"number": n + 1}
                )
                return None
            if any(0 < a[1] < HUNDRED for a in answers):
                _note(reader, _("Partly right embedded answers count as wrong here."))
            right.append((best[0][0], n + 1))
            wrong += [(a[0], n + 1) for a in answers if a is not best[0]]
            new_text = new_text.replace(match.group(0), f"[[{n + 1}]]", 1)
        return GAP_SELECT, {"gap_words": tuple(right + wrong), "text": new_text}
    if len(parts) == 1 and types[0] in _CLOZE_NUMBER:
        numbers = []
        for answer, fraction, _tol in _cloze_answers(parts[0].group(3)):
            value, _sep, tolerance = answer.partition(":")
            number = _number(value)
            if number is None or fraction <= 0:
                continue
            numbers.append((number, _number(tolerance) or Decimal(0), fraction))
        new_text = text.replace(parts[0].group(0), "…", 1)
        return NUMERICAL, {"numbers": tuple(numbers), "text": new_text}
    return _unsupported(
        reader,
        _(
            "This Cloze question embeds %(parts)s; only multiple-choice parts "
            "(which become “select missing words”) or a single numerical part "
            "can be held here."
        )
        % {"parts": ", ".join(types) or _("no answers")},
    )


# Export ----------------------------------------------------------------------


def procedure_lines(question: ImportedQuestion, answer_format: str) -> list[str]:
    """Return the Moodle XML of a procedure question's own part (after its
    text, feedback and grade)."""
    from .export import _cdata

    lines = []
    if question.kind == ORDERING:
        lines += [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            "    <selectcount>0</selectcount>",
            f"    <gradingtype>{OUR_GRADING}</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
            "    <numberingstyle>none</numberingstyle>",
        ]
        for place, step in enumerate(question.steps, 1):
            lines += [
                f'    <answer fraction="{place}" format="{answer_format}">',
                f"      <text>{_cdata(step)}</text>",
                "    </answer>",
            ]
    elif question.kind == MATCHING:
        lines.append("    <shuffleanswers>true</shuffleanswers>")
        for prompt, answer in question.pairs:
            lines += [
                f'    <subquestion format="{answer_format}">',
                f"      <text>{_cdata(prompt)}</text>",
                f"      <answer><text>{_cdata(answer)}</text></answer>",
                "    </subquestion>",
            ]
    elif question.kind == GAP_SELECT:
        lines.append("    <shuffleanswers>1</shuffleanswers>")
        for word, group in question.gap_words:
            lines += [
                "    <selectoption>",
                f"      <text>{_cdata(word)}</text>",
                f"      <group>{group}</group>",
                "    </selectoption>",
            ]
    elif question.kind == NUMERICAL:
        for value, tolerance, grade in question.numbers:
            lines += [
                f'    <answer fraction="{decimal_text(grade)}"'
                ' format="moodle_auto_format">',
                f"      <text>{decimal_text(value)}</text>",
                f"      <tolerance>{decimal_text(tolerance)}</tolerance>",
                "    </answer>",
            ]
        if question.unit:
            lines += [
                "    <units>",
                "      <unit>",
                "        <multiplier>1</multiplier>",
                f"        <unit_name>{_cdata(question.unit)}</unit_name>",
                "      </unit>",
                "    </units>",
                "    <unitgradingtype>0</unitgradingtype>",
                "    <unitpenalty>0</unitpenalty>",
                "    <showunits>3</showunits>",
                "    <unitsleft>0</unitsleft>",
            ]
    elif question.kind == HOTSPOT:
        lines += _hotspot_lines(question)
    return lines


def _hotspot_lines(question: ImportedQuestion) -> list[str]:
    import base64

    if not question.files:
        raise ValueError("A hotspot question needs its picture to be exported.")
    name, content = question.files[0]
    size = _size(content)
    if size is None:
        raise ValueError("The hotspot question's picture cannot be read.")
    width, height = size

    def px(percent, whole):
        return (Decimal(percent) * whole / _HUNDRED_PX).quantize(Decimal(1))

    encoded = base64.b64encode(content).decode("ascii")
    label = next((region.label for region in question.regions if region.is_correct), "")
    lines = [
        "    <showmisplaced/>",
        f'    <file name={quoteattr(name)} path="/" encoding="base64">{encoded}</file>',
        "    <drag>",
        "      <no>1</no>",
        f"      <text>{_xml(label)}</text>",
        f"      <noofdrags>{sum(1 for r in question.regions if r.is_correct)}"
        "</noofdrags>",
        "    </drag>",
    ]
    number = 0
    for region in question.regions:
        coords = (
            f"{px(region.x, width)},{px(region.y, height)};"
            f"{px(region.width, width)},{px(region.height, height)}"
        )
        if region.is_correct:
            number += 1
            lines += [
                "    <drop>",
                f"      <no>{number}</no>",
                "      <shape>rectangle</shape>",
                f"      <coords>{coords}</coords>",
                "      <choice>1</choice>",
                f"      <text>{_xml(region.label)}</text>",
                "    </drop>",
            ]
        else:
            lines += [
                "    <wrongregion>",
                "      <shape>rectangle</shape>",
                f"      <coords>{coords}</coords>",
                f"      <text>{_xml(region.label)}</text>",
                "    </wrongregion>",
            ]
    return lines


def _xml(text: str) -> str:
    from .export import _plain as plain

    return plain(text)
