from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outreach.loader import DEFAULT_FILE, LoadError, load_procedure_fields


class Command(BaseCommand):
    help = (
        "Load the catalogue of procedure fields from outreach/data/ (or --file); "
        "rows are matched on their code, fields added by editors are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, **options):
        try:
            result = load_procedure_fields(options["file"])
        except (LoadError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.created} created, {result.updated} updated "
            f"(source: {result.source})"
        )
