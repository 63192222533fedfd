from django.core.management.base import BaseCommand

from quizzes.services import quiz_attempts_expire


class Command(BaseCommand):
    help = (
        "Score and close quiz attempts left open past their time limit and grace. "
        "Run it every few minutes (cron or a scheduler)."
    )

    def handle(self, *args, **options):
        closed = quiz_attempts_expire()
        self.stdout.write(f"{closed} attempt(s) closed.")
