"""On random help records and one-stop-shop figures (seeded), every parent's
outcome figure equals the sum of its children plus its own direct records,
each child's row equals its own view, and the counts match a count made
independently in Python."""

import datetime
import random

import pytest
from django.utils import timezone

from outreach.models import HelpAction, HelpRecord
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from reports.models import OutcomeFigure
from reports.selectors.filters import ReportFilters
from reports.selectors.outcomes import COUNTS, OutcomeFigures, outcomes_dashboard
from reports.services import help_counts_rebuild
from users.models import User

from .factories import END, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def random_outcomes(db):
    rng = random.Random(20261207)
    province = ProvinceFactory(name="Tỉnh Ngẫu Nhiên")
    communes = [CommuneFactory(parent=province) for _ in range(5)]
    old_province = ProvinceFactory(legacy=True, replaced_by=province)
    district = DistrictFactory(parent=old_province, replaced_by=province)
    old_communes = [
        CommuneFactory(parent=district, replaced_by=rng.choice(communes))
        for _ in range(3)
    ]
    units = [*communes, *old_communes, province]
    helpers = User.objects.bulk_create(
        User(username=f"tnv-{n}", full_name=f"Tình nguyện viên {n}") for n in range(40)
    )
    now = timezone.now()
    records = []
    for _ in range(600):
        region = rng.choice(units)
        roll = rng.random()
        flagged = roll < 0.15
        records.append(
            HelpRecord(
                helper=rng.choice(helpers),
                helped_on=START + datetime.timedelta(days=rng.randint(-15, 100)),
                region=region,
                region_path=region.path,
                action=rng.choice(HelpAction.values),
                relation="parent",
                confirmed_at=now if rng.random() < 0.6 else None,
                flag="daily_limit" if flagged else None,
                flagged_at=now if flagged else None,
                flag_cleared_at=now if flagged and roll < 0.07 else None,
            )
        )
    HelpRecord.objects.bulk_create(records)
    # Bulk inserts send no signals: the reports' counts are rebuilt, as after
    # seed_scale's.
    help_counts_rebuild()
    monday = START - datetime.timedelta(days=START.weekday() + 14)
    figures = []
    for unit in [*communes, province]:
        for week in range(16):
            received = rng.randint(0, 300)
            online = rng.randint(0, received)
            figures.append(
                OutcomeFigure(
                    region=unit,
                    period="week",
                    period_start=monday + datetime.timedelta(weeks=week),
                    received=received,
                    received_online=online,
                    processed_online=rng.randint(0, received),
                    paid_online=rng.randint(0, received),
                )
            )
    OutcomeFigure.objects.bulk_create(figures)
    return province, communes


def expected_helped(filters) -> dict[int, list[int]]:
    """Count by hand, per current unit: helped, confirmed, dossiers, and
    active helpers at their last counted record."""
    counts: dict[int, list[int]] = {}
    last = {}
    records = HelpRecord.objects.select_related("region").order_by("helped_on", "pk")
    for record in records:
        if not (filters.start <= record.helped_on <= filters.end):
            continue
        if record.flag and not record.flag_cleared_at:
            continue
        unit = record.region.rollup_target().pk
        row = counts.setdefault(unit, [0, 0, 0, 0])
        row[0] += 1
        row[1] += record.confirmed_at is not None
        row[2] += record.action == HelpAction.DOSSIER
        last[record.helper_id] = unit
    for unit in last.values():
        counts.setdefault(unit, [0, 0, 0, 0])[3] += 1
    return counts


def test_outcomes_add_up_and_match_a_fresh_count(random_outcomes):
    province, communes = random_outcomes
    filters = ReportFilters(region=province, start=START, end=END)
    board = outcomes_dashboard(filters=filters)

    total = OutcomeFigures()
    for row in board.rows:
        total.add(row.figures)
    for name in COUNTS:
        assert getattr(total, name) == getattr(board.totals, name), name
    assert board.totals.helped > 0 and board.totals.active_helpers > 0

    expected = expected_helped(filters)
    for row in board.children:
        f = row.figures
        assert [
            f.helped,
            f.helped_confirmed,
            f.dossiers_helped,
            f.active_helpers,
        ] == expected.get(row.region.pk, [0, 0, 0, 0]), row.name
        own = outcomes_dashboard(filters=filters.replace(region=row.region))
        assert {n: getattr(own.totals, n) for n in COUNTS} == {
            n: getattr(f, n) for n in COUNTS
        }, row.name
        received = sum(
            figure.received
            for figure in OutcomeFigure.objects.filter(
                region=row.region,
                period_start__gte=START,
                period_start__lte=END,
            )
        )
        assert f.received == received
