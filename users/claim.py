"""One-time codes with which a person who has no password claims their account.

A code is 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so
it can be read off a printed card and typed on a phone. The database keeps only
an HMAC of it under the site's secret key: a random 10-character code carries
about 50 bits, so a keyed hash is as safe as a password hash against a stolen
database, and unlike a salted hash it can be looked up by the code itself.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """Return the code as printed, however it was typed (case, spaces, dashes)."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    key = (settings.SECRET_KEY + ":claim-code").encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()
