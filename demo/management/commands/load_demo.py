"""Load the demo: four Vietnamese courses, their pictures, demo people and progress."""

import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from demo.guard import refuse_without_debug
from demo.loader import DemoError, load_demo

# Loggers that report every page published and every step of a PDF at INFO.
CHATTY_LOGGERS = ["wagtail", "weasyprint", "fontTools"]


@contextmanager
def _quiet(names: list[str]):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Create the demo courses, lessons, final quizzes and their question bank, "
        "pictures, documents and people, and some learner progress. Safe to run "
        "again: it only adds what is missing. Needs the administrative units "
        "(manage.py load_regions) first."
    )

    def handle(self, *args, **options):
        refuse_without_debug("load_demo")
        started = time.monotonic()
        chatty = CHATTY_LOGGERS if options["verbosity"] < 2 else []
        try:
            with _quiet(chatty):
                summary = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"{summary} ({time.monotonic() - started:.1f} s).")
        )
