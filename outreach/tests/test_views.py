"""The pages of helped-person records, as a helper, a helped person, a teacher
and an official see them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from outreach.models import Campaign, HelpFlag, HelpRecord
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import (
    HelpRecordFactory,
    ProcedureFieldFactory,
    certified_helper,
    student_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return ProvinceFactory(name="Tỉnh Hưng Yên")


@pytest.fixture
def commune(province):
    return CommuneFactory(name="Phường Hiến Nam", parent=province)


@pytest.fixture
def helper(commune):
    return certified_helper(home_region=commune)


def post_record(client, **fields):
    data = {
        "helped_on": timezone.localdate().isoformat(),
        "commune_query": "Phường Hiến Nam, Tỉnh Hưng Yên",
        "action": "account",
        "relation": "parent",
        **fields,
    }
    return client.post(reverse("outreach:create"), data)


def test_the_form_opens_on_today_and_the_helpers_commune(client, helper):
    client.force_login(helper)

    page = client.get(reverse("outreach:create"))

    assertContains(page, f'value="{timezone.localdate().isoformat()}"')
    assertContains(page, 'value="Phường Hiến Nam, Tỉnh Hưng Yên"')


def test_a_helper_records_a_dossier_and_sees_its_link_and_qr(client, helper, commune):
    client.force_login(helper)
    field = ProcedureFieldFactory(name="Hộ tịch")

    response = post_record(client, action="dossier", procedure_field=field.pk)

    made = HelpRecord.objects.get()
    assert (made.region, made.procedure_field) == (commune, field)
    page = client.get(response.url)
    assertContains(page, reverse("outreach_confirm", args=[made.confirm_token]))
    assertContains(page, "<svg")


def test_a_date_in_the_future_gets_a_message_and_saves_nothing(client, helper):
    client.force_login(helper)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page = post_record(client, helped_on=tomorrow.isoformat())

    assertContains(page, "Ngày hỗ trợ không được ở tương lai.")
    assert HelpRecord.objects.count() == 0


def test_a_phone_without_consent_gets_a_message_and_saves_nothing(client, helper):
    client.force_login(helper)

    page = post_record(client, helped_phone="0912345678")

    assertContains(page, "Chỉ ghi họ tên hoặc số điện thoại khi người được hỗ trợ")
    assert HelpRecord.objects.count() == 0


def test_a_dossier_without_its_field_gets_a_message(client, helper):
    client.force_login(helper)

    page = post_record(client, action="dossier")

    assertContains(page, "Chọn lĩnh vực của hồ sơ.")
    assert HelpRecord.objects.count() == 0


def test_a_person_without_certificate_cannot_record(client):
    client.force_login(UserFactory())

    page = client.get(reverse("outreach:create"))

    assert page.status_code == 403
    assertContains(page, "Chỉ người có chứng chỉ còn hiệu lực", status_code=403)


def test_a_post_by_a_person_without_certificate_saves_nothing(client, commune):
    client.force_login(UserFactory(home_region=commune))

    page = post_record(client)

    assert page.status_code == 403
    assert HelpRecord.objects.count() == 0


def test_another_learner_does_not_see_the_record(client, commune):
    made = HelpRecordFactory(
        region=commune, helped_name="Bà Tư", consent_given_at=timezone.now()
    )
    client.force_login(UserFactory())

    assert client.get(reverse("outreach:detail", args=[made.pk])).status_code == 404


def test_the_helped_person_confirms_without_an_account(client, commune):
    made = HelpRecordFactory(region=commune)
    url = reverse("outreach_confirm", args=[made.confirm_token])

    page = client.get(url)
    assertContains(page, "Đúng, tôi đã được hướng dẫn")
    done = client.post(url)

    assertContains(done, "Xác nhận của bạn đã được ghi nhận.")
    made.refresh_from_db()
    assert made.confirmed_at is not None and made.confirmed_by is None


def test_a_link_used_twice_says_so_and_changes_nothing(client, commune):
    made = HelpRecordFactory(region=commune)
    url = reverse("outreach_confirm", args=[made.confirm_token])
    client.post(url)
    made.refresh_from_db()
    first = made.confirmed_at

    again = client.post(url)

    assertContains(again, "đã được xác nhận ngày", status_code=409)
    made.refresh_from_db()
    assert made.confirmed_at == first


def test_a_link_after_30_days_says_so_and_changes_nothing(client, commune):
    made = HelpRecordFactory(region=commune)
    HelpRecord.objects.filter(pk=made.pk).update(
        confirm_token_created_at=timezone.now() - datetime.timedelta(days=31)
    )

    page = client.post(reverse("outreach_confirm", args=[made.confirm_token]))

    assertContains(page, "đã quá 30 ngày", status_code=409)
    made.refresh_from_db()
    assert made.confirmed_at is None


def test_the_confirm_page_is_rate_limited(client, commune, settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "help_confirm:address": (2, 600),
    }
    made = HelpRecordFactory(region=commune)
    url = reverse("outreach_confirm", args=[made.confirm_token])

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_teacher_sees_confirms_and_clears_a_students_flagged_record(client, commune):
    teacher, student = UserFactory(), UserFactory()
    student_of(teacher, student)
    made = HelpRecordFactory(
        helper=student,
        region=commune,
        flag=HelpFlag.DAILY_LIMIT,
        flagged_at=timezone.now(),
    )
    client.force_login(teacher)

    assertContains(client.get(reverse("outreach:review_list")), student.full_name)
    client.post(reverse("outreach:review", args=[made.pk]), {"action": "confirm"})

    made.refresh_from_db()
    assert made.confirmed_by == teacher
    assert made.flag_cleared_by == teacher


def test_another_teacher_cannot_review_the_record(client, commune):
    student = UserFactory()
    student_of(UserFactory(), student)
    made = HelpRecordFactory(helper=student, region=commune)
    client.force_login(UserFactory())

    response = client.post(
        reverse("outreach:review", args=[made.pk]), {"action": "confirm"}
    )

    assert response.status_code == 404
    made.refresh_from_db()
    assert made.confirmed_at is None


def test_an_official_sees_helpers_ranked_without_helped_people(
    client, province, commune
):
    """Hand-computed: An has 2 confirmed, Bình 1 confirmed and 1 not; a record
    waiting for review and one outside the period do not count."""
    an = UserFactory(full_name="Nguyễn Văn An")
    binh = UserFactory(full_name="Trần Thị Bình")
    now, today = timezone.now(), timezone.localdate()
    for _ in range(2):
        HelpRecordFactory(helper=an, region=commune, confirmed_at=now)
    HelpRecordFactory(helper=binh, region=commune, confirmed_at=now)
    HelpRecordFactory(
        helper=binh, region=commune, helped_name="Bà Tư", consent_given_at=now
    )
    HelpRecordFactory(
        helper=binh,
        region=commune,
        confirmed_at=now,
        flag=HelpFlag.PHONE_REPEATED,
        flagged_at=now,
    )
    HelpRecordFactory(
        helper=binh,
        region=commune,
        confirmed_at=now,
        helped_on=today - datetime.timedelta(days=60),
    )
    official = UserFactory()
    RegionRole.objects.create(user=official, region=province)
    client.force_login(official)

    page = client.get(reverse("outreach:recognition"))

    ranked = page.context["ranked"]
    assert [(r.rank, r.name, r.confirmed, r.recorded) for r in ranked] == [
        (1, "Nguyễn Văn An", 2, 2),
        (2, "Trần Thị Bình", 1, 2),
    ]
    assertNotContains(page, "Bà Tư")


def test_a_learner_and_a_visitor_see_no_ranking(client, helper):
    assert client.get(reverse("outreach:recognition")).status_code == 302
    client.force_login(helper)
    assert client.get(reverse("outreach:recognition")).status_code == 403


def test_an_official_creates_a_campaign_only_in_their_subtree(client, province):
    official = UserFactory()
    RegionRole.objects.create(user=official, region=province)
    elsewhere = ProvinceFactory(name="Tỉnh Khác")
    client.force_login(official)
    data = {
        "name": "Chiến dịch 92 ngày",
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-01",
        "target_trained": 7642,
        "target_helped": 20000,
        "target_online_share": "80",
    }

    refused = client.post(
        reverse("outreach:campaign_create"), {**data, "region": elsewhere.pk}
    )
    assertContains(refused, "Chọn một đơn vị thuộc phạm vi bạn phụ trách.")
    assert Campaign.objects.count() == 0
    client.post(reverse("outreach:campaign_create"), {**data, "region": province.pk})

    campaign = Campaign.objects.get()
    assert (campaign.region, campaign.created_by) == (province, official)


def test_a_campaign_ending_before_it_starts_is_refused(client, province):
    official = UserFactory()
    RegionRole.objects.create(user=official, region=province)
    client.force_login(official)

    page = client.post(
        reverse("outreach:campaign_create"),
        {
            "name": "Sai ngày",
            "region": province.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-08-01",
            "target_trained": 1,
            "target_helped": 1,
            "target_online_share": "120",
        },
    )

    assertContains(page, "Ngày kết thúc chiến dịch phải bằng hoặc sau ngày bắt đầu.")
    assertContains(page, "Nhập tỷ lệ phần trăm từ 0 đến 100.")
    assert Campaign.objects.count() == 0


def test_a_learner_has_no_campaigns(client, helper):
    client.force_login(helper)

    assert client.get(reverse("outreach:campaign_list")).status_code == 403
