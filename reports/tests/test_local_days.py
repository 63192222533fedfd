"""The default period ends on Vietnam's today, whatever the hour in UTC: a
learner who enrolled, completed and got a certificate a moment ago counts once
as enrolled, completed and trained, and not as in progress, at any hour."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.tests.builders import certified_course, complete, learner
from core.testing import rolled_back
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import ReportFilters, default_period

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "moment",
    [
        # 02:30 on the 8th in Vietnam, still the 7th in UTC.
        datetime.datetime(2026, 12, 7, 19, 30, tzinfo=datetime.UTC),
        # 06:59 on the 8th in Vietnam.
        datetime.datetime(2026, 12, 7, 23, 59, tzinfo=datetime.UTC),
        # The same date in both.
        datetime.datetime(2026, 12, 8, 1, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC),
    ],
    ids=str,
)
def test_a_learner_trained_just_now_counts_in_the_default_period(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        course = certified_course(lessons=1)
        lan = learner()
        enrolment = complete(lan, course)
        certificate = Certificate.objects.get(user=lan, course=course)
        assert enrolment.enrolled_at == moment
        assert enrolment.completed_at == moment
        assert certificate.issued_at == moment
        start, end = default_period()
        assert end == timezone.localdate(moment)
        dashboard = coverage_dashboard(
            filters=ReportFilters(region=lan.home_region.parent, start=start, end=end)
        )
    totals = dashboard.totals
    assert (totals.enrolled, totals.completed, totals.in_progress) == (1, 1, 0)
    assert (totals.trained, totals.certificates_issued) == (1, 1)
    assert [point.trained for point in dashboard.trend][-1] == 1


MOMENT = datetime.datetime(2026, 12, 7, 19, 30, tzinfo=datetime.UTC)


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """A learner trained by a load made once for the class and rolled back
    after it, as the demo's tests load the demo."""
    with django_db_blocker.unblock(), rolled_back():
        with mock.patch("django.utils.timezone.now", return_value=MOMENT):
            course = certified_course(lessons=1)
            lan = learner()
            complete(lan, course)
        yield lan


@pytest.mark.django_db
class TestLoadedForTheClass:
    def test_the_load_counts_in_the_default_period(self, loaded):
        """What a class's load wrote is counted in the kept counts: enrolled,
        completed and trained once, as the same writes outside a test would."""
        start, end = default_period(today=timezone.localdate(MOMENT))
        province = loaded.home_region.parent
        dashboard = coverage_dashboard(
            filters=ReportFilters(region=province, start=start, end=end)
        )
        totals = dashboard.totals
        assert (totals.enrolled, totals.completed, totals.in_progress) == (1, 1, 0)
        assert (totals.trained, totals.certificates_issued) == (1, 1)
