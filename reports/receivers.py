"""What reports listens to: writes of the records it counts (certificates,
enrolments, attendance, sessions, classes, help records). A receiver only
notes what a write changed, without a query; once the writer's transaction
commits, one task per transaction refreshes the counts
(``reports.services.report_counts_refresh``).
Nothing of reports runs in another app's transaction, and a write rolled back
refreshes nothing of its own. Connected in ``ReportsConfig.ready()``.

The notes of a thread wait in ``_pending`` until a commit hands them over; a
callback is registered with every note, and the first to run takes them all.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction

from .selectors.cache import figures_changed
from .services import SPAN_SOURCE, Changes, enrolment_day_keys, help_day_keys

logger = logging.getLogger(__name__)

_pending = threading.local()

# The attendance fields participations depend on.
PARTICIPATION_SOURCE = {"session", "user", "status", "learner_kind"}


def _changes() -> Changes:
    if not hasattr(_pending, "changes"):
        _pending.changes = Changes()
    return _pending.changes


def _note(**kinds) -> None:
    """Note what a write changed; refreshed after the transaction commits."""
    changes = _changes()
    for name, values in kinds.items():
        getattr(changes, name).update(values)
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    """Hand what was noted to the refresh task (run after a commit)."""
    changes = _changes()
    if not changes:
        return
    _pending.changes = Changes()
    from .tasks import report_counts_refresh_task

    report_counts_refresh_task.enqueue(changes.as_json())


def _may_change(update_fields, fields) -> bool:
    """Return whether a save (its update_fields; None saves every field) may
    change any of these fields."""
    return update_fields is None or bool(set(update_fields) & set(fields))


def certificate_changed(*, instance, update_fields=None, **_kwargs) -> None:
    """A certificate issued, revoked or deleted changes its person's spans; a
    save of other fields only (the stored PDF) changes none."""
    if _may_change(update_fields, SPAN_SOURCE):
        _note(certificate_people=[instance.user_id])


def enrolment_changed(*, instance, **_kwargs) -> None:
    """An enrolment saved or deleted counts on its day (or no longer)."""
    _note(enrolment_days=enrolment_day_keys([instance]))


def enrolments_bulk_created(*, enrolments, **_kwargs) -> None:
    """Enrolments made in bulk (``courses.signals.enrolments_created``)."""
    _note(enrolment_days=enrolment_day_keys(enrolments))


def attendance_changed(*, instance, update_fields=None, **_kwargs) -> None:
    if _may_change(update_fields, PARTICIPATION_SOURCE):
        _note(attendance_people=[instance.user_id])


def attendance_recorded(*, user, **_kwargs) -> None:
    """Attendance written in one statement (``classes.signals.attendance_recorded``)."""
    _note(attendance_people=[user.pk])


def session_changed(*, instance, created=False, **_kwargs) -> None:
    """A session moved in time or to another class moves its attendees'
    participations."""
    if not created:
        _note(sessions=[instance.pk])


def class_changed(*, instance, created=False, update_fields=None, **_kwargs) -> None:
    """A class moved to another unit moves its attendees' participations."""
    if not created and _may_change(update_fields, {"region"}):
        _note(classes=[instance.pk])


def class_courses_changed(*, instance, action, reverse, pk_set=None, **_kwargs) -> None:
    """Classes whose courses changed (``TrainingClass.courses``' m2m_changed)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _note(classes=[instance.pk])
    elif pk_set is not None:
        _note(classes=pk_set)
    else:
        # A course taken off all its classes: its own rows name the people.
        _note(courses=[instance.pk])


def help_records_changed(*, records, **_kwargs) -> None:
    """Help records created, confirmed, flagged or cleared
    (``outreach.signals.help_records_changed``): their days, and their
    helpers' counted records."""
    _note(
        help_days=help_day_keys(records),
        helpers={record.helper_id for record in records},
    )


def help_record_deleted(*, instance, **_kwargs) -> None:
    """A help record deleted (no service deletes one; the shell or a cascade
    might) no longer counts on its day, nor before its helper's next one."""
    help_records_changed(records=[instance])


def refresh_worker_lost(*, task_path, args, times, **_kwargs) -> None:
    """A refresh whose worker died (``core.signals.task_abandoned``) is queued
    again with the same changes: it recomputes from the records, so running
    it again is safe. After ``core.workers.AUTO_RESUMES`` losses it stays
    failed, in the log, for ``rebuild_report_counts``."""
    from core.workers import AUTO_RESUMES

    from .tasks import report_counts_refresh_task

    if task_path != report_counts_refresh_task.module_path:
        return
    if times <= AUTO_RESUMES:
        report_counts_refresh_task.enqueue(*args)
    else:
        logger.error(
            "A refresh of the reports' counts was lost with its worker %d times; "
            "run manage.py rebuild_report_counts.",
            times,
        )


def counted_row_changed(**_kwargs) -> None:
    """A counted row without kept counts (a target) changed: the cached
    dashboards go stale once the write commits."""
    transaction.on_commit(figures_changed, robust=True)
