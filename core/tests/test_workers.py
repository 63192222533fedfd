import logging
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command, get_commands
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from core import workers
from core.models import TaskWorker

# The worker's loop calls close_old_connections(), which closes a connection
# held in a test's transaction on PostgreSQL (autocommit off): these tests run
# as the worker does, committing, on connections it may close and reopen.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def add(a: int, b: int) -> int:
    return a + b


def make_worker(**options) -> workers.SupervisedWorker:
    defaults = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "worker-under-test",
        "excluded_queue_names": [],
    }
    return workers.SupervisedWorker(**{**defaults, **options})


@pytest.fixture
def quiet_supervision():
    """No heartbeat thread and no real pauses; yield the pauses. A worker that
    never finds the database again fails the test instead of looping."""
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) > 50:
            raise AssertionError(f"The worker kept waiting: {pauses[:12]}...")

    with (
        mock.patch.object(workers, "Heartbeat"),
        mock.patch.object(workers.time, "sleep", side_effect=pause),
    ):
        yield pauses


def running_row(*, worker_id: str | None, started_ago: timedelta, args=(1, 2)):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": list(args), "kwargs": {}},
        task_path="core.tests.test_workers.add",
        backend_name="default",
        run_after=now - started_ago,
        started_at=now - started_ago,
        worker_ids=[worker_id] if worker_id else [],
    )


def heartbeat(worker_id: str, *, ago: timedelta, **fields) -> TaskWorker:
    now = timezone.now()
    return TaskWorker.objects.create(
        worker_id=worker_id,
        started_at=now - ago - timedelta(hours=1),
        beat_at=now - ago,
        **{"hostname": "elsewhere", "pid": 4242, **fields},
    )


