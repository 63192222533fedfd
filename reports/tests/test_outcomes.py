"""The outcomes view: people trained beside people helped and the online
share, counted by hand on the world of ``factories.build_world`` and
``factories.build_outcomes``."""

import datetime

import pytest
from django.urls import reverse

from outreach.models import Campaign
from reports.selectors.filters import ReportFilters
from reports.selectors.outcomes import (
    COUNTS,
    OutcomeFigures,
    OutcomeRow,
    needs_help,
    outcomes_dashboard,
    ranked_units,
)
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import END, START, build_outcomes

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes_world(world):
    build_outcomes(world)
    return world


def figures(row) -> dict:
    return {name: getattr(row, name) for name in COUNTS}


def test_province_figures_counted_by_hand(outcomes_world):
    world = outcomes_world
    board = outcomes_dashboard(
        filters=ReportFilters(region=world.province, start=START, end=END)
    )
    rows = {row.name: row.figures for row in board.children}
    a, b = rows["Xã An Bình"], rows["Phường Bạch Đằng"]
    assert (a.trained, a.active_helpers, a.helped, a.helped_confirmed) == (2, 1, 5, 3)
    assert (a.dossiers_helped, a.awaiting_review) == (2, 0)
    assert (b.trained, b.active_helpers, b.helped, b.helped_confirmed) == (1, 2, 2, 1)
    assert (b.dossiers_helped, b.awaiting_review) == (2, 1)
    direct = board.direct
    assert (direct.trained, direct.active_helpers, direct.helped) == (1, 1, 1)
    totals = board.totals
    assert (totals.trained, totals.active_helpers, totals.helped) == (4, 4, 8)
    assert (totals.helped_confirmed, totals.dossiers_helped) == (5, 4)

    assert board.period_kind == "week"
    assert (a.received, a.received_online, a.online_percent) == (200, 70, 35.0)
    assert a.share_change == 30.0
    assert (b.received, b.received_online, b.online_percent) == (300, 160, 53.3)
    assert b.share_change == 10.0
    assert (totals.received, totals.received_online) == (550, 240)
    assert (totals.online_percent, totals.share_change) == (43.6, 15.0)
    # A: trained at least the median (1.5) and an online share below it.
    assert [row.name for row in board.needs_help] == ["Xã An Bình"]


def test_the_weekly_trend_of_people_helped(outcomes_world):
    board = outcomes_dashboard(
        filters=ReportFilters(region=outcomes_world.province, start=START, end=END)
    )
    helped = {
        point.week_start: (point.helped, point.helped_confirmed)
        for point in board.trend
        if point.helped
    }
    d = datetime.date
    assert helped == {
        d(2026, 9, 7): (2, 1),
        d(2026, 9, 14): (2, 2),
        d(2026, 9, 28): (1, 1),
        d(2026, 10, 19): (1, 0),
        d(2026, 10, 26): (1, 1),
        d(2026, 11, 16): (1, 0),
    }
    assert sum(point.trained for point in board.trend) == board.totals.trained


def test_a_communes_own_view_equals_its_row(outcomes_world):
    """A commune's own outcomes view counts what its row on the province's
    view counts: h1, whose last record is in B, is not an active helper of A
    on either."""
    world = outcomes_world
    filters = ReportFilters(region=world.province, start=START, end=END)
    province = outcomes_dashboard(filters=filters)
    for row in province.children:
        own = outcomes_dashboard(filters=filters.replace(region=row.region))
        assert figures(own.totals) == figures(row.figures), row.name


def test_monthly_figures_when_no_week_is_given(outcomes_world):
    world = outcomes_world
    board = outcomes_dashboard(
        filters=ReportFilters(
            region=world.a,
            start=datetime.date(2026, 10, 1),
            end=datetime.date(2026, 10, 31),
        )
    )
    assert board.period_kind == "month"
    assert (board.totals.received, board.totals.received_online) == (1000, 500)
    assert board.totals.online_percent == 50.0


def official_of(region):
    user = UserFactory()
    RegionRole.objects.create(user=user, region=region, role=RegionRole.Role.OFFICIAL)
    return user


