"""Vietnamese mobile numbers: one canonical form however the number is written.

0912 345 678, 0912.345.678, 0912345678, +84 912 345 678, +84 0912 345 678 and
84912345678 are one number, stored as +84912345678.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile networks use 03x, 05x, 07x, 08x and 09x since the 2018 renumbering.
_NATIONAL = re.compile(r"0([35789]\d{8})")


def normalise_phone(raw: str) -> str:
    """Return the number as +84XXXXXXXXX, or raise ValidationError."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0084"):
        digits = "0" + digits[4:].removeprefix("0")
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    match = _NATIONAL.fullmatch(digits)
    if not match:
        raise ValidationError(
            _(
                "Enter a Vietnamese mobile number of 10 digits, "
                "for example 0912 345 678."
            ),
            code="invalid_phone",
        )
    return "+84" + match.group(1)


def looks_like_phone(identifier: str) -> bool:
    """Whether a login identifier is a phone number rather than an email."""
    return "@" not in identifier and any(ch.isdigit() for ch in identifier)


def display_phone(canonical: str) -> str:
    """Return +84912345678 as 0912 345 678."""
    if not canonical or not canonical.startswith("+84"):
        return canonical or ""
    national = "0" + canonical[3:]
    return f"{national[:4]} {national[4:7]} {national[7:]}"
