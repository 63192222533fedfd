"""Every figure of the dashboard, on the world of factories.build_world, counted
by hand in its docstring."""

import datetime
import random

import pytest

from certificates.models import Certificate
from classes.tests.factories import (
    ClassSessionFactory,
    OrganisationFactory,
    TrainingClassFactory,
)
from reports.selectors.coverage import SORTS, coverage_dashboard, sort_rows
from reports.selectors.filters import (
    Dashboard,
    Figures,
    ReportFilters,
    UnitRow,
    default_period,
)
from users.tests.factories import UserFactory

from .factories import END, START, at, attend, enrolment, target

pytestmark = pytest.mark.django_db


def dashboard(region, **kwargs):
    kwargs = {"start": START, "end": END, **kwargs}
    return coverage_dashboard(filters=ReportFilters(region=region, **kwargs))


def row(board, region):
    return next(r for r in board.children if r.region == region)


def test_province_totals(world):
    """Trained counts distinct people with a certificate issued in the period and
    valid at its end: the renewal, the revoked and the expired one do not add."""
    totals = dashboard(world.province).totals

    assert totals.trained == 4
    assert totals.certificates_issued == 8
    assert totals.certificates_revoked == 1
    assert (totals.enrolled, totals.completed, totals.in_progress) == (2, 1, 1)
    assert (totals.participations, totals.participants) == (4, 2)


def test_child_units_and_direct_records(world):
    """A pre-reform commune's certificate counts in the commune it became; a
    person trained in two communes counts in the later one; the province's own
    certificate is a direct record."""
    board = dashboard(world.province)
    a, b = row(board, world.a).figures, row(board, world.b).figures

    assert (a.trained, a.certificates_issued, a.certificates_revoked) == (2, 4, 0)
    assert (b.trained, b.certificates_issued, b.certificates_revoked) == (1, 3, 1)
    assert (a.enrolled, a.completed, b.enrolled, b.in_progress) == (1, 1, 1, 1)
    assert (a.participations, a.participants) == (3, 1)
    assert (b.participations, b.participants) == (1, 1)
    assert board.direct is not None
    assert (board.direct.trained, board.direct.certificates_issued) == (1, 1)


def test_attendance_at_a_class_of_the_unit_itself_is_a_direct_record(world):
    """A class held at the province itself (not in one of its communes) counts
    its attendance in the province's own records, and in no commune's row."""
    klass = TrainingClassFactory(
        name="Lớp của tỉnh", organisation=OrganisationFactory(region=world.province)
    )
    session = ClassSessionFactory(
        training_class=klass, starts_at=at("2026-10-05"), ends_at=at("2026-10-05", 11)
    )
    attend(session, UserFactory(home_region=world.province))

    board = dashboard(world.province)

    assert (board.direct.participations, board.direct.participants) == (1, 1)
    a = row(board, world.a).figures
    assert (a.participations, a.participants) == (3, 1)


def test_commune_dashboard_agrees_with_its_row(world):
    """A commune's own dashboard shows the figures of its row one level up."""
    province = dashboard(world.province)
    for commune in (world.a, world.b):
        own = dashboard(commune)
        assert own.totals == row(province, commune).figures
        assert own.children == []
        assert own.direct is None


def test_revoked_after_the_period_still_counted_then(world):
    """A certificate revoked after the period ended was valid at its end."""
    board = dashboard(world.b, end=datetime.date(2026, 9, 30))
    assert board.totals.trained == 2  # u2 (revoked 01/10) and u3 (expires 01/11)
    assert board.totals.certificates_revoked == 0


def test_revocations_before_the_period_do_not_count_in_it(world):
    """Only revocations made within the period count: u2's certificate, revoked on
    01/10, is counted in a period from 01/10 and not in one from 02/10."""
    from_revocation = dashboard(world.b, start=datetime.date(2026, 10, 1))
    after_revocation = dashboard(world.b, start=datetime.date(2026, 10, 2))

    assert from_revocation.totals.certificates_revoked == 1
    assert after_revocation.totals.certificates_revoked == 0


def test_an_enrolment_completed_after_the_period_is_in_progress_in_it(world):
    """An enrolment completed after the period's end is still in progress in it:
    u1, enrolled 02/09 and done 09/09, is in progress up to 08/09."""
    before = dashboard(world.province, end=datetime.date(2026, 9, 8)).totals
    on_the_day = dashboard(world.province, end=datetime.date(2026, 9, 9)).totals

    assert (before.enrolled, before.completed, before.in_progress) == (2, 0, 2)
    assert (on_the_day.enrolled, on_the_day.completed, on_the_day.in_progress) == (
        2,
        1,
        1,
    )


