from django.core.management.base import BaseCommand

from certificates import bulk
from certificates.models import CertificateBatch
from core.workers import fail_dead_tasks


class Command(BaseCommand):
    help = (
        "Enqueue again the bulk certificate runs that stopped: at once those whose "
        "task's worker is gone (as every db_worker does by itself, see "
        "fail_dead_tasks), failed ones with --failed, and those queued or running "
        "with no sign of life for bulk.STALE_AFTER (a task lost another way)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed", action="store_true", help="Also resume the failed runs."
        )

    def handle(self, *args, failed=False, **options):
        # Runs whose worker died are resumed by the listener of task_abandoned.
        fail_dead_tasks()
        candidates = CertificateBatch.objects.filter(status__in=bulk.ACTIVE)
        if failed:
            candidates = candidates | CertificateBatch.objects.filter(
                status=CertificateBatch.Status.FAILED
            )
        resumed = [
            bulk.certificate_batch_requeue(batch=batch)
            for batch in candidates.order_by("created_at")
            if bulk.can_resume(batch)
        ]
        self.stdout.write(f"{len(resumed)} run(s) enqueued again.")
