"""Reads from a PostgreSQL streaming replica, for the reports and the feed.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database and
``ReplicaRouter`` sends to it the reads made inside ``replica_reads()`` (the
dashboards, their exports, the feed), so that the officials' heavy counting
does not compete with learners' writes on the primary. Everything else reads
from the primary, and so does every read that must see a write just made:

- every write goes to the primary, and while the primary has a transaction open
  (a write under way, or a test's transaction), its reads stay there too;
- ``reads_from_replica`` resolves the person (session, user, roles) on the
  primary before the view reads anything from the replica, so a login or a
  new role is never missed for a replica's lag.

A replica is behind by its lag (usually well under a second); the dashboards'
figures may be 60 s old anyway (reports.selectors.cache). Without the setting,
every read goes to the primary and none of this does anything.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_reads = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return bool(settings.DATABASE_REPLICA_URL) and REPLICA in connections.settings


@contextmanager
def replica_reads():
    """Within the block, reads may come from the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view):
    """Decorate a read-only view (GET or HEAD) whose reads may come from the
    replica; the person asking is resolved on the primary first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - loads the session and user here
            getattr(user, "pk", None)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside ``replica_reads()`` go to the replica, unless the primary
    has a transaction open; every other read and every write to the primary;
    migrations run on the primary only (the replica copies them)."""

    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: its rows relate to the primary's.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
