import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

HEALTHZ = reverse("healthz")


def test_healthz_answers_ok_when_the_database_answers(client):
    """/healthz answers 200 and status ok, never from a cache."""
    response = client.get(HEALTHZ)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_each_part_the_site_depends_on(client):
    """Database, cache, storage and the private storage each say ok; no worker
    has beaten, none has finished a task yet and none is waiting."""
    report = json.loads(client.get(HEALTHZ).content)

    assert report == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "private_storage": "ok",
        "workers": {
            "alive": 0,
            "last_heartbeat_at": "unknown",
            "last_heartbeat_seconds_ago": None,
            "last_finished_at": "unknown",
            "last_finished_seconds_ago": None,
            "waiting": 0,
        },
    }


def test_healthz_says_when_the_workers_last_finished_a_task_and_what_waits(client):
    """The age of the newest finished task, and the tasks due that no worker
    has taken."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()

    def task(status, finished_at=None):
        return DBTaskResult(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="certificates.tasks.certificate_batch_run",
            backend_name="default",
            run_after=now - timedelta(minutes=30),
            finished_at=finished_at,
        )

    DBTaskResult.objects.bulk_create(
        [
            task(TaskResultStatus.SUCCESSFUL, now - timedelta(minutes=20)),
            task(TaskResultStatus.FAILED, now - timedelta(minutes=5)),
            task(TaskResultStatus.READY),
            task(TaskResultStatus.READY),
        ]
    )

    workers = json.loads(client.get(HEALTHZ).content)["workers"]

    assert workers["waiting"] == 2
    assert 299 <= workers["last_finished_seconds_ago"] <= 360
    assert workers["last_finished_at"].startswith(
        (now - timedelta(minutes=5)).isoformat()[:16]
    )


def test_healthz_says_how_many_workers_beat_and_when_the_last_did(client, settings):
    """Workers that have not stopped and whose heartbeat is recent count as
    alive; the age is that of the newest heartbeat."""
    from core.models import TaskWorker

    settings.TASK_WORKER_DEAD_AFTER = 60
    now = timezone.now()

    def worker(worker_id, beat_ago, **fields):
        TaskWorker.objects.create(
            worker_id=worker_id,
            hostname="app-1",
            pid=100,
            started_at=now - timedelta(hours=1),
            beat_at=now - beat_ago,
            **fields,
        )

    worker("beating", timedelta(seconds=12))
    worker("silent", timedelta(minutes=3))
    worker("stopped", timedelta(seconds=40), stopped_at=now)

    workers = json.loads(client.get(HEALTHZ).content)["workers"]

    assert workers["alive"] == 1
    assert 12 <= workers["last_heartbeat_seconds_ago"] <= 20
    assert workers["last_heartbeat_at"].startswith(
        (now - timedelta(seconds=12)).isoformat()[:16]
    )


def test_healthz_answers_200_degraded_when_the_cache_and_storage_fail(client):
    """Without the cache or the storage the site still serves: 200, and the
    report names what fails."""
    with (
        mock.patch("core.views.cache") as cache,
        mock.patch(
            "core.views.round_trip_problem",
            return_value="Cannot write (read-only file system): check MEDIA_ROOT.",
        ),
    ):
        cache.get.return_value = None
        response = client.get(HEALTHZ)

    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["status"] == "degraded"
    assert report["database"] == "ok"
    assert report["cache"] == "unavailable"
    assert report["storage"] == "unavailable"


def test_healthz_answers_200_degraded_when_the_private_storage_fails(client):
    """The private storage (bulk downloads) is asked with a read only: when its
    bucket or disk fails the site still serves, and says so."""
    with mock.patch("core.views.storages") as storages:
        storages.__getitem__.return_value.exists.side_effect = OSError("no bucket")
        response = client.get(HEALTHZ)

    assert response.status_code == 200
    report = json.loads(response.content)
    assert (report["status"], report["private_storage"]) == ("degraded", "unavailable")
    assert report["storage"] == "ok"


def test_healthz_answers_503_when_the_database_fails(client):
    """/healthz answers 503 and status error when the database does not answer."""
    with mock.patch("core.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("could not connect")
        response = client.get(HEALTHZ)

    assert response.status_code == 503
    report = json.loads(response.content)
    assert report["status"] == "error"
    assert report["database"] == "unavailable"
    assert report["workers"] == "unknown"


def test_healthz_answers_503_when_the_query_fails(client):
    """/healthz answers 503 when the database accepts the connection but not the
    query."""
    with mock.patch("core.views.connection") as connection:
        cursor = connection.cursor.return_value.__enter__.return_value
        cursor.execute.side_effect = OperationalError("the database is read-only")
        response = client.get(HEALTHZ)

    assert response.status_code == 503


def test_healthz_only_answers_get(client):
    """/healthz refuses a POST."""
    assert client.post(HEALTHZ).status_code == 405


def test_healthz_answers_a_load_balancer_asking_by_address(client, settings):
    """A Host that is not one of ALLOWED_HOSTS (a machine's address) gets the
    health report; any other page answers 400."""
    settings.ALLOWED_HOSTS = ["kynangso.example.gov.vn"]

    assert client.get(HEALTHZ, HTTP_HOST="10.0.3.17:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.3.17:8000").status_code == 400


def test_healthz_is_not_redirected_to_https(client, settings):
    """With SECURE_SSL_REDIRECT on, as in production, plain HTTP gets the
    health report while other pages are redirected."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(HEALTHZ).status_code == 200
    assert client.get("/verify/").status_code == 301