def test_split_by_kind_adds_up(world):
    board = dashboard(world.province)
    trained = {value: figures.trained for value, _label, figures in board.by_kind}

    assert trained == {
        "volunteer": 2,
        "student": 0,
        "teacher": 0,
        "official": 1,
        "citizen": 1,
    }
    assert sum(trained.values()) == board.totals.trained


def test_split_by_course_counts_a_person_once_per_course(world):
    board = dashboard(world.province)
    trained = {course.pk: figures.trained for course, figures in board.by_course}
    issued = {
        course.pk: figures.certificates_issued for course, figures in board.by_course
    }

    assert trained == {world.c1.pk: 3, world.c2.pk: 2}
    assert issued == {world.c1.pk: 5, world.c2.pk: 3}


def test_enrolments_stay_where_they_were_made(world):
    """A learner who moves after enrolling: the enrolment still counts in the
    unit and kind they had when they enrolled, as a certificate would."""
    u2 = world.users[1]  # a student in B, enrolled in C1 on 03/09
    u2.home_region = world.a
    u2.kind = "official"
    u2.save()
    board = dashboard(world.province)

    assert row(board, world.b).figures.enrolled == 1
    assert row(board, world.a).figures.enrolled == 1
    kinds = {value: figures for value, _label, figures in board.by_kind}
    assert kinds["student"].enrolled == 1
    assert kinds["official"].enrolled == 0


def test_course_filter(world):
    board = dashboard(world.province, course=world.c1)

    assert board.totals.trained == 3
    assert row(board, world.a).figures.trained == 3
    assert board.totals.participations == 3  # only class K teaches C1
    assert board.totals.enrolled == 2


def test_an_enrolment_at_the_province_itself_is_a_direct_record(world):
    """Someone living at the province itself (no commune given) who enrols
    counts in the province's own row, not a commune's."""
    resident = UserFactory(kind="citizen", home_region=world.province)
    enrolment(user=resident, course=world.c2, enrolled="2026-09-04")

    board = dashboard(world.province)

    assert board.totals.enrolled == 3
    assert board.direct is not None
    assert board.direct.enrolled == 1
    assert sum(child.figures.enrolled for child in board.children) == 2
    # Counted the other way, by course, as well.
    assert dashboard(world.province, course=world.c2).direct.enrolled == 1


def test_course_filter_leaves_out_the_enrolments_in_other_courses(world):
    """A province's enrolments under a course filter are those in the course:
    an enrolment in the other course counts only without the filter, in its
    course's row."""
    enrolment(user=world.users[0], course=world.c2, enrolled="2026-09-04")

    assert dashboard(world.province, course=world.c1).totals.enrolled == 2
    assert dashboard(world.province, course=world.c2).totals.enrolled == 1
    board = dashboard(world.province)
    assert board.totals.enrolled == 3
    by_course = {course.pk: figures.enrolled for course, figures in board.by_course}
    assert by_course == {world.c1.pk: 2, world.c2.pk: 1}


def test_kind_filter(world):
    board = dashboard(world.province, kind="volunteer")

    assert board.totals.trained == 2
    assert board.totals.certificates_issued == 3
    assert [value for value, _label, _f in board.by_kind] == ["volunteer"]
    # A kind listed after others is found as well.
    board = dashboard(world.province, kind="citizen")
    assert [value for value, _label, _f in board.by_kind] == ["citizen"]


def test_a_person_trained_in_two_courses_counts_once_in_their_kind(world):
    """Filtered by each kind in turn, the people trained add up to those of
    the whole report: one trained in two courses (u7) counts once in theirs."""
    from users.models import LearnerKind

    total = dashboard(world.province).totals.trained
    by_kind = [
        dashboard(world.province, kind=value).totals.trained
        for value in LearnerKind.values
    ]

    assert sum(by_kind) == total


def test_trend_week_by_week(world):
    """New people per week add up to the trained total; a person counts in the
    week of their counting certificate."""
    board = dashboard(world.province)
    weeks = {p.week_start: p for p in board.trend}

    assert board.trend[0].week_start == datetime.date(2026, 8, 31)  # a Monday
    assert board.trend[-1].week_start == datetime.date(2026, 11, 30)
    assert sum(p.trained for p in board.trend) == 4
    assert board.trend[-1].trained_cumulative == 4
    assert sum(p.certificates for p in board.trend) == 8
    assert weeks[datetime.date(2026, 9, 7)].trained == 1  # u4 on 12/09
    assert weeks[datetime.date(2026, 10, 5)].trained == 2  # u1 05/10, u5 10/10
    assert weeks[datetime.date(2026, 10, 19)].trained == 1  # u7 on 20/10
    assert weeks[datetime.date(2026, 9, 7)].certificates == 2  # 10/09 and 12/09


