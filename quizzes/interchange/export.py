"""Write questions as a Moodle XML file that Moodle (and ``parse_moodle_xml``) reads.

The bank's questions are first turned into ``ImportedQuestion`` values, so that
this module knows nothing of the database. A category entry is written before
the first question of each category. Texts are written as CDATA, as Moodle does.
"""

import base64
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from ._common import HUNDRED, category_to_moodle, decimal_text
from .procedures import procedure_lines
from .types import (
    ESSAY,
    GAP_SELECT,
    HOTSPOT,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDERING,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ImportedChoice,
    ImportedQuestion,
)

# The bank's procedure kinds, by Moodle's names (``procedures``).
PROCEDURE_MOODLE_TYPES = {
    ORDERING: "ordering",
    MATCHING: "matching",
    HOTSPOT: "ddmarker",
    GAP_SELECT: "gapselect",
    NUMERICAL: "numerical",
}

FORMATS_TO_MOODLE = {
    "html": "html",
    "moodle": "moodle_auto_format",
    "plain": "plain_text",
    "markdown": "markdown",
}
# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_moodle_xml(
    questions: Iterable[ImportedQuestion],
    *,
    categories: Iterable[Sequence[str]] = (),
) -> bytes:
    """Return a Moodle XML file (UTF-8) holding the questions, in the order given.

    ``categories`` are category paths to declare even if no question is in them.
    Raise ValueError for a question of a kind Moodle XML cannot receive from here.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for path in categories:
        out.extend(_category(tuple(path)))
    current = None
    for question in questions:
        if question.category != current:
            out.extend(_category(question.category))
            current = question.category
        out.extend(_question(question))
    out.append("</quiz>")
    return ("\n".join(out) + "\n").encode("utf-8")


def platform_fractions(kind: str, correct_flags: Sequence[bool]) -> list[Decimal]:
    """Return Moodle grades that mark the answers as this platform does.

    A single choice: 100% for the right answer, 0% for the others. Multiple
    answers: each right answer is worth 100% ÷ the right answers, and each wrong
    one ticked takes as much away, which is this platform's rule (right ticked −
    wrong ticked) ÷ all right answers.
    """
    if kind != MULTIPLE:
        return [HUNDRED if flag else Decimal(0) for flag in correct_flags]
    right = sum(1 for flag in correct_flags if flag) or 1
    share = (HUNDRED / right).quantize(Decimal("0.00001"))
    return [share if flag else max(-share, -HUNDRED) for flag in correct_flags]


def _cdata(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _plain(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _category(path: tuple[str, ...]) -> list[str]:
    return [
        '  <question type="category">',
        f"    <category><text>{_plain(category_to_moodle(path))}</text></category>",
        "  </question>",
    ]


def _area(tag, text, text_format, files, indent="    ", referenced_only=True):
    """Return a text area, with the embedded files its text refers to."""
    attrs = f" format={quoteattr(FORMATS_TO_MOODLE.get(text_format, 'html'))}"
    lines = [f"{indent}<{tag}{attrs}>", f"{indent}  <text>{_cdata(text)}</text>"]
    for name, content in files:
        if referenced_only and f"@@PLUGINFILE@@/{name}" not in text:
            continue
        encoded = base64.b64encode(content).decode("ascii")
        lines.append(
            f'{indent}  <file name={quoteattr(name)} path="/" encoding="base64">'
            f"{encoded}</file>"
        )
    lines.append(f"{indent}</{tag}>")
    return lines


def _choice_fractions(question: ImportedQuestion) -> list[Decimal]:
    """Return each choice's grade: its own when it agrees with is_correct, else
    the grade this platform's rule gives. Choices built from the bank carry no
    grade at all (every one 0%): they all get the platform's grades."""
    derived = platform_fractions(
        question.kind, [choice.is_correct for choice in question.choices]
    )
    if all(choice.fraction == 0 for choice in question.choices):
        return derived
    fractions = []
    for choice, fallback in zip(question.choices, derived, strict=True):
        if question.kind == MULTIPLE:
            agrees = (choice.fraction > 0) == choice.is_correct
        elif choice.is_correct:
            agrees = choice.fraction == HUNDRED
        else:
            agrees = choice.fraction < HUNDRED
        fractions.append(choice.fraction if agrees else fallback)
    return fractions


