"""A helped person, on cheap phones: a student records helping a parent file a
dossier, the parent confirms on their own phone without an account, and the
teacher sees the confirmed record.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certificates.tests.factories import CertificateFactory
from classes.models import ClassMembership, TrainingClass
from outreach.models import HelpRecord, ProcedureField
from tests.browser.phone import assert_no_horizontal_scroll, log_in
from tests.content import build_learner, build_organisation, build_teacher
from users.models import LearnerKind

STUDENT_PHONE = "0987 111 222"
STUDENT_PASSWORD = "giup-bo-me-2025"
TEACHER_PHONE = "0912 333 444"
TEACHER_PASSWORD = "day-hoc-2025"


@pytest.mark.browser
def test_student_records_a_dossier_the_parent_confirms_the_teacher_sees_it(
    new_phone, site_home, place
):
    """At 360px: the record takes the date and commune as filled in; the
    parent's tap confirms it once; the teacher's list shows it confirmed."""
    teacher = build_teacher(place=place, phone=TEACHER_PHONE, password=TEACHER_PASSWORD)
    student = build_learner(
        place=place,
        phone=STUDENT_PHONE,
        password=STUDENT_PASSWORD,
        full_name="Lò Văn Khánh",
        kind=LearnerKind.STUDENT,
    )
    issued = timezone.now() - datetime.timedelta(days=20)
    CertificateFactory(
        user=student, completed_at=issued, issued_at=issued, region=place.commune
    )
    today = timezone.localdate()
    klass = TrainingClass.objects.create(
        name="Lớp 9A",
        organisation=build_organisation(place=place),
        region=place.commune,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        owner=teacher,
    )
    ClassMembership.objects.create(
        training_class=klass, user=student, source=ClassMembership.Source.TEACHER
    )
    ProcedureField.objects.create(name="Hộ tịch", code="ho-tich", source="thử")

    # The student, on their phone.
    page = new_phone().new_page()
    log_in(page, STUDENT_PHONE, STUDENT_PASSWORD, "/ho-tro/ghi/")
    form = page.locator("form.help-form")
    expect(form.locator("input[name=helped_on]")).to_have_value(today.isoformat())
    expect(form.locator("input[name=commune_query]")).to_have_value(
        "Xã Đông Hưng, Tỉnh Hưng Yên"
    )
    field = form.locator("select[name=procedure_field]")
    expect(field).to_be_hidden()
    form.get_by_label("Nộp hồ sơ trực tuyến").check()
    expect(field).to_be_visible()
    field.select_option(label="Hộ tịch")
    form.get_by_label("Cha mẹ hoặc người thân").check()
    assert_no_horizontal_scroll(page)
    form.locator("button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("Nộp hồ sơ trực tuyến")
    record = HelpRecord.objects.get()
    assert (record.helper, record.region) == (student, place.commune)
    assert record.procedure_field.code == "ho-tich"
    link = page.locator("[data-confirm-link]")
    expect(page.locator(".confirm-share__qr svg")).to_be_visible()
    assert_no_horizontal_scroll(page)
    url = link.get_attribute("href")
    assert url.endswith(f"/xn/{record.confirm_token}/")

    # The parent, on another phone, with no account.
    parent = new_phone().new_page()
    parent.goto(url)
    expect(parent.locator(".lead")).to_contain_text("Lò Văn Khánh")
    assert_no_horizontal_scroll(parent)
    parent.get_by_role("button", name="Đúng, tôi đã được hướng dẫn").click()
    expect(parent.locator(".message--success")).to_contain_text("Xin cảm ơn")
    record.refresh_from_db()
    assert record.confirmed_at is not None and record.confirmed_by is None
    # The same link again changes nothing.
    parent.goto(url)
    expect(parent.locator(".message--error")).to_contain_text("đã được xác nhận")

    # The teacher.
    teacher_page = new_phone().new_page()
    log_in(teacher_page, TEACHER_PHONE, TEACHER_PASSWORD, "/ho-tro/xem-xet/")
    card = teacher_page.locator(f"[data-record='{record.pk}']")
    expect(card).to_contain_text("Lò Văn Khánh")
    expect(card).to_contain_text(re.compile(r"Đã xác nhận ngày \d\d/\d\d/\d{4}"))
    assert_no_horizontal_scroll(teacher_page)