def test_the_page_shows_aggregates_to_officials_only(client, outcomes_world):
    world = outcomes_world
    url = reverse("reports:outcomes_unit", args=[world.province.pk])
    query = f"?start={START.isoformat()}&end={END.isoformat()}"
    client.force_login(world.users[0])
    assert client.get(url + query).status_code == 404
    client.force_login(official_of(world.a))
    assert client.get(url + query).status_code == 404

    client.force_login(official_of(world.province))
    response = client.get(url + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="helped">8<' in page
    assert 'data-figure="helped-confirmed">5<' in page
    assert "43,6%" in page
    # Aggregates only: no helper's name on the page.
    for person in world.users:
        assert person.full_name not in page


def test_opens_for_a_campaign_with_its_targets(client, outcomes_world):
    world = outcomes_world
    campaign = Campaign.objects.create(
        name="92 ngày cao điểm DVCTT",
        region=world.province,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 11, 30),
        target_trained=8,
        target_helped=16,
        target_online_share=80,
    )
    client.force_login(official_of(world.province))
    response = client.get(reverse("reports:campaign", args=[campaign.pk]), follow=True)
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert (board.filters.start, board.filters.end) == (START, END)
    progress = {row["label"]: row for row in response.context["progress"]}
    assert [(row["value"], row["target"]) for row in progress.values()] == [
        (4, 8),
        (8, 16),
        (43.6, 80.0),
    ]
    # Below the campaign's 80%: every unit trained at least the median.
    assert [row.name for row in board.needs_help] == ["Xã An Bình"]

    client.force_login(official_of(world.a))
    assert (
        client.get(reverse("reports:campaign", args=[campaign.pk])).status_code == 404
    )


def test_a_unit_above_the_campaigns_target_share_does_not_need_help(outcomes_world):
    """Against a campaign's 30 % target, Xã An Bình's 35 % online share is no
    longer low: the target is a share, not a percentage."""
    world = outcomes_world
    campaign = Campaign.objects.create(
        name="Tháng cao điểm DVCTT",
        region=world.province,
        starts_on=START,
        ends_on=END,
        target_online_share=30,
    )

    board = outcomes_dashboard(
        filters=ReportFilters(region=world.province, start=START, end=END),
        campaign=campaign,
    )

    assert board.needs_help == []


def test_ranked_units_put_the_highest_online_share_first():
    """A campaign's weekly ranking goes by online share before people helped,
    units without figures last."""

    def row(name, *, received=0, online=0, confirmed=0):
        figures = OutcomeFigures(
            received=received, received_online=online, helped_confirmed=confirmed
        )
        return OutcomeRow(region=None, name=name, url="", figures=figures)

    rows = [
        row("Xã Chưa Có Số Liệu"),
        row("Xã Giúp Nhiều", received=10, online=2, confirmed=9),
        row("Xã Trực Tuyến", received=10, online=8, confirmed=1),
    ]

    assert [(rank, unit.name) for rank, unit in ranked_units(rows)] == [
        (1, "Xã Trực Tuyến"),
        (2, "Xã Giúp Nhiều"),
        (3, "Xã Chưa Có Số Liệu"),
    ]


def test_ranked_units_put_a_unit_at_no_online_share_after_the_others():
    """A unit whose dossiers all came on paper (0 %) ranks after a unit with
    some online, and before the units without figures."""

    def row(name, *, received=0, online=0):
        figures = OutcomeFigures(received=received, received_online=online)
        return OutcomeRow(region=None, name=name, url="", figures=figures)

    rows = [
        row("Xã Giấy", received=10, online=0),
        row("Xã Chưa Có Số Liệu"),
        row("Xã Ít Trực Tuyến", received=100, online=1),
    ]

    assert [unit.name for _rank, unit in ranked_units(rows)] == [
        "Xã Ít Trực Tuyến",
        "Xã Giấy",
        "Xã Chưa Có Số Liệu",
    ]


def test_figures_add_up_as_a_dataclass():
    one, two = OutcomeFigures(helped=2, received=10), OutcomeFigures(helped=3)
    one.add(two)
    assert (one.helped, one.received) == (5, 10)


