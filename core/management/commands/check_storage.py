"""Check that media and private files can be written, read and deleted where
the settings put them, and that an object store answers: for an operator after
setting the AWS_* variables, before starting the site."""

from django.core.management.base import BaseCommand, CommandError

from core.checks import object_storage_check
from core.storage import describe, round_trip_problem


class Command(BaseCommand):
    help = (
        "Check the media and private storages: the object store's bucket and "
        "credentials when one is set, then a file written, read and deleted."
    )

    def handle(self, *args, **options):
        problems = [error.msg for error in object_storage_check(None)]
        if not problems:
            for alias in ("default", "private"):
                problem = round_trip_problem(alias)
                if problem:
                    problems.append(f'STORAGES["{alias}"]: {problem}')
                else:
                    self.stdout.write(f"{alias}: {describe(alias)}: ok")
        if problems:
            raise CommandError("\n".join(problems))
