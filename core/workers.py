"""Task workers that outlive database outages and notice each other's death.

The project's ``db_worker`` command (``core/management/commands/db_worker.py``)
runs django_tasks_db's worker loop as a ``SupervisedWorker``:

- A database error of the loop itself (``OperationalError``, ``InterfaceError``:
  PostgreSQL restarting, a connection cut) no longer ends the process: the
  connections are closed, the database is tried again with exponential backoff
  (``BACKOFF_FIRST`` doubling up to ``BACKOFF_MAX`` seconds), one warning per
  outage rather than one per try, and the loop resumes. A task's own database
  errors are the task's failure, recorded as before.
- A thread writes the worker's heartbeat (its ``TaskWorker`` row) every
  ``beat_every()`` seconds, while a task runs too, and then looks for dead
  task rows.

A task row RUNNING whose worker is gone (no heartbeat for
``settings.TASK_WORKER_DEAD_AFTER`` seconds, stopped, or a process of this
machine that no longer exists) is marked FAILED by ``fail_dead_tasks``, and
``task_abandoned`` is sent once for it, so that the app owning the job can
resume it: core knows no domain app, the apps listen (certificates' bulk runs,
quizzes' imports).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker
from .signals import task_abandoned

logger = logging.getLogger(__name__)

# What a lost or restarting database raises; anything else is a bug to see.
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds between two tries to reach the database during an outage.
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 10.0
# Seconds of work without a database error after which the next outage's
# pauses start again from BACKOFF_FIRST.
STEADY = 60.0
# Seconds without a heartbeat after which a worker counts as gone, unless
# settings.TASK_WORKER_DEAD_AFTER says otherwise.
DEAD_AFTER = 60
# Times a job whose worker died is resumed by itself (by the apps listening to
# task_abandoned) before it is failed for a person to look at: something in it
# may be what kills the workers.
AUTO_RESUMES = 3


class WorkerLost(Exception):
    """The worker running a task stopped before recording how it ended."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def _dead_after_seconds() -> float:
    return float(getattr(settings, "TASK_WORKER_DEAD_AFTER", DEAD_AFTER))


def dead_after() -> timedelta:
    """Return how long without a heartbeat makes a worker count as gone."""
    return timedelta(seconds=_dead_after_seconds())


def beat_every() -> float:
    """Return the seconds between two heartbeats: several within dead_after(),
    so that a slow write or two never makes a living worker look dead."""
    return max(1.0, _dead_after_seconds() / 6)


@lru_cache(maxsize=1)
def pid_space() -> str:
    """Return what identifies this machine's process numbers: its boot and its
    PID namespace (so two containers with the same hostname differ), or "" where
    they cannot be read."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as boot:
            boot_id = boot.read().strip()
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return ""
    return f"{boot_id}:{namespace}"


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# Heartbeats -----------------------------------------------------------------------


def worker_beat(
    *, worker_id: str, queues: str = "", starting: bool = False, stopped: bool = False
) -> TaskWorker:
    """Record that this process, as worker_id, is alive (or has stopped)."""
    now = timezone.now()
    fields = {
        "hostname": socket.gethostname()[:255],
        "pid_space": pid_space(),
        "pid": os.getpid(),
        "queues": queues[:255],
        "beat_at": now,
        "stopped_at": now if stopped else None,
    }
    worker, _ = TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={**fields, "started_at": now} if starting else fields,
        create_defaults={**fields, "started_at": now},
    )
    return worker


def workers_forget(*, now=None) -> int:
    """Delete the records of workers gone for more than a day; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted, _ = TaskWorker.objects.filter(beat_at__lt=cutoff).delete()
    return deleted


def is_gone(worker: TaskWorker, *, now=None, current_worker_id=None) -> bool:
    """Return whether the worker no longer runs: stopped, silent for longer than
    dead_after(), or a process of this machine that does not exist any more."""
    now = now or timezone.now()
    if worker.stopped_at is not None or worker.beat_at < now - dead_after():
        return True
    if worker.worker_id == current_worker_id:
        return False
    if worker.pid_space and worker.pid_space == pid_space():
        # This process has the pid now: the worker that had it is gone (a
        # container restarted, where every worker is pid 1).
        return worker.pid == os.getpid() or _process_gone(worker.pid)
    return False


# Dead task rows -----------------------------------------------------------------


def dead_task_results(
    *, now=None, current_worker_id: str | None = None, include_own: bool = False
) -> list[DBTaskResult]:
    """Return the task rows RUNNING whose worker is gone.

    A row whose worker left no heartbeat (a worker of another kind, or from
    before heartbeats) is dead once it has run for dead_after(). With
    include_own, the rows of current_worker_id are dead too: its loop lost them
    to a database error and runs none of them any more.
    """
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running().order_by("started_at"))
    ids = {row.worker_ids[-1] for row in running if row.worker_ids}
    workers = {w.worker_id: w for w in TaskWorker.objects.filter(worker_id__in=ids)}
    dead = []
    for row in running:
        worker_id = row.worker_ids[-1] if row.worker_ids else None
        worker = workers.get(worker_id)
        if include_own and worker_id == current_worker_id:
            dead.append(row)
        elif worker is None:
            if row.started_at is None or row.started_at < now - dead_after():
                dead.append(row)
        elif is_gone(worker, now=now, current_worker_id=current_worker_id):
            dead.append(row)
    return dead


