"""The rotating check-in code a session shows on the teacher's screen.

code = HMAC(SECRET_KEY, "<session id>:<window>") as 6 digits, where window is
the Unix time divided by 30 seconds. The current window and the one before are
accepted, so a learner who scanned just before the code changed still gets in;
a code photographed and sent to someone at home stops working within a minute.
"""

import hashlib
import hmac
import time

from django.conf import settings

WINDOW_SECONDS = 30
DIGITS = 6


def current_window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def checkin_code(session_id: int, window: int) -> str:
    key = (settings.SECRET_KEY + ":check-in").encode()
    digest = hmac.new(key, f"{session_id}:{window}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % 10**DIGITS
    return f"{number:0{DIGITS}d}"


def code_is_valid(session_id: int, code: str, now: float | None = None) -> bool:
    """Whether code is the session's code now or in the previous window."""
    code = (code or "").strip()
    window = current_window(now)
    return any(
        hmac.compare_digest(checkin_code(session_id, w), code)
        for w in (window, window - 1)
    )


def seconds_left(now: float | None = None) -> int:
    now = time.time() if now is None else now
    return WINDOW_SECONDS - int(now % WINDOW_SECONDS)
