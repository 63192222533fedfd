"""The typed code and the QR token cannot be guessed."""

import ast
import math
import re
from pathlib import Path

import pytest

from certificates import codes
from certificates.codes import (
    CROCKFORD_ALPHABET,
    new_code,
    new_token,
    normalise_code,
)

CODE = re.compile(
    r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"
)


def test_a_code_is_three_groups_of_four_crockford_symbols():
    for _ in range(200):
        code = new_code()
        assert CODE.match(code), code
        assert not set(code) & set("ILOU")


def test_a_code_carries_at_least_60_random_bits():
    assert len(CROCKFORD_ALPHABET) == 32
    assert len(set(CROCKFORD_ALPHABET)) == 32
    assert codes.CODE_SYMBOLS * math.log2(len(CROCKFORD_ALPHABET)) >= 60


def test_ten_thousand_codes_and_tokens_are_all_different():
    assert len({new_code() for _ in range(10_000)}) == 10_000
    assert len({new_token() for _ in range(10_000)}) == 10_000


def test_every_symbol_turns_up():
    """A code that never used some symbols would carry fewer bits than claimed."""
    seen = set("".join(new_code() for _ in range(2_000)).replace("-", ""))
    assert seen == set(CROCKFORD_ALPHABET)


def test_a_token_carries_at_least_128_bits():
    token = new_token()
    assert codes.TOKEN_BYTES * 8 >= 128
    assert len(token) == codes.TOKEN_LENGTH
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_the_codes_come_from_secrets_not_random():
    """Neither ``random`` nor anything from it is imported by the codes module."""
    tree = ast.parse(Path(codes.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert "random" not in imported
    assert "secrets" in imported


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7QM-4XPD-9HT2", "K7QM-4XPD-9HT2"),
        ("k7qm 4xpd 9ht2", "K7QM-4XPD-9HT2"),
        ("K7QM4XPD9HT2", "K7QM-4XPD-9HT2"),
        ("O0IL-1111-0000", "0011-1111-0000"),
        ("K7QM-4XPD-9HT", None),
        ("K7QM-4XPD-9HT22", None),
        ("UUUU-UUUU-UUUU", None),
        ("", None),
    ],
)
def test_typed_codes_are_forgiven_what_can_be_misread(typed, expected):
    assert normalise_code(typed) == expected
