"""The outcomes view's XLSX, CSV and PDF and the JSON feed carry the page's
figures, as aggregates only."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.selectors.outcomes import COUNTS
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import END, START, build_outcomes

pytestmark = pytest.mark.django_db
QUERY = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def official(client, world):
    build_outcomes(world)
    user = UserFactory()
    RegionRole.objects.create(
        user=user, region=world.province, role=RegionRole.Role.OFFICIAL
    )
    client.force_login(user)
    return user


def test_xlsx_and_csv_hold_the_figures(client, world, official):
    response = client.get(
        reverse("reports:outcomes_xlsx", args=[world.province.pk]), QUERY
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {
        row[0]: row[1:]
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] in ("Xã An Bình", "Phường Bạch Đằng", "Tổng cộng")
    }
    # Trained, active helpers, confirmed, all, dossiers, awaiting review,
    # received, online, processed, paid, share, change.
    assert rows["Xã An Bình"][:10] == (2, 1, 3, 5, 2, 0, 200, 70, 70, 0)
    assert rows["Xã An Bình"][10] == pytest.approx(0.35)
    assert rows["Phường Bạch Đằng"][:6] == (1, 2, 1, 2, 2, 1)
    assert rows["Tổng cộng"][:5] == (4, 4, 5, 8, 4)

    text = client.get(
        reverse("reports:outcomes_csv", args=[world.province.pk]), QUERY
    ).content.decode("utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith("Xã An Bình"))
    assert line.split(",")[1:6] == ["2", "1", "3", "5", "2"]
    assert line.split(",")[11:] == ["35", "30"]
    for person in world.users:
        assert person.full_name not in text


def test_pdf_of_the_outcomes(client, world, official):
    response = client.get(
        reverse("reports:outcomes_pdf", args=[world.province.pk]), QUERY
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_exports_are_scoped_as_the_page(client, world, official):
    user = UserFactory()
    RegionRole.objects.create(user=user, region=world.a, role=RegionRole.Role.OFFICIAL)
    client.force_login(user)
    url = reverse("reports:outcomes_csv", args=[world.province.pk])
    assert client.get(url, QUERY).status_code == 404


def test_the_feed_carries_the_outcomes(client, world, official):
    response = client.get(
        reverse("coverage_api:unit_outcomes", args=[world.province.code]),
        {"from": START.isoformat(), "to": END.isoformat()},
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["totals"]["helped"] == 8
    assert data["totals"]["helped_confirmed"] == 5
    assert data["totals"]["active_helpers"] == 4
    assert data["totals"]["online_share"] == round(240 / 550, 4)
    assert data["totals"]["online_share_change_points"] == 15.0
    children = {child["unit"]["name"]: child for child in data["children"]}
    assert children["Xã An Bình"]["dossiers_helped"] == 2
    assert data["direct"]["helped"] == 1
    body = response.content.decode()
    for person in world.users:
        assert person.full_name not in body
    # Counts only: each unit's figures hold nothing but these keys.
    assert set(data["totals"]) == {
        *COUNTS,
        "online_share",
        "online_share_change_points",
    }

    client.logout()
    assert (
        client.get(
            reverse("coverage_api:unit_outcomes", args=[world.province.code])
        ).status_code
        == 401
    )
