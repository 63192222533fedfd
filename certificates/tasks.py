"""Background work of certificates, through the ``django_tasks`` API.

The backend is the project's TASKS setting: the database backend (a worker runs
``manage.py db_worker``) by default, the immediate one in tests.
"""

from django_tasks import task


@task()
def certificate_batch_task(batch_id: int) -> str:
    """Issue and render a bulk batch, or finish one that stopped half-way."""
    from .bulk import certificate_batch_run

    batch = certificate_batch_run(batch_id=batch_id)
    return batch.status if batch is not None else "skipped"
