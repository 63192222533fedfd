"""A province official before the weekly meeting, on a phone: from the province's
coverage down to a commune, to a class and its learners, and the export."""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateTemplateFactory
from classes.models import ClassMembership, ClassSession, TrainingClass
from classes.services import session_attendance_mark
from core.testing import vi
from reports.models import ALL_KINDS
from reports.services import certificate_spans_refresh, target_set
from tests.browser.phone import assert_no_horizontal_scroll, log_in
from tests.content import build_communes, build_learner, build_organisation
from users.models import LearnerKind, RegionRole

OFFICIAL_PHONE, OFFICIAL_PASSWORD = "0988 111 222", "so-khcn-2025"
CLASS_NAME = "Lớp bồi dưỡng Tổ CNS cộng đồng"
# Trained people in the class's commune and in a neighbour, and the targets.
TRAINED_HERE = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Cúc"]
NOT_YET_HERE = "Phạm Văn Dũng"
TRAINED_THERE = ["Hoàng Minh Đức"]
COMMUNE_TARGET, NEIGHBOUR_TARGET, PROVINCE_TARGET = 6, 4, 100


def build_province(place, course):
    """Two communes of a province: a class of four in the first (three of them
    trained), one person trained in the second; targets for both and the
    province."""
    (neighbour,) = build_communes(place, ["Phường Hiến Nam"])
    organisation = build_organisation(place=place)
    today = timezone.localdate()
    training_class = TrainingClass.objects.create(
        name=CLASS_NAME,
        organisation=organisation,
        region=place.commune,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=20),
        audience_kind=LearnerKind.VOLUNTEER,
        owner=build_learner(
            place=place, phone="0912 000 111", password="x-day-hoc-2025"
        ),
    )
    training_class.courses.add(course.page)
    session = ClassSession.objects.create(
        training_class=training_class,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    for index, name in enumerate([*TRAINED_HERE, NOT_YET_HERE]):
        done = course.lessons if name != NOT_YET_HERE else course.lessons[:1]
        learner = build_learner(
            place=place,
            phone=f"0903 000 {index:03d}",
            password="hoc-dvc-2025",
            full_name=name,
            lessons_done=done,
        )
        ClassMembership.objects.create(
            training_class=training_class,
            user=learner,
            source=ClassMembership.Source.TEACHER,
        )
        session_attendance_mark(
            session=session,
            user=learner,
            status="present",
            actor=training_class.owner,
        )
    for index, name in enumerate(TRAINED_THERE):
        learner = build_learner(
            place=place,
            phone=f"0904 000 {index:03d}",
            password="hoc-dvc-2025",
            full_name=name,
            lessons_done=course.lessons,
        )
        learner.home_region = neighbour
        learner.save()
        Certificate.objects.filter(user=learner).update(
            region=neighbour, commune=neighbour, region_path=neighbour.path
        )
        certificate_spans_refresh(user_ids=[learner.pk])
    due_on = today + datetime.timedelta(days=30)
    for region, people in [
        (place.province, PROVINCE_TARGET),
        (place.commune, COMMUNE_TARGET),
        (neighbour, NEIGHBOUR_TARGET),
    ]:
        target_set(
            region=region, kind=ALL_KINDS, course=None, due_on=due_on, people=people
        )
    return training_class


@pytest.mark.browser
def test_province_official_drills_down_to_a_class_and_exports_the_sheet(
    new_phone, site_home, course, place, tmp_path
):
    """The official opens the province's coverage, follows the commune furthest
    behind, then its class and its learners, and downloads the commune's sheet,
    whose numbers are the ones on screen."""
    certificate_policy_set(course=course.page, template=CertificateTemplateFactory())
    build_province(place, course)
    assert Certificate.objects.count() == len(TRAINED_HERE) + len(TRAINED_THERE)
    official = build_learner(
        place=place,
        phone=OFFICIAL_PHONE,
        password=OFFICIAL_PASSWORD,
        full_name="Phạm Văn Đức",
        kind=LearnerKind.OFFICIAL,
    )
    RegionRole.objects.create(user=official, region=place.province)

    page = new_phone().new_page()
    log_in(page, OFFICIAL_PHONE, OFFICIAL_PASSWORD, "/bao-cao/", lands_on_next=False)
    expect(page.locator("h1")).to_contain_text(place.province.name)
    figures = page.locator("dl.figures")
    expect(figures).to_contain_text(vi("People trained"))
    trained = len(TRAINED_HERE) + len(TRAINED_THERE)
    expect(figures.locator("dd").first).to_have_text(str(trained))
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "province.png", full_page=True)

    # Furthest behind first: the neighbour (1 of 4) before the commune (3 of 6).
    rows = page.locator(".unit-phone .unit-item__name")
    expect(rows.first).to_have_text("Phường Hiến Nam")
    page.get_by_role("link", name=place.commune.name, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(place.commune.name)
    expect(page.locator("dl.figures dd").first).to_have_text(str(len(TRAINED_HERE)))
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name=CLASS_NAME).click()
    expect(page.locator("h1")).to_have_text(CLASS_NAME)
    learners = page.locator("table.table tbody")
    for name in [*TRAINED_HERE, NOT_YET_HERE]:
        expect(learners).to_contain_text(name)
    expect(learners).not_to_contain_text(TRAINED_THERE[0])
    assert_no_horizontal_scroll(page)

    # Back to the commune, and its sheet for the meeting.
    page.locator(".breadcrumb a", has_text=place.commune.name).click()
    expect(page.locator("h1")).to_contain_text(place.commune.name)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=vi("Download XLSX")).click()
    download = download_info.value
    assert re.fullmatch(r"[a-z0-9._-]+\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as saved:
        sheet = load_workbook(saved).worksheets[0]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert any(
        isinstance(cell, str) and place.commune.name in cell for cell in values[:5]
    )
    assert len(TRAINED_HERE) in values
    assert COMMUNE_TARGET in values
