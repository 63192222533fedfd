"""Question banks in and out of the platform, as Moodle XML and GIFT files.

Pure Python: a parser turns a file's bytes into a ``ParseResult`` (questions of
the supported kinds, the unsupported ones listed by name, and every problem with
where it is), and ``to_moodle_xml`` turns questions back into a file. Storing
the questions is the question-bank import service's work.
"""

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


def guess_format(filename: str, data: bytes = b"") -> str:
    """Return the likely format of a file from its name, or else its first bytes."""
    name = filename.lower()
    if name.endswith(".xml"):
        return MOODLE_XML
    if name.endswith((".gift", ".txt")):
        return GIFT
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return MOODLE_XML if head.startswith((b"<?xml", b"<quiz")) else GIFT
