"""Question banks in and out of the platform, as Moodle XML and GIFT files.

Pure Python: a parser turns a file's bytes into a ``ParseResult`` (questions of
the supported kinds, the unsupported ones listed by name, and every problem with
where it is), and ``to_moodle_xml`` turns questions back into a file. Storing
the questions is the question-bank import service's work.
"""

import re

from ._common import UNSUPPORTED_LABELS, unsupported_label
from .export import platform_fractions, to_moodle_xml
from .gift import parse_gift
from .moodle_xml import parse_moodle_xml
from .types import (
    ESSAY,
    KINDS,
    MULTIPLE,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ImportedChoice,
    ImportedQuestion,
    ImportedRegion,
    ImportProblem,
    ParseResult,
    UnsupportedQuestion,
)

GIFT = "gift"
MOODLE_XML = "moodle_xml"
FORMATS = (GIFT, MOODLE_XML)

__all__ = [
    "ESSAY",
    "FORMATS",
    "GIFT",
    "KINDS",
    "MOODLE_XML",
    "MULTIPLE",
    "SHORT_TEXT",
    "SINGLE",
    "TRUE_FALSE",
    "UNSUPPORTED_LABELS",
    "ImportProblem",
    "ImportedChoice",
    "ImportedQuestion",
    "ImportedRegion",
    "ParseResult",
    "UnsupportedQuestion",
    "detect_format",
    "guess_format",
    "parse",
    "parse_gift",
    "parse_moodle_xml",
    "platform_fractions",
    "to_moodle_xml",
    "unsupported_label",
]


def parse(data: bytes | str, *, format: str) -> ParseResult:
    """Return what a question-bank file in ``format`` (GIFT or MOODLE_XML) holds."""
    if format == GIFT:
        return parse_gift(data)
    if format == MOODLE_XML:
        return parse_moodle_xml(data)
    raise ValueError(f"Unknown question-bank format {format!r}.")


# What GIFT looks like: a category line, a title, or an answer block in braces.
_GIFT_SIGNS = re.compile(
    r"^[ \t]*(?:\$CATEGORY:|::)|(?<!\\)\{[^{}]*(?<!\\)\}", re.MULTILINE
)
_SNIFF_BYTES = 64 * 1024


def detect_format(data: bytes | str) -> str | None:
    """Return the format a file's content is written in, GIFT or MOODLE_XML, or
    None when it is neither (a CSV, a Word document...). Its name says nothing:
    a Moodle XML file may well be called ".txt"."""
    if isinstance(data, bytes):
        head = data[:_SNIFF_BYTES]
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = head.decode("utf-16", errors="replace")
        else:
            text = head.decode("utf-8", errors="replace")
    else:
        text = data[:_SNIFF_BYTES]
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return MOODLE_XML
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    if _GIFT_SIGNS.search("\n".join(lines)):
        return GIFT
    return None


def guess_format(filename: str, data: bytes | str = b"") -> str | None:
    """Return the format of a file from its content (see ``detect_format``); the
    name is not trusted."""
    return detect_format(data)
