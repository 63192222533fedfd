"""Errors reported to Sentry, when the environment names a project.

``sentry_setup`` is called by the production settings when ``SENTRY_DSN`` is
set, and never otherwise: without it nothing is loaded and nothing leaves the
machine. What is sent is an error's traceback and where it happened, with the
request's id (core.log) as a tag, so the log lines of the same request are
found; not who the person was nor what they typed. The platform holds
personal data (names, phone numbers, dates of birth), so the SDK's data
collection is narrowed to what names no one: no user, cookies, request
bodies, query strings, local variables or SQL parameters, and only the
request headers that say nothing of the person.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .log import NO_REQUEST, request_id_var

# Request headers worth sending: they say what was asked, not by whom.
SAFE_HEADERS = ["accept", "accept-language", "content-type", "host", "x-request-id"]

DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "allowlist", "terms": SAFE_HEADERS}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "stack_frame_variables": False,
    "database_query_data": False,
}


def add_request_id(event: dict, hint: dict) -> dict:
    """Tag the event with the id of the request it happened in, if any."""
    request_id = request_id_var.get()
    if request_id != NO_REQUEST:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_setup(
    *,
    dsn: str,
    environment: str,
    release: str | None,
    traces_sample_rate: float,
) -> None:
    """Start reporting errors to the Sentry project of ``dsn``."""
    import sentry_sdk
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            release=release or None,
            traces_sample_rate=traces_sample_rate,
            data_collection=DATA_COLLECTION,
            before_send=add_request_id,
        )
    except BadDsn as error:
        raise ImproperlyConfigured(
            f"SENTRY_DSN is not a Sentry DSN ({error}): copy it from the "
            "project's settings (Client Keys), or leave it unset."
        ) from error
