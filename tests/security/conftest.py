"""Two sibling communes of one province, as the testers set them up: each with
an official, a teacher, a class, learners and certificates. The attacker is
usually commune A's teacher; the victims live in commune B."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from certificates.services import certificate_policy_set
from certificates.tests.factories import CertificateFactory, CertificateTemplateFactory
from classes.models import ClassMembership, TrainingClass
from classes.tests.factories import OrganisationFactory, TrainingClassFactory
from courses.tests.factories import CoursePageFactory
from regions.models import Region
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole, User
from users.services import light_user_create
from users.tests.factories import UserFactory

PASSWORD = "hoc-tap-so-2025"  # users.tests.factories.PASSWORD


@dataclass
class Commune:
    region: Region
    official: User
    teacher: User
    training_class: TrainingClass
    learner: User  # has a password of their own, joined with the class code
    light: User  # added by the class's roster, no password yet


@dataclass
class World:
    province: Region
    province_official: User
    course: object  # taught by both classes, gives a certificate
    other_course: object  # taught by neither class, gives a certificate
    a: Commune
    b: Commune


def _commune(province, name: str, course, tag: str, light_phone: str) -> Commune:
    region = CommuneFactory(parent=province, name=name)
    official = UserFactory(
        full_name=f"Cán bộ {tag}", email=f"canbo.{tag}@example.org", home_region=region
    )
    RegionRole.objects.create(user=official, region=region)
    teacher = UserFactory(full_name=f"Giáo viên {tag}", home_region=region)
    teacher.groups.add(Group.objects.get(name="Giáo viên"))
    training_class = TrainingClassFactory(
        name=f"Lớp DVCTT {tag}",
        owner=teacher,
        organisation=OrganisationFactory(region=region),
        region=region,
        courses=[course],
    )
    learner = UserFactory(
        full_name=f"Học viên {tag}",
        email=f"hocvien.{tag}@example.org",
        home_region=region,
    )
    ClassMembership.objects.create(
        training_class=training_class,
        user=learner,
        source=ClassMembership.Source.JOIN_CODE,
    )
    light = light_user_create(full_name=f"Người mới {tag}", phone=light_phone)
    ClassMembership.objects.create(
        training_class=training_class,
        user=light,
        source=ClassMembership.Source.ROSTER,
        created_account=True,
    )
    return Commune(region, official, teacher, training_class, learner, light)


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    template = CertificateTemplateFactory()
    course = CoursePageFactory(parent=_catalogue(), title="Dịch vụ công")
    other_course = CoursePageFactory(parent=_catalogue(), title="An toàn trên mạng")
    for certified in (course, other_course):
        certificate_policy_set(course=certified, template=template)
    province_official = UserFactory(full_name="Cán bộ tỉnh")
    RegionRole.objects.create(user=province_official, region=province)
    return World(
        province=province,
        province_official=province_official,
        course=course,
        other_course=other_course,
        a=_commune(province, "Xã Đông Hưng", course, "a", "+84971000000"),
        b=_commune(province, "Xã Tiên Hưng", course, "b", "+84972000000"),
    )


def _catalogue():
    from certificates.tests.factories import _catalogue

    return _catalogue()


def certificate(user: User, course, region: Region):
    """A certificate issued to user for course, recorded in region."""
    return CertificateFactory(user=user, course=course, region=region)
