"""Downloads of the dashboard: XLSX, CSV and PDF hold what the page shows."""

import csv
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.testing import vi
from regions.tests.factories import CommuneFactory, DistrictFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import END, START, target

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-09-01", "end": "2026-11-30"}


def official_of(region):
    user = UserFactory(full_name="Cán bộ Phạm Văn Đức")
    RegionRole.objects.create(user=user, region=region, role=RegionRole.Role.OFFICIAL)
    return user


def download(client, user, name, region, **params):
    client.force_login(user)
    return client.get(
        reverse(f"reports:{name}", args=[region.pk]), {**PERIOD, **params}
    )


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def table_of(sheet, first_header: str | None) -> dict[str, list]:
    """Return the rows under the header row, keyed by their first cell, with the
    header row under the key "header"."""
    rows = rows_of(sheet)
    start = next(
        i
        for i, row in enumerate(rows)
        if (row[0] == first_header if first_header else row[1] == vi("Target"))
    )
    table = {"header": rows[start]}
    for row in rows[start + 1 :]:
        if row[0] is not None:
            table[row[0]] = row
    return table


def test_xlsx_holds_the_dashboard_figures(client, world):
    """The province's XLSX states unit, period and filters on top, then one row
    per commune, the province's own records and the totals, as numbers with
    number formats; coverage is a real fraction shown as a percentage."""
    target(world.a, 4)
    response = download(
        client, official_of(world.province), "export_xlsx", world.province
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert (
        'filename="bao-cao-tinh-hung-yen-30-11-2026.xlsx"'
        in response["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert "Tỉnh Hưng Yên" in sheet["A1"].value
    assert "01/09/2026" in sheet["A2"].value and "30/11/2026" in sheet["A2"].value
    assert vi("All courses") in sheet["A3"].value

    table = table_of(sheet, vi("Unit"))
    header = table["header"]
    assert header[1:4] == [vi("Target"), vi("Trained (people)"), vi("Coverage")]
    trained, issued = (
        header.index(vi("Trained (people)")),
        header.index(vi("Certificates issued")),
    )
    revoked = header.index(vi("Revoked"))
    coverage = header.index(vi("Coverage"))
    assert table["Xã An Bình"][trained] == 2
    assert table["Xã An Bình"][issued] == 4
    assert table["Xã An Bình"][coverage] == pytest.approx(0.5)
    assert table["Phường Bạch Đằng"][revoked] == 1
    assert table["Phường Bạch Đằng"][coverage] is None
    total = table[vi("Total")]
    assert (total[trained], total[issued], total[revoked]) == (4, 8, 1)
    direct_name = vi("Directly in %(unit)s", unit="Tỉnh Hưng Yên")
    assert table[direct_name][trained] == 1

    # Number formats on the cells themselves.
    row_number = next(cell.row for cell in sheet["A"] if cell.value == "Xã An Bình")
    assert sheet.cell(row_number, coverage + 1).number_format == "0.0%"
    assert sheet.cell(row_number, trained + 1).number_format == "#,##0"
    assert sheet.cell(row_number, trained + 1).data_type == "n"


def test_xlsx_has_trend_kind_and_course_sheets(client, world):
    """The trend, the split by kind and the split by course have a sheet each,
    with the dashboard's numbers."""
    response = download(
        client, official_of(world.province), "export_xlsx", world.province
    )
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 4
    trend, by_kind, by_course = book.worksheets[1:]

    weeks = table_of(trend, vi("Week starting"))
    del weeks["header"]
    # 01/09/2026 is a Tuesday: the weeks start on Mondays from 31/08.
    assert len(weeks) == 14
    assert max(row[2] for row in weeks.values()) == 4  # cumulative trained
    assert sum(row[3] for row in weeks.values()) == 8  # certificates issued
    first_week = trend.cell(
        next(c.row for c in trend["A"] if c.value is not None and c.row > 6), 1
    )
    assert first_week.number_format == "dd/mm/yyyy"

    kinds = table_of(by_kind, None)
    trained = kinds["header"].index(vi("Trained (people)"))
    assert sum(row[trained] for key, row in kinds.items() if key != "header") == 4

    courses = table_of(by_course, vi("Course"))
    assert courses["Nộp hồ sơ trực tuyến"][trained] == 3
    assert courses["Thanh toán trực tuyến"][trained] == 2


def test_filters_and_sort_are_those_of_the_page(client, world):
    """A kind filter changes the figures and the title; the sort of the page is
    the order of the rows."""
    response = download(
        client,
        official_of(world.province),
        "export_xlsx",
        world.province,
        kind="volunteer",
        sort="-trained",
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert vi("Community digital technology team member") in sheet["A3"].value
    table = table_of(sheet, vi("Unit"))
    trained = table["header"].index(vi("Trained (people)"))
    # u1 and u4, volunteers, both count in A.
    assert table[vi("Total")][trained] == 2
    names = [key for key in table if key not in ("header", vi("Total"))]
    assert names[0] == "Xã An Bình"


def test_formula_like_names_are_stored_as_text(client, world):
    """A unit or course whose name starts with = + - @ is text in the XLSX (shown
    as typed, never run) and is quoted in the CSV."""
    CommuneFactory(parent=world.province, name='=HYPERLINK("http://x","bấm")')
    world.c2.title = "@SUM(1+1)"
    world.c2.save()
    user = official_of(world.province)

    book = load_workbook(
        io.BytesIO(download(client, user, "export_xlsx", world.province).content)
    )
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert formula.quotePrefix is True
    course_cells = [cell for row in book.worksheets[3].iter_rows() for cell in row]
    at_sum = next(c for c in course_cells if c.value == "@SUM(1+1)")
    assert at_sum.data_type == "s" and at_sum.quotePrefix is True

    text = download(client, user, "export_csv", world.province).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_csv_has_the_same_table_with_a_bom(client, world):
    """The CSV starts with a UTF-8 BOM, states unit and period, and has the
    summary's columns and numbers; coverage in percent."""
    target(world.a, 4)
    response = download(
        client, official_of(world.province), "export_csv", world.province
    )

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Tỉnh Hưng Yên" in rows[0][0]
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == vi("Unit"))
    header = rows[header_index]
    table = {row[0]: row for row in rows[header_index + 1 :] if row}
    assert header[3] == vi("Coverage (%)")
    assert table["Xã An Bình"][2] == "2"
    assert float(table["Xã An Bình"][3]) == 50.0
    assert table[vi("Total")][header.index(vi("Certificates issued"))] == "8"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_pdf_is_a4_with_the_unit_and_figures(client, world, tmp_path):
    """The PDF is A4, names the unit and the communes, and shows the figures
    and the charts' tables."""
    target(world.a, 4)
    response = download(
        client, official_of(world.province), "export_pdf", world.province
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "(A4)" in info
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "Tỉnh Hưng Yên" in text
    assert "Xã An Bình" in text and "Phường Bạch Đằng" in text
    assert "01/09/2026" in text
    assert "50%" in text  # A's coverage
    assert vi("Trained (people)") in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto-Sans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # embedded


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_groups_thousands_as_the_page_does(client, world, tmp_path):
    """A target of 1500 people reads “1.500” on the page and in the PDF, never
    “1500”."""
    target(world.a, 1500)
    page = download(client, official_of(world.province), "unit", world.province)
    response = client.get(
        reverse("reports:export_pdf", args=[world.province.pk]), PERIOD
    )

    assert re.search(r">\s*1\.500\s*<", page.text)
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "1.500" in text
    assert "1500" not in text


def test_a_district_official_cannot_export_a_sibling_district(client, world):
    """Exports are scoped as the dashboard: a sibling district's XLSX, CSV and
    PDF answer 404; the official's own district downloads."""
    mine = DistrictFactory(parent=world.old_province, name="Huyện Hưng Hà")
    sibling = DistrictFactory(parent=world.old_province, name="Huyện Quỳnh Phụ")
    user = official_of(mine)
    for name in ("export_xlsx", "export_csv", "export_pdf"):
        assert download(client, user, name, sibling).status_code == 404
        assert download(client, user, name, world.province).status_code == 404
    assert download(client, user, "export_csv", mine).status_code == 200


def test_people_without_a_report_role_get_nothing(client, world):
    """A learner gets 404; an anonymous visitor is sent to log in."""
    url = reverse("reports:export_xlsx", args=[world.province.pk])
    assert client.get(url).status_code == 302
    client.force_login(world.users[0])
    assert client.get(url).status_code == 404


def test_the_page_links_its_downloads_in_its_own_order(client, world):
    """Sorted by name on screen, the sheet behind the page's download button
    lists the units in that same order."""
    user = UserFactory()
    RegionRole.objects.create(user=user, region=world.province)
    client.force_login(user)
    period = {"start": START.isoformat(), "end": END.isoformat()}
    page = client.get(
        reverse("reports:unit", args=[world.province.pk]), {**period, "sort": "-name"}
    )
    link = re.search(r'href="([^"]+\.xlsx\?[^"]+)"', page.content.decode()).group(1)
    assert "sort=-name" in link
    sheet = load_workbook(
        io.BytesIO(client.get(link.replace("&amp;", "&")).content)
    ).active
    names = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    on_screen = [row.name for row in page.context["dashboard"].children]
    positions = [names.index(name) for name in on_screen]
    assert positions == sorted(positions)
