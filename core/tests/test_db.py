"""Reads from a replica (core.db): the reports' heavy reads go to it, every
write and every read that must see a write stays on the primary."""

import time

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import db
from core.db import REPLICA, ReplicaRouter, replica_reads
from courses.models import Enrolment
from reports.tests.factories import END, START, build_world, target
from users.models import RegionRole
from users.tests.factories import UserFactory

router = ReplicaRouter()


def test_reads_stay_on_the_primary_without_a_replica(settings):
    settings.DATABASE_REPLICA_URL = ""
    with replica_reads():
        assert router.db_for_read(Enrolment) == "default"


@pytest.mark.django_db
def test_only_reads_in_replica_blocks_outside_a_transaction_go_to_the_replica(
    monkeypatch,
):
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    # A test's own transaction is open on the primary: it stays there.
    with replica_reads():
        assert router.db_for_read(Enrolment) == "default"
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    assert router.db_for_read(Enrolment) == "default"
    with replica_reads():
        assert router.db_for_read(Enrolment) == REPLICA
        assert router.db_for_write(Enrolment) == "default"
    assert router.allow_migrate("default", "courses")
    assert not router.allow_migrate(REPLICA, "courses")


@pytest.fixture
def replica(settings):
    """The test settings' ``replica``: the test database itself, reached on a
    connection of its own, as a streaming replica is, or a real replica
    (scripts/ci-replica.sh); reads go to it."""
    settings.DATABASE_REPLICA_URL = settings.DATABASE_REPLICA_URL or "the test one"
    return connections[REPLICA]


def caught_up(replica) -> None:
    """Wait until a real replica has replayed what the primary wrote so far."""
    primary = connections["default"]
    where = ("HOST", "PORT")
    if [replica.settings_dict[k] for k in where] == [
        primary.settings_dict[k] for k in where
    ]:
        return
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    for _ in range(200):
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("The replica did not catch up within 10 s.")


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_dashboard_counts_on_the_replica_and_knows_its_reader_from_the_primary(
    client, replica, settings
):
    settings.REPORTS_CACHE_SECONDS = 0
    world = build_world()
    target(world.province, 10)
    official = UserFactory()
    RegionRole.objects.create(user=official, region=world.province)
    client.force_login(official)
    url = reverse("reports:unit", args=[world.province.pk])
    caught_up(replica)

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as copy_,
    ):
        response = client.get(url, {"start": START.isoformat(), "end": END.isoformat()})

    assert response.status_code == 200
    assert response.context["dashboard"].totals.trained == 4
    on_primary = " ".join(q["sql"] for q in primary.captured_queries)
    on_replica = " ".join(q["sql"] for q in copy_.captured_queries)
    assert "reports_" in on_replica
    assert "reports_" not in on_primary
    # The session and the person were read on the primary, before the view.
    assert "django_session" in on_primary or "users_user" in on_primary


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_write_in_a_replica_block_and_its_reads_stay_on_the_primary(replica):
    learner = UserFactory()
    with replica_reads(), transaction.atomic():
        learner.first_name = "Lan"
        learner.save(update_fields=["first_name"])
        assert type(learner).objects.get(pk=learner.pk).first_name == "Lan"
        assert type(learner).objects.all().db == "default"
    caught_up(replica)
    with replica_reads():
        assert type(learner).objects.all().db == REPLICA
        assert type(learner).objects.get(pk=learner.pk).first_name == "Lan"
