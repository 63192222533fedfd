"""Accent-insensitive search with Wagtail's search backends.

A ``FoldedSearchField`` indexes a field folded (``core.text.fold``: no tone
marks, "đ" as "d", lower case), beside the same field indexed as written, so
that a query folded the same way finds "Nộp hồ sơ" from "nop ho so", and
"khai sinh" from "khái sinh", on every backend: PostgreSQL's full text search
knows no Vietnamese and its ``unaccent`` extension is not installed by default;
SQLite's FTS5 drops only one mark of a letter that has two ("ệ"). Editors in
the admin still find the accented words.
"""

from __future__ import annotations

from wagtail.search import index

from .text import fold


def _as_text(value) -> str:
    """Return what a search field's value holds as one string (a StreamField
    gives a list of its blocks' texts)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_as_text(item) for item in value)
    return str(value)


class FoldedSearchField(index.SearchField):
    """A field indexed folded, beside its ``SearchField`` indexed as written
    (the two are told apart by their types). One named "title" is indexed with
    the title, where the backends rank a match apart from the rest."""

    def get_value(self, obj):
        return fold(_as_text(super().get_value(obj)))


def query_words(query: str) -> list[str]:
    """Return the folded words of a query, each once, in order."""
    return list(dict.fromkeys(fold(query).split()))
