"""Accent-insensitive search with Wagtail's search backends.

A ``FoldedSearchField`` indexes a field as written and folded (``core.text.fold``:
no tone marks, "đ" as "d", lower case), so that a query folded the same way
finds "Nộp hồ sơ" from "nop ho so", "khai sinh" or "khái sinh", on every
backend: PostgreSQL's full text search knows no Vietnamese and its ``unaccent``
extension is not installed by default; SQLite's FTS5 drops only one mark of a
letter that has two ("ệ"). Editors in the admin still find the accented words.
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
    """A search field indexed as written, then folded."""

    def get_value(self, obj):
        text = _as_text(super().get_value(obj))
        folded = fold(text)
        return f"{text} {folded}" if folded else text


def with_folded_title(search_fields: list, *, boost: float) -> list:
    """Return search_fields with the title indexed folded too, and weighted by
    boost: the backends rank a match in the field named "title" apart from the
    rest."""
    return [
        *(
            field
            for field in search_fields
            if not (
                isinstance(field, index.SearchField) and field.field_name == "title"
            )
        ),
        FoldedSearchField("title", boost=boost),
    ]


def query_words(query: str) -> list[str]:
    """Return the folded words of a query, each once, in order."""
    return list(dict.fromkeys(fold(query).split()))
