"""One-stop-shop figures: imported from a sheet with a row-by-row preview, or
entered on a form; nothing outside the official's subtree, no online count above
the dossiers received, no bad period."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook

from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from reports.models import OutcomeFigure
from users.models import RegionRole
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Đơn vị",
    "Mã đơn vị",
    "Kỳ báo cáo",
    "Từ ngày",
    "Hồ sơ tiếp nhận",
    "Tiếp nhận trực tuyến",
    "Xử lý trực tuyến",
    "Thanh toán trực tuyến",
]


@pytest.fixture
def units(db):
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    return SimpleNamespace(
        province=province,
        a=CommuneFactory(parent=province, name="Xã An Bình"),
        b=CommuneFactory(parent=province, name="Phường Bạch Đằng"),
        other=CommuneFactory(parent=ProvinceFactory(name="Tỉnh Thái Nguyên")),
    )


def official_of(region):
    user = UserFactory(full_name="Cán bộ Phạm Văn Đức")
    RegionRole.objects.create(user=user, region=region, role=RegionRole.Role.OFFICIAL)
    return user


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["KẾT QUẢ GIẢI QUYẾT TTHC TRÊN CỔNG DVC"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "ket-qua.xlsx"
    return data


def upload(client, rows):
    return client.post(reverse("reports:outcomes_import"), {"file": xlsx(rows)})


def apply(client, preview, **extra):
    payload = preview.context["form"]["rows"].value()
    return client.post(
        reverse("reports:outcomes_import"), {"rows": payload, **extra}, follow=True
    )


def row_errors(preview) -> dict[int, dict]:
    return {row["number"]: row["errors"] for row in preview.context["rows"]}


def saved():
    return {
        (f.region_id, f.period, f.period_start): (
            f.received,
            f.received_online,
            f.processed_online,
            f.paid_online,
        )
        for f in OutcomeFigure.objects.all()
    }


def test_good_file_is_previewed_then_saved(client, units):
    """Every row is checked and shown; nothing is saved before applying; then
    each row's figures are saved for its unit and period."""
    client.force_login(official_of(units.province))
    preview = upload(
        client,
        [
            ["Xã An Bình", "", "Tuần", datetime.date(2026, 9, 7), 120, 40, 30, 12],
            ["", units.b.code, "tuan", "14/09/2026", "1.250", 500, 480, 100],
            ["Tỉnh Hưng Yên", "", "Tháng", "10/2026", 9000, 6000, 5000, 2500],
        ],
    )
    assert preview.status_code == 200
    assert not OutcomeFigure.objects.exists()
    assert row_errors(preview) == {3: {}, 4: {}, 5: {}}
    assert preview.context["counts"]["new"] == 3

    apply(client, preview)
    assert saved() == {
        (units.a.pk, "week", datetime.date(2026, 9, 7)): (120, 40, 30, 12),
        (units.b.pk, "week", datetime.date(2026, 9, 14)): (1250, 500, 480, 100),
        (units.province.pk, "month", datetime.date(2026, 10, 1)): (
            9000,
            6000,
            5000,
            2500,
        ),
    }


def test_each_bad_row_says_what_is_wrong_and_nothing_is_saved(client, units):
    """Received online above received, a unit outside the subtree, a bad
    period: each gets its Vietnamese message on the row at fault, and the
    import saves nothing, not even the good row."""
    client.force_login(official_of(units.a))
    preview = upload(
        client,
        [
            ["Xã An Bình", "", "Tuần", "07/09/2026", 100, 40, 30, 10],
            ["Xã An Bình", "", "Tuần", "14/09/2026", 100, 140, 30, 10],
            ["Phường Bạch Đằng", "", "Tuần", "07/09/2026", 100, 40, 30, 10],
            ["", units.other.code, "Tuần", "07/09/2026", 100, 40, 30, 10],
            ["Xã An Bình", "", "Tuần", "08/09/2026", 100, 40, 30, 10],
            ["Xã An Bình", "", "Tháng", "15/09/2026", 100, 40, 30, 10],
            ["Xã An Bình", "", "Quý", "01/07/2026", 100, 40, 30, 10],
            ["Xã An Bình", "", "Tuần", "05/01/2099", 100, 40, 30, 10],
            ["Xã An Bình", "", "Tuần", "21/09/2026", "một trăm", 40, 30, 10],
            ["Xã An Bình", "", "Tuần", "07/09/2026", 100, 40, 30, 10],
        ],
    )
    errors = row_errors(preview)
    assert errors[3] == {}
    assert errors[4] == {
        "received_online": vi(
            "%(count)s dossiers received online is more than the %(received)s "
            "received.",
            count=140,
            received=100,
        )
    }
    outside = vi(
        "“%(name)s” is not a current unit you are responsible for. You can "
        "enter figures only for your unit and the units under it.",
        name="Phường Bạch Đằng",
    )
    assert errors[5] == {"unit": outside}
    assert set(errors[6]) == {"unit"}
    assert errors[7] == {
        "period_start": vi(
            "%(day)s is not a Monday: a week's figures start on its Monday.",
            day="08/09/2026",
        )
    }
    assert errors[8] == {
        "period_start": vi(
            "%(day)s is not the first day of a month: write the month's first "
            "day, for example 01/%(month)s.",
            day="15/09/2026",
            month="09/2026",
        )
    }
    assert set(errors[9]) == {"period"}
    assert errors[10] == {
        "period_start": vi(
            "The period has not begun yet: figures are for past periods."
        )
    }
    assert errors[11] == {
        "received": vi(
            "“%(value)s” is not a whole number of dossiers.", value="một trăm"
        )
    }
    assert errors[12] == {
        "period_start": vi(
            "Row %(row)s already gives the figures of this unit and period.", row=3
        )
    }
    assert preview.context["counts"] == {"new": 1, "update": 0, "same": 0, "error": 9}
    assert "checked" in str(preview.context["form"]["all_or_nothing"])

    response = apply(client, preview, all_or_nothing="on")
    assert not OutcomeFigure.objects.exists()
    assert vi("Nothing was saved: correct the rows with errors and upload again.") in [
        str(m) for m in response.context["messages"]
    ]


