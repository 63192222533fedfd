"""Read question banks exported from Moodle as Moodle XML.

``<quiz>`` holds ``<question type="...">`` elements in file order. A
``category`` entry sets the category of the questions after it; ``multichoice``
(``<single>true</single>`` for one right answer, else several), ``truefalse``,
``shortanswer`` and ``essay`` are imported; every other type is listed by its
Moodle name. Images embedded in a text as ``<file encoding="base64">`` come with
the question as (name, bytes).

The file is read with defusedxml and any ``<!DOCTYPE>`` is refused: Moodle never
writes one, and a document type is how a file makes a parser read the server's
files (external entities) or run out of memory (entity expansion).
"""

import base64
import binascii
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _

from ._common import (
    HUNDRED,
    at_line,
    at_question,
    category_from_moodle,
    check_answer_key,
    choices_for,
    default_name,
    parse_fraction,
)
from .procedures import MOODLE_TYPES as PROCEDURE_TYPES
from .procedures import read_procedure
from .types import (
    ESSAY,
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ImportedChoice,
    ImportedQuestion,
    ImportProblem,
    ParseResult,
    UnsupportedQuestion,
)

# Moodle's names of text formats, and the short names used here (as in GIFT).
FORMATS_FROM_MOODLE = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
SUPPORTED_TYPES = {"multichoice", "truefalse", "shortanswer", "essay"}


def parse_moodle_xml(data: bytes | str) -> ParseResult:
    """Return the questions, unsupported questions and problems of a Moodle XML file.

    A file that is not well-formed XML, is not a Moodle question export, or
    declares a document type gives one problem and nothing else.
    """
    result = ParseResult()
    root = _parse(data, result)
    if root is None:
        return result
    category: tuple[str, ...] = ()
    index = 0
    for element in root:
        if element.tag != "question":
            continue
        kind = (element.get("type") or "").strip()
        if kind == "category":
            raw = element.findtext("category/text")
            if raw is None or not raw.strip():
                result.problems.append(
                    ImportProblem(
                        _("category entry after question %(index)d") % {"index": index},
                        _("The category entry has no <category><text> path."),
                    )
                )
                continue
            category = category_from_moodle(raw)
            result.add_category(category)
            continue
        index += 1
        _Question(element, index, kind, category, result).read()
    return result


def _parse(data: bytes | str, result: ParseResult) -> Element | None:
    def refuse(where, message):
        result.problems.append(ImportProblem(where, message))

    the_file = _("the file")
    try:
        root = SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        refuse(
            the_file,
            _(
                "The file declares a document type or entities (<!DOCTYPE>, "
                "<!ENTITY>), which are refused for safety: they can make the "
                "server read its own files or run out of memory. Moodle never "
                "writes them; export the questions from Moodle again."
            ),
        )
        return None
    except ParseError as error:
        line, _column = getattr(error, "position", (1, 0))
        refuse(
            at_line(line),
            _("The file is not well-formed XML: %(error)s") % {"error": error},
        )
        return None
    if root.tag != "quiz":
        refuse(
            the_file,
            _(
                "The file is XML but not a Moodle question export: it starts with "
                "<%(tag)s> instead of <quiz>."
            )
            % {"tag": root.tag},
        )
        return None
    return root


