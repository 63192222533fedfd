"""Signed-in sessions as the person sees them: alive or not, on which browser.

The session store (``settings.SESSION_ENGINE``) holds the sessions themselves;
``LoginSession`` rows name the ones each person signed in on, so they can be
listed and ended. A row outlives its session when the session expires, is
flushed elsewhere or no longer matches the password; ``session_alive`` tells.
"""

from __future__ import annotations

import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _


def _store(session_key: str | None = None):
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def end_stored_sessions(keys: list[str]) -> None:
    """Delete the sessions from the store: their browsers are signed out."""
    for key in keys:
        _store(key).delete()


def session_alive(session_key: str, user) -> bool:
    """Whether the session still signs the user in: it exists, has not expired,
    names the user and matches their password."""
    data = _store(session_key).load()
    if str(data.get(SESSION_KEY, "")) != str(user.pk):
        return False
    return constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    )


# (pattern, name) in the order to try: many browsers also name Chrome and Safari.
_BROWSERS = [
    (r"Zalo", "Zalo"),
    (r"coc_coc_browser|CocCoc", "Cốc Cốc"),
    (r"FBAN|FBAV", "Facebook"),
    (r"SamsungBrowser", "Samsung Internet"),
    (r"Edg[A]?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/|FxiOS", "Firefox"),
    (r"Chrome/|CriOS", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"Android", "Android"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def describe_user_agent(agent: str) -> str:
    """Return "Chrome on Android" and the like, or "Unknown browser"."""
    browser = next(
        (name for pattern, name in _BROWSERS if re.search(pattern, agent)), ""
    )
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, agent)), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
