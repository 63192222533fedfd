"""A certificate of merit (giấy khen) counts nobody as trained: awarded to two
people of the hand-counted world, it changes no figure of the coverage
dashboard, the outcomes view, their CSV exports, the JSON feed, the kept counts
(even rebuilt), the certificates, nor who may record help."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates.models import Certificate, MeritCertificate
from certificates.services import merit_certificate_award
from certificates.tests.factories import merit_template
from outreach.eligibility import standing
from outreach.selectors import Ranking, records_in
from outreach.services import merit_award
from reports.models import CertificateSpan, CountedHelp, HelpDay
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import ReportFilters
from reports.selectors.outcomes import outcomes_dashboard
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import END, START, build_outcomes

pytestmark = pytest.mark.django_db

QUERY = {"start": START.isoformat(), "end": END.isoformat()}
FEED = {"from": START.isoformat(), "to": END.isoformat()}


def _feed(content: bytes) -> dict:
    """The feed's figures, without the moment it was made."""
    data = json.loads(content)
    data.pop("generated_at")
    return data


def _figures(world, client) -> dict:
    filters = ReportFilters(region=world.province, start=START, end=END)
    coverage = coverage_dashboard(filters=filters)
    outcomes = outcomes_dashboard(filters=filters)
    province = world.province

    def body(name, *args, **params):
        response = client.get(reverse(name, args=args), params)
        assert response.status_code == 200, name
        return response.content

    return {
        "coverage": (
            coverage.totals,
            [(row.name, row.figures) for row in coverage.children],
            coverage.direct,
            coverage.trend,
            coverage.by_kind,
        ),
        "outcomes": (
            outcomes.totals,
            [(row.name, row.figures) for row in outcomes.children],
            outcomes.trend,
        ),
        "coverage_csv": body("reports:export_csv", province.pk, **QUERY),
        "outcomes_csv": body("reports:outcomes_csv", province.pk, **QUERY),
        "feed": _feed(body("coverage_api:unit", province.code, **FEED)),
        "outcomes_feed": _feed(
            body("coverage_api:unit_outcomes", province.code, **FEED)
        ),
        "kept": (
            CertificateSpan.objects.count(),
            HelpDay.objects.count(),
            CountedHelp.objects.count(),
        ),
        "certificates": Certificate.objects.count(),
        "may_record": [standing(user) for user in world.users],
    }


def test_a_giay_khen_changes_no_coverage_figure(client, world):
    build_outcomes(world)
    official = UserFactory()
    RegionRole.objects.create(user=official, region=world.province)
    client.force_login(official)
    before = _figures(world, client)
    assert before["coverage"][0].trained == 4  # as counted by hand

    u1, _u2, u3, *_ = world.users
    template = merit_template()
    # u1 helped in A with one confirmed record (factories.build_outcomes).
    done = merit_award(
        awarder=official,
        ranking=Ranking(
            records=records_in(world.province, START, END),
            start=START,
            end=END,
            unit=world.province,
        ),
        helper_ids=[u1.pk],
        template=template,
    )
    assert [merit.helped_count for merit in done.awarded] == [1]
    # u3's only certificate expired: a giấy khen does not make them trained,
    # nor let them record help.
    merit_certificate_award(
        user=u3,
        template=template,
        awarded_by=official,
        region=world.b,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 11, 30),
        reason="Đã hướng dẫn 12 người dân",
        helped_count=12,
    )
    assert MeritCertificate.objects.count() == 2

    assert _figures(world, client) == before
    call_command("rebuild_report_counts", verbosity=0)
    assert _figures(world, client) == before
    assert standing(u3).may_record is False
