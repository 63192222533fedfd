import time

from django.core.management.base import BaseCommand

from reports.services import certificate_spans_rebuild


class Command(BaseCommand):
    help = (
        "Recompute from the certificates the spans the coverage reports count "
        "people trained from. Issuing and revoking keep them up to date; run this "
        "after certificates were written without the ORM's signals (bulk loads)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = certificate_spans_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{rows} certificate spans in {time.perf_counter() - started:.1f} s."
            )
        )
