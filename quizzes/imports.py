"""Question-bank imports as background jobs, so a large file never holds the
database during a web request.

``question_import_start`` keeps the uploaded file's bytes in a ``QuestionImport``
row (the database is the one store every app machine and task worker shares, and
10 MB fits in it) and enqueues ``quizzes.tasks.question_import_task``, which calls
``question_import_run``. The run has two steps:

1. Decide, outside any transaction: the file is read and every question checked
   (``services.question_bank_plan``). Whether anything is added is settled here:
   a file with errors adds nothing, nor does one refused question when the import
   is all or nothing. So all or nothing holds without one long transaction.
2. Write, in batches of ``services.IMPORT_BATCH`` questions, each batch a short
   transaction of its own (``services.question_bank_write``), so that on SQLite
   other people's logins and answers are written between two batches instead of
   waiting minutes for the lock.

Each batch commits, in the same transaction as its questions, the job's
progress: the outcome of every question written so far, in file order
(``outcomes``). A cursor in the job's row rather than one row per question, as
bulk certificates keep: the questions are written in file order, and the decisions
depend on the file only, so the count of questions written says exactly which
ones they are. A run that crashes or whose worker is killed leaves the job
failed, or running without a heartbeat (and then the other task workers notice
within about a minute, ``core.workers``, and ``question_import_worker_lost``
enqueues it again); a re-run (``question_import_resume``)
reads the file again, comes to the same decisions, takes the recorded outcomes of
the questions already written and goes on after the last of them. A batch cut
short was rolled back whole, so no question is written twice; the check that
skips a question already in its category with the same type and text is a
second guard. An image stored by a batch that was rolled back stays in storage,
unreferenced.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.workers import AUTO_RESUMES
from users.models import User

from .models import QuestionCategory, QuestionImport
from .services import (
    ImportReport,
    question_bank_plan,
    question_bank_write,
    question_file_size_check,
)

Status = QuestionImport.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)
# A queued or running import with no sign of life for this long was stopped (its
# worker killed, its task lost) and may be resumed.
STALE_AFTER = timedelta(minutes=5)
PERMISSION = "quizzes.add_question"


def question_imports() -> QuerySet[QuestionImport]:
    """Return the imports without their files, which only a run reads."""
    return QuestionImport.objects.defer("content")


def can_import(user) -> bool:
    """Return whether the person may start imports and follow them."""
    return user.has_perm(PERMISSION)


# Starting and resuming ----------------------------------------------------------


def _enqueue(job: QuestionImport) -> None:
    from .tasks import question_import_task

    result = question_import_task.enqueue(job.pk)
    QuestionImport.objects.filter(pk=job.pk).update(task_id=result.id)


def question_import_start(
    *,
    source: bytes,
    filename: str,
    created_by: User,
    format: str | None = None,
    root: QuestionCategory | None = None,
    all_or_nothing: bool = True,
) -> QuestionImport:
    """Keep the file and start importing it in the background; return the job.

    Raise PermissionDenied for someone who may not add questions, and
    ValidationError for a file larger than an import takes.
    """
    if not can_import(created_by):
        raise PermissionDenied
    question_file_size_check(size=len(source))
    job = QuestionImport.objects.create(
        file_name=filename[:255],
        format=format or "",
        content=source,
        size=len(source),
        options={
            "root": root.pk if root is not None else None,
            "all_or_nothing": all_or_nothing,
        },
        created_by=created_by,
    )
    _enqueue(job)
    return question_imports().get(pk=job.pk)


def is_stalled(job: QuestionImport, now=None) -> bool:
    """Return whether an import that should be going shows no sign of life."""
    if job.status not in ACTIVE:
        return False
    last = job.heartbeat_at or job.created_at
    return last < (now or timezone.now()) - STALE_AFTER


def can_resume(job: QuestionImport) -> bool:
    return job.status == Status.FAILED or is_stalled(job)


def question_import_resume(*, job: QuestionImport, by: User) -> QuestionImport:
    """Run a failed or stopped import again from where it stopped."""
    if not can_import(by):
        raise PermissionDenied
    if not can_resume(job):
        raise ValidationError(_("This import is not stopped."), code="not_stopped")
    return _requeue(job)


def _requeue(job: QuestionImport) -> QuestionImport:
    QuestionImport.objects.filter(pk=job.pk).update(
        status=Status.QUEUED, heartbeat_at=timezone.now()
    )
    _enqueue(job)
    return question_imports().get(pk=job.pk)


def question_import_worker_lost(*, task_id: str, times: int) -> QuestionImport | None:
    """Resume the import whose task was on a worker that died (core.workers
    marked the task failed); return it, or None when no import going had that
    task.

    Resumed at once, from where it stopped, as question_import_resume does. An
    import whose worker died more than AUTO_RESUMES times is failed instead,
    with a message its page shows: the file may be what kills the workers.
    """
    job = question_imports().filter(task_id=task_id, status__in=ACTIVE).first()
    if job is None:
        return None
    if times <= AUTO_RESUMES:
        return _requeue(job)
    with translation.override(settings.LANGUAGE_CODE):
        error = _(
            "The worker doing this import stopped %(times)d times before "
            "finishing it. Resume the import when the cause has been fixed."
        ) % {"times": times}
    QuestionImport.objects.filter(pk=job.pk).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )
    return question_imports().get(pk=job.pk)


def resume_after_worker_lost(sender, task_path, task_id, times, **kwargs):
    """Listen to core.signals.task_abandoned: resume an import that lost its
    worker."""
    from .tasks import question_import_task

    if task_path == question_import_task.module_path:
        question_import_worker_lost(task_id=task_id, times=times)


# The job ------------------------------------------------------------------------


def _claim(import_id: int) -> QuestionImport | None:
    """Mark the import running and return it, unless it is done or another worker
    is at it (running with a recent heartbeat)."""
    now = timezone.now()
    claimed = QuestionImport.objects.filter(
        Q(status__in=[Status.QUEUED, Status.FAILED])
        | Q(status=Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        | Q(status=Status.RUNNING, heartbeat_at__isnull=True),
        pk=import_id,
    ).update(status=Status.RUNNING, heartbeat_at=now, error="", finished_at=None)
    if not claimed:
        return None
    return QuestionImport.objects.get(pk=import_id)


def question_import_run(*, import_id: int) -> QuestionImport | None:
    """Do (or finish) the import; return it, or None when there was nothing to
    do (done already, or running elsewhere).

    On an error the import is marked failed with the message, and the error is
    raised again for the task's record.
    """
    job = _claim(import_id)
    if job is None:
        return None
    try:
        # Messages are stored as read: in the site's language, whoever runs it.
        with translation.override(settings.LANGUAGE_CODE):
            _run(job)
    except BaseException as error:
        QuestionImport.objects.filter(pk=job.pk).update(
            status=Status.FAILED,
            error=(str(error) or error.__class__.__name__)[:2000],
            finished_at=timezone.now(),
        )
        raise
    return question_imports().get(pk=job.pk)


class ImportStopped(Exception):
    """What stops an import, said to the person who follows it."""


def _run(job: QuestionImport) -> None:
    root = job.root()
    if job.root_id is not None and root is None:
        raise ImportStopped(
            _(
                "The category to import beneath has been deleted. Import the file "
                "again and choose another one."
            )
        )
    plan = question_bank_plan(
        source=bytes(job.content),
        format=job.format or None,
        filename=job.file_name,
        all_or_nothing=job.all_or_nothing,
    )
    total = len(plan.ready)
    if len(job.outcomes) > total:
        raise ImportStopped(
            _("The file no longer reads as it did when the import began.")
        )
    QuestionImport.objects.filter(pk=job.pk).update(
        format=plan.report.format, total=total, heartbeat_at=timezone.now()
    )

    def progress(outcomes: list[str]) -> None:
        QuestionImport.objects.filter(pk=job.pk).update(
            outcomes=outcomes,
            done=len(outcomes),
            added=outcomes.count("created"),
            heartbeat_at=timezone.now(),
        )

    question_bank_write(plan=plan, root=root, done=job.outcomes, progress=progress)
    now = timezone.now()
    QuestionImport.objects.filter(pk=job.pk).update(
        status=Status.DONE,
        report=plan.report.as_data(),
        done=total,
        added=plan.report.created,
        content=b"",
        finished_at=now,
        heartbeat_at=now,
    )


def import_report(job: QuestionImport) -> ImportReport | None:
    """Return the report of a finished import, None before."""
    if job.status != Status.DONE or not job.report:
        return None
    return ImportReport.from_data(job.report)
