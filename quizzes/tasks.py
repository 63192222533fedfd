"""Background work of quizzes, through the ``django_tasks`` API.

The backend is the project's TASKS setting: the database backend (a worker runs
``manage.py db_worker``) by default, the immediate one in tests.
"""

from django_tasks import task


@task()
def question_import_task(import_id: int) -> str:
    """Import a question-bank file kept by an import job, or finish one that
    stopped half-way."""
    from .imports import question_import_run

    job = question_import_run(import_id=import_id)
    return job.status if job is not None else "skipped"
