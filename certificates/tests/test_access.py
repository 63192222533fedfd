"""Who may download and revoke which certificate: the matrix of certificates.scopes."""

import pytest
from django.contrib.auth.models import Permission

from certificates.models import Certificate, CertificateBatch
from certificates.scopes import (
    batches_visible_to,
    can_revoke_certificate,
    certificates_visible_to,
)
from classes.models import ClassMembership
from classes.tests.factories import OrganisationFactory, TrainingClassFactory
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def pdf_url(certificate):
    return f"/chung-chi/{certificate.pk}/pdf/"


@pytest.fixture
def world():
    """Two pre-reform districts of one province, a learner certified in each, a
    class in the first district with the first learner on its roll, on the
    course of her certificate."""
    province = ProvinceFactory(name="Tỉnh Hưng Yên", legacy=True)
    tien_lu = DistrictFactory(parent=province, name="Huyện Tiên Lữ")
    phu_cu = DistrictFactory(parent=province, name="Huyện Phù Cừ")
    thu_sy = CommuneFactory(parent=tien_lu, name="Xã Thủ Sỹ")
    tam_da = CommuneFactory(parent=phu_cu, name="Xã Tam Đa")
    lan = UserFactory(full_name="Nguyễn Thị Lan", home_region=thu_sy)
    minh = UserFactory(full_name="Trần Văn Minh", home_region=tam_da)
    teacher = UserFactory(full_name="Cô Mai")
    training_class = TrainingClassFactory(
        owner=teacher, organisation=OrganisationFactory(region=thu_sy), region=thu_sy
    )
    ClassMembership.objects.create(
        training_class=training_class, user=lan, source=ClassMembership.Source.TEACHER
    )
    lan_cert = CertificateFactory(user=lan)
    # The teacher sees what Lan earned in a course of the class, not elsewhere.
    training_class.courses.add(lan_cert.course)

    def official(region):
        user = UserFactory()
        RegionRole.objects.create(user=user, region=region)
        return user

    return {
        "lan": lan,
        "minh": minh,
        "teacher": teacher,
        "lan_cert": lan_cert,
        "minh_cert": CertificateFactory(user=minh),
        "tien_lu_official": official(tien_lu),
        "phu_cu_official": official(phu_cu),
        "province_official": official(province),
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("lan", {"lan_cert"}),
        ("minh", {"minh_cert"}),
        ("teacher", {"lan_cert"}),
        ("tien_lu_official", {"lan_cert"}),
        ("phu_cu_official", {"minh_cert"}),
        ("province_official", {"lan_cert", "minh_cert"}),
    ],
)
def test_who_downloads_which_pdf(client, world, who, sees):
    """Each person gets the PDFs in their scope and a 404 for every other one."""
    client.force_login(world[who])
    with_pdf = "certificates.pdf.certificate_pdf"
    from unittest import mock

    with mock.patch(with_pdf, return_value=b"%PDF-1.7 test"):
        for name in ("lan_cert", "minh_cert"):
            response = client.get(pdf_url(world[name]))
            expected = 200 if name in sees else 404
            assert response.status_code == expected, (who, name)
    visible = set(certificates_visible_to(world[who]).values_list("pk", flat=True))
    assert visible == {world[name].pk for name in sees}


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(pdf_url(world["lan_cert"]))
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_superuser_sees_every_certificate(world):
    admin = UserFactory(is_superuser=True)
    assert certificates_visible_to(admin).count() == Certificate.objects.count()


def test_an_official_keeps_seeing_a_learner_who_moved_away(world):
    """The snapshot decides: Minh moves to Tiên Lữ after his certificate; it stays
    Phù Cừ's."""
    minh = world["minh"]
    minh.home_region = world["lan"].home_region
    minh.save()
    assert world["minh_cert"] in certificates_visible_to(world["phu_cu_official"])
    assert world["minh_cert"] not in certificates_visible_to(world["tien_lu_official"])


