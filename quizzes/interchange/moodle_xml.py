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
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import errors as expat_errors
from xml.sax.saxutils import escape

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
    keep_language,
    multilang_note,
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
    LeftOutQuestion,
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
_DECLARED_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']"""
)
_UTF8_NAMES = {"utf-8", "utf8"}


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
    if (
        isinstance(data, bytes)
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        and not _utf8_as_declared(data, refuse)
    ):
        return None
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
        line, column = getattr(error, "position", (1, 0))
        refuse(
            at_line(line),
            _(
                "The file is not well-formed XML (column %(column)d): %(reason)s "
                "Export the questions from Moodle again, or correct the file."
            )
            % {"column": column + 1, "reason": _xml_reason(error)},
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


def _utf8_as_declared(data: bytes, refuse) -> bool:
    """Return whether a file declared as UTF-8 (or declaring nothing, which means
    UTF-8 in XML) is UTF-8; if not, say so in the site's language rather than
    with the XML parser's message."""
    declared = _DECLARED_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if name not in _UTF8_NAMES:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        refuse(
            at_line(data[: error.start].count(b"\n") + 1),
            _(
                "The file says it is written in UTF-8 but is not: the byte "
                "0x%(byte)02X cannot be read as UTF-8. It was probably saved in "
                "another encoding, such as Latin-1 (ISO-8859-1) or Windows-1252. "
                "Save it as UTF-8, or correct the encoding in its first line "
                '(<?xml ... encoding="..."?>), and import it again.'
            )
            % {"byte": data[error.start]},
        )
        return False
    return True


def _xml_reason(error: ParseError) -> str:
    """Return, in the site's language, why the XML parser stopped."""
    reasons = {
        expat_errors.XML_ERROR_INVALID_TOKEN: _(
            "a character here is not allowed, or a “<” or “&” is not escaped."
        ),
        expat_errors.XML_ERROR_TAG_MISMATCH: _(
            "a closing tag does not match the tag it should close."
        ),
        expat_errors.XML_ERROR_NO_ELEMENTS: _("the file ends before any element."),
        expat_errors.XML_ERROR_UNCLOSED_TOKEN: _("the file ends inside a tag."),
        expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: _(
            "there is text after the closing </quiz>."
        ),
        expat_errors.XML_ERROR_SYNTAX: _("the text here is not XML."),
        expat_errors.XML_ERROR_UNDEFINED_ENTITY: _(
            "an entity such as “&nbsp;” is not defined in XML; write “&amp;” for “&”."
        ),
        expat_errors.XML_ERROR_UNCLOSED_CDATA_SECTION: _(
            "a <![CDATA[ section is not closed with ]]>."
        ),
    }
    message = expat_errors.messages.get(getattr(error, "code", 0), "")
    return str(reasons.get(message, _("the text here breaks the rules of XML.")))


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
        self.multilang = False

    def problem(self, message: str) -> None:
        self.problems.append(ImportProblem(self.where, message))

    def read(self) -> None:
        if self.name:
            self.name, multilang = keep_language(self.name)
            self.multilang |= multilang
        if _text(self.element, "hidden") in ("1", "true"):
            self.result.left_out.append(
                LeftOutQuestion(
                    self.name,
                    self.where,
                    _(
                        "The question is hidden in Moodle (kept only for old "
                        "attempts), so it is not added."
                    ),
                    self.category,
                )
            )
            return
        if not self.kind:
            self.problem(_("The question has no type."))
        elif self.kind not in SUPPORTED_TYPES and self.kind not in PROCEDURE_TYPES:
            self.result.unsupported.append(
                UnsupportedQuestion(self.kind, self.name, self.where, self.category)
            )
        else:
            self.read_supported()
        if self.problems:
            # The file around the question reads well: the question alone is
            # refused, and an import of the valid questions leaves it out.
            self.result.reject(self.name, self.where, self.problems, self.category)

    def read_supported(self) -> None:
        element = self.element
        text_element = element.find("questiontext")
        text = self.area(text_element) + self.old_image()
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
            if self.multilang:
                notes.insert(0, multilang_note(self.where))
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

    def old_image(self) -> str:
        """Return the picture of a Moodle 1.9 export (``<image>`` with its bytes in
        ``<image_base64>``) as an image under the text, keeping its bytes."""
        raw = self.element.findtext("image_base64")
        if not raw or not raw.strip():
            return ""
        name = (self.element.findtext("image") or "").strip()
        name = name.rsplit("/", 1)[-1] or "image"
        try:
            content = base64.b64decode("".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            self.problem(
                _("The picture «%(name)s» is damaged (invalid base64).")
                % {"name": name}
            )
            return ""
        self.files.setdefault(name, content)
        return f'<p><img src="@@PLUGINFILE@@/{escape(name)}" alt=""></p>'

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
        text, multilang = keep_language(_text(element))
        self.multilang |= multilang
        return text

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
