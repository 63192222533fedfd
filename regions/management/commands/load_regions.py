from django.core.management.base import BaseCommand, CommandError

from regions.loader import LoadError, load_current_regions, load_legacy_regions


class Command(BaseCommand):
    help = (
        "Load Vietnam's current administrative units (and with --legacy the "
        "pre-reform ones and what each became). Safe to run again: it creates "
        "what is missing, updates what changed and never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="Also load the units in force before 1 July 2025.",
        )

    def handle(self, *args, legacy=False, **options):
        loads = [load_current_regions] + ([load_legacy_regions] if legacy else [])
        for load in loads:
            try:
                result = load()
            except LoadError as error:
                raise CommandError(str(error)) from error
            style = self.style.WARNING if result.unmapped else self.style.SUCCESS
            self.stdout.write(style(result.summary()))
