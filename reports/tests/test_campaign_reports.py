"""The weekly campaign report: a ranked PDF and a PNG card per unit, kept in
the private storage and downloadable by the officials who see the campaign."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from outreach.models import Campaign
from reports.models import CampaignReport
from reports.services import campaign_report_make
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import build_outcomes

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def campaign(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    build_outcomes(world)
    return Campaign.objects.create(
        name="Chiến dịch 92 ngày DVCTT",
        region=world.province,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 11, 30),
        target_trained=8,
        target_helped=16,
        target_online_share=50,
    )


def official_of(region):
    user = UserFactory()
    RegionRole.objects.create(user=user, region=region, role=RegionRole.Role.OFFICIAL)
    return user


def test_the_report_ranks_the_units_and_makes_a_card_each(campaign, world):
    report = campaign_report_make(campaign=campaign, week_start=MONDAY)

    # From the campaign's start to the week's Sunday, 29/11.
    assert report.period_end == datetime.date(2026, 11, 29)
    cards = list(report.cards.order_by("rank").select_related("region"))
    # B files 53.3% online, A 35.0%: B first; the campaign's unit as rank 0.
    assert [(c.rank, c.region.name) for c in cards] == [
        (0, "Tỉnh Hưng Yên"),
        (1, "Phường Bạch Đằng"),
        (2, "Xã An Bình"),
    ]
    for card in cards:
        with card.image.open("rb") as data:
            image = Image.open(io.BytesIO(data.read()))
            assert image.format == "PNG"
            assert image.size == (1080, 1350)
    with report.pdf.open("rb") as data:
        pdf = data.read()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True
        ).stdout.decode()
        lines = [line for line in text.splitlines() if line.strip()[:2] in ("1 ", "2 ")]
        assert "Phường Bạch Đằng" in lines[0] and "53,3%" in lines[0]
        assert "Xã An Bình" in lines[1] and "35,0%" in lines[1]

    # Made again for the same week: replaced, not doubled.
    again = campaign_report_make(campaign=campaign, week_start=MONDAY)
    assert again.pk == report.pk
    assert again.cards.count() == 3
    assert CampaignReport.objects.count() == 1


def test_the_monday_command_makes_the_reports_of_running_campaigns(campaign):
    out = io.StringIO()
    call_command("make_campaign_reports", "--week", "16/11/2026", stdout=out)
    report = CampaignReport.objects.get()
    assert (report.campaign_id, report.week_start) == (
        campaign.pk,
        datetime.date(2026, 11, 16),
    )
    # A week after the campaign: nothing.
    call_command("make_campaign_reports", "--week", "2027-01-04", stdout=out)
    assert CampaignReport.objects.count() == 1


def test_officials_download_what_they_see(client, campaign, world):
    report = campaign_report_make(campaign=campaign, week_start=MONDAY)
    card = report.cards.get(rank=1)
    pdf_url = reverse("reports:campaign_report_pdf", args=[report.pk])
    card_url = reverse("reports:campaign_card", args=[card.pk])

    client.force_login(world.users[0])
    assert client.get(pdf_url).status_code == 404
    client.force_login(official_of(world.a))
    assert client.get(pdf_url).status_code == 404
    assert client.get(card_url).status_code == 404

    client.force_login(official_of(world.province))
    page = client.get(reverse("reports:campaign_reports", args=[campaign.pk]))
    assert page.status_code == 200
    assert card_url in page.content.decode()
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(card_url)
    assert response["Content-Type"] == "image/png"