def test_pre_reform_district_shows_its_own_records(world):
    """A former district's dashboard shows what was recorded in its units."""
    board = dashboard(world.old_district)

    assert board.totals.trained == 1
    assert [r.region for r in board.children] == [world.old_commune]
    assert board.children[0].figures.trained == 1


def test_classes_of_a_commune(world):
    board = dashboard(world.a)

    assert [c.training_class for c in board.classes] == [world.k]
    k = board.classes[0]
    assert (k.members, k.participations, k.participants) == (3, 3, 2)
    # No certificate of the class: none issued, nobody trained (not left unset).
    assert (k.certificates_issued, k.trained) == (0, 0)
    assert f"/bao-cao/lop/{world.k.pk}/" in k.url


def test_a_learner_with_two_certificates_counts_once_in_a_class(world):
    """In a class's row, a learner with two certificates from the class is two
    certificates issued but one person trained."""
    u1 = world.users[0]  # two C1 certificates, 10/09 and 05/10
    Certificate.objects.filter(user=u1).update(training_class=world.k)

    k = dashboard(world.a).classes[0]

    assert (k.certificates_issued, k.trained) == (2, 1)


def test_children_sorted_furthest_behind_first(world):
    second = type(world.a).objects.create(
        code="99001",
        level=3,
        name="Xã Cuối",
        division_type="xã",
        parent=world.province,
        path=world.province.path + ".99001",
    )
    target(world.a, 4)  # 2 of 4: 50 %
    target(world.b, 10)  # 1 of 10: 10 %

    board = dashboard(world.province)

    assert [r.region for r in board.children] == [world.b, world.a, second]


def test_coverage():
    assert Figures(trained=3, target=4).coverage == 0.75
    assert Figures(trained=3, target=None).coverage is None
    assert Figures(trained=3, target=0).coverage is None


@pytest.mark.parametrize(
    ("trained", "level"),
    [(0, "low"), (49, "low"), (50, "mid"), (79, "mid"), (80, "high"), (120, "high")],
)
def test_coverage_level_thresholds(trained, level):
    """Coverage under 50 % is far behind ("low"), from 50 % under 80 % behind
    ("mid"), from 80 % on track ("high"): exactly half is behind, not far."""
    assert Figures(trained=trained, target=100).coverage_level == level


@pytest.mark.parametrize("sort", ["coverage", "-coverage"])
def test_units_without_a_target_sort_last_by_coverage_either_way(sort):
    """Sorting by coverage, up or down, keeps the units without a target last."""
    rows = [
        UnitRow(None, name, "", Figures(trained=trained, target=target_people))
        for name, trained, target_people in [
            ("Xã Không Chỉ Tiêu", 5, None),
            ("Xã Thấp", 1, 10),
            ("Xã Cao", 9, 10),
            ("Xã Số Không", 3, 0),
        ]
    ]

    names = [row.name for row in sort_rows(rows, sort)]

    with_target = ["Xã Thấp", "Xã Cao"]
    if sort.startswith("-"):
        with_target.reverse()
    assert names[:2] == with_target
    assert set(names[2:]) == {"Xã Không Chỉ Tiêu", "Xã Số Không"}


def test_each_column_sorts_by_its_own_figure():
    """Each column of the table sorts the units by its own figure, up and down,
    not by another column's: these units come in another order for every column
    (checked first), so a column sorted by the wrong key is seen."""
    chance = random.Random(19)

    def shuffled(values):
        values = list(values)
        chance.shuffle(values)
        return values

    units = 6
    names = shuffled("ABCDEF")
    # Prime targets above every count, so no two coverages are equal.
    targets = shuffled([7, 11, 13, 17, 19, 23])
    counts = {name: shuffled(range(1, units + 1)) for name in Figures.COUNTS}
    rows = [
        UnitRow(
            None,
            f"Xã {names[unit]}",
            "",
            Figures(
                target=targets[unit],
                **{name: values[unit] for name, values in counts.items()},
            ),
        )
        for unit in range(units)
    ]
    keys = {
        "name": lambda row: row.name,
        "coverage": lambda row: row.figures.trained / row.figures.target,
        "target": lambda row: row.figures.target,
        **{
            name: lambda row, name=name: getattr(row.figures, name)
            for name in Figures.COUNTS
        },
    }
    expected = {
        column: [row.name for row in sorted(rows, key=key)]
        for column, key in keys.items()
    }
    assert set(expected) == set(SORTS)
    assert len({tuple(order) for order in expected.values()}) == len(SORTS)

    for column in SORTS:
        assert [row.name for row in sort_rows(rows, column)] == expected[column]
        assert [row.name for row in sort_rows(rows, f"-{column}")] == list(
            reversed(expected[column])
        )


def test_default_period_is_92_days():
    start, end = default_period(datetime.date(2026, 11, 30))
    assert (end - start).days + 1 == 92
    assert end == datetime.date(2026, 11, 30)


