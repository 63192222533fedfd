from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from classes.models import ClassMembership
from core.site_tree import ensure_site_tree
from courses.tests.factories import CourseIndexPageFactory, course_with_lessons
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import OrganisationFactory, TrainingClassFactory

DATA = Path(__file__).parent / "data"


def upload(name: str) -> SimpleUploadedFile:
    """Return a file of the corpus as the browser would upload it."""
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


@pytest.fixture
def hung_yen(db):
    return ProvinceFactory(name="Tỉnh Hưng Yên")


@pytest.fixture
def thai_binh(db):
    return ProvinceFactory(name="Tỉnh Thái Bình")


@pytest.fixture
def communes(hung_yen, thai_binh):
    """The communes the corpus names, two of them twice in different provinces."""
    bac_giang = ProvinceFactory(name="Tỉnh Bắc Giang")
    return {
        "dong_hung": CommuneFactory(parent=hung_yen, name="Xã Đông Hưng"),
        "hien_nam": CommuneFactory(parent=hung_yen, name="Phường Hiến Nam"),
        "dong_hung_tb": CommuneFactory(parent=thai_binh, name="Xã Đông Hưng"),
        "tan_tien_tb": CommuneFactory(parent=thai_binh, name="Xã Tân Tiến"),
        "tan_tien_bg": CommuneFactory(parent=bac_giang, name="Xã Tân Tiến"),
    }


@pytest.fixture
def course(db):
    catalogue = CourseIndexPageFactory(parent=ensure_site_tree())
    return course_with_lessons(parent=catalogue, title="Nộp hồ sơ trực tuyến")


@pytest.fixture
def teacher(db):
    user = UserFactory(full_name="Cô Nguyễn Thị Mai")
    user.groups.add(Group.objects.get(name="Giáo viên"))
    return user


@pytest.fixture
def organisation(communes):
    return OrganisationFactory(
        name="Trường THPT Đông Hưng", region=communes["dong_hung"]
    )


@pytest.fixture
def klass(teacher, organisation, course):
    """A class of Cô Mai at a school in Xã Đông Hưng, Tỉnh Hưng Yên."""
    return TrainingClassFactory(
        name="Lớp 10A1 DVCTT",
        owner=teacher,
        organisation=organisation,
        courses=[course],
    )


@pytest.fixture
def student(klass):
    user = UserFactory(full_name="Trần Văn Học")
    ClassMembership.objects.create(
        training_class=klass, user=user, source=ClassMembership.Source.TEACHER
    )
    return user


@pytest.fixture
def official(hung_yen):
    """An official of Tỉnh Hưng Yên."""
    user = UserFactory(full_name="Ông Phạm Cán Bộ")
    RegionRole.objects.create(user=user, region=hung_yen)
    return user


@pytest.fixture
def other_official(thai_binh):
    user = UserFactory(full_name="Bà Lê Tỉnh Khác")
    RegionRole.objects.create(user=user, region=thai_binh)
    return user
