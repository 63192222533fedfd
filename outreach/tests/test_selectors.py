"""Reads of helped-person records: what counts, and the helpers' ranking."""

import datetime

import pytest
from django.utils import timezone

from outreach.models import HelpFlag, HelpRecord
from outreach.selectors import counted, helpers_ranked, records_in
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.tests.factories import UserFactory

from .factories import HelpRecordFactory

pytestmark = pytest.mark.django_db


def test_a_flagged_record_counts_once_cleared():
    now = timezone.now()
    plain = HelpRecordFactory()
    waiting = HelpRecordFactory(flag=HelpFlag.DAILY_LIMIT, flagged_at=now)
    cleared = HelpRecordFactory(
        flag=HelpFlag.DAILY_LIMIT, flagged_at=now, flag_cleared_at=now
    )

    assert set(counted()) == {plain, cleared}
    assert waiting not in counted()


def test_a_units_records_are_its_subtrees_in_the_period():
    """Two communes of one province and one elsewhere; one record outside the
    period: the province has 2, each commune 1."""
    province = ProvinceFactory()
    first, second = (CommuneFactory(parent=province) for _ in range(2))
    today = timezone.localdate()
    start = today - datetime.timedelta(days=6)
    HelpRecordFactory(region=first)
    HelpRecordFactory(region=second)
    HelpRecordFactory(region=first, helped_on=start - datetime.timedelta(days=1))
    HelpRecordFactory(region=CommuneFactory())

    assert records_in(province, start, today).count() == 2
    assert records_in(first, start, today).count() == 1
    assert HelpRecord.objects.count() == 4


def test_equal_figures_share_a_rank():
    """Hoa and Lan have 2 confirmed of 2, Minh 1 of 3: ranks 1, 1, 3; a helper
    with nothing confirmed is not ranked."""
    now = timezone.now()
    hoa, lan = UserFactory(full_name="Hoa"), UserFactory(full_name="Lan")
    minh, quan = UserFactory(full_name="Minh"), UserFactory(full_name="Quân")
    for helper in (hoa, lan):
        for _ in range(2):
            HelpRecordFactory(helper=helper, confirmed_at=now)
    HelpRecordFactory(helper=minh, confirmed_at=now)
    HelpRecordFactory(helper=minh)
    HelpRecordFactory(helper=minh)
    HelpRecordFactory(helper=quan)

    ranked = helpers_ranked(HelpRecord.objects.all())

    assert [(r.rank, r.name, r.confirmed, r.recorded) for r in ranked] == [
        (1, "Hoa", 2, 2),
        (1, "Lan", 2, 2),
        (3, "Minh", 1, 3),
    ]
