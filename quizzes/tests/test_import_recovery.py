"""An import whose worker died resumes by itself, through the task workers'
check for dead tasks (core.workers), without a duplicate question."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import TaskWorker
from core.testing import vi
from core.workers import AUTO_RESUMES, fail_dead_tasks

from .. import imports, services
from ..models import Question, QuestionImport
from ..tasks import question_import_task
from .test_import_jobs import (
    GIFT_ADDED,
    GIFT_FILE,
    dies_on_call,
    editor_with,
    small_batches,
)

pytestmark = pytest.mark.django_db

Status = QuestionImport.Status


def import_on_a_worker_that_died(*, silent_for: timedelta):
    """Start an import that wrote 4 of its questions, then its worker died; the
    worker's last heartbeat was silent_for ago. Return the job and task row."""
    with (
        small_batches(),
        mock.patch.object(services, "_question_store", dies_on_call(6)),
    ):
        job = imports.question_import_start(
            source=GIFT_FILE.read_bytes(),
            filename=GIFT_FILE.name,
            created_by=editor_with("add_question"),
        )
    now = timezone.now()
    TaskWorker.objects.create(
        worker_id="killed",
        hostname="app-2",
        pid=4242,
        started_at=now - timedelta(hours=1),
        beat_at=now - silent_for,
    )
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=question_import_task.module_path,
        backend_name="default",
        run_after=now - timedelta(minutes=2),
        started_at=now - timedelta(minutes=2),
        worker_ids=["killed"],
    )
    QuestionImport.objects.filter(pk=job.pk).update(
        task_id=str(row.pk), status=Status.RUNNING, heartbeat_at=now - silent_for
    )
    return job, row


def test_an_import_whose_worker_died_resumes_without_duplicates(settings):
    """Another worker's check marks the task failed and the import goes on after
    the questions already written: every question once."""
    settings.TASK_WORKER_DEAD_AFTER = 60
    job, row = import_on_a_worker_that_died(silent_for=timedelta(seconds=61))
    assert Question.objects.count() == 4

    with small_batches():
        fail_dead_tasks(current_worker_id="another")

    row.refresh_from_db()
    job.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert (job.status, job.added) == (Status.DONE, GIFT_ADDED)
    texts = list(Question.objects.values_list("text", flat=True))
    assert len(texts) == len(set(texts)) == GIFT_ADDED


def test_an_import_that_kept_killing_its_workers_is_failed_with_a_message():
    """After AUTO_RESUMES deaths the import is failed, and its page says why,
    in Vietnamese, for the editor to resume it."""
    job, row = import_on_a_worker_that_died(silent_for=timedelta(minutes=2))

    imports.question_import_worker_lost(task_id=str(row.pk), times=AUTO_RESUMES + 1)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == vi(
        "The worker doing this import stopped %(times)d times before finishing "
        "it. Resume the import when the cause has been fixed.",
        times=AUTO_RESUMES + 1,
    )
    assert job.error.startswith("Tiến trình chạy nền")
    assert imports.can_resume(job) is True
    assert Question.objects.count() == 4
