"""Read Moodle XML question exports into plain data. Knows nothing of the database.

Supported question types: ``multichoice`` (single or multiple answers),
``truefalse``, ``shortanswer`` and ``essay``; ``category`` entries set the category
path of the questions that follow. Other types are returned with a problem, so
the import can report them.
"""

import html
from dataclasses import dataclass, field

from defusedxml import ElementTree
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import QuestionType

# Moodle's category paths start with a context marker and "top".
_PATH_PREFIXES = {"$course$", "$system$", "$module$", "$coursecategory$", "top"}


@dataclass
class ParsedQuestion:
    position: int
    name: str
    kind: str | None
    text: str = ""
    explanation: str = ""
    points: int = 1
    category_path: list[str] = field(default_factory=list)
    # (text, is_correct, feedback)
    choices: list[tuple[str, bool, str]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    problem: str = ""


class MoodleFormatError(ValueError):
    pass


def _text(element, path: str) -> str:
    node = element.find(path)
    if node is None or node.text is None:
        return ""
    return html.unescape(strip_tags(node.text)).strip()


def _category_path(raw: str) -> list[str]:
    parts = [part.strip() for part in raw.split("/") if part.strip()]
    while parts and parts[0] in _PATH_PREFIXES:
        parts.pop(0)
    return parts


def parse(source: bytes | str) -> list[ParsedQuestion]:
    """Return the questions of a Moodle XML export, in file order."""
    try:
        root = ElementTree.fromstring(source)
    except ElementTree.ParseError as error:
        raise MoodleFormatError(
            _("The file is not valid Moodle XML: %(error)s") % {"error": error}
        ) from error
    if root.tag != "quiz":
        raise MoodleFormatError(_("The file is not a Moodle XML question export."))
    questions = []
    category_path: list[str] = []
    position = 0
    for element in root.findall("question"):
        moodle_type = element.get("type", "")
        if moodle_type == "category":
            category_path = _category_path(_text(element, "category/text"))
            continue
        position += 1
        parsed = ParsedQuestion(
            position=position,
            name=_text(element, "name/text"),
            kind=None,
            text=_text(element, "questiontext/text"),
            explanation=_text(element, "generalfeedback/text"),
            category_path=list(category_path),
        )
        try:
            parsed.points = max(1, round(float(_text(element, "defaultgrade") or 1)))
        except ValueError:
            parsed.points = 1
        answers = [
            (
                _text(answer, "text"),
                float(answer.get("fraction", "0") or 0),
                _text(answer, "feedback/text"),
            )
            for answer in element.findall("answer")
        ]
        if moodle_type == "multichoice":
            single = _text(element, "single").lower() in ("true", "1")
            parsed.kind = QuestionType.SINGLE if single else QuestionType.MULTIPLE
            parsed.choices = [(t, f > 0, fb) for t, f, fb in answers]
        elif moodle_type == "truefalse":
            parsed.kind = QuestionType.TRUE_FALSE
            labels = {"true": _("True"), "false": _("False")}
            parsed.choices = [
                (labels.get(t.lower(), t), f > 0, fb) for t, f, fb in answers
            ]
        elif moodle_type == "shortanswer":
            parsed.kind = QuestionType.SHORT_TEXT
            parsed.accepted = [t for t, f, _fb in answers if f >= 100 and t]
        elif moodle_type == "essay":
            parsed.kind = QuestionType.ESSAY
        else:
            parsed.problem = _(
                "Questions of the Moodle type “%(type)s” are not supported."
            ) % {"type": moodle_type}
        if not parsed.problem and not parsed.text:
            parsed.problem = _("The question has no text.")
        questions.append(parsed)
    return questions
