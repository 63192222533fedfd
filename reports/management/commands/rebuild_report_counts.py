import time

from django.core.management.base import BaseCommand

from reports.services import report_counts_rebuild


class Command(BaseCommand):
    help = (
        "Recount from the certificates, enrolments, attendance and help records "
        "what the reports keep of them (certificate spans, enrolments by day, "
        "participations, help records by day and counted). Issuing, revoking, "
        "enrolling, marking attendance and recording help keep these up to "
        "date after each write commits; run this after rows were written "
        "without the ORM's signals (bulk loads)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = report_counts_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                ", ".join(f"{n} {what}" for what, n in rows.items())
                + f" in {time.perf_counter() - started:.1f} s."
            )
        )
