"""The counts the outcomes view reads (``HelpDay``, ``CountedHelp``) are kept
after each of outreach's writes commits, and always equal a rebuild from the
records: recorded, confirmed (by link or by a reviewer), flagged, cleared. A
refresh run twice changes nothing, and a write rolled back refreshes
nothing."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.signals import task_enqueued

from outreach.models import HelpAction, HelpRecord, HelpRelation
from outreach.services import (
    help_record_confirm_by_link,
    help_record_create,
    help_record_review,
)
from outreach.tests.factories import ProcedureFieldFactory, certified_helper
from regions.tests.factories import CommuneFactory, ProvinceFactory
from reports import tasks
from reports.models import CountedHelp, HelpDay
from reports.selectors.filters import ReportFilters
from reports.selectors.outcomes import outcomes_dashboard
from reports.services import (
    Changes,
    help_counts_rebuild,
    help_day_keys,
    report_counts_refresh,
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def kept():
    """Every row of the help counts, comparable across refreshes and rebuilds."""
    return {
        "days": sorted(
            HelpDay.objects.values_list(
                "region_id", "day", "helped", "confirmed", "dossiers", "awaiting"
            )
        ),
        "counted": sorted(
            CountedHelp.objects.values_list(
                "record_id", "helper_id", "region_id", "helped_on", "until"
            )
        ),
    }


def rebuilt():
    help_counts_rebuild()
    return kept()


@pytest.fixture
def place():
    province = ProvinceFactory()
    return CommuneFactory(parent=province), CommuneFactory(parent=province)


def record(helper, commune, days_ago=1, **fields):
    values = {
        "helper": helper,
        "helped_on": timezone.localdate() - datetime.timedelta(days=days_ago),
        "region": commune,
        "action": HelpAction.ACCOUNT,
        "relation": HelpRelation.PARENT,
        **fields,
    }
    return help_record_create(**values)


@pytest.fixture
def enqueued():
    calls = []

    def receiver(sender, task_result, **kwargs):
        if task_result.task.func is tasks.report_counts_refresh_task.func:
            calls.append(task_result.args[0])

    task_enqueued.connect(receiver, dispatch_uid="test-help-counts-enqueued")
    yield calls
    task_enqueued.disconnect(dispatch_uid="test-help-counts-enqueued")


def test_each_kind_of_write_keeps_the_counts_equal_to_a_rebuild(place, settings):
    settings.OUTREACH_DAILY_LIMIT = 2
    a, b = place
    helper, other = certified_helper(), certified_helper()
    reviewer = UserFactory()
    field = ProcedureFieldFactory()

    first = record(helper, a, days_ago=3)
    assert kept() == rebuilt()
    assert kept()["days"] == [(a.pk, first.helped_on, 1, 0, 0, 0)]

    # The same day twice more: the third is flagged (daily limit of 2).
    record(helper, b, days_ago=2, action=HelpAction.DOSSIER, procedure_field=field)
    record(helper, b, days_ago=2)
    flagged = record(helper, b, days_ago=2)
    assert flagged.flag is not None
    assert kept() == rebuilt()
    day = flagged.helped_on
    assert HelpDay.objects.get(region=b, day=day).awaiting == 1
    assert HelpDay.objects.get(region=b, day=day).helped == 2
    assert not CountedHelp.objects.filter(record_id=flagged.pk).exists()

    # Confirmed by the helped person's link.
    help_record_confirm_by_link(token=first.confirm_token)
    assert kept() == rebuilt()
    assert HelpDay.objects.get(region=a).confirmed == 1

    # The flag cleared, and confirmed, by a reviewer: now counted.
    help_record_review(record=flagged, reviewer=reviewer, confirm=True)
    assert kept() == rebuilt()
    row = HelpDay.objects.get(region=b, day=day)
    assert (row.helped, row.confirmed, row.dossiers, row.awaiting) == (3, 1, 1, 0)
    assert CountedHelp.objects.get(record_id=flagged.pk).until is None

    # Another helper, and the first helper's earlier record now has a next.
    record(other, a, days_ago=1)
    assert kept() == rebuilt()
    assert CountedHelp.objects.get(record_id=first.pk).until == day

    # Deleted (no service does; the shell might): counted nowhere.
    HelpRecord.objects.filter(helped_on=day).delete()
    assert kept() == rebuilt()
    assert CountedHelp.objects.get(record_id=first.pk).until is None
    assert not HelpDay.objects.filter(day=day).exists()


def test_the_view_reads_the_kept_counts(place):
    a, b = place
    helper = certified_helper()
    record(helper, a, days_ago=5)
    last = record(helper, b, days_ago=2)
    filters = ReportFilters(
        region=a.parent,
        start=timezone.localdate() - datetime.timedelta(days=9),
        end=timezone.localdate(),
    )
    board = outcomes_dashboard(filters=filters)
    by_unit = {row.region.pk: row.figures for row in board.children}
    assert board.totals.helped == 2
    assert by_unit[a.pk].active_helpers == 0
    assert by_unit[b.pk].active_helpers == 1
    # Ending the period before the last record: the helper counts in a.
    before = ReportFilters(
        region=a.parent, start=filters.start, end=last.helped_on - datetime.timedelta(1)
    )
    board = outcomes_dashboard(filters=before)
    by_unit = {row.region.pk: row.figures for row in board.children}
    assert (by_unit[a.pk].active_helpers, by_unit[b.pk].active_helpers) == (1, 0)


def test_a_refresh_run_twice_changes_nothing(place):
    a, b = place
    helper = certified_helper()
    records = [record(helper, a, days_ago=3), record(helper, b, days_ago=1)]
    once = kept()
    changes = Changes(help_days=help_day_keys(records), helpers={helper.pk})
    report_counts_refresh(changes)
    report_counts_refresh(Changes.from_json(changes.as_json()))
    assert kept() == once


def test_a_write_refreshes_only_after_it_commits(place, enqueued):
    a, _b = place
    helper = certified_helper()
    enqueued.clear()  # the helper's certificate, refreshed already
    with transaction.atomic():
        with CaptureQueriesContext(connection) as inside:
            made = record(helper, a)
        assert not [q for q in inside.captured_queries if "reports_" in q["sql"]]
        assert enqueued == []
    assert len(enqueued) == 1
    assert enqueued[0]["help_days"] == [[a.pk, made.helped_on.isoformat()]]
    assert enqueued[0]["helpers"] == [helper.pk]
    assert HelpDay.objects.get(region=a).helped == 1


def test_a_write_rolled_back_refreshes_nothing(place, enqueued):
    a, _b = place
    helper = certified_helper()
    enqueued.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(helper, a)
        raise RuntimeError
    assert enqueued == []
    assert not HelpDay.objects.exists()
    assert not CountedHelp.objects.exists()
