"""The coverage dashboard on a cheap phone: a short list of the units furthest
behind, the rest one tap away, figures that fit, and the period in the filters."""

import pytest
from playwright.sync_api import expect

from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateTemplateFactory
from regions.models import Region
from tests.browser.phone import assert_no_horizontal_scroll, log_in
from tests.browser.test_report_flow import build_province
from tests.content import Place, build_communes, build_learner
from users.models import LearnerKind, RegionRole

OFFICIAL_PHONE, OFFICIAL_PASSWORD = "0988 111 223", "so-khcn-2025"
# Communes with no target and nobody trained: listed after the two that have one.
QUIET = [f"Xã Yên Bình {n}" for n in range(1, 13)]


@pytest.mark.browser
def test_the_dashboard_lists_ten_units_furthest_behind_first_on_a_phone(
    new_phone, site_home, course, place
):
    """Of a province's 14 communes, the phone shows 10, the furthest behind
    first (1 of 4 trained, 25%, before 3 of 6, 50%), each name on one line with
    its coverage on the screen; “Xem thêm 4 đơn vị” opens the rest. The coverage
    pill fits its tile, and the date fields show the period in force."""
    certificate_policy_set(course=course.page, template=CertificateTemplateFactory())
    build_province(place, course)
    # Codes after those build_province gave its communes.
    clear_of_them = Place(
        province=place.province,
        commune=Region(code=str(int(place.commune.code) + 100)),
    )
    build_communes(clear_of_them, QUIET)
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
    assert_no_horizontal_scroll(page)

    # The period in force, in the filters as under the title.
    for name in ("start", "end"):
        assert page.locator(f"input[name={name}]").input_value() != ""
    expect(page.locator("table.table").first).to_be_hidden()

    shown = page.locator(".unit-phone > .unit-list > .unit-item")
    expect(shown).to_have_count(10)
    expect(shown.nth(0).locator(".unit-item__name")).to_have_text("Phường Hiến Nam")
    expect(shown.nth(0)).to_contain_text("25% · chậm nhiều")
    expect(shown.nth(0)).to_contain_text("Đã đào tạo 1/4 người")
    expect(shown.nth(1).locator(".unit-item__name")).to_have_text(place.commune.name)
    expect(shown.nth(1)).to_contain_text("50%")
    expect(shown.nth(2)).to_contain_text("chưa giao chỉ tiêu")
    for item in shown.all():
        name = item.locator(".unit-item__name").bounding_box()
        pill = item.locator(".coverage").bounding_box()
        # One line for the name (a 44px target), the coverage wholly on screen.
        assert name["height"] <= 48, item.inner_text()
        assert pill["x"] >= 0 and pill["x"] + pill["width"] <= 360, item.inner_text()

    more = page.locator(".unit-list__more")
    rest = more.locator(".unit-item")
    expect(more.locator("summary")).to_have_text("Xem thêm 4 đơn vị")
    expect(rest.first).to_be_hidden()
    more.locator("summary").click()
    expect(rest).to_have_count(4)
    expect(rest.first).to_be_visible()

    # The charts' text is at least 12px on the phone; they scroll in their box.
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll("svg.chart")].flatMap(
          (svg) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll("text")].map(
              (text) => parseFloat(getComputedStyle(text).fontSize) * scale);
          }))"""
    )
    assert smallest >= 12, f"the charts' smallest text is {smallest:.1f}px"

    # The headline coverage pill stays inside its tile.
    tile = page.locator("dl.figures > div").filter(has=page.locator(".coverage"))
    box, pill = tile.bounding_box(), tile.locator(".coverage").bounding_box()
    assert pill["x"] + pill["width"] <= box["x"] + box["width"], (pill, box)
    assert_no_horizontal_scroll(page)
