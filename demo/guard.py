"""The demo's accounts share a password the README publishes, so demo content
is for a development machine only."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_without_debug(command: str) -> None:
    """Raise CommandError unless the site runs with DEBUG on (the dev settings)."""
    if not settings.DEBUG:
        raise CommandError(
            f"{command} refuses to run with DEBUG off: the demo creates accounts "
            "(the superuser 'admin' among them) whose password is published in "
            "the README. Run it only on a development machine "
            "(DJANGO_SETTINGS_MODULE=lms.settings.dev)."
        )