def _answer(text, fraction, feedback, text_format, files, answer_format="html"):
    return [
        f'    <answer fraction="{decimal_text(fraction)}" format="{answer_format}">',
        f"      <text>{_cdata(text)}</text>",
        *_area("feedback", feedback, text_format, files, indent="      "),
        "    </answer>",
    ]


def _question(question: ImportedQuestion) -> list[str]:
    moodle_type = {
        SINGLE: "multichoice",
        MULTIPLE: "multichoice",
        TRUE_FALSE: "truefalse",
        SHORT_TEXT: "shortanswer",
        ESSAY: "essay",
    }.get(question.kind)
    moodle_type = moodle_type or PROCEDURE_MOODLE_TYPES.get(question.kind)
    if moodle_type is None:
        raise ValueError(f"Cannot export a question of kind {question.kind!r}.")
    files = question.files
    # The question text carries its own files and those no text refers to, so
    # that none is lost.
    text_files = [
        (name, content)
        for name, content in files
        if f"@@PLUGINFILE@@/{name}" in question.text or not _refers_to(question, name)
    ]
    if question.kind == HOTSPOT and files:
        # A hotspot's picture is Moodle's background, written after the text.
        text_files = [(name, content) for name, content in text_files[1:]]
    text_area = _area(
        "questiontext",
        question.text,
        question.text_format,
        text_files,
        referenced_only=False,
    )
    lines = [
        f"  <question type={quoteattr(moodle_type)}>",
        f"    <name><text>{_plain(question.name)}</text></name>",
        *text_area,
        *_area("generalfeedback", question.explanation, question.text_format, files),
        f"    <defaultgrade>{decimal_text(question.points)}</defaultgrade>",
        "    <penalty>0</penalty>",
        "    <hidden>0</hidden>",
    ]
    fmt = question.text_format
    if question.kind in (SINGLE, MULTIPLE):
        single = "true" if question.kind == SINGLE else "false"
        lines += [
            f"    <single>{single}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        for choice, fraction in zip(
            question.choices, _choice_fractions(question), strict=True
        ):
            lines += _answer(
                choice.text,
                fraction,
                choice.feedback,
                fmt,
                files,
                FORMATS_TO_MOODLE.get(fmt, "html"),
            )
    elif question.kind == TRUE_FALSE:
        true_choice, false_choice = _true_false(question.choices)
        for value, choice in (("true", true_choice), ("false", false_choice)):
            fraction = HUNDRED if choice.is_correct else Decimal(0)
            lines += _answer(
                value, fraction, choice.feedback, fmt, files, "moodle_auto_format"
            )
    elif question.kind == SHORT_TEXT:
        lines.append(f"    <usecase>{1 if question.case_sensitive else 0}</usecase>")
        if question.choices:
            answers = [
                (choice.text, choice.fraction, choice.feedback)
                for choice in question.choices
            ]
        else:
            answers = [(text, HUNDRED, "") for text in question.accepted_answers]
        for text, fraction, feedback in answers:
            lines += _answer(text, fraction, feedback, fmt, files, "moodle_auto_format")
    elif question.kind in PROCEDURE_MOODLE_TYPES:
        lines += procedure_lines(question, FORMATS_TO_MOODLE.get(fmt, "html"))
    else:
        lines += [
            "    <responseformat>editor</responseformat>",
            "    <responserequired>1</responserequired>",
            "    <responsefieldlines>15</responsefieldlines>",
            "    <attachments>0</attachments>",
            "    <attachmentsrequired>0</attachmentsrequired>",
            *_area("graderinfo", question.grader_info, "html", files),
            '    <responsetemplate format="html">',
            "      <text></text>",
            "    </responsetemplate>",
        ]
    if question.tags:
        lines.append("    <tags>")
        lines += [
            f"      <tag><text>{_plain(tag)}</text></tag>" for tag in question.tags
        ]
        lines.append("    </tags>")
    lines.append("  </question>")
    return lines


def _refers_to(question: ImportedQuestion, name: str) -> bool:
    reference = f"@@PLUGINFILE@@/{name}"
    texts = [question.text, question.explanation, question.grader_info]
    texts += [choice.feedback for choice in question.choices]
    return any(reference in text for text in texts)


def _true_false(choices: Sequence[ImportedChoice]):
    if len(choices) != 2 or choices[0].is_correct == choices[1].is_correct:
        raise ValueError("A true-or-false question needs True, then False, one right.")
    return choices[0], choices[1]
