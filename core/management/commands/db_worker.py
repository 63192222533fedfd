"""django_tasks_db's ``db_worker``, supervised (``core.workers.SupervisedWorker``).

Named as the command it replaces, so that every way of starting a worker (the
Makefile, systemd units, scripts) gets the supervised one: Django takes a
command from the first app of INSTALLED_APPS that has it, as staticfiles does
with runserver, and core comes before django_tasks_db.
"""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.workers import SupervisedWorker, logger


class Command(db_worker.Command):
    help = (
        "Run a database task worker that survives database restarts (retrying "
        "with backoff), records a heartbeat, and marks failed the running tasks "
        "of workers that died, so their jobs resume."
    )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            # A line as each task starts and ends is for -v 2: by default a
            # person sees the worker start, outages, dead workers and the
            # tasks that fail (logged as errors), not hundreds of successes.
            db_worker.logging.getLogger(db_worker.TASKS_LOGGER).setLevel(
                db_worker.logging.WARNING
            )
        # What the supervision says goes where the worker's own lines go.
        logger.setLevel(db_worker.logger.level)
        if not logger.hasHandlers():
            logger.addHandler(db_worker.logging.StreamHandler(self.stdout))

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            db_worker.logger.warning(
                "Warning: --reload and --batch cannot be specified together. "
                "Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")

        worker = SupervisedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
