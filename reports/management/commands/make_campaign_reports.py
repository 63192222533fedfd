import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.tasks import campaign_reports_task


class Command(BaseCommand):
    help = (
        "Enqueue the weekly campaign reports (a ranked PDF and a PNG card per "
        "unit) of every campaign running in the last full week, Monday to "
        "Sunday; run every Monday by the lms-campaign-reports timer. --week "
        "names another week by its Monday (dd/mm/yyyy or yyyy-mm-dd)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", default="", help="The Monday of the week.")

    def handle(self, *args, week="", **options):
        if week:
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    monday = datetime.datetime.strptime(week, fmt).date()
                    break
                except ValueError:
                    continue
            else:
                raise CommandError(f"{week!r} is not a date.")
            if monday.weekday() != 0:
                raise CommandError(f"{week} is not a Monday.")
        else:
            today = timezone.localdate()
            monday = today - datetime.timedelta(days=today.weekday() + 7)
        campaign_reports_task.enqueue(monday.isoformat())
        self.stdout.write(f"Weekly campaign reports of {monday:%d/%m/%Y} enqueued.")