def test_the_worker_threads_are_kept_between_reports():
    """The threads that run a report's aggregations side by side are made once
    and kept (with their connections), and made anew only for another size."""
    from reports.selectors import parallel

    first = parallel._worker_pool(2)
    assert parallel._worker_pool(2) is first
    other = parallel._worker_pool(3)
    assert other is not first
    assert parallel._worker_pool(3) is other
    smaller = parallel._worker_pool(2)
    assert smaller is not other
    assert parallel._worker_pool(2) is smaller


def test_the_filters_query_takes_the_changes_given():
    """The links of a report (a column's sort, a course's figures) carry the
    filters and the change given; a change to None leaves the filter as it is."""
    filters = ReportFilters(region=None, start=START, end=END, kind="citizen")
    dates = {"start": START.isoformat(), "end": END.isoformat()}

    assert filters.query(sort="-name", kind=None) == {
        **dates,
        "kind": "citizen",
        "sort": "-name",
    }
    assert filters.query(kind="official") == {**dates, "kind": "official"}


def dashboards():
    """A coverage and an outcomes dashboard, each of one child unit's figures
    (one trained) and the unit's own (two)."""
    from reports.selectors.outcomes import (
        OutcomeFigures,
        OutcomeRow,
        OutcomesDashboard,
    )

    coverage = Dashboard(
        filters=None,
        totals=Figures(),
        children=[UnitRow(None, "Xã A", "", Figures(trained=1))],
        direct=Figures(trained=2),
        trend=[],
        by_kind=[],
        by_course=[],
    )
    outcomes = OutcomesDashboard(
        filters=None,
        period_kind="",
        totals=OutcomeFigures(),
        children=[OutcomeRow(None, "Xã A", "", OutcomeFigures(trained=1))],
        direct=OutcomeFigures(trained=2),
        trend=[],
    )
    return [coverage, outcomes]


@pytest.mark.parametrize("board", dashboards(), ids=["coverage", "outcomes"])
def test_the_rows_end_with_the_units_own_records(board):
    """The rows of a dashboard (as the downloads list them) are the child units
    and, last, the records attached to the unit itself when any."""
    assert [(row.name, row.figures.trained) for row in board.rows] == [
        ("Xã A", 1),
        ("", 2),
    ]
    board.direct = None
    assert board.rows == board.children


def test_a_reports_units_are_one_parameter_on_postgresql():
    """The ids of a report's units go to PostgreSQL as one array parameter
    (``= ANY``), whatever their number; other databases get a list."""
    from django.db import connection

    from regions.models import Region
    from reports.selectors.units import _AmongIds

    query = Region.objects.filter(_AmongIds("pk", [1, 2, 3]))
    sql, params = query.query.sql_with_params()

    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert params[-1] == [1, 2, 3]
    else:
        assert " IN (" in sql
        assert list(params[-3:]) == [1, 2, 3]
    assert list(query) == list(Region.objects.filter(pk__in=[1, 2, 3]))


@pytest.mark.parametrize(("queries", "threads"), [(1, 0), (2, 1), (3, 2)])
def test_side_by_side_uses_the_threads_the_settings_allow(settings, queries, threads):
    """A report's aggregations run on as many threads as
    REPORTS_PARALLEL_QUERIES allows, this one included (1: all on this one),
    on PostgreSQL outside a transaction (here pretended: the tests run in one),
    and come back in the order asked."""
    import threading
    from types import SimpleNamespace
    from unittest import mock

    from reports.selectors import parallel

    settings.REPORTS_PARALLEL_QUERIES = queries
    settings.REPORTS_PARALLEL_MIN_UNITS = 2
    here = threading.get_ident()
    ran_on = []

    def call(number):
        def run():
            ran_on.append(threading.get_ident())
            return number

        return run

    units = SimpleNamespace(child_of=dict.fromkeys(range(3)))
    outside = SimpleNamespace(vendor="postgresql", in_atomic_block=False)
    with mock.patch.object(parallel, "connection", outside):
        results = parallel.side_by_side(*(call(n) for n in range(4)), units=units)

    assert results == [0, 1, 2, 3]
    if threads:
        assert parallel._workers[0] == threads
        assert set(ran_on) - {here}
    else:
        assert set(ran_on) == {here}

    # A report of fewer units than REPORTS_PARALLEL_MIN_UNITS runs on this thread.
    settings.REPORTS_PARALLEL_MIN_UNITS = 4
    ran_on.clear()
    with mock.patch.object(parallel, "connection", outside):
        results = parallel.side_by_side(*(call(n) for n in range(4)), units=units)
    assert results == [0, 1, 2, 3]
    assert set(ran_on) == {here}
