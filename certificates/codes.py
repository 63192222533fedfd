"""The two secrets of a certificate: the typed code and the QR token.

Both come from ``secrets``. The code is what a person types at /verify/: twelve
Crockford base32 symbols (60 random bits) in groups of four, ``K7QM-4XPD-9HT2``.
Crockford's alphabet has no I, L, O or U, so nothing on the paper can be misread;
typing those letters anyway is forgiven (``O`` is read as ``0``, ``I``/``L`` as
``1``), as are lower case, spaces and missing dashes. The token, carried by the QR
code, is a separate 144-bit URL-safe string, so a photo of the QR and the typed code
are not the same secret.
"""

import re
import secrets

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_SYMBOLS = 12  # 12 x 5 bits = 60 random bits
CODE_GROUP = 4
CODE_LENGTH = CODE_SYMBOLS + CODE_SYMBOLS // CODE_GROUP - 1  # with the dashes
TOKEN_BYTES = 18  # 144 bits, 24 URL-safe characters
TOKEN_LENGTH = 24

_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_SYMBOL = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    """Return a fresh typed code, ``XXXX-XXXX-XXXX``."""
    symbols = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(CODE_SYMBOLS))
    return "-".join(
        symbols[start : start + CODE_GROUP]
        for start in range(0, CODE_SYMBOLS, CODE_GROUP)
    )


def new_token() -> str:
    """Return a fresh QR token of 144 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def normalise_code(typed: str) -> str | None:
    """Return the code as stored for what a person typed, or None when it cannot be
    a code at all (wrong length or a symbol outside the alphabet)."""
    symbols = _NOT_SYMBOL.sub("", typed or "").upper().translate(_MISREAD)
    if len(symbols) != CODE_SYMBOLS or any(
        symbol not in CROCKFORD_ALPHABET for symbol in symbols
    ):
        return None
    return "-".join(
        symbols[start : start + CODE_GROUP]
        for start in range(0, CODE_SYMBOLS, CODE_GROUP)
    )
