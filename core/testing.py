"""Helpers for tests of every app."""

from django.utils import translation


def vi(message: str, plural: str = "", n: int = 1, **params) -> str:
    """Return the message as the Vietnamese site shows it, with its values."""
    with translation.override("vi"):
        if plural:
            text = translation.ngettext(message, plural, n)
        else:
            text = translation.gettext(message)
    return text % params if params else text
