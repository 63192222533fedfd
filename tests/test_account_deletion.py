"""Deleting an account erases the person and keeps every count: the coverage
reports of every unit read exactly the same before and after."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.models import Certificate
from classes.models import Attendance, ClassMembership
from courses.models import Enrolment
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import Figures, ReportFilters
from reports.tests.factories import build_world
from users.models import User
from users.services import user_erase
from users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 9, 1), datetime.date(2026, 11, 30)


def figures(figures: Figures) -> tuple:
    return tuple(getattr(figures, name) for name in Figures.COUNTS)


def everything_counted(world) -> dict:
    """Return every figure of the dashboards of the province and its communes:
    totals, each child, the direct row, by kind, by course and week by week."""
    cache.clear()
    counted = {}
    for unit in (world.province, world.a, world.b):
        board = coverage_dashboard(
            filters=ReportFilters(region=unit, start=START, end=END)
        )
        counted[unit.name] = {
            "totals": figures(board.totals),
            "children": sorted(
                (row.region.pk, figures(row.figures)) for row in board.children
            ),
            "direct": figures(board.direct) if board.direct else None,
            "by_kind": [(kind, figures(f)) for kind, _label, f in board.by_kind],
            "by_course": [(course.pk, figures(f)) for course, f in board.by_course],
            "trend": [
                (p.week_start, p.trained, p.trained_cumulative, p.certificates)
                for p in board.trend
            ],
        }
    return counted


def test_the_reports_count_the_same_after_people_delete_their_accounts(client):
    world = build_world()
    u1, u2, _u3, _u4, _u5, _u6, u7 = world.users
    before = everything_counted(world)
    assert before["Tỉnh Hưng Yên"]["totals"][0] == 4  # trained, as hand-counted
    rows_before = (
        Certificate.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
        ClassMembership.objects.count(),
    )

    client.force_login(u1)
    response = client.post(reverse("users:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    user_erase(user=u7, reason="self")
    user_erase(user=u2, reason="self")

    assert everything_counted(world) == before
    assert (
        Certificate.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
        ClassMembership.objects.count(),
    ) == rows_before
    for person in (u1, u2, u7):
        erased = User.objects.get(pk=person.pk)
        assert erased.erased_at is not None
        assert erased.phone is None
        assert erased.full_name != person.full_name
        assert erased.kind == person.kind
        assert all(
            c.withdrawn_at is not None and c.printed["learner_name"] == ""
            for c in Certificate.objects.filter(user=erased)
        )
