"""Certificates of merit (giấy khen): printed from a template of merit, with the
code and verification of certificates, revocable, the holder's own to see; and
never a certificate (they count nobody as trained: reports/tests/test_merit.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates import pdf
from certificates.models import Certificate, MeritCertificate, TemplateKind
from certificates.services import (
    MeritExists,
    certificate_policy_set,
    merit_certificate_award,
)
from core.testing import vi
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import (
    CertificateFactory,
    CertificateTemplateFactory,
    merit_certificate,
    merit_template,
)
from .test_pdf import _info, _text, decoded_qr

pytestmark = pytest.mark.django_db

REASON = (
    "Đã hướng dẫn 57 người dân sử dụng dịch vụ công trực tuyến trong chiến dịch "
    "“92 ngày đêm”"
)


@pytest.fixture
def commune():
    return CommuneFactory(
        name="Xã Đông Hưng", parent=ProvinceFactory(name="Tỉnh Hưng Yên")
    )


@pytest.fixture
def merit(commune):
    return merit_certificate(region=commune)


def test_the_award_keeps_what_it_is_for_and_prints_it(merit, commune):
    assert merit.code != "" and len(merit.code) == 14
    assert (merit.region, merit.region_path) == (commune, commune.path)
    assert (merit.helped_count, merit.campaign_name) == (57, "92 ngày đêm")
    printed = merit.printed
    assert printed["title"] == "GIẤY KHEN"
    assert printed["learner_name"] == "Nguyễn Thị Hồng Nhung"
    assert printed["period"] == "từ ngày 01/09/2026 đến ngày 30/11/2026"
    assert printed["unit"] == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert printed["body"] == (
        f"{REASON}.\nThành viên Tổ công nghệ số cộng đồng Xã Đông Hưng, Tỉnh Hưng Yên."
    )
    assert Certificate.objects.count() == 0


def test_a_second_award_for_the_same_person_and_period_writes_nothing(merit):
    with pytest.raises(MeritExists) as raised:
        merit_certificate(user=merit.user, region=merit.region, template=merit.template)
    assert raised.value.merit == merit
    assert MeritCertificate.objects.count() == 1


def test_only_a_template_of_merit_prints_one(commune):
    completion = CertificateTemplateFactory()
    with pytest.raises(ValidationError):
        merit_certificate(region=commune, template=completion)
    assert MeritCertificate.objects.count() == 0


def test_a_template_of_merit_takes_its_own_placeholders():
    template = merit_template(body="{reason} tại {unit}, {period}.")
    template.full_clean()
    template.body = "Đã hoàn thành khóa học “{course}”."
    with pytest.raises(ValidationError, match="course"):
        template.full_clean()


def test_a_template_in_use_keeps_its_kind(merit):
    from courses.tests.factories import CoursePageFactory

    from .factories import _catalogue

    merit.template.kind = TemplateKind.COMPLETION
    with pytest.raises(ValidationError):
        merit.template.full_clean()
    completion = CertificateTemplateFactory()
    certificate_policy_set(
        course=CoursePageFactory(parent=_catalogue()), template=completion
    )
    completion.kind = TemplateKind.MERIT
    with pytest.raises(ValidationError):
        completion.full_clean()


def test_the_pdf_says_giay_khen_with_its_code_and_a_qr_to_verify(merit, tmp_path):
    """One A4 page from the certificates' pipeline: the title, the holder, the
    reason, the code; the QR decodes to the /verify/ address of its token."""
    data = pdf.certificate_pdf(merit)
    text = _text(data, tmp_path)
    assert "GIẤY KHEN" in text
    assert "Khen tặng" in text
    assert "Nguyễn Thị Hồng Nhung" in text
    assert REASON in text
    assert f"Số hiệu giấy khen: {merit.code}" in text
    assert pdf.verification_url(merit) in text.replace(" ", "")
    info = _info(data, tmp_path)
    assert info["Pages"] == "1"
    assert "(A4)" in info["Page size"]
    assert info["Title"] == "Giấy khen – Nguyễn Thị Hồng Nhung"
    decoded = decoded_qr(data, tmp_path)
    assert decoded.endswith(f"/verify/{merit.token}/")


def test_the_qr_page_says_giay_khen_holder_reason_unit_issuer_date(client, merit):
    response = client.get(reverse("certificates:verify_token", args=[merit.token]))

    assert response.status_code == 200
    page = response.content.decode()
    assert vi("This certificate of merit (giấy khen) is genuine and valid.") in page
    assert "Nguyễn Thị Hồng Nhung" in page
    assert REASON in page
    assert "Xã Đông Hưng, Tỉnh Hưng Yên" in page
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in page
    assert merit.issued_at.astimezone().strftime("%d/%m/%Y") in page
    assert response["X-Robots-Tag"] == "noindex"


def test_the_typed_code_and_json_find_it(client, merit):
    response = client.post(
        reverse("certificates:verify"), {"code": merit.code.replace("-", " ").lower()}
    )
    assert response.status_code == 200
    assert REASON in response.content.decode()

    response = client.get(
        merit.get_absolute_url(), headers={"accept": "application/json"}
    )
    data = response.json()
    assert (data["status"], data["kind"]) == ("valid", "merit")
    assert data["awarded_to"] == "Nguyễn Thị Hồng Nhung"
    assert data["reason"] == REASON
    assert data["unit"] == "Xã Đông Hưng, Tỉnh Hưng Yên"
    assert data["issuer"]["name"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def test_the_awarder_revokes_it_and_the_verify_page_says_so(client, merit):
    url = reverse("certificates:merit_revoke", args=[merit.pk])
    client.force_login(merit.awarded_by)

    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Số liệu hỗ trợ chưa đúng"})

    assert response.status_code == 302
    merit.refresh_from_db()
    assert merit.revoked_by == merit.awarded_by
    page = client.get(merit.get_absolute_url()).content.decode()
    assert vi("This certificate of merit (giấy khen) has been revoked.") in page
    assert "Số liệu hỗ trợ chưa đúng" in page
    data = client.get(
        merit.get_absolute_url(), headers={"accept": "application/json"}
    ).json()
    assert data["status"] == "revoked"


def test_who_may_revoke_it(client, merit, commune):
    url = reverse("certificates:merit_revoke", args=[merit.pk])
    official = UserFactory()
    RegionRole.objects.create(user=official, region=commune)
    elsewhere = UserFactory()
    RegionRole.objects.create(user=elsewhere, region=CommuneFactory())
    answers = {}
    for name, user in [
        ("holder", merit.user),
        ("official", official),
        ("official elsewhere", elsewhere),
        ("stranger", UserFactory()),
    ]:
        client.force_login(user)
        answers[name] = client.get(url).status_code
    assert answers == {
        "holder": 403,
        "official": 200,
        "official elsewhere": 404,
        "stranger": 404,
    }
    client.force_login(merit.user)
    client.post(url, {"reason": "Tự thu hồi"})
    merit.refresh_from_db()
    assert merit.revoked_at is None


def test_the_holder_sees_and_downloads_theirs_and_no_one_elses(client, merit):
    other = merit_certificate(user=UserFactory(full_name="Lê Văn Khác"))
    client.force_login(merit.user)

    page = client.get(reverse("certificates:mine")).content.decode()

    assert merit.code in page and REASON in page
    assert other.code not in page
    response = client.get(reverse("certificates:merit_pdf", args=[merit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"giay-khen-{merit.code}.pdf" in response["Content-Disposition"]
    assert (
        client.get(reverse("certificates:merit_pdf", args=[other.pk])).status_code
        == 404
    )


def test_a_giay_khen_is_no_certificate_of_its_holder(merit):
    """Nothing that reads certificates sees it: the holder has none, so no
    Open Badge, no certificate count."""
    assert merit.user.certificates.count() == 0
    CertificateFactory()
    assert Certificate.objects.count() == 1
    assert pdf._credential_files(merit) == ()


def test_merit_codes_never_equal_a_certificate_code(commune, monkeypatch):
    taken = CertificateFactory().code
    monkeypatch.setattr(
        MeritCertificate._meta.get_field("code"), "_get_default", lambda: taken
    )
    monkeypatch.setattr("certificates.services.new_code", lambda: "AAAA-BBBB-CCCC")
    merit = merit_certificate_award(
        user=UserFactory(),
        template=merit_template(),
        awarded_by=UserFactory(),
        region=commune,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 9, 30),
        reason="Đã hướng dẫn 3 người dân",
        helped_count=3,
    )
    assert merit.code == "AAAA-BBBB-CCCC"
