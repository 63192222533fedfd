"""Certificate templates and certificates in the Wagtail admin."""

import subprocess

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from certificates.models import CertificateTemplate
from core.groups import EDITORS
from core.testing import vi
from users.tests.factories import UserFactory

from .factories import CertificateFactory, CertificateTemplateFactory

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_certificates_certificatetemplate:add"
PREVIEW_ON_ADD = "wagtailsnippets_certificates_certificatetemplate:preview_on_add"
PREVIEW_ON_EDIT = "wagtailsnippets_certificates_certificatetemplate:preview_on_edit"


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return user


def _form(**fields):
    data = {
        "name": "Mẫu Sở KH&CN",
        "kind": "completion",
        "title": "GIẤY CHỨNG NHẬN",
        "issuer_parent": "UBND TỈNH HƯNG YÊN",
        "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "motto_country": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "logo": "",
        "background": "",
        "body": "Đã hoàn thành khóa học “{course}” ({hours} giờ) tại {unit}.",
        "place": "Hưng Yên",
        "signatory_name": "Trần Văn Quyết",
        "signatory_title": "GIÁM ĐỐC",
        "signature": "",
        "seal": "",
        "orientation": "landscape",
    }
    data.update(fields)
    return data


def test_an_editor_designs_a_template(client, editor):
    """The form lists every placeholder; a valid template is saved."""
    form = client.get(reverse(ADD))
    assert form.status_code == 200
    for name in ["learner_name", "date_of_birth", "course", "hours", "unit"]:
        assert "{" + name + "}" in form.content.decode()

    response = client.post(reverse(ADD), _form())

    assert response.status_code == 302
    template = CertificateTemplate.objects.get()
    assert template.issuer == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def test_an_unknown_placeholder_is_a_field_error(client, editor):
    """A misspelt placeholder is refused on the body field, naming it."""
    response = client.post(reverse(ADD), _form(body="Chứng nhận {ten_hoc_vien}."))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["body"]
    assert errors["body"] == [
        vi(
            "Unknown placeholder {%(name)s}. Use one of: %(names)s.",
            name="ten_hoc_vien",
            names="{learner_name}, {date_of_birth}, {course}, {hours}, {class}, "
            "{unit}, {issue_date}, {place}",
        )
    ]
    assert not CertificateTemplate.objects.exists()


@pytest.mark.parametrize("body", ["Khóa học {course", "Khóa học course}", "{{unit}"])
def test_an_unbalanced_brace_is_a_field_error(client, editor, body):
    """A brace left open or closed without opening is refused on the body."""
    response = client.post(reverse(ADD), _form(body=body))

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [
        vi(
            "A brace is opened and not closed, or closed and not opened. Write a "
            "placeholder as {learner_name}."
        )
    ]


def test_model_clean_accepts_every_placeholder():
    """Every placeholder, and text without any, passes."""
    template = CertificateTemplateFactory.build(
        body="{learner_name} {date_of_birth} {course} {hours} {class} {unit} "
        "{issue_date} {place}"
    )
    template.clean()
    CertificateTemplateFactory.build(body="Không có chỗ trống nào.").clean()


def test_preview_of_unsaved_changes_is_the_real_pdf(client, editor, tmp_path):
    """The preview of the form being edited is a PDF with its text."""
    template = CertificateTemplateFactory(issuer="SỞ CŨ")
    url = reverse(PREVIEW_ON_EDIT, args=[template.pk])

    posted = client.post(url, _form(issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG"))
    assert posted.json() == {"is_valid": True, "is_available": True}
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # The PDF's author is the issuer as typed in the form, not as saved.
    (tmp_path / "preview.pdf").write_bytes(response.content)
    info = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(tmp_path / "preview.pdf")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in info
    assert "Nguyễn Thị Hồng Nhung" in info


def test_preview_of_a_bad_body_is_refused(client, editor):
    """A body with an unknown placeholder gives no preview."""
    posted = client.post(reverse(PREVIEW_ON_ADD), _form(body="{ho_ten}"))
    assert posted.json()["is_valid"] is False


def test_people_without_the_permission_get_no_preview(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse(PREVIEW_ON_ADD), _form())
    assert response.status_code in (302, 403)


def test_certificates_listing_finds_by_code_and_links_to_revoking(client, editor):
    """The read-only list shows code, learner, course and status, finds a
    certificate by its code, and leads to its revoke page."""
    wanted = CertificateFactory(printed_extra={"learner_name": "Đỗ Thị Tìm Thấy"})
    other = CertificateFactory(printed_extra={"learner_name": "Bùi Văn Khác"})

    response = client.get(
        reverse("issued_certificates:index"), {"q": wanted.code.lower()}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert wanted.code in page
    assert "Đỗ Thị Tìm Thấy" in page
    assert wanted.printed["course"] in page
    assert vi("Valid") in page
    assert other.code not in page
    assert reverse("certificates:revoke", args=[wanted.pk]) in page


def test_certificates_listing_is_read_only(client, editor):
    certificate = CertificateFactory()
    assert client.get(reverse("issued_certificates:add")).status_code in (302, 403)
    assert (
        client.get(
            reverse("issued_certificates:inspect", args=[certificate.pk])
        ).status_code
        == 200
    )


def test_certificates_listing_is_scoped(client):
    """Someone who may view certificates but revoke none sees only those their
    scope allows (here, their own)."""
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_certificate"),
    )
    own = CertificateFactory(user=viewer)
    someone_else = CertificateFactory()
    client.force_login(viewer)

    page = client.get(reverse("issued_certificates:index")).content.decode()

    assert own.code in page
    assert someone_else.code not in page
    assert (
        client.get(
            reverse("issued_certificates:inspect", args=[someone_else.pk])
        ).status_code
        == 404
    )
