"""Targets: roll-up, the target in force for a period, and the page officials
set them on."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from reports.models import Target
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import ReportFilters
from reports.selectors.targets import effective_target
from reports.services import target_set
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import END, START, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    return province, [CommuneFactory(parent=province) for _ in range(3)]


def effective(region, start=START, end=END, **kwargs):
    return effective_target(
        filters=ReportFilters(region=region, start=start, end=end, **kwargs)
    )


def test_children_roll_up_into_a_parent_without_its_own(tree):
    province, (a, b, c) = tree
    target(a, 100)
    target(b, 50)

    assert effective(province) == 150
    assert effective(a) == 100
    assert effective(c) is None


def test_a_parent_own_target_wins(tree):
    province, (a, b, _c) = tree
    target(a, 100)
    target(b, 50)
    target(province, 120)

    assert effective(province) == 120
    board = coverage_dashboard(
        filters=ReportFilters(region=province, start=START, end=END)
    )
    assert board.totals.target == 120
    assert {r.region: r.figures.target for r in board.children}[a] == 100


def test_targets_match_kind_and_course(tree, world):
    province, (a, _b, _c) = tree
    target(a, 30, kind="student")
    target(a, 7, course=world.c1)

    assert effective(province) is None
    assert effective(province, kind="student") == 30
    assert effective(province, course=world.c1) == 7
    assert effective(province, kind="student", course=world.c1) is None


def test_the_target_in_force_is_the_next_one_due(tree):
    """The target due soonest on or after the period's end counts; failing that,
    the latest one due within the period."""
    _province, (a, _b, _c) = tree
    target(a, 10, due="2026-10-15")
    target(a, 40, due="2026-12-31")
    target(a, 90, due="2027-06-30")

    assert effective(a) == 40
    assert effective(a, end=datetime.date(2026, 10, 1)) == 10
    assert (
        effective(a, start=datetime.date(2027, 7, 1), end=datetime.date(2027, 9, 30))
        is None
    )
    assert (
        effective(a, start=datetime.date(2027, 1, 1), end=datetime.date(2027, 7, 31))
        == 90
    )


def test_a_target_due_on_the_last_day_of_the_period_is_in_force(tree):
    """A target due on the period's last day is the one worked towards, alone or
    ahead of a later one."""
    _province, (a, b, _c) = tree
    target(a, 25, due=END.isoformat())
    target(b, 25, due=END.isoformat())
    target(b, 60, due="2027-03-31")

    assert effective(a) == 25
    assert effective(b) == 25


def test_setting_a_target_again_replaces_its_number(tree):
    _province, (a, _b, _c) = tree
    due = datetime.date(2026, 12, 31)
    target_set(region=a, kind="all", course=None, due_on=due, people=10)
    target_set(region=a, kind="all", course=None, due_on=due, people=25)

    assert list(Target.objects.values_list("people", flat=True)) == [25]


def test_an_official_sets_targets_only_in_their_subtree(tree):
    province, (a, b, _c) = tree
    official = UserFactory()
    RegionRole.objects.create(user=official, region=a)

    with pytest.raises(PermissionDenied):
        target_set(
            region=b, kind="all", course=None, due_on=END, people=5, set_by=official
        )
    made = target_set(
        region=a, kind="all", course=None, due_on=END, people=5, set_by=official
    )
    assert made.set_by == official


def test_the_target_page(client, tree):
    province, (a, b, _c) = tree
    official = UserFactory()
    RegionRole.objects.create(user=official, region=province)
    elsewhere = CommuneFactory()
    client.force_login(official)

    response = client.post(
        reverse("reports:targets"),
        {"region": a.pk, "kind": "student", "due_on": "31/12/2026", "people": "120"},
    )
    assert response.status_code == 302
    saved = Target.objects.get()
    assert (saved.region, saved.kind, saved.people) == (a, "student", 120)
    assert saved.set_by == official
    page = client.get(reverse("reports:targets"))
    assertContains(page, a.name)
    assertContains(page, vi("The target is saved."))

    outside = client.post(
        reverse("reports:targets"),
        {"region": elsewhere.pk, "kind": "all", "due_on": "31/12/2026", "people": "1"},
    )
    assert outside.status_code == 200
    assert "region" in outside.context["form"].errors
    negative = client.post(
        reverse("reports:targets"),
        {"region": b.pk, "kind": "all", "due_on": "31/12/2026", "people": "-3"},
    )
    assert "people" in negative.context["form"].errors
    assert Target.objects.count() == 1

    client.post(reverse("reports:target_delete", args=[saved.pk]))
    assert not Target.objects.exists()


def test_another_official_cannot_delete_a_target(client, tree):
    _province, (a, b, _c) = tree
    made = target(a, 10)
    official = UserFactory()
    RegionRole.objects.create(user=official, region=b)
    client.force_login(official)

    response = client.post(reverse("reports:target_delete", args=[made.pk]))

    assert response.status_code == 404
    assert Target.objects.filter(pk=made.pk).exists()


def test_a_superuser_sets_a_target_in_the_admin(client, tree):
    _province, (a, _b, _c) = tree
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    assert client.get(reverse("coverage_targets:index")).status_code == 200
    response = client.post(
        reverse("coverage_targets:add"),
        {"region": a.pk, "kind": "all", "due_on": "2026-12-31", "people": "75"},
    )

    assert response.status_code == 302, response.context["form"].errors
    saved = Target.objects.get()
    assert (saved.region, saved.people, saved.set_by) == (a, 75, admin)
