"""Secrets that stand for a person: access tokens, reset links, confirmation links.

- Personal access tokens (``AccessToken``) are ``lms_`` and 43 random URL-safe
  characters (256 bits). Only their SHA-256 is kept: a token that random needs
  no slow hash, and the hash finds the row. They carry a stamp of the owner's
  password, so a new password ends every token made before it.
- A learner's password reset link uses ``learner_reset_tokens``, a generator with
  a salt of its own: its links do not open the Wagtail admin's reset page, whose
  links (Django's default generator) do not open the learner's.
- An email confirmation link is the user's id and the address, signed with a
  timestamp; it works for ``EMAIL_CONFIRM_MAX_AGE`` and only while the account
  still has that address.
- A phone confirmation code is 6 digits kept in the cache as a keyed hash, bound
  to the number, for ``PHONE_CODE_LIFETIME`` seconds.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

TOKEN_PREFIX = "lms_"
# Characters of a token shown to tell tokens apart: "lms_" and 8 more.
SHOWN_PREFIX_LENGTH = 12

EMAIL_CONFIRM_SALT = "users.email-confirm"
EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60
PHONE_CODE_LIFETIME = 10 * 60


def new_access_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def access_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def password_stamp(user) -> str:
    """Return a stamp of the user's password: it changes whenever the password
    does (or is lost), and says nothing about it."""
    return salted_hmac("users.tokens.password-stamp", user.password or "").hexdigest()[
        :16
    ]


class LearnerResetTokenGenerator(PasswordResetTokenGenerator):
    """Password reset links of the learner's page, apart from the admin's."""

    key_salt = "users.tokens.LearnerResetTokenGenerator"


learner_reset_tokens = LearnerResetTokenGenerator()


def email_confirm_token(user) -> str:
    return signing.TimestampSigner(salt=EMAIL_CONFIRM_SALT).sign_object(
        {"u": user.pk, "e": user.email.lower()}
    )


def email_confirm_read(token: str) -> tuple[int, str] | None:
    """Return (user id, address) a confirmation link was made for, or None when
    it is forged, damaged or too old."""
    try:
        data = signing.TimestampSigner(salt=EMAIL_CONFIRM_SALT).unsign_object(
            token, max_age=EMAIL_CONFIRM_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, email = data.get("u"), data.get("e")
    if not isinstance(user_id, int) or not isinstance(email, str):
        return None
    return user_id, email


def new_phone_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def phone_code_hash(*, user_id: int, phone: str, code: str) -> str:
    return salted_hmac(
        "users.tokens.phone-code", f"{user_id}:{phone}:{code.strip()}"
    ).hexdigest()


def phone_code_matches(*, user_id: int, phone: str, code: str, kept: str) -> bool:
    return constant_time_compare(
        phone_code_hash(user_id=user_id, phone=phone, code=code), kept
    )
