"""Recording, confirming and reviewing helped-person records (outreach.services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outreach.models import HelpAction, HelpFlag, HelpRecord, HelpRelation
from outreach.services import (
    NotAllowedToRecord,
    help_record_confirm_by_link,
    help_record_create,
    help_record_review,
)
from outreach.signals import help_records_changed
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.tests.factories import UserFactory

from .factories import (
    HelpRecordFactory,
    ProcedureFieldFactory,
    certified_helper,
    team_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return CommuneFactory(name="Phường Hiến Nam", parent=ProvinceFactory())


def record(helper, commune, **fields):
    values = {
        "helper": helper,
        "helped_on": timezone.localdate(),
        "region": commune,
        "action": HelpAction.ACCOUNT,
        "relation": HelpRelation.PARENT,
        **fields,
    }
    return help_record_create(**values)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_certified_helper_records_a_dossier_in_the_helped_persons_commune(commune):
    """The record keeps the commune and its path, the helper's kind and the
    procedure field; it is neither confirmed nor flagged."""
    helper = certified_helper()
    field = ProcedureFieldFactory(name="Hộ tịch")

    made = record(helper, commune, action=HelpAction.DOSSIER, procedure_field=field)

    made.refresh_from_db()
    assert (made.region, made.region_path) == (commune, commune.path)
    assert made.helper_kind == helper.kind
    assert made.procedure_field == field
    assert made.confirmed_at is None
    assert made.flag is None
    assert len(made.confirm_token) >= 12


def test_a_team_member_without_a_certificate_may_record(commune):
    member, _ = team_member()

    assert record(member, commune).helper == member


def test_a_person_without_certificate_or_team_may_not_record(commune):
    with pytest.raises(NotAllowedToRecord):
        record(UserFactory(), commune)
    assert HelpRecord.objects.count() == 0


def test_a_revoked_certificate_does_not_let_its_holder_record(commune):
    helper = certified_helper()
    helper.certificates.update(revoked_at=timezone.now(), revoked_reason="Sai")

    with pytest.raises(NotAllowedToRecord):
        record(helper, commune)


def test_an_expired_certificate_does_not_let_its_holder_record(commune):
    helper = certified_helper()
    helper.certificates.update(expires_at=timezone.now() - datetime.timedelta(1))

    with pytest.raises(NotAllowedToRecord):
        record(helper, commune)


def test_a_date_in_the_future_is_refused(commune):
    helper = certified_helper()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    assert "helped_on" in errors_of(lambda: record(helper, commune, helped_on=tomorrow))
    assert HelpRecord.objects.count() == 0


def test_a_date_before_the_first_certificate_is_refused(commune):
    """Issued 10 days ago: 11 days ago is refused, 10 days ago is accepted."""
    helper = certified_helper(issued_days_ago=10)
    today = timezone.localdate()

    errors = errors_of(
        lambda: record(helper, commune, helped_on=today - datetime.timedelta(11))
    )
    assert "helped_on" in errors
    assert record(helper, commune, helped_on=today - datetime.timedelta(10))
    assert HelpRecord.objects.count() == 1


def test_a_phone_without_consent_is_refused_and_nothing_is_kept(commune):
    helper = certified_helper()

    errors = errors_of(lambda: record(helper, commune, helped_phone="0912345678"))

    assert list(errors) == ["consent"]
    assert HelpRecord.objects.count() == 0


def test_a_name_and_phone_with_consent_are_kept_with_the_consent_text(commune):
    helper = certified_helper()

    made = record(
        helper,
        commune,
        helped_name="  Trần   Thị Mai ",
        helped_phone="0912 345 678",
        consent=True,
    )

    assert made.helped_name == "Trần Thị Mai"
    assert made.helped_phone == "+84912345678"
    assert made.consent_given_at is not None
    assert made.consent_version and made.consent_text


def test_consent_without_details_keeps_no_consent(commune):
    made = record(certified_helper(), commune, consent=True)

    assert made.consent_given_at is None
    assert made.consent_text == ""


def test_a_malformed_phone_is_refused_on_the_phone(commune):
    errors = errors_of(
        lambda: record(certified_helper(), commune, helped_phone="12", consent=True)
    )

    assert list(errors) == ["helped_phone"]


def test_a_dossier_needs_its_procedure_field(commune):
    errors = errors_of(
        lambda: record(certified_helper(), commune, action=HelpAction.DOSSIER)
    )

    assert list(errors) == ["procedure_field"]


def test_a_procedure_field_is_dropped_for_another_action(commune):
    made = record(
        certified_helper(),
        commune,
        action=HelpAction.FEE,
        procedure_field=ProcedureFieldFactory(),
    )

    assert made.procedure_field is None


def test_records_beyond_the_days_limit_are_flagged(commune, settings):
    """Limit 2: the first two of a day count, the third waits for review; the
    next day starts again."""
    settings.OUTREACH_DAILY_LIMIT = 2
    helper = certified_helper()
    today = timezone.localdate()

    flags = [record(helper, commune).flag for _ in range(3)]
    yesterday = record(helper, commune, helped_on=today - datetime.timedelta(1))

    assert flags == [None, None, HelpFlag.DAILY_LIMIT]
    assert yesterday.flag is None


def test_a_phone_in_many_records_is_flagged(commune, settings):
    """Limit 2: the third record with one number, by any helper, is flagged."""
    settings.OUTREACH_PHONE_REPEAT_LIMIT = 2
    first, second = certified_helper(), certified_helper()
    phone = {"helped_phone": "0912345678", "consent": True}

    flags = [
        record(first, commune, **phone).flag,
        record(second, commune, **phone).flag,
        record(second, commune, **phone).flag,
        record(second, commune, helped_phone="0987654321", consent=True).flag,
    ]

    assert flags == [None, None, HelpFlag.PHONE_REPEATED, None]


def test_the_link_confirms_once(commune):
    made = HelpRecordFactory(region=commune)

    confirmed = help_record_confirm_by_link(token=made.confirm_token)

    assert confirmed.confirmed_at is not None
    assert confirmed.confirmed_by is None
    first_time = confirmed.confirmed_at
    with pytest.raises(ValidationError, match="đã được xác nhận|already confirmed"):
        help_record_confirm_by_link(token=made.confirm_token)
    made.refresh_from_db()
    assert made.confirmed_at == first_time


def test_a_link_older_than_30_days_changes_nothing(commune):
    made = HelpRecordFactory(region=commune)
    HelpRecord.objects.filter(pk=made.pk).update(
        confirm_token_created_at=timezone.now() - datetime.timedelta(days=30, hours=1)
    )

    with pytest.raises(ValidationError, match="30"):
        help_record_confirm_by_link(token=made.confirm_token)
    made.refresh_from_db()
    assert made.confirmed_at is None


def test_a_link_of_29_days_still_confirms(commune):
    made = HelpRecordFactory(region=commune)
    HelpRecord.objects.filter(pk=made.pk).update(
        confirm_token_created_at=timezone.now() - datetime.timedelta(days=29)
    )

    assert help_record_confirm_by_link(token=made.confirm_token).confirmed_at


def test_an_unknown_link_confirms_nothing():
    with pytest.raises(ValidationError):
        help_record_confirm_by_link(token="khong-co-that")


def test_a_reviewer_clears_a_flag_and_confirms(commune):
    leader = UserFactory()
    made = HelpRecordFactory(
        region=commune, flag=HelpFlag.DAILY_LIMIT, flagged_at=timezone.now()
    )

    reviewed = help_record_review(record=made, reviewer=leader, confirm=True)

    assert reviewed.flag == HelpFlag.DAILY_LIMIT
    assert reviewed.flag_cleared_by == leader
    assert reviewed.confirmed_by == leader
    assert reviewed.is_flagged is False
    with pytest.raises(ValidationError):
        help_record_review(record=made, reviewer=leader, confirm=True)


def test_each_write_announces_the_records_it_changed(commune):
    seen = []

    def listener(records, **kwargs):
        seen.append([r.pk for r in records])

    help_records_changed.connect(listener)
    try:
        made = record(certified_helper(), commune)
        help_record_confirm_by_link(token=made.confirm_token)
    finally:
        help_records_changed.disconnect(listener)

    assert seen == [[made.pk], [made.pk]]
