"""Read question banks written in Moodle's GIFT format.

The format, as Moodle reads it (https://docs.moodle.org/en/GIFT_format):

- questions are separated by blank lines; lines starting with ``//`` are comments;
- ``$CATEGORY: $course$/top/A/B`` sets the category of the questions after it;
- ``::Title::`` names a question, ``[html]``, ``[moodle]``, ``[plain]`` or
  ``[markdown]`` says how its text is written (``moodle`` when absent);
- ``\\~ \\= \\# \\{ \\} \\:`` are the characters themselves, ``\\n`` a line break;
- the answers stand between braces: ``{=right ~wrong}`` is a single choice;
  ``{~%50%a ~%50%b ~%-100%c}`` (no ``=``) is multiple answers;
  ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` is true or false; ``{=a =b}`` (no
  ``~``) is a short text; ``{}`` is an essay. ``#text`` after an answer is its
  feedback, ``####text`` at the end of the braces the general feedback (the
  explanation). Answers in the middle of the text make a missing-word question,
  whose text shows the gap as ``_____``.
- ``{#...}`` (numerical), ``{=a -> b ...}`` (matching) and text without braces
  (a description) are kinds this platform does not hold: they are listed, not
  imported.

Moodle silently skips what it cannot read; here every mistake is a problem with
its line number, and a result with problems imports nothing.
"""

import dataclasses
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from ._common import (
    HUNDRED,
    at_line,
    category_from_moodle,
    check_answer_key,
    choices_for,
    default_name,
    keep_language,
    multilang_note,
    parse_fraction,
)
from .types import (
    ESSAY,
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TEXT_FORMATS,
    TRUE_FALSE,
    ImportedChoice,
    ImportedQuestion,
    ImportProblem,
    ParseResult,
    UnsupportedQuestion,
)

# Escaped control characters become private-use characters while the question is
# taken apart, and are put back in the texts at the end.
_ESCAPED = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
    "\\": "\ue007",
}
_UNESCAPED = {placeholder: char for char, placeholder in _ESCAPED.items()}
_UNESCAPED["\ue006"] = "\n"
_WEIGHT = re.compile(r"%\s*(-?\d+(?:[.,]\d+)?)\s*%")
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}
MISSING_WORD = "_____"


def parse_gift(data: bytes | str) -> ParseResult:
    """Return the questions, unsupported questions and problems of a GIFT file.

    ``data`` is the file's bytes, UTF-8 with or without a byte-order mark; any
    other encoding is refused with a problem and nothing is read.
    """
    result = ParseResult()
    text = _decode(data, result)
    if text is None:
        return result
    category: tuple[str, ...] = ()
    for start, block in _blocks(text):
        category = _Block(block, start, category, result).read()
    return result


def _decode(data: bytes | str, result: ParseResult) -> str | None:
    if isinstance(data, str):
        text = data
    else:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            result.problems.append(
                ImportProblem(
                    at_line(1),
                    _(
                        "The file is saved as UTF-16. Save it as UTF-8 and "
                        "import it again."
                    ),
                )
            )
            return None
        if b"\x00" in data:
            return _nul(data[: data.index(b"\x00")].count(b"\n") + 1, result)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            result.problems.append(
                ImportProblem(
                    at_line(line),
                    _(
                        "The file is not UTF-8 text (the byte 0x%(byte)02X cannot "
                        "be read). Save it as UTF-8 and import it again."
                    )
                    % {"byte": data[error.start]},
                )
            )
            return None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        return _nul(text[: text.index("\x00")].count("\n") + 1, result)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _nul(line: int, result: ParseResult) -> None:
    result.problems.append(
        ImportProblem(
            at_line(line),
            _(
                "The file holds NUL characters, as UTF-16 files do. Save it as "
                "UTF-8 and import it again."
            ),
        )
    )


def _escape(line: str) -> str:
    out, index = [], 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line) and line[index + 1] in _ESCAPED:
            out.append(_ESCAPED[line[index + 1]])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _unescape(text: str) -> str:
    return "".join(_UNESCAPED.get(char, char) for char in text)


def _blocks(text: str):
    """Yield (first line number, text) of each run of non-blank lines.

    Comment lines become empty lines, so that an offset in the block still tells
    its line; a run of comments alone is no block.
    """
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                yield start, "\n".join(lines)
            lines = []
        elif stripped.startswith("//"):
            if lines:
                lines.append("")
        else:
            if not lines:
                start = number
            lines.append(_escape(line))
    if lines:
        yield start, "\n".join(lines)


def _split_format(text: str, default: str) -> tuple[str, str]:
    """Return (format, text) of a text that may open with ``[html]`` and the like."""
    stripped = text.strip()
    if stripped.startswith("["):
        end = stripped.find("]")
        name = stripped[1:end].strip().lower() if end > 0 else ""
        if name in TEXT_FORMATS:
            return name, stripped[end + 1 :].strip()
    return default, stripped


