"""A bulk run whose worker died resumes by itself within a minute, through the
task workers' check for dead tasks (core.workers), without a duplicate."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates import bulk
from certificates.models import Certificate, CertificateBatch
from certificates.tasks import certificate_batch_task
from core.models import TaskWorker
from core.testing import vi
from core.workers import AUTO_RESUMES, fail_dead_tasks

from .bulk_world import build_world

pytestmark = pytest.mark.django_db

Status = CertificateBatch.Status


@pytest.fixture
def world():
    return build_world()


def batch_on_a_worker_that_died(world, monkeypatch, *, silent_for):
    """Start a class batch whose task a worker took, ran for a while, then
    died; its last heartbeat was silent_for ago. Return the batch and task row."""
    monkeypatch.setattr(bulk, "_enqueue", lambda batch: None)
    batch = bulk.certificate_bulk_issue(
        course=world.course,
        created_by=world.teacher,
        training_class=world.training_class,
    )
    monkeypatch.undo()
    now = timezone.now()
    TaskWorker.objects.create(
        worker_id="killed",
        hostname="app-2",
        pid=4242,
        started_at=now - datetime.timedelta(hours=1),
        beat_at=now - silent_for,
    )
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [batch.pk], "kwargs": {}},
        task_path=certificate_batch_task.module_path,
        backend_name="default",
        run_after=now - datetime.timedelta(minutes=2),
        started_at=now - datetime.timedelta(minutes=2),
        worker_ids=["killed"],
    )
    # The batch's own sign of life is recent: by it alone (bulk.STALE_AFTER),
    # nobody would resume the run for minutes.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        task_id=str(row.pk),
        status=Status.RUNNING,
        heartbeat_at=now - silent_for,
    )
    return batch, row


def test_a_run_whose_worker_died_a_minute_ago_resumes_and_completes(
    world, monkeypatch, settings
):
    """61 s without the worker's heartbeat: another worker's check marks the
    task failed and the run is enqueued again, and completes with one
    certificate per eligible person."""
    settings.TASK_WORKER_DEAD_AFTER = 60
    batch, row = batch_on_a_worker_that_died(
        world, monkeypatch, silent_for=datetime.timedelta(seconds=61)
    )
    batch.refresh_from_db()
    assert bulk.can_resume(batch) is False  # the old rule would wait 5 minutes

    fail_dead_tasks(current_worker_id="another")

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    batch.refresh_from_db()
    assert batch.status == Status.DONE  # the test backend runs tasks at once
    assert batch.task_id != str(row.pk)
    assert Certificate.objects.count() == 3
    assert batch.items.filter(certificate__isnull=False).count() == 3


def test_a_run_whose_worker_still_beats_is_left_alone(world, monkeypatch):
    """A worker that beat 10 s ago is alive: its run keeps going."""
    batch, row = batch_on_a_worker_that_died(
        world, monkeypatch, silent_for=datetime.timedelta(seconds=10)
    )

    fail_dead_tasks(current_worker_id="another")

    batch.refresh_from_db()
    row.refresh_from_db()
    assert batch.status == Status.RUNNING
    assert row.status == TaskResultStatus.RUNNING
    assert Certificate.objects.count() == 0


def test_the_command_resumes_at_once_a_run_whose_worker_is_gone(world, monkeypatch):
    """resume_certificate_batches no longer waits five minutes for a run whose
    worker is known to be gone."""
    batch, _row = batch_on_a_worker_that_died(
        world, monkeypatch, silent_for=datetime.timedelta(minutes=2)
    )

    call_command("resume_certificate_batches", stdout=io.StringIO())

    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert Certificate.objects.count() == 3


def test_a_run_that_kept_killing_its_workers_is_failed_with_a_message(
    world, monkeypatch
):
    """After AUTO_RESUMES deaths the run is not resumed again by itself: it is
    failed, and its page says why, in Vietnamese."""
    batch, row = batch_on_a_worker_that_died(
        world, monkeypatch, silent_for=datetime.timedelta(minutes=2)
    )

    bulk.certificate_batch_worker_lost(task_id=str(row.pk), times=AUTO_RESUMES + 1)

    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.error == vi(
        "The worker doing this run stopped %(times)d times before finishing it. "
        "Resume the run when the cause has been fixed.",
        times=AUTO_RESUMES + 1,
    )
    assert batch.error.startswith("Tiến trình chạy nền")
    assert bulk.can_resume(batch) is True
    assert Certificate.objects.count() == 0


def test_a_finished_run_is_not_resumed_by_an_old_task(world, monkeypatch):
    """A task row of a run that has since finished changes nothing."""
    batch, row = batch_on_a_worker_that_died(
        world, monkeypatch, silent_for=datetime.timedelta(minutes=2)
    )
    CertificateBatch.objects.filter(pk=batch.pk).update(status=Status.DONE)

    assert bulk.certificate_batch_worker_lost(task_id=str(row.pk), times=1) is None
    batch.refresh_from_db()
    assert batch.status == Status.DONE