def test_the_page_is_shared_until_a_counted_write(
    client, outcomes_world, django_capture_on_commit_callbacks
):
    """Officials who open the same outcomes page within the cache time share
    one computation; a counted write (here an outcome figure) makes it stale,
    and the downloads always compute afresh."""
    from unittest import mock

    from reports.selectors import cache as report_cache
    from reports.tests.factories import outcome

    world = outcomes_world
    url = reverse("reports:outcomes_unit", args=[world.province.pk])
    query = {"start": START.isoformat(), "end": END.isoformat()}
    client.force_login(official_of(world.province))
    with mock.patch.object(
        report_cache, "outcomes_dashboard", wraps=report_cache.outcomes_dashboard
    ) as computed:
        client.get(url, query)
        page = client.get(url, query).content.decode()
        assert computed.call_count == 1
        assert "43,6%" in page

        with django_capture_on_commit_callbacks(execute=True):
            outcome(world.a, "2026-11-16", 100, 100)
        page = client.get(url, query).content.decode()
        assert computed.call_count == 2
        assert "43,6%" not in page

        csv = reverse("reports:outcomes_csv", args=[world.province.pk])
        assert client.get(csv, query).status_code == 200
        assert computed.call_count == 2


def units(*figures: tuple[str, int, int | None]) -> list[OutcomeRow]:
    """Rows of units by name, people trained and online share in percent (None:
    no dossier received)."""
    return [
        OutcomeRow(
            None,
            name,
            "",
            OutcomeFigures(
                trained=trained,
                received=0 if percent is None else 100,
                received_online=percent or 0,
            ),
        )
        for name, trained, percent in figures
    ]


def test_needs_help_below_a_campaigns_line():
    """Against a campaign's line, a unit needs help if it trained at least the
    median of the units that trained and received dossiers, and its online
    share is below the line (not at it, not above). Units that trained nobody
    or received nothing are left out of the median."""
    rows = units(
        ("A", 8, 20),
        ("B", 8, 90),  # above the line
        ("C", 4, 10),  # under the median of people trained (6)
        ("D", 4, 50),  # at the line
        ("E", 0, 0),  # trained nobody: would bring the median down to 4
        ("F", 30, None),  # received nothing
    )

    assert [row.name for row in needs_help(rows, below=0.5)] == ["A"]


def test_needs_help_lowest_share_first():
    """The units are listed lowest share first, the most trained first at the
    same share; a unit at the median of people trained is listed."""
    rows = units(("P", 9, 20), ("Q", 6, 20), ("R", 6, 5), ("S", 3, 10), ("T", 6, 90))

    assert [row.name for row in needs_help(rows, below=0.5)] == ["R", "P", "Q"]


def test_needs_help_without_a_line_below_the_median_share():
    """Without a campaign, the line is the median online share."""
    rows = units(("U", 5, 10), ("V", 5, 30), ("W", 5, 60))

    assert [row.name for row in needs_help(rows)] == ["U"]
    assert needs_help(units(("U", 5, None))) == []


def test_needs_help_lists_ten_units_at_most():
    rows = units(*[(f"Xã {number}", 5, number) for number in range(12)])

    found = needs_help(rows, below=0.5)

    assert [row.name for row in found] == [f"Xã {number}" for number in range(10)]


def test_share_change_needs_both_periods():
    """The change of the online share needs a first and a last period with
    figures; with either missing there is none."""
    assert OutcomeFigures(share_first=0.25, share_last=0.5).share_change == 25.0
    # In percentage points to one decimal, as the page shows it.
    assert OutcomeFigures(share_first=0.1234, share_last=0.5).share_change == 37.7
    assert OutcomeFigures(share_first=None, share_last=0.5).share_change is None
    assert OutcomeFigures(share_first=0.25, share_last=None).share_change is None


def test_outcome_figures_of_the_unit_itself_are_its_own_row(outcomes_world):
    """Figures given for the province itself (not one of its units) make the
    province's own row, and do not go to a unit's."""
    from reports.tests.factories import outcome

    world = outcomes_world
    filters = ReportFilters(region=world.province, start=START, end=END)
    before = outcomes_dashboard(filters=filters)
    own = before.direct.received if before.direct is not None else 0
    outcome(world.province, "2026-11-16", 40, 10)

    board = outcomes_dashboard(filters=filters)

    assert board.direct is not None
    assert board.direct.received == own + 40
    assert [row.figures.received for row in board.children] == [
        row.figures.received for row in before.children
    ]
