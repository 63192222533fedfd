"""Keep a person whose consent is not of the current text on the consent page.

When the consent text changes (``settings.PERSONAL_DATA_CONSENT_VERSION``), or
a person never agreed to one (an account made in the admin), every page sends
them to the consent page until they agree. They may still log out, delete
their account, download their data, and reach the public and static pages
listed in ``settings.CONSENT_EXEMPT_PATHS``.

The session remembers the version the person agreed to (set at login and on
agreeing), so the check costs no query once it is current.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .devices import remember_device
from .selectors import consent_is_current

# The session's record of the consent version the person agreed to.
CONSENT_SESSION_KEY = "users_consent_version"

# The person's own pages they may reach before agreeing.
_OWN_PAGES = (
    "users:consent",
    "users:logout",
    "users:delete",
    "users:deleted",
    "users:data_json",
    "users:data_xlsx",
)


def remember_consent(request, user) -> bool:
    """Note in the session whether the user's consent is of the current text,
    and return it."""
    current = consent_is_current(user)
    if current:
        request.session[CONSENT_SESSION_KEY] = settings.PERSONAL_DATA_CONSENT_VERSION
    else:
        request.session.pop(CONSENT_SESSION_KEY, None)
    return current


class KnownDeviceMiddleware:
    """Remember the browser of whoever logged in during the request
    (users.devices): their wrong passwords there count against that address
    only, not against the account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        remember_device(request, response)
        return response


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def __call__(self, request):
        if self._must_ask(request):
            target = reverse("users:consent")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    def _exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (
                *(reverse(name) for name in _OWN_PAGES),
                settings.STATIC_URL,
                *getattr(settings, "CONSENT_EXEMPT_PATHS", ()),
            )
        return self._exempt

    def _must_ask(self, request) -> bool:
        session = getattr(request, "session", None)
        if session is None:
            return False
        if session.get(CONSENT_SESSION_KEY) == settings.PERSONAL_DATA_CONSENT_VERSION:
            return False
        if SESSION_KEY not in session:
            return False
        if request.path_info.startswith(self._exempt_paths()):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        return not remember_consent(request, user)