def test_an_official_sees_a_class_members_certificate_by_its_unit(world):
    """An official sees a certificate by the unit recorded on it, not by the
    class: Lan, on the roll of a class in Tiên Lữ, earned a certificate of the
    class's course recorded in Phù Cừ; Phù Cừ's official sees it, Tiên Lữ's
    does not, and the class's teacher does."""
    lan_cert = world["lan_cert"]
    elsewhere = CertificateFactory(
        user=world["lan"],
        course=lan_cert.course,
        template=lan_cert.template,
        region=world["minh"].home_region,
    )

    assert elsewhere in certificates_visible_to(world["phu_cu_official"])
    assert elsewhere in certificates_visible_to(world["province_official"])
    assert elsewhere not in certificates_visible_to(world["tien_lu_official"])
    assert elsewhere in certificates_visible_to(world["teacher"])
    assert can_revoke_certificate(world["phu_cu_official"], elsewhere) is True
    assert can_revoke_certificate(world["tien_lu_official"], elsewhere) is False


def test_who_may_revoke(client, world):
    """An editor with the permission revokes any certificate; an official those
    of their unit; a teacher and the learner none; a sibling district's official
    does not even learn the certificate exists."""
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    lan_cert = world["lan_cert"]
    assert can_revoke_certificate(editor, lan_cert) is True
    assert can_revoke_certificate(world["tien_lu_official"], lan_cert) is True
    assert can_revoke_certificate(world["province_official"], lan_cert) is True
    assert can_revoke_certificate(world["phu_cu_official"], lan_cert) is False
    assert can_revoke_certificate(world["teacher"], lan_cert) is False
    assert can_revoke_certificate(world["lan"], lan_cert) is False

    url = f"/chung-chi/{lan_cert.pk}/thu-hoi/"
    client.force_login(world["phu_cu_official"])
    assert client.get(url).status_code == 404
    client.force_login(world["teacher"])
    assert client.get(url).status_code == 403
    client.force_login(world["lan"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Tự thu hồi"}).status_code == 403
    lan_cert.refresh_from_db()
    assert lan_cert.revoked_at is None


def test_a_disabled_account_sees_no_certificate_and_no_bulk_run(world):
    """A learner, a teacher, an official or a superuser whose account was
    disabled sees no certificate (not even their own), follows no bulk run (not
    even one they started) and may revoke none."""
    official = world["province_official"]
    CertificateBatch.objects.create(
        course=world["lan_cert"].course,
        region=world["lan"].home_region,
        created_by=official,
    )
    admin = UserFactory(is_superuser=True)
    assert batches_visible_to(official).count() == 1

    for user in (world["lan"], world["teacher"], official, admin):
        user.is_active = False
        user.save()

        assert not certificates_visible_to(user).exists()
        assert not batches_visible_to(user).exists()
        assert can_revoke_certificate(user, world["lan_cert"]) is False


def test_who_follows_which_bulk_run(world):
    """A bulk run is followed by who started it, by those who may see its class,
    and by the officials of its unit or a unit above; a superuser follows every
    run; a learner and a sibling district's official follow none of the others."""
    course = world["lan_cert"].course
    training_class = ClassMembership.objects.get(user=world["lan"]).training_class
    tien_lu = world["lan"].home_region.parent
    phu_cu = world["minh"].home_region.parent
    runs = {
        "class": CertificateBatch.objects.create(
            course=course, training_class=training_class, created_by=world["teacher"]
        ),
        "tien_lu": CertificateBatch.objects.create(
            course=course, region=tien_lu, created_by=world["tien_lu_official"]
        ),
        "phu_cu": CertificateBatch.objects.create(
            course=course, region=phu_cu, created_by=world["phu_cu_official"]
        ),
    }
    admin = UserFactory(is_superuser=True)

    def follows(user):
        return {name for name, run in runs.items() if run in batches_visible_to(user)}

    assert follows(admin) == {"class", "tien_lu", "phu_cu"}
    assert follows(world["province_official"]) == {"class", "tien_lu", "phu_cu"}
    assert follows(world["tien_lu_official"]) == {"class", "tien_lu"}
    assert follows(world["phu_cu_official"]) == {"phu_cu"}
    assert follows(world["teacher"]) == {"class"}
    assert follows(world["lan"]) == set()
