"""Background work of reports, through the ``django_tasks`` API (the TASKS
setting: the database backend and ``manage.py db_worker`` in production, the
immediate one in tests)."""

from django_tasks import task


@task()
def report_counts_refresh_task(changes: dict) -> None:
    """Refresh the counts the reports keep after writes committed
    (``reports.receivers``; ``changes`` is ``services.Changes.as_json()``)."""
    from .services import Changes, report_counts_refresh

    report_counts_refresh(Changes.from_json(changes))


@task()
def campaign_reports_task(week_start: str) -> int:
    """Make the weekly report of every campaign running in the week starting on
    week_start (ISO date, a Monday); return how many were made."""
    import datetime

    from .services import campaign_reports_make_for_week

    day = datetime.date.fromisoformat(week_start)
    return len(campaign_reports_make_for_week(week_start=day))
