"""Fold Vietnamese text for accent-insensitive matching.

"dong hung" finds "Đông Hưng"; "ĐÔNG HƯNG" and "đông hưng" too.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    """Return text lower-cased, without tone marks or diacritics, spaces collapsed."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _PUNCT.sub(" ", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()


def search_key(*names: str) -> str:
    """Return the folded names joined, with a space before every word.

    Searching for " " + a typed word then matches the start of a word only, so
    "yen" finds "Hưng Yên" but not "huyện".
    """
    return " " + fold(" ".join(names))


def fold_each(text: str) -> str:
    """Return text folded letter by letter, as long as text in its composed
    form: a match found in it is at the same place in
    ``unicodedata.normalize("NFC", text)``."""
    return "".join(
        _fold_letter(letter) for letter in unicodedata.normalize("NFC", text)
    )


def _fold_letter(letter: str) -> str:
    if letter in "đĐ":
        return "d"
    bare = "".join(
        ch
        for ch in unicodedata.normalize("NFD", letter)
        if not unicodedata.combining(ch)
    ).lower()
    return bare if len(bare) == 1 else letter
