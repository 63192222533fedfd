from django.core.management.base import BaseCommand

from core.workers import fail_dead_tasks


class Command(BaseCommand):
    help = (
        "Mark failed the running tasks whose worker is gone (no heartbeat for "
        "TASK_WORKER_DEAD_AFTER seconds, or stopped), so that their jobs resume "
        "(bulk certificate runs, question imports). Every db_worker does it by "
        "itself at start-up and every few seconds."
    )

    def handle(self, *args, **options):
        failed = fail_dead_tasks()
        for row in failed:
            self.stdout.write(f"{row.pk} {row.task_path}")
        self.stdout.write(f"{len(failed)} task(s) marked failed.")
