"""Prepare, check or remove the campaign-peak load test's data (bench/load/).

    python manage.py load_prepare --users 500 --out plan.json   # accounts, course...
    python manage.py load_prepare --check attempts.jsonl --since ISO-TIME
    python manage.py load_prepare --remove

``--out -`` writes the plan (with the accounts' password) to standard output,
so that a runner on another machine or as another user can keep it.
"""

import json
import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from demo.loadtest import (
    DEFAULT_PROVINCE,
    LoadTestError,
    loadtest_check,
    loadtest_prepare,
    loadtest_remove,
    read_records,
)


class Command(BaseCommand):
    help = (
        "Make (or find) the load test's accounts, classes, course and certificates "
        "and write the plan bench/load/ reads; --check counts lost quiz attempts "
        "after a run; --remove deletes everything the load test made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=500)
        parser.add_argument("--province", default=DEFAULT_PROVINCE)
        parser.add_argument(
            "--out", default="-", help="where to write the plan (- for stdout)"
        )
        parser.add_argument(
            "--check",
            metavar="FILE",
            help="the learners' attempt records (one JSON a line; - for stdin)",
        )
        parser.add_argument("--since", help="the run's start (ISO time), with --check")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, **options):
        try:
            if options["remove"]:
                removed = loadtest_remove()
                self.stderr.write(
                    "Removed (rows, with those that went with them): "
                    + ", ".join(f"{n} {what}" for what, n in removed.items())
                )
                return
            if options["check"]:
                self._check(options)
                return
            plan = loadtest_prepare(
                users=options["users"], province_code=options["province"]
            )
        except LoadTestError as error:
            raise CommandError(str(error)) from error
        text = json.dumps(plan, ensure_ascii=False)
        if options["out"] == "-":
            self.stdout.write(text)
        else:
            with open(options["out"], "w", encoding="utf-8") as file:
                file.write(text)
        self.stderr.write(
            f"Prepared {len(plan['learners'])} learners, {len(plan['teachers'])} "
            f"teachers with a class each, {len(plan['officials'])} officials, "
            f"{len(plan['certificates'])} certificates to verify."
        )

    def _check(self, options):
        if not options["since"]:
            raise CommandError("--check needs --since (the run's start).")
        try:
            since = datetime.fromisoformat(options["since"])
        except ValueError as error:
            raise CommandError(f"--since: {error}") from error
        if options["check"] == "-":
            text = sys.stdin.read()
        else:
            with open(options["check"], encoding="utf-8") as file:
                text = file.read()
        self.stdout.write(json.dumps(loadtest_check(read_records(text), since=since)))