def fail_dead_tasks(
    *, current_worker_id: str | None = None, include_own: bool = False
) -> list[DBTaskResult]:
    """Mark FAILED the task rows whose worker is gone and announce each one
    (``task_abandoned``); return the rows this call marked.

    Each row is marked by one conditional UPDATE, so when several workers look at
    once, only one announces it, and the job is resumed once.
    """
    now = timezone.now()
    marked = []
    for row in dead_task_results(
        now=now, current_worker_id=current_worker_id, include_own=include_own
    ):
        worker_id = row.worker_ids[-1] if row.worker_ids else "?"
        message = (
            f"{WORKER_LOST}: worker {worker_id} stopped while running this task "
            f"(started {row.started_at:%Y-%m-%d %H:%M:%S %Z}); marked failed by "
            f"{current_worker_id or 'fail_dead_tasks'} at {now:%Y-%m-%d %H:%M:%S %Z}."
            if row.started_at
            else f"{WORKER_LOST}: worker {worker_id} stopped while running this task."
        )
        updated = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=WORKER_LOST,
            traceback=message + "\n",
        )
        if not updated:
            continue
        logger.warning(
            "Task %s (%s) marked failed: its worker %s is gone.",
            row.pk,
            row.task_path,
            worker_id,
        )
        marked.append(row)
        _announce(row)
    return marked


def _announce(row: DBTaskResult) -> None:
    times = DBTaskResult.objects.filter(
        task_path=row.task_path,
        args_kwargs=row.args_kwargs,
        exception_class_path=WORKER_LOST,
    ).count()
    for receiver, outcome in task_abandoned.send_robust(
        sender=DBTaskResult,
        task_path=row.task_path,
        task_id=str(row.pk),
        args=row.args_kwargs.get("args", []),
        kwargs=row.args_kwargs.get("kwargs", {}),
        times=times,
    ):
        if isinstance(outcome, Exception):
            logger.error(
                "Resuming task %s failed in %r.",
                row.pk,
                receiver,
                exc_info=(type(outcome), outcome, outcome.__traceback__),
            )


# The worker -----------------------------------------------------------------------


class Heartbeat(threading.Thread):
    """Beat for the worker and look for dead task rows, every beat_every()
    seconds until stopped; a database error waits for the next beat."""

    def __init__(self, worker: SupervisedWorker):
        super().__init__(name=f"heartbeat-{worker.worker_id}", daemon=True)
        self.worker = worker
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(beat_every()):
                try:
                    self.worker.check()
                except DatabaseError as error:
                    # The main loop says when the database is away; this
                    # thread only tries again at its next beat.
                    logger.debug("Heartbeat failed: %s", error)
                    _close_connections()
        finally:
            _close_connections()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


def _ask_database(alias: str) -> None:
    """Run the smallest query; raise what the database raises."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _close_connections() -> None:
    """Close this thread's connections, even broken ones."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            pass


class SupervisedWorker(Worker):
    """django_tasks_db's worker, kept alive through database outages, with a
    heartbeat and the reaping of dead task rows."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.queues = ",".join(self.queue_names)
        self.outages = 0
        # The first pause of the next outage, and when the last one ended: an
        # error soon after the database came back (one that a query cannot
        # see, such as a missing table) keeps doubling the pause, not
        # restarting it, so it never spins.
        self.next_pause = BACKOFF_FIRST
        self.resumed_at: float | None = None

    def check(self, *, starting: bool = False) -> None:
        """Beat, mark the dead task rows failed, forget long-gone workers."""
        worker_beat(worker_id=self.worker_id, queues=self.queues, starting=starting)
        fail_dead_tasks(current_worker_id=self.worker_id)
        workers_forget()

    def run(self) -> None:
        heartbeat = None
        starting = True
        try:
            while True:
                try:
                    # At start-up and after each outage: the rows of workers that
                    # died meanwhile at once, and this worker's own, since it
                    # runs none now: left by the loop an outage broke, or by the
                    # previous process with the same --worker-id.
                    self.check(starting=starting)
                    fail_dead_tasks(current_worker_id=self.worker_id, include_own=True)
                    starting = False
                    if heartbeat is None:
                        heartbeat = Heartbeat(self)
                        heartbeat.start()
                    super().run()
                    return
                except DATABASE_ERRORS as error:
                    if not self.running:
                        raise
                    self.wait_for_database(error)
                    # One random pause at start-up is enough.
                    self.startup_delay = False
        finally:
            if heartbeat is not None:
                heartbeat.stop()
            self._record_stop()

    def wait_for_database(self, error: Exception) -> None:
        """Close the connections and try the database again, waiting twice as
        long each time up to BACKOFF_MAX; return once it answers."""
        self.outages += 1
        if self.resumed_at is None or time.monotonic() - self.resumed_at > STEADY:
            self.next_pause = BACKOFF_FIRST
        logger.warning(
            "Worker %s: the database does not answer (%s); trying again, every "
            "%.0f s at most, until it does.",
            self.worker_id,
            " ".join(str(error).split()) or type(error).__name__,
            BACKOFF_MAX,
        )
        started = time.monotonic()
        delay = self.next_pause
        tries = 0
        alias = DBTaskResult.objects.db
        while True:
            _close_connections()
            time.sleep(delay)
            tries += 1
            try:
                _ask_database(alias)
            except DATABASE_ERRORS as again:
                logger.debug("Database still away (try %d): %s", tries, again)
                delay = min(delay * 2, BACKOFF_MAX)
                continue
            break
        self.next_pause = min(delay * 2, BACKOFF_MAX)
        self.resumed_at = time.monotonic()
        logger.warning(
            "Worker %s: the database answers again after %.0f s (%d tries); resuming.",
            self.worker_id,
            time.monotonic() - started,
            tries,
        )

    def _record_stop(self) -> None:
        try:
            worker_beat(worker_id=self.worker_id, queues=self.queues, stopped=True)
        except DatabaseError:
            # Without the database the heartbeat simply ages: the same verdict,
            # a minute later.
            pass
