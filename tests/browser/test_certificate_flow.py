"""A certificate's life on a cheap phone: earned, downloaded, checked, revoked."""

import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateTemplateFactory
from core.testing import vi
from tests.browser.phone import assert_no_horizontal_scroll, header_link, log_in
from tests.content import build_learner
from users.models import LearnerKind, RegionRole

MINE = "/chung-chi/"
LEARNER_PHONE, LEARNER_PASSWORD = "0912 345 678", "hoc-dvc-2025"
OFFICIAL_PHONE, OFFICIAL_PASSWORD = "0988 111 222", "so-khcn-2025"
REASON = "Cấp nhầm: người học chưa dự đủ các buổi học trực tiếp."


@pytest.mark.browser
def test_learner_earns_downloads_and_shares_a_certificate_an_official_revokes_it(
    new_phone, site_home, course, place, tmp_path
):
    """A learner finishes the last lesson, downloads the PDF and the Open Badges
    credential from “Chứng chỉ của tôi”, opens its verification link and sees it
    valid; an official of the province revokes it with a reason; the same page,
    reloaded, says revoked and why, and no credential is offered any more."""
    certificate_policy_set(course=course.page, template=CertificateTemplateFactory())
    *done, last = course.lessons
    learner = build_learner(
        place=place,
        phone=LEARNER_PHONE,
        password=LEARNER_PASSWORD,
        full_name="Nguyễn Thị Lan",
        lessons_done=done,
    )
    official = build_learner(
        place=place,
        phone=OFFICIAL_PHONE,
        password=OFFICIAL_PASSWORD,
        full_name="Phạm Văn Đức",
        kind=LearnerKind.OFFICIAL,
    )
    RegionRole.objects.create(user=official, region=place.province)
    assert not Certificate.objects.exists()

    # The last lesson done: the course is complete and the certificate issued.
    page = new_phone().new_page()
    log_in(page, LEARNER_PHONE, LEARNER_PASSWORD, last.url)
    page.locator("#lesson-progress button[type=submit]").click()
    expect(page.locator("#course-progress progress")).to_have_attribute("value", "100")
    certificate = Certificate.objects.get(user=learner, course=course.page)

    header_link(page, MINE).click()
    expect(page.locator("h1")).to_have_text(vi("My certificates"))
    card = page.locator(".certificate-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(course.page.title)
    expect(card).to_contain_text(certificate.code)
    expect(card.locator(".certificate-status")).to_have_text(vi("Valid"))
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "my-certificates.png", full_page=True)

    with page.expect_download() as download_info:
        card.get_by_role("link", name=vi("Download the PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"giay-chung-nhan-{certificate.code}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The same certificate as an Open Badges credential, a large touch target.
    badge = card.get_by_role(
        "link", name=vi("Download the digital credential (Open Badges)")
    )
    assert badge.bounding_box()["height"] >= 44
    with page.expect_download() as download_info:
        badge.click()
    download = download_info.value
    assert download.suggested_filename == f"open-badge-{certificate.code}.jwt"
    with open(download.path()) as credential:
        assert credential.read().count(".") == 2  # a compact JWS

    link = card.locator("a.certificate-link")
    expect(link).to_have_attribute(
        "href", re.compile(re.escape(f"/verify/{certificate.token}/") + "$")
    )
    link.click()
    result = page.locator(".verify-result")
    expect(result).to_contain_text(vi("This certificate is genuine and valid."))
    expect(result).to_contain_text("Nguyễn Thị Lan")
    expect(result).to_contain_text(course.page.title)
    expect(result).not_to_contain_text("0912")
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"
    assert_no_horizontal_scroll(page)

    # The official revokes it on the staff page, with the reason.
    staff = new_phone().new_page()
    revoke_url = f"/chung-chi/{certificate.pk}/thu-hoi/"
    log_in(staff, OFFICIAL_PHONE, OFFICIAL_PASSWORD, revoke_url)
    expect(staff.locator("main")).to_contain_text("Nguyễn Thị Lan")
    staff.locator("button[type=submit]", has_text=vi("Revoke the certificate")).click()
    expect(staff.locator(".field__error")).to_have_text(
        vi("Give the reason for revoking the certificate.")
    )
    staff.locator("textarea[name=reason]").fill(REASON)
    staff.locator("button[type=submit]", has_text=vi("Revoke the certificate")).click()
    expect(staff.locator(".messages")).to_contain_text(
        vi("The certificate is revoked. Its verification page says so now.")
    )
    expect(staff.locator(".revoke-reason")).to_have_text(REASON)
    assert_no_horizontal_scroll(staff)

    # Whoever holds the paper sees it at once.
    page.reload()
    expect(result).to_contain_text(vi("This certificate has been revoked."))
    expect(result).to_contain_text(REASON)
    expect(result).not_to_contain_text(vi("This certificate is genuine and valid."))
    page.screenshot(path=tmp_path / "revoked.png", full_page=True)

    # A revoked certificate no longer offers a credential.
    page.goto(page.url.split("/verify/")[0] + MINE)
    badge_label = vi("Download the digital credential (Open Badges)")
    expect(page.get_by_role("link", name=badge_label)).to_have_count(0)
