"""On PostgreSQL, outside a transaction, a dashboard's aggregations run side by
side on connections of their own (reports.selectors.parallel.side_by_side). Other
connections see only committed rows, so this test commits its world (a
transactional test, which empties the database afterwards) and checks that
the figures are those counted one after the other."""

from unittest import mock

import pytest
from django.db import connection

from reports.selectors import parallel
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import ReportFilters
from reports.tests.factories import END, START, build_world

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="aggregations run side by side on PostgreSQL only",
)


def figures(board):
    return (
        board.totals,
        [(row.name, row.figures) for row in board.rows],
        [
            (point.week_start, point.trained, point.certificates)
            for point in board.trend
        ],
        board.by_kind,
        [(course.pk, f) for course, f in board.by_course],
        # A unit without children lists its classes, with links built in a
        # worker thread.
        [(c.name, c.url, c.participations, c.trained) for c in board.classes],
    )


@pytest.mark.django_db(transaction=True)
def test_side_by_side_counts_what_one_after_the_other_counts(settings):
    world = build_world()
    assert not connection.in_atomic_block
    # The hand-counted world is small: every report counts as big enough.
    settings.REPORTS_PARALLEL_MIN_UNITS = 0
    for unit in (world.province, world.a):
        filters = ReportFilters(region=unit, start=START, end=END)
        settings.REPORTS_PARALLEL_QUERIES = 1
        one_by_one = coverage_dashboard(filters=filters)
        settings.REPORTS_PARALLEL_QUERIES = 3
        with mock.patch.object(
            parallel, "_in_worker", wraps=parallel._in_worker
        ) as in_worker:
            side_by_side = coverage_dashboard(filters=filters)

        assert in_worker.called  # worker threads did run

        assert figures(side_by_side) == figures(one_by_one)
        assert side_by_side.totals.trained > 0
    assert side_by_side.classes and side_by_side.classes[0].url.startswith("/")


@pytest.mark.django_db(transaction=True)
def test_a_report_of_few_units_runs_on_its_own_connection(settings):
    world = build_world()
    settings.REPORTS_PARALLEL_QUERIES = 3
    filters = ReportFilters(region=world.a, start=START, end=END)
    with mock.patch.object(parallel, "_in_worker") as in_worker:
        board = coverage_dashboard(filters=filters)

    assert not in_worker.called
    assert board.totals.trained > 0
