"""Limits on guessing, counted in the shared cache so every app machine sees them.

A limit is a number of attempts per window of time for one subject: a client
address, or a target such as a class, a session or an account. A view names the
limits that apply to what it is about to check and asks ``refusal`` first; after
a wrong guess it calls ``record`` (``hit`` counts every attempt, right or wrong,
for lookups that are limited as such). A refused request gets a Vietnamese
message that says how many minutes to wait.

The rates are ``settings.THROTTLE_RATES`` ({name: (attempts, seconds)}). A
window starts with the first attempt it counts, so the wait is the rest of that
window. When the cache does not answer, the limits are not applied: a lost
Redis must not lock everyone out.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

# What each limit is for, and its rate unless settings.THROTTLE_RATES says
# otherwise: (attempts, seconds).
DEFAULT_RATES = {
    # Public certificate lookups per client address (right or wrong).
    "verify:address": (30, 10 * 60),
    # Public confirmations of a helped-person record per client address (right
    # or wrong link).
    "help_confirm:address": (30, 10 * 60),
    # Answers to "Was this lesson helpful?": anonymous visitors per client
    # address (a school's pupils may share one), learners per account.
    "feedback:address": (60, 60 * 60),
    "feedback:account": (60, 60 * 60),
    # Wrong class join codes.
    "join:address": (10, 15 * 60),
    "join:account": (10, 15 * 60),
    # Wrong account claim codes.
    "claim:address": (10, 15 * 60),
    "claim:target": (5, 15 * 60),
    # Wrong check-in codes.
    "check_in:address": (10, 15 * 60),
    "check_in:session": (30, 15 * 60),
    # Wrong passwords: from one address across every account (spraying), and
    # against one account from every address. django-axes also locks one
    # (account, address) pair after AXES_FAILURE_LIMIT.
    "login:address": (20, 15 * 60),
    "login:account": (30, 60 * 60),
    # Requests for a password reset link or code.
    "password_reset:address": (10, 60 * 60),
    "password_reset:account": (3, 60 * 60),
    # Codes sent to confirm a phone or an email, and wrong codes typed back.
    "confirm:account": (5, 60 * 60),
    # Wrong confirmation codes typed back (a phone's 6 digits).
    "confirm_code:account": (5, 15 * 60),
}


@dataclass(frozen=True)
class Refusal:
    """A request refused by a limit, and how long until it may try again."""

    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def wait_message(self) -> str:
        return ngettext(
            "Wait %(minutes)d minute and try again.",
            "Wait %(minutes)d minutes and try again.",
            self.minutes,
        ) % {"minutes": self.minutes}

    @property
    def message(self) -> str:
        return _("Too many attempts.") + " " + self.wait_message


def rate(name: str) -> tuple[int, int]:
    rates = getattr(settings, "THROTTLE_RATES", {}) or {}
    return tuple(rates.get(name, DEFAULT_RATES[name]))


def _key(name: str, subject) -> str:
    digest = hashlib.sha256(str(subject).encode()).hexdigest()[:32]
    return f"throttle:{name}:{digest}"


def _checks(checks: dict[str, object]):
    """Yield (name, subject) for each named limit that has a subject; a list or
    tuple of subjects counts against each (a claim's phone and account)."""
    for name, subjects in checks.items():
        if not isinstance(subjects, list | tuple):
            subjects = [subjects]
        for subject in subjects:
            if subject not in (None, ""):
                yield name, subject


def _fail_open(function):
    """Let the request through, and say so in the log, when the cache fails."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        # Logged, not raised: a cache that does not answer lets people in.
        except Exception:
            logger.warning("Throttling skipped: the cache failed.", exc_info=True)
            return None

    return wrapper


def _over(checks: dict[str, object], now: float, allowed: int) -> Refusal | None:
    waits = []
    for name, subject in _checks(checks):
        attempts, seconds = rate(name)
        key = _key(name, subject)
        found = cache.get_many([key, key + ":since"])
        ends = found.get(key + ":since", now) + seconds
        if found.get(key, 0) >= attempts + allowed and ends > now:
            waits.append(max(1, math.ceil(ends - now)))
    return Refusal(max(waits)) if waits else None


@_fail_open
def refusal(checks: dict[str, object], *, now: float | None = None) -> Refusal | None:
    """Return the refusal when any of the limits {name: subject} is used up."""
    return _over(checks, time.time() if now is None else now, 0)


@_fail_open
def record(checks: dict[str, object], *, now: float | None = None) -> None:
    """Count one attempt against each of the limits {name: subject}; a window
    starts with the first attempt it counts."""
    now = time.time() if now is None else now
    for name, subject in _checks(checks):
        seconds = rate(name)[1]
        key = _key(name, subject)
        if cache.add(key, 1, timeout=seconds):
            cache.set(key + ":since", now, timeout=seconds)
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
            cache.set(key + ":since", now, timeout=seconds)


@_fail_open
def hit(checks: dict[str, object], *, now: float | None = None) -> Refusal | None:
    """Count one attempt, then return the refusal when a limit is exceeded: for
    lookups limited whether they find something or not."""
    now = time.time() if now is None else now
    record(checks, now=now)
    return _over(checks, now, 1)


@_fail_open
def reset(checks: dict[str, object]) -> None:
    """Forget the attempts counted against the limits (after a success)."""
    keys = [_key(name, subject) for name, subject in _checks(checks)]
    cache.delete_many([*keys, *(key + ":since" for key in keys)])