class _Block:
    """One run of non-blank lines: a category line, a question, or both."""

    def __init__(self, text, start, category, result):
        self.text = text
        self.start = start
        self.category = category
        self.result = result
        self.problems: list[ImportProblem] = []
        # Problems of the question's own content (grades, answer key), while
        # the block reads well: the question alone is refused.
        self.content_problems: list[ImportProblem] = []
        self.notes: list[ImportProblem] = []
        self.name = ""
        self.where = ""

    def line_of(self, offset: int) -> int:
        return self.start + self.text[:offset].count("\n")

    def problem(self, offset: int, message: str, content: bool = False) -> None:
        problem = ImportProblem(at_line(self.line_of(offset)), message)
        (self.content_problems if content else self.problems).append(problem)

    def read(self) -> tuple[str, ...]:
        """Read the block into the result; return the category it leaves current."""
        offset = len(self.text) - len(self.text.lstrip())
        if self.text.startswith("$CATEGORY:", offset):
            end = self.text.find("\n", offset)
            end = len(self.text) if end == -1 else end
            raw = _unescape(self.text[offset + len("$CATEGORY:") : end])
            self.category = category_from_moodle(raw)
            self.result.add_category(self.category)
            offset = end
            if not self.text[offset:].strip():
                return self.category
            offset += len(self.text[offset:]) - len(self.text[offset:].lstrip())
        self.read_question(offset)
        if self.problems:
            self.result.problems.extend(self.problems + self.content_problems)
        elif self.content_problems:
            self.result.reject(
                self.name or self.where,
                self.where,
                self.content_problems,
                self.category,
            )
        else:
            self.result.notes.extend(self.notes)
        return self.category

    def read_question(self, offset: int) -> None:
        text = self.text
        where = at_line(self.line_of(offset))
        name = ""
        if text.startswith("::", offset):
            end = text.find("::", offset + 2)
            if end == -1:
                self.problem(
                    offset,
                    _(
                        "The title opened with “::” is not closed with “::”. Write "
                        "\\: for a colon inside a title."
                    ),
                )
                return
            name = " ".join(_unescape(text[offset + 2 : end]).split())
            offset = end + 2
        self.name, self.where = name, where
        body_start = offset
        opening = text.find("{", offset)
        closing = text.find("}", offset)
        if opening == -1 and closing == -1:
            _format, question_text = _split_format(
                _unescape(text[body_start:]), "moodle"
            )
            self.result.unsupported.append(
                UnsupportedQuestion(
                    "description",
                    name or default_name(question_text),
                    where,
                    self.category,
                )
            )
            return
        if opening != -1 and closing == -1:
            self.problem(
                opening,
                _(
                    "The answer block opened with “{” is not closed with “}”. "
                    "Write \\{ for a brace in the text."
                ),
            )
            return
        if opening == -1 or closing < opening:
            self.problem(
                closing,
                _(
                    "A “}” closes an answer block that was never opened. Write \\} "
                    "for a brace in the text."
                ),
            )
            return
        nested = text.find("{", opening + 1, closing)
        if nested != -1:
            self.problem(
                nested,
                _(
                    "A “{” opens inside an answer block that is not closed yet. "
                    "Close the first block with “}”, or write \\{ for a brace."
                ),
            )
            return
        after = text[closing + 1 :]
        extra = min(
            (index for index in (after.find("{"), after.find("}")) if index != -1),
            default=-1,
        )
        if extra != -1:
            self.problem(
                closing + 1 + extra,
                _(
                    "A second answer block starts here. Leave a blank line between "
                    "two questions, or write \\{ and \\} for braces in the text."
                ),
            )
            return

        before = text[body_start:opening]
        if after.strip():
            question_text = before + MISSING_WORD + after
        else:
            question_text = before
        text_format, question_text = _split_format(_unescape(question_text), "moodle")
        answers = text[opening + 1 : closing]
        answers_at = opening + 1
        explanation = ""
        general = answers.rfind("####")
        if general != -1:
            _format, explanation = _split_format(
                _unescape(answers[general + 4 :]), text_format
            )
            answers = answers[:general]
        if not question_text:
            self.problem(body_start, _("The question has no text."), content=True)
        name = name or default_name(keep_language(question_text)[0])
        self.name = name
        stripped = answers.strip()
        answers_at += len(answers) - len(answers.lstrip())
        question = {
            "name": name,
            "text": question_text,
            "category": self.category,
            "explanation": explanation,
            "source_ref": where,
            "text_format": text_format,
        }
        if not stripped:
            self.add(ImportedQuestion(kind=ESSAY, **question))
        elif stripped.startswith("#"):
            self.unsupported("numerical", name, where)
        elif "~" in stripped:
            self.read_choice(stripped, answers_at, question, text_format)
        elif "=" in stripped and "->" in stripped:
            self.unsupported("matching", name, where)
        elif stripped.split("#", 1)[0].strip().upper() in _TRUE | _FALSE:
            self.read_true_false(stripped, question, text_format)
        else:
            self.read_short_text(stripped, answers_at, question, text_format)

    def add(self, question: ImportedQuestion) -> None:
        if self.problems or self.content_problems:
            # The answers could not be read; checking them would say it twice.
            return
        question = self.one_language(question)
        problems, notes = check_answer_key(
            question.kind, question.choices, question.source_ref
        )
        self.content_problems.extend(problems)
        self.notes.extend(notes)
        if not self.content_problems:
            self.result.questions.append(question)

    def one_language(self, question: ImportedQuestion) -> ImportedQuestion:
        """Return the question with its multi-language texts in one language,
        noting it when there were any."""
        found = False

        def one(text):
            nonlocal found
            text, multilang = keep_language(text)
            found |= multilang
            return text

        question = dataclasses.replace(
            question,
            name=one(question.name),
            text=one(question.text),
            explanation=one(question.explanation),
            choices=tuple(
                dataclasses.replace(c, text=one(c.text), feedback=one(c.feedback))
                for c in question.choices
            ),
            accepted_answers=tuple(one(a) for a in question.accepted_answers),
        )
        if found:
            self.notes.append(multilang_note(question.source_ref))
        return question

    def unsupported(self, type_name: str, name: str, where: str) -> None:
        self.result.unsupported.append(
            UnsupportedQuestion(type_name, name, where, self.category)
        )

    def split_answers(self, answers: str, offset: int, markers: str):
        """Yield (marker, text, offset) for each answer; text before any marker
        comes with the marker ""."""
        current, marker, at = [], "", offset
        for index, char in enumerate(answers):
            if char in markers:
                if marker or "".join(current).strip():
                    yield marker, "".join(current), at
                current, marker, at = [], char, offset + index
            else:
                current.append(char)
        if marker or "".join(current).strip():
            yield marker, "".join(current), at

    def weight(self, answer: str, at: int) -> tuple[Decimal | None, str]:
        """Return (weight, rest) of an answer that may open with ``%50%``."""
        answer = answer.lstrip()
        if not answer.startswith("%"):
            return None, answer
        match = _WEIGHT.match(answer)
        fraction = parse_fraction(match.group(1)) if match else None
        if fraction is None:
            self.problem(
                at,
                _(
                    "The weight at the start of «%(answer)s» is not a percentage "
                    "from -100 to 100 such as %%50%%."
                )
                % {"answer": _unescape(answer.strip())},
                content=True,
            )
            return Decimal(0), answer
        return fraction, answer[match.end() :]

    def answer_and_feedback(
        self, answer: str, text_format: str
    ) -> tuple[str, str, str]:
        """Return (text, feedback, format of the text) of an answer; the format is
        "" unless the answer opens with one, such as ``[html]``."""
        text, _sep, feedback = answer.partition("#")
        answer_format, text = _split_format(_unescape(text), "")
        return (
            " ".join(text.split()),
            _split_format(_unescape(feedback), text_format)[1],
            answer_format,
        )

    def read_choice(self, answers, at, question, text_format) -> None:
        parsed = []
        has_right = False
        for marker, answer, offset in self.split_answers(answers, at, "~="):
            if not marker:
                self.problem(
                    offset,
                    _(
                        "«%(text)s» stands before the first answer. Start each "
                        "answer with “=” (right) or “~” (wrong)."
                    )
                    % {"text": _unescape(answer.strip())},
                )
                continue
            weight, answer = self.weight(answer, offset)
            if marker == "=":
                has_right = True
            if weight is None:
                weight = HUNDRED if marker == "=" else Decimal(0)
            text, feedback, answer_format = self.answer_and_feedback(
                answer, text_format
            )
            parsed.append((text, weight, feedback, answer_format))
        # Moodle allows several answers to be ticked when none is marked with "=".
        kind = SINGLE if has_right else MULTIPLE
        self.add(
            ImportedQuestion(kind=kind, choices=choices_for(kind, parsed), **question)
        )

    def read_true_false(self, answers, question, text_format) -> None:
        value, *feedbacks = answers.split("#", 2)
        wrong, right = [
            _split_format(_unescape(feedback), text_format)[1]
            for feedback in [*feedbacks, "", ""][:2]
        ]
        is_true = value.strip().upper() in _TRUE
        true_choice = ImportedChoice(
            _("True"),
            is_true,
            HUNDRED if is_true else Decimal(0),
            right if is_true else wrong,
        )
        false_choice = ImportedChoice(
            _("False"),
            not is_true,
            Decimal(0) if is_true else HUNDRED,
            wrong if is_true else right,
        )
        self.add(
            ImportedQuestion(
                kind=TRUE_FALSE, choices=(true_choice, false_choice), **question
            )
        )

    def read_short_text(self, answers, at, question, text_format) -> None:
        parsed = []
        for _marker, answer, offset in self.split_answers(answers, at, "="):
            weight, answer = self.weight(answer, offset)
            text, feedback, answer_format = self.answer_and_feedback(
                answer, text_format
            )
            weight = HUNDRED if weight is None else weight
            parsed.append((text, weight, feedback, answer_format))
        choices = choices_for(SHORT_TEXT, parsed)
        self.add(
            ImportedQuestion(
                kind=SHORT_TEXT,
                choices=choices,
                accepted_answers=tuple(c.text for c in choices if c.is_correct),
                **question,
            )
        )
