"""Certificates of merit (giấy khen) for the top helpers, awarded from the
ranking by the officials and team leaders who see it. Counted by hand:

  In Xã Đông Hưng, 01/09/2026–30/11/2026 (✓ confirmed):
    Nguyễn Văn An  ✓ 10/09, ✓ 20/09, ✓ 05/10, 12/10 (not confirmed),
                   ✓ 15/10 flagged and not reviewed (does not count),
                   ✓ 20/08 (before the period)          -> 3 confirmed
    Trần Thị Bình  ✓ 01/11                               -> 1 confirmed
    Lê Văn Chi     03/09, 04/09 (not confirmed)          -> 0
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import MeritCertificate
from certificates.tests.factories import merit_template
from outreach.models import Campaign, HelpFlag
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import HelpRecordFactory, team_member

pytestmark = pytest.mark.django_db

PERIOD = {"tu": "2026-09-01", "den": "2026-11-30"}
AWARD = reverse("outreach:merit_award")
AN_REASON = (
    "Đã hướng dẫn 3 người dân sử dụng dịch vụ công trực tuyến từ ngày "
    "01/09/2026 đến ngày 30/11/2026"
)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def world():
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    a = CommuneFactory(parent=province, name="Xã Đông Hưng")
    b = CommuneFactory(parent=province, name="Xã Tiên Hưng")
    official_a = UserFactory(full_name="Cán bộ Đông Hưng")
    RegionRole.objects.create(user=official_a, region=a)
    official_b = UserFactory(full_name="Cán bộ Tiên Hưng")
    RegionRole.objects.create(user=official_b, region=b)
    an = UserFactory(full_name="Nguyễn Văn An", home_region=a)
    binh = UserFactory(full_name="Trần Thị Bình", home_region=a)
    chi = UserFactory(full_name="Lê Văn Chi", home_region=a)
    now = timezone.now()
    for when in ("2026-09-10", "2026-09-20", "2026-10-05"):
        HelpRecordFactory(helper=an, region=a, helped_on=day(when), confirmed_at=now)
    HelpRecordFactory(helper=an, region=a, helped_on=day("2026-10-12"))
    HelpRecordFactory(
        helper=an,
        region=a,
        helped_on=day("2026-10-15"),
        confirmed_at=now,
        flag=HelpFlag.DAILY_LIMIT,
        flagged_at=now,
    )
    HelpRecordFactory(
        helper=an, region=a, helped_on=day("2026-08-20"), confirmed_at=now
    )
    HelpRecordFactory(
        helper=binh, region=a, helped_on=day("2026-11-01"), confirmed_at=now
    )
    HelpRecordFactory(helper=chi, region=a, helped_on=day("2026-09-03"))
    HelpRecordFactory(helper=chi, region=a, helped_on=day("2026-09-04"))
    template = merit_template(name="Giấy khen xã")
    return SimpleNamespace(
        a=a,
        b=b,
        official_a=official_a,
        official_b=official_b,
        an=an,
        binh=binh,
        chi=chi,
        template=template,
    )


def award(client, *people, **params):
    data = {**PERIOD, "nguoi": [person.pk for person in people], **params}
    return client.post(AWARD, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_an_official_ticks_the_top_helpers_confirms_and_awards(client, world):
    client.force_login(world.official_a)
    query = {**PERIOD, "don_vi": world.a.pk}

    ranking = client.get(reverse("outreach:recognition"), query)
    assert f'name="nguoi" value="{world.an.pk}"' in ranking.content.decode()

    preview = client.get(AWARD, {**query, "nguoi": [world.an.pk, world.binh.pk]})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert AN_REASON in page
    assert (
        "Đã hướng dẫn 1 người dân sử dụng dịch vụ công trực tuyến từ ngày "
        "01/09/2026 đến ngày 30/11/2026"
    ) in page
    assert MeritCertificate.objects.count() == 0

    response = award(
        client, world.an, world.binh, don_vi=world.a.pk, mau=world.template.pk
    )

    assert response.redirect_chain[-1][0].startswith(reverse("outreach:recognition"))
    assert messages_of(response) == [
        "Đã trao 2 giấy khen. Người được khen xem và tải giấy khen trong mục "
        "Chứng chỉ của tôi."
    ]
    merit = MeritCertificate.objects.get(user=world.an)
    assert merit.awarded_by == world.official_a
    assert (merit.region, merit.period_start, merit.period_end) == (
        world.a,
        day("2026-09-01"),
        day("2026-11-30"),
    )
    assert (merit.helped_count, merit.reason) == (3, AN_REASON)
    assert (merit.template, merit.campaign_name) == (world.template, "")
    assert MeritCertificate.objects.get(user=world.binh).helped_count == 1
    # The ranking now says it was awarded, with the way to revoke it.
    assert reverse("certificates:merit_revoke", args=[merit.pk]) in (
        response.content.decode()
    )


def test_awarding_twice_says_it_exists_and_writes_nothing(client, world):
    client.force_login(world.official_a)
    award(client, world.an, don_vi=world.a.pk)
    merit = MeritCertificate.objects.get()

    response = award(client, world.an, don_vi=world.a.pk)

    assert messages_of(response) == [
        f"Nguyễn Văn An đã có giấy khen cho thời gian này (số hiệu {merit.code}): "
        "không ghi thêm gì."
    ]
    assert MeritCertificate.objects.count() == 1


def test_a_helper_without_confirmed_help_is_refused_and_nothing_is_written(
    client, world
):
    client.force_login(world.official_a)

    response = award(client, world.chi, don_vi=world.a.pk)
    refusal = (
        "Lê Văn Chi chưa có người dân được hỗ trợ nào được xác nhận trong thời "
        "gian này: không thể trao giấy khen."
    )
    assert messages_of(response) == [refusal]
    # With someone who may be awarded: still nothing at all.
    response = award(client, world.an, world.chi, don_vi=world.a.pk)
    assert messages_of(response) == [refusal]
    # A period in which An helped nobody.
    response = award(
        client, world.an, don_vi=world.a.pk, tu="2026-12-01", den="2026-12-05"
    )
    assert "Nguyễn Văn An chưa có người dân được hỗ trợ" in messages_of(response)[0]
    assert MeritCertificate.objects.count() == 0


def test_a_helper_outside_the_awarders_scope_is_refused(client, world):
    client.force_login(world.official_b)
    response = award(client, world.an, don_vi=world.b.pk)
    assert messages_of(response) == [
        "Nguyễn Văn An không thuộc đơn vị hay lớp anh/chị phụ trách: không thể "
        "trao giấy khen."
    ]
    # Another official's unit is not theirs to name.
    assert award(client, world.an, don_vi=world.a.pk).status_code == 404
    # Nor oneself, nor by a person who sees no ranking.
    world.official_a.home_region = world.a
    world.official_a.save()
    client.force_login(world.official_a)
    response = award(client, world.official_a, don_vi=world.a.pk)
    assert "không thuộc đơn vị hay lớp" in messages_of(response)[0]
    client.force_login(world.an)
    assert award(client, world.binh, don_vi=world.a.pk).status_code == 403
    assert MeritCertificate.objects.count() == 0


def test_a_campaign_award_names_the_campaign(client, world):
    campaign = Campaign.objects.create(
        name="92 ngày đêm chuyển đổi số",
        region=world.a,
        starts_on=day("2026-09-01"),
        ends_on=day("2026-11-30"),
    )
    client.force_login(world.official_a)

    ranking = client.get(reverse("outreach:recognition"), {"chien_dich": campaign.pk})
    assert [row.name for row in ranking.context["ranked"]] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]
    award(client, world.an, chien_dich=campaign.pk, tu="", den="")

    merit = MeritCertificate.objects.get()
    assert merit.reason == (
        "Đã hướng dẫn 3 người dân sử dụng dịch vụ công trực tuyến trong chiến dịch "
        "“92 ngày đêm chuyển đổi số”"
    )
    assert merit.campaign_name == "92 ngày đêm chuyển đổi số"
    assert (merit.region, merit.period_start, merit.period_end) == (
        world.a,
        campaign.starts_on,
        campaign.ends_on,
    )


def test_a_team_leader_awards_a_member_of_their_team(client, world):
    leader = UserFactory(full_name="Tổ trưởng")
    member, klass = team_member(leader=leader)
    HelpRecordFactory(
        helper=member,
        region=world.b,
        helped_on=day("2026-10-01"),
        confirmed_at=timezone.now(),
    )
    client.force_login(leader)

    response = award(client, world.an)
    assert "không thuộc đơn vị hay lớp" in messages_of(response)[0]
    response = award(client, member)

    merit = MeritCertificate.objects.get()
    assert (merit.user, merit.awarded_by) == (member, leader)
    assert merit.region == klass.region
    assert merit.helped_count == 1
    client.force_login(member)
    assert merit.code in client.get(reverse("certificates:mine")).content.decode()


def test_without_a_template_of_merit_the_page_says_whom_to_ask(client, world):
    world.template.delete()
    client.force_login(world.official_a)

    page = client.get(AWARD, {**PERIOD, "don_vi": world.a.pk, "nguoi": world.an.pk})
    assert "Chưa có mẫu giấy khen" in page.content.decode()
    response = award(client, world.an, don_vi=world.a.pk)
    assert "Chưa có mẫu giấy khen" in messages_of(response)[0]
    assert MeritCertificate.objects.count() == 0