def gone_pid() -> int:
    """Return the pid of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# The command --------------------------------------------------------------------


def test_db_worker_is_the_supervised_one():
    """`manage.py db_worker` runs core's supervised worker, not django_tasks_db's."""
    assert get_commands()["db_worker"] == "core"


@pytest.mark.parametrize(("verbosity", "level"), [(1, logging.WARNING), (2, 10)])
def test_the_worker_logs_each_task_only_when_asked(verbosity, level):
    """By default the worker says when it starts, its outages and the tasks
    that fail, not a line as each task starts and ends (``-v 2`` does)."""
    from django_tasks_db.management.commands.db_worker import TASKS_LOGGER

    from core.management.commands.db_worker import Command

    tasks_logger = logging.getLogger(TASKS_LOGGER)
    before = tasks_logger.level
    try:
        Command().configure_logging(verbosity)
        assert tasks_logger.getEffectiveLevel() == level
        assert workers.logger.getEffectiveLevel() <= logging.INFO
    finally:
        tasks_logger.setLevel(before)


# Database outages ---------------------------------------------------------------


def test_worker_survives_a_database_outage_and_runs_the_task(
    settings, quiet_supervision, caplog
):
    """The loop's database errors (here while taking a task, twice) do not end
    the worker: it waits for the database and then runs the task."""
    settings.TASKS = DATABASE_TASKS
    result = add.enqueue(2, 3)
    errors = iter(
        [
            OperationalError("server closed the connection unexpectedly"),
            InterfaceError("connection already closed"),
        ]
    )
    get_locked = DBTaskResultQuerySet.get_locked

    def flaky_get_locked(self):
        error = next(errors, None)
        if error is not None:
            raise error
        return get_locked(self)

    with (
        mock.patch.object(DBTaskResultQuerySet, "get_locked", flaky_get_locked),
        caplog.at_level(logging.INFO, logger="core.workers"),
    ):
        make_worker().run()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 5
    # One pause per outage, then it answered; the second outage came soon
    # after the first, so its pause is longer.
    assert quiet_supervision == [0.5, 1]


def test_worker_backs_off_exponentially_up_to_a_cap_and_logs_once(
    quiet_supervision, caplog
):
    """While the database stays away, pauses double up to BACKOFF_MAX; one
    warning when it goes and one when it is back, however many tries."""
    loop_runs = iter([OperationalError("could not connect to server"), None])

    def loop(self):
        error = next(loop_runs)
        if error:
            raise error

    with (
        mock.patch.object(workers.Worker, "run", loop),
        mock.patch.object(
            workers,
            "_ask_database",
            side_effect=[OperationalError("refused")] * 9 + [None],
        ),
        caplog.at_level(logging.DEBUG, logger="core.workers"),
    ):
        make_worker().run()

    assert quiet_supervision == [0.5, 1, 2, 4, 8, 10, 10, 10, 10, 10]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 2
    assert "does not answer (could not connect to server)" in warnings[0]
    assert "answers again" in warnings[1] and "(10 tries)" in warnings[1]


def test_an_error_that_returns_at_once_backs_off_rather_than_spins(
    quiet_supervision,
):
    """An error the database's answer does not cure (a missing table on SQLite
    is an OperationalError) comes back after each try: the pauses keep growing
    to BACKOFF_MAX, and start from BACKOFF_FIRST again after STEADY seconds of
    work."""
    loop_runs = iter([OperationalError("no such table: core_taskworker")] * 6)

    def loop(self):
        raise next(loop_runs)

    worker = make_worker()
    with (
        mock.patch.object(workers.Worker, "run", loop),
        mock.patch.object(workers, "_ask_database"),
        pytest.raises(StopIteration),
    ):
        worker.run()
    assert quiet_supervision == [0.5, 1, 2, 4, 8, 10]

    worker.resumed_at -= workers.STEADY + 1
    later = iter([OperationalError("server closed the connection"), None])

    def loop_later(self):
        error = next(later)
        if error:
            raise error

    quiet_supervision.clear()
    with (
        mock.patch.object(workers.Worker, "run", loop_later),
        mock.patch.object(workers, "_ask_database"),
    ):
        worker.run()
    assert quiet_supervision == [0.5]


def test_worker_marks_failed_the_task_it_lost_in_an_outage(quiet_supervision):
    """A task whose end could not be recorded (the database went away meanwhile)
    is marked failed once the database is back, and announced so its job
    resumes."""
    lost = running_row(worker_id="worker-under-test", started_ago=timedelta(0))
    loop_runs = iter([OperationalError("terminating connection"), None])

    def loop(self):
        error = next(loop_runs)
        if error:
            raise error

    announced = []
    workers.task_abandoned.connect(
        lambda **kwargs: announced.append(kwargs), weak=False, dispatch_uid="t1"
    )
    try:
        with mock.patch.object(workers.Worker, "run", loop):
            make_worker().run()
    finally:
        workers.task_abandoned.disconnect(dispatch_uid="t1")

    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == "core.workers.WorkerLost"
    assert [a["task_id"] for a in announced] == [str(lost.pk)]


def test_a_restarted_worker_marks_failed_what_it_ran_under_the_same_id(
    quiet_supervision,
):
    """A worker started again with the same --worker-id (systemd's restart) takes
    over the heartbeat, and marks failed at once the task its previous process
    left running."""
    heartbeat("worker-under-test", ago=timedelta(seconds=3))
    left = running_row(worker_id="worker-under-test", started_ago=timedelta(0))

    with mock.patch.object(workers.Worker, "run"):
        make_worker().run()

    left.refresh_from_db()
    assert left.status == TaskResultStatus.FAILED
    worker = TaskWorker.objects.get(worker_id="worker-under-test")
    assert worker.started_at > timezone.now() - timedelta(seconds=30)


def test_worker_records_its_heartbeat_and_its_stop(quiet_supervision):
    """A worker leaves a heartbeat row when it starts, marked stopped when it
    ends of its own accord."""
    with mock.patch.object(workers.Worker, "run"):
        make_worker(queue_names=["default", "bulk"]).run()

    worker = TaskWorker.objects.get(worker_id="worker-under-test")
    assert worker.queues == "default,bulk"
    assert worker.stopped_at is not None
    assert worker.pid > 0


def test_worker_does_not_retry_other_errors(quiet_supervision):
    """An error that is not the database going away still stops the worker."""
    with (
        mock.patch.object(workers.Worker, "run", side_effect=ValueError("bug")),
        pytest.raises(ValueError),
    ):
        make_worker().run()
    assert quiet_supervision == []


# Dead task rows ------------------------------------------------------------------


def test_dead_task_rows_are_those_whose_worker_is_gone(settings):
    """Dead: silent for longer than TASK_WORKER_DEAD_AFTER, stopped, a process
    of this machine that has ended, or no heartbeat and started long ago. Alive:
    a recent heartbeat, or no heartbeat and started recently."""
    settings.TASK_WORKER_DEAD_AFTER = 60
    heartbeat("fresh", ago=timedelta(seconds=10))
    heartbeat("silent", ago=timedelta(seconds=61))
    heartbeat("stopped", ago=timedelta(seconds=5), stopped_at=timezone.now())
    heartbeat(
        "ended",
        ago=timedelta(seconds=5),
        pid_space=workers.pid_space(),
        pid=gone_pid(),
    )
    rows = {
        name: running_row(worker_id=name, started_ago=timedelta(minutes=10))
        for name in ["fresh", "silent", "stopped", "ended"]
    }
    rows["unknown-old"] = running_row(
        worker_id="unknown", started_ago=timedelta(seconds=61)
    )
    rows["unknown-new"] = running_row(
        worker_id="unknown", started_ago=timedelta(seconds=5)
    )

    dead = {row.pk for row in workers.dead_task_results()}

    assert dead == {
        rows[name].pk for name in ["silent", "stopped", "ended", "unknown-old"]
    }


def test_a_worker_of_this_machine_that_still_runs_is_alive():
    """The pid check spares a living process of the same machine."""
    heartbeat(
        "alive-here",
        ago=timedelta(seconds=5),
        pid_space=workers.pid_space(),
        pid=1,
    )
    running_row(worker_id="alive-here", started_ago=timedelta(minutes=10))

    assert workers.dead_task_results() == []


def test_fail_dead_tasks_marks_each_row_once_and_announces_it(settings):
    """A dead row becomes FAILED with a message naming its worker; it is
    announced once with how many times the same run was abandoned, even when
    the check runs again."""
    heartbeat("silent", ago=timedelta(minutes=5))
    earlier = running_row(worker_id="silent", started_ago=timedelta(hours=2))
    row = running_row(worker_id="silent", started_ago=timedelta(minutes=10))
    announced = []
    workers.task_abandoned.connect(
        lambda **kwargs: announced.append(kwargs), weak=False, dispatch_uid="t2"
    )
    try:
        workers.fail_dead_tasks(current_worker_id="checker")
        workers.fail_dead_tasks(current_worker_id="checker")
    finally:
        workers.task_abandoned.disconnect(dispatch_uid="t2")

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.finished_at is not None
    assert "worker silent stopped while running this task" in row.traceback
    assert [(a["task_id"], a["times"]) for a in announced] == [
        (str(earlier.pk), 1),
        (str(row.pk), 2),
    ]
    assert announced[0]["args"] == [1, 2]
    assert announced[0]["task_path"] == "core.tests.test_workers.add"


def test_a_failing_listener_does_not_stop_the_others():
    """A listener that raises is logged; the row stays failed."""
    heartbeat("silent", ago=timedelta(minutes=5))
    running_row(worker_id="silent", started_ago=timedelta(minutes=10))

    def broken(**kwargs):
        raise RuntimeError("listener bug")

    workers.task_abandoned.connect(broken, weak=False, dispatch_uid="t3")
    try:
        assert len(workers.fail_dead_tasks()) == 1
    finally:
        workers.task_abandoned.disconnect(dispatch_uid="t3")


def test_fail_dead_tasks_command_says_what_it_marked():
    """`manage.py fail_dead_tasks` marks the dead rows and counts them."""
    row = running_row(worker_id=None, started_ago=timedelta(hours=1))
    out = StringIO()

    call_command("fail_dead_tasks", stdout=out)

    assert f"{row.pk} core.tests.test_workers.add" in out.getvalue()
    assert "1 task(s) marked failed." in out.getvalue()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


def test_long_gone_workers_are_forgotten():
    """Heartbeats older than a day are deleted; recent ones stay."""
    heartbeat("old", ago=timedelta(days=2))
    heartbeat("recent", ago=timedelta(hours=2))

    assert workers.workers_forget() == 1
    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["recent"]
