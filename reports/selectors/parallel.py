"""Running a report's independent aggregations side by side on PostgreSQL,
each on a worker thread's own connection."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection
from django.urls import (
    get_script_prefix,
    get_urlconf,
    set_script_prefix,
    set_urlconf,
)
from django.utils import timezone, translation

from .units import UnitMap

# How many of a report's groups of aggregations may run at once (PostgreSQL
# only; 1 runs them one after the other), and how many units a report must
# cover for it to pay: a commune's few thousand rows are counted in less time
# than other connections take to start. The settings REPORTS_PARALLEL_QUERIES
# and REPORTS_PARALLEL_MIN_UNITS override them.
PARALLEL_QUERIES = 5
PARALLEL_MIN_UNITS = 50

# The threads that run aggregations beside a request's own, kept between
# requests with their connections (which follow CONN_MAX_AGE as a request's
# do), and how many there are.
_workers: tuple[int, ThreadPoolExecutor] | None = None
_workers_lock = threading.Lock()


def _worker_pool(size: int) -> ThreadPoolExecutor:
    global _workers
    with _workers_lock:
        if _workers is None or _workers[0] != size:
            if _workers is not None:
                _workers[1].shutdown(wait=False)
            _workers = (size, ThreadPoolExecutor(size, "reports"))
        return _workers[1]


def _in_worker(call, context, zone, language, prefix, urlconf):
    """Run a call in a worker thread, with what the request set for its own
    thread (for the calls that build URLs or dates), on the worker's
    connection: closed before when broken or too old, and after when
    CONN_MAX_AGE keeps none, as Django does around each request."""
    close_old_connections()
    set_script_prefix(prefix)
    set_urlconf(urlconf)
    try:
        with timezone.override(zone), translation.override(language):
            # The request's context variables (core.db's replica reads) too.
            return context.run(call)
    finally:
        close_old_connections()


def side_by_side(*calls, units: UnitMap):
    """Return the results of calls, each a function running queries for the
    report's units.

    On PostgreSQL, outside a transaction, for a report of PARALLEL_MIN_UNITS
    units or more, up to PARALLEL_QUERIES of them run at once, the first on
    this thread's connection and the others on worker threads' connections,
    so a province's dashboard waits less than for their sum (each statement
    reads committed data, as it does one after the other). Within a
    transaction, whose uncommitted rows other connections cannot see (as in
    the tests), on SQLite, or for fewer units, they run one after the other
    on this connection."""
    workers = getattr(settings, "REPORTS_PARALLEL_QUERIES", PARALLEL_QUERIES)
    min_units = getattr(settings, "REPORTS_PARALLEL_MIN_UNITS", PARALLEL_MIN_UNITS)
    if (
        workers <= 1
        or len(calls) <= 1
        or len(units.child_of) < min_units
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    ):
        return [call() for call in calls]
    request = (
        timezone.get_current_timezone(),
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
    first, *others = calls
    pool = _worker_pool(workers - 1)
    running = [
        pool.submit(_in_worker, call, contextvars.copy_context(), *request)
        for call in others
    ]
    # The first runs on this thread and its connection meanwhile.
    return [first(), *(future.result() for future in running)]