def test_valid_rows_alone_when_the_official_unticks_all_or_nothing(client, units):
    client.force_login(official_of(units.province))
    preview = upload(
        client,
        [
            ["Xã An Bình", "", "Tuần", "07/09/2026", 100, 40, 30, 10],
            ["Xã An Bình", "", "Tuần", "14/09/2026", 100, 101, 30, 10],
        ],
    )
    apply(client, preview)
    assert saved() == {
        (units.a.pk, "week", datetime.date(2026, 9, 7)): (100, 40, 30, 10)
    }


def test_figures_entered_again_replace_the_old_ones(client, units):
    client.force_login(official_of(units.province))
    OutcomeFigure.objects.create(
        region=units.a,
        period="week",
        period_start=datetime.date(2026, 9, 7),
        received=10,
        received_online=1,
        processed_online=1,
        paid_online=1,
    )
    preview = upload(
        client, [["Xã An Bình", "", "Tuần", "07/09/2026", 100, 40, 30, 10]]
    )
    assert preview.context["rows"][0]["status"] == "update"
    apply(client, preview)
    assert saved() == {
        (units.a.pk, "week", datetime.date(2026, 9, 7)): (100, 40, 30, 10)
    }


def test_a_forged_payload_is_refused(client, units):
    client.force_login(official_of(units.a))
    response = client.post(
        reverse("reports:outcomes_import"),
        {"rows": "eyJyb3dzIjpbXX0:forged:signature"},
        follow=True,
    )
    assert not OutcomeFigure.objects.exists()
    assert vi("The checked rows were altered. Upload the file again.") in [
        str(m) for m in response.context["messages"]
    ]


def test_a_csv_file_is_read_as_well(client, units):
    client.force_login(official_of(units.province))
    text = ",".join(HEADERS) + "\nXã An Bình,,Tháng,01/10/2026,300,150,120,60\n"
    data = io.BytesIO(text.encode("utf-8-sig"))
    data.name = "ket-qua.csv"
    preview = client.post(reverse("reports:outcomes_import"), {"file": data})
    apply(client, preview)
    assert saved() == {
        (units.a.pk, "month", datetime.date(2026, 10, 1)): (300, 150, 120, 60)
    }


def test_learners_cannot_import_or_enter_figures(client, units):
    client.force_login(UserFactory())
    assert client.get(reverse("reports:outcomes_import")).status_code == 404
    assert client.get(reverse("reports:outcomes")).status_code == 404


def test_one_units_figures_on_the_form(client, units):
    """The form saves a unit's week; a bad count or period is said on its
    field and saves nothing; a unit outside the subtree cannot be chosen."""
    client.force_login(official_of(units.a))
    url = reverse("reports:outcomes")
    data = {
        "region": units.a.pk,
        "period": "week",
        "period_start": "2026-09-07",
        "received": 200,
        "received_online": 90,
        "processed_online": 80,
        "paid_online": 30,
    }
    bad = client.post(url, {**data, "paid_online": 201, "period_start": "2026-09-09"})
    assert bad.status_code == 200
    form = bad.context["form"]
    assert form.errors["paid_online"] == [
        vi(
            "%(count)s dossiers paid online is more than the %(received)s received.",
            count=201,
            received=200,
        )
    ]
    assert form.errors["period_start"] == [
        vi(
            "%(day)s is not a Monday: a week's figures start on its Monday.",
            day="09/09/2026",
        )
    ]
    outside = client.post(url, {**data, "region": units.b.pk})
    assert "region" in outside.context["form"].errors
    assert not OutcomeFigure.objects.exists()

    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert saved() == {
        (units.a.pk, "week", datetime.date(2026, 9, 7)): (200, 90, 80, 30)
    }
    assert "Xã An Bình" in response.content.decode()


def test_the_database_refuses_online_above_received(units):
    """The rule holds in the database too, whatever writes the row."""
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeFigure.objects.create(
            region=units.a,
            period="week",
            period_start=datetime.date(2026, 9, 7),
            received=10,
            received_online=11,
            processed_online=0,
            paid_online=0,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeFigure.objects.create(
            region=units.a,
            period="week",
            period_start=datetime.date(2026, 9, 7),
            received=10,
            received_online=1,
            processed_online=0,
            paid_online=-1,
        )
