"""Importing targets from a sheet: every row checked, valid rows applied, nothing
outside the official's subtree."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from reports.models import Target
from users.models import RegionRole
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Đơn vị", "Mã đơn vị", "Đối tượng", "Khóa học", "Hạn hoàn thành", "Số người"]


def official_of(region):
    user = UserFactory(full_name="Cán bộ Phạm Văn Đức")
    RegionRole.objects.create(user=user, region=region, role=RegionRole.Role.OFFICIAL)
    return user


def xlsx(rows, *, title=True) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["CHỈ TIÊU ĐÀO TẠO KỸ NĂNG SỐ NĂM 2026"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "chi-tieu.xlsx"
    return data


def upload(client, rows):
    return client.post(reverse("reports:targets_import"), {"file": xlsx(rows)})


def apply(client, preview, **extra):
    payload = preview.context["form"]["rows"].value()
    return client.post(
        reverse("reports:targets_import"), {"rows": payload, **extra}, follow=True
    )


def row_errors(preview) -> dict[int, dict]:
    return {row["number"]: row["errors"] for row in preview.context["rows"]}


def test_good_rows_are_applied_and_bad_rows_reported(client, world):
    """Valid rows become targets; each bad row says, on the field at fault and in
    Vietnamese, what is wrong; nothing is saved before applying."""
    client.force_login(official_of(world.province))
    rows = [
        ["Xã An Bình", "", "Học sinh", "", datetime.date(2026, 12, 31), 1200],
        ["", world.b.code, "Tất cả", world.c1.title, "31/12/2026", "2.500"],
        ["Tỉnh Hưng Yên", "", "", "", "30/06/2027", 50000],
        ["Xã Không Có", "", "Học sinh", "", "31/12/2026", 10],
        ["Xã An Bình", "", "Người ngoài hành tinh", "", "31/12/2026", 10],
        ["Xã An Bình", "", "", "Khóa không có", "31/12/2026", 10],
        ["Xã An Bình", "", "", "", "31/13/2026", 10],
        ["Xã An Bình", "", "", "", "31/12/2026", "mười"],
        ["Xã An Bình", "", "Học sinh", "", "31/12/2026", 1300],
    ]
    preview = upload(client, rows)

    assert preview.status_code == 200
    assert not Target.objects.exists()
    errors = row_errors(preview)
    assert errors[3] == errors[4] == errors[5] == {}
    assert "Xã Không Có" in errors[6]["unit"]
    assert errors[6]["unit"].startswith(
        vi(
            "“%(name)s” is not a current unit you are responsible for. You can set "
            "targets only for your unit and the units under it.",
            name="Xã Không Có",
        )[:10]
    )
    assert set(errors[7]) == {"kind"}
    assert set(errors[8]) == {"course"}
    assert errors[9] == {
        "due_on": vi("Write the due date as dd/mm/yyyy, for example 31/12/2026.")
    }
    assert errors[10] == {
        "people": vi("“%(value)s” is not a whole number of people.", value="mười")
    }
    # The same unit, kind, course and date as row 3.
    assert errors[11] == {
        "unit": vi(
            "Row %(row)s already sets this target (same unit, people, course and "
            "due date).",
            row=3,
        )
    }
    assert preview.context["counts"]["error"] == 6

    response = apply(client, preview)
    assert response.status_code == 200
    targets = {
        (t.region_id, t.kind, t.course_id, t.due_on): t.people
        for t in Target.objects.all()
    }
    assert targets == {
        (world.a.pk, "student", None, datetime.date(2026, 12, 31)): 1200,
        (world.b.pk, "all", world.c1.pk, datetime.date(2026, 12, 31)): 2500,
        (world.province.pk, "all", None, datetime.date(2027, 6, 30)): 50000,
    }
    assert Target.objects.filter(set_by__isnull=False).count() == 3


def test_nothing_outside_the_officials_subtree(client, world):
    """A commune official may set targets for their commune only: a sibling
    commune, the province and another province's commune are errors, by name
    or by code."""
    other = CommuneFactory(parent=ProvinceFactory(name="Tỉnh Thái Nguyên"))
    client.force_login(official_of(world.a))
    preview = upload(
        client,
        [
            ["Xã An Bình", "", "", "", "31/12/2026", 100],
            ["Phường Bạch Đằng", "", "", "", "31/12/2026", 100],
            ["", world.b.code, "", "", "31/12/2026", 100],
            ["Tỉnh Hưng Yên", "", "", "", "31/12/2026", 100],
            ["", other.code, "", "", "31/12/2026", 100],
        ],
    )
    errors = row_errors(preview)
    assert errors[3] == {}
    assert all(set(errors[number]) == {"unit"} for number in (4, 5, 6, 7))

    apply(client, preview)
    assert list(Target.objects.values_list("region_id", flat=True)) == [world.a.pk]


def test_a_forged_payload_is_refused(client, world):
    """The checked rows cannot be altered between the preview and the apply."""
    client.force_login(official_of(world.a))
    response = client.post(
        reverse("reports:targets_import"),
        {"rows": "eyJyb3dzIjpbXX0:forged:signature"},
        follow=True,
    )
    assert not Target.objects.exists()
    assert vi("The checked rows were altered. Upload the file again.") in [
        str(m) for m in response.context["messages"]
    ]


def test_all_or_nothing_saves_nothing_when_a_row_is_wrong(client, world):
    client.force_login(official_of(world.province))
    preview = upload(
        client,
        [
            ["Xã An Bình", "", "", "", "31/12/2026", 100],
            ["Xã An Bình", "", "", "", "", 100],
        ],
    )
    assert row_errors(preview)[4] == {"due_on": vi("The due date is missing.")}
    apply(client, preview, all_or_nothing="on")
    assert not Target.objects.exists()


def test_an_updated_number_replaces_the_target(client, world):
    """A row for a target already set shows the number it replaces, then
    replaces it."""
    client.force_login(official_of(world.province))
    Target.objects.create(
        region=world.a, kind="all", people=10, due_on=datetime.date(2026, 12, 31)
    )
    preview = upload(client, [["Xã An Bình", "", "", "", "31/12/2026", 25]])
    row = preview.context["rows"][0]
    assert (row["status"], row["before"]) == ("update", 10)
    apply(client, preview)
    assert Target.objects.get().people == 25


def test_a_file_without_the_columns_is_refused(client, world):
    client.force_login(official_of(world.province))
    book = Workbook()
    book.active.append(["Họ và tên", "Số điện thoại"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "sai.xlsx"
    response = client.post(reverse("reports:targets_import"), {"file": data})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Target.objects.exists()


def test_learners_cannot_import(client, world):
    client.force_login(world.users[0])
    assert client.get(reverse("reports:targets_import")).status_code == 404
    assert client.get(reverse("reports:targets_template")).status_code == 404
