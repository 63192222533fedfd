"""Browsers a person has logged in from before, remembered in a signed cookie.

Wrong passwords against one account are counted from every address
(``login:account`` in core.throttle), so that a guesser who changes address
is stopped too. Alone, that limit would let a stranger lock the owner out by
failing often enough from anywhere. A browser where the person logged in
before carries a signed cookie naming them, and on it the account's limit does
not apply: only the limits of its own address do (django-axes' lock of the
account and address together, and ``login:address``). OWASP calls this a
device cookie.

The cookie names at most ``KEEP`` people (a family shares a phone), newest
first; it holds their ids, signed, nothing else.
"""

from __future__ import annotations

from django.conf import settings

COOKIE_NAME = "lms_known_device"
SALT = "users.devices"
MAX_AGE = 180 * 24 * 60 * 60
KEEP = 5

# Set on the request by the login receiver; the middleware then writes the
# cookie on the response.
_LOGGED_IN_ATTR = "_users_device_login"


def known_people(request) -> list[int]:
    """Return the ids of the people who logged in on this browser before (none
    for a cookie that is missing, forged or too old)."""
    value = request.get_signed_cookie(
        COOKIE_NAME, default="", salt=SALT, max_age=MAX_AGE
    )
    people = []
    for part in value.split(","):
        try:
            people.append(int(part))
        except ValueError:
            continue
    return people


def is_known_device(request, user_pk: int) -> bool:
    return user_pk in known_people(request)


def note_login(request, user) -> None:
    """Ask for the browser to be remembered as the person's on this response."""
    setattr(request, _LOGGED_IN_ATTR, user.pk)


def remember_device(request, response) -> None:
    """Write the cookie when someone logged in during this request."""
    user_pk = getattr(request, _LOGGED_IN_ATTR, None)
    if user_pk is None:
        return
    people = [pk for pk in known_people(request) if pk != user_pk]
    value = ",".join(str(pk) for pk in [user_pk, *people][:KEEP])
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=SALT,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
