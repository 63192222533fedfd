"""A student helps a parent file a dossier; the parent confirms on their own
phone; the province official's outcomes view, on a phone, counts it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate
from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateTemplateFactory
from outreach.models import HelpAction, HelpRelation, ProcedureField
from outreach.services import help_record_create
from tests.browser.phone import assert_no_horizontal_scroll, log_in
from tests.content import build_learner
from users.models import LearnerKind, RegionRole

OFFICIAL_PHONE, OFFICIAL_PASSWORD = "0988 222 333", "so-khcn-2026"


@pytest.mark.browser
def test_the_officials_outcomes_view_counts_the_confirmed_record(
    new_phone, site_home, course, place, tmp_path
):
    certificate_policy_set(course=course.page, template=CertificateTemplateFactory())
    student = build_learner(
        place=place,
        phone="0905 111 222",
        password="hoc-sinh-9a",
        full_name="Trần Minh Khôi",
        kind=LearnerKind.STUDENT,
        lessons_done=course.lessons,
    )
    assert Certificate.objects.filter(user=student).exists()
    record = help_record_create(
        helper=student,
        helped_on=timezone.localdate(),
        region=place.commune,
        action=HelpAction.DOSSIER,
        relation=HelpRelation.PARENT,
        procedure_field=ProcedureField.objects.create(name="Hộ tịch", code="ho-tich"),
    )
    official = build_learner(
        place=place,
        phone=OFFICIAL_PHONE,
        password=OFFICIAL_PASSWORD,
        full_name="Phạm Văn Đức",
        kind=LearnerKind.OFFICIAL,
    )
    RegionRole.objects.create(user=official, region=place.province)
    outcomes = f"/bao-cao/don-vi/{place.province.pk}/ket-qua/"

    # Before the parent confirms: helped 1, confirmed 0.
    page = new_phone().new_page()
    log_in(page, OFFICIAL_PHONE, OFFICIAL_PASSWORD, outcomes, lands_on_next=False)
    page.goto(outcomes)
    expect(page.locator("[data-figure=helped]")).to_have_text("1")
    expect(page.locator("[data-figure=helped-confirmed]")).to_have_text("0")

    # The parent, on their own phone and with no account, taps the button.
    parent = new_phone().new_page()
    parent.goto(f"/xn/{record.confirm_token}/")
    parent.get_by_role("button", name="Đúng, tôi đã được hướng dẫn").click()
    expect(parent.locator(".message--success")).to_be_visible()

    page.reload()
    expect(page.locator("[data-figure=helped-confirmed]")).to_have_text("1")
    expect(page.locator("[data-figure=helped]")).to_have_text("1")
    row = page.locator("table.table tbody tr", has_text=place.commune.name)
    expect(row).to_contain_text("1")
    # Aggregates only: no helper's name on the official's page.
    expect(page.locator("main, body").first).not_to_contain_text(student.full_name)
    assert_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "outcomes.png", full_page=True)