def _positive(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except ArithmeticError:
        return None
    return value if value.is_finite() and value > 0 else None


def _text(element: Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    return (element.findtext(path) or "").strip()


class _Question:
    def __init__(self, element, index, kind, category, result):
        self.element = element
        self.kind = kind
        self.category = category
        self.result = result
        self.name = " ".join(_text(element.find("name")).split())
        self.where = at_question(index, self.name)
        self.problems: list[ImportProblem] = []
        self.files: dict[str, bytes] = {}
        # What the import changes in a procedure question (``procedures``).
        self.notes: list[str] = []
        self.text_of_question = ""

    def problem(self, message: str) -> None:
        self.problems.append(ImportProblem(self.where, message))

    def read(self) -> None:
        if not self.kind:
            self.problem(_("The question has no type."))
        elif self.kind not in SUPPORTED_TYPES and self.kind not in PROCEDURE_TYPES:
            self.result.unsupported.append(
                UnsupportedQuestion(self.kind, self.name, self.where, self.category)
            )
        else:
            self.read_supported()
        self.result.problems.extend(self.problems)

    def read_supported(self) -> None:
        element = self.element
        text_element = element.find("questiontext")
        text = self.area(text_element)
        if not text:
            self.problem(_("The question has no text."))
        text_format = FORMATS_FROM_MOODLE.get(
            (text_element.get("format") if text_element is not None else None)
            or "moodle_auto_format",
            "html",
        )
        explanation = self.area(element.find("generalfeedback"))
        points = Decimal(1)
        raw_grade = element.findtext("defaultgrade")
        if raw_grade is not None and raw_grade.strip():
            grade = _positive(raw_grade)
            if grade is None:
                self.problem(
                    _("The default mark «%(mark)s» is not a positive number.")
                    % {"mark": raw_grade.strip()}
                )
            else:
                points = grade
        answers = [self.answer(answer) for answer in element.findall("answer")]
        fields = {}
        if self.kind == "multichoice":
            single = _text(element, "single").lower() not in ("false", "0")
            kind = SINGLE if single else MULTIPLE
            fields["choices"] = choices_for(kind, answers)
        elif self.kind == "truefalse":
            kind = TRUE_FALSE
            fields["choices"] = self.true_false(answers)
        elif self.kind == "shortanswer":
            kind = SHORT_TEXT
            choices = choices_for(kind, answers)
            fields["choices"] = choices
            fields["accepted_answers"] = tuple(c.text for c in choices if c.is_correct)
            fields["case_sensitive"] = _text(element, "usecase").lower() in (
                "1",
                "true",
            )
        elif self.kind in PROCEDURE_TYPES:
            found = self.read_procedure(text)
            if found is None:
                return
            kind, text, procedure_fields = found
            fields.update(procedure_fields)
        else:
            kind = ESSAY
            fields["grader_info"] = self.area(element.find("graderinfo"))
        tags = tuple(
            tag_text
            for tag in element.findall("tags/tag")
            if (tag_text := " ".join(_text(tag).split()))
        )
        question = ImportedQuestion(
            kind=kind,
            name=self.name or default_name(text),
            text=text,
            category=self.category,
            explanation=explanation,
            source_ref=self.where,
            text_format=text_format,
            points=points,
            files=tuple(self.files.items()),
            tags=tags,
            **fields,
        )
        if self.problems:
            # The answers could not be read; checking them would say it twice.
            return
        problems, notes = check_answer_key(kind, question.choices, self.where)
        self.problems.extend(problems)
        if not self.problems:
            self.result.questions.append(question)
            self.result.notes.extend(notes)
            self.result.notes.extend(
                ImportProblem(self.where, message) for message in self.notes
            )

    def read_procedure(self, text: str):
        """Return the kind, text and fields of a procedure question, or None
        when it is listed as unsupported or cannot be read."""
        self.text_of_question = text
        found = read_procedure(self)
        if found is None:
            self.result.notes.extend(
                ImportProblem(self.where, message) for message in self.notes
            )
            return None
        kind, fields = found
        text = fields.pop("text", text)
        picture = fields.pop("picture", None)
        if picture:
            # The bank keeps a question's picture as the first image of its text.
            text = f'<p><img src="@@PLUGINFILE@@/{picture}" alt=""></p>{text}'
        return kind, text, fields

    def area(self, element: Element | None) -> str:
        """Return the text of a text area, keeping the files embedded in it."""
        if element is None:
            return ""
        for file in element.findall("file"):
            name = (file.get("name") or "").strip()
            if not name:
                self.problem(_("An embedded file has no name."))
                continue
            if (file.get("encoding") or "base64") != "base64":
                self.problem(
                    _("The embedded file «%(name)s» is not base64-encoded.")
                    % {"name": name}
                )
                continue
            try:
                content = base64.b64decode(
                    "".join((file.text or "").split()), validate=True
                )
            except (binascii.Error, ValueError):
                self.problem(
                    _("The embedded file «%(name)s» is damaged (invalid base64).")
                    % {"name": name}
                )
                continue
            self.files.setdefault(name, content)
        return _text(element)

    def answer(self, element: Element) -> tuple[str, Decimal, str]:
        text = self.area(element)
        raw = element.get("fraction", "0")
        fraction = parse_fraction(raw)
        if fraction is None:
            self.problem(
                _(
                    "The answer «%(answer)s» has the grade «%(grade)s», which is not "
                    "a percentage from -100 to 100."
                )
                % {"answer": text, "grade": raw}
            )
            fraction = Decimal(0)
        return text, fraction, self.area(element.find("feedback"))

    def true_false(self, answers) -> tuple[ImportedChoice, ...]:
        by_value = {
            text.lower(): (fraction, feedback) for text, fraction, feedback in answers
        }
        if set(by_value) != {"true", "false"}:
            self.problem(
                _(
                    "A true-or-false question needs exactly the answers “true” and "
                    "“false”."
                )
            )
            return ()
        true_fraction, true_feedback = by_value["true"]
        false_fraction, false_feedback = by_value["false"]
        if (true_fraction == HUNDRED) == (false_fraction == HUNDRED):
            self.problem(_("Exactly one of “true” and “false” must be worth 100%."))
            return ()
        is_true = true_fraction == HUNDRED
        return (
            ImportedChoice(_("True"), is_true, true_fraction, true_feedback),
            ImportedChoice(_("False"), not is_true, false_fraction, false_feedback),
        )
