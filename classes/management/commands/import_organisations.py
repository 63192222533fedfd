from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from classes.services import organisation_import


class Command(BaseCommand):
    help = (
        "Create or update organisations from a CSV or XLSX file with the columns "
        "Tên, Loại, Mã đơn vị hành chính and optionally Mã."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            with path.open("rb") as upload:
                result = organisation_import(upload=upload)
        except (OSError, ValidationError) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(message) from error
        for line in result.errors:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} created, {result.updated} updated, "
                f"{len(result.errors)} rows refused."
            )
        )
