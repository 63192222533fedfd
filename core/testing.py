"""Helpers for tests of every app."""

from contextlib import contextmanager

from django.db import transaction
from django.utils import translation


def vi(message: str, plural: str = "", n: int = 1, **params) -> str:
    """Return the message as the Vietnamese site shows it, with its values."""
    with translation.override("vi"):
        if plural:
            text = translation.ngettext(message, plural, n)
        else:
            text = translation.gettext(message)
    return text % params if params else text


@contextmanager
def rolled_back(using: str | None = None):
    """Run the block in a transaction that is rolled back at its end, for a
    fixture that loads data once for several tests.

    The transaction counts as a test case's own, as Django's ``TestCase``
    marks the one around ``setUpTestData``: inside it, code commits as it
    would on its own, so its ``transaction.on_commit`` callbacks run (the
    reports' counts are refreshed; see the root conftest) and durable blocks
    may open. In a plain ``transaction.atomic()`` they would wait for a
    commit that never comes."""
    block = transaction.atomic(using=using)
    block._from_testcase = True
    with block:
        yield
        transaction.set_rollback(True, using=using)
