"""A small world for the bulk tests: a province with two communes, a class of five
whose members stand at every point of the issuing rule, and a teacher, an official
and strangers around it."""

from dataclasses import dataclass

from django.utils import timezone

from classes.models import ClassMembership, TrainingClass
from classes.tests.factories import OrganisationFactory, TrainingClassFactory
from core.site_tree import ensure_site_tree
from courses.models import CourseIndexPage, CoursePage, Enrolment
from courses.tests.factories import CourseIndexPageFactory, CoursePageFactory
from regions.models import Region
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.models import RegionRole, User
from users.tests.factories import UserFactory

from ..services import certificate_policy_set
from .factories import CertificateTemplateFactory

# Added to the class in this order; the roll lists them by given name:
# An, Bình, Cường, Dung, Em.
MEMBERS = [
    ("Trần Văn Bình", "complete"),
    ("Nguyễn Thị Dung", "started"),
    ("Lê Văn Cường", "complete"),
    ("Phạm Văn Em", "not_enrolled"),
    ("Đặng Thị An", "complete"),
]
CERTIFIED_IN_ROLL_ORDER = ["Đặng Thị An", "Trần Văn Bình", "Lê Văn Cường"]


@dataclass
class World:
    province: Region
    commune: Region
    other_commune: Region
    other_province: Region
    course: CoursePage
    teacher: User
    training_class: TrainingClass
    official: User
    members: dict[str, User]


def catalogue():
    return CourseIndexPage.objects.first() or CourseIndexPageFactory(
        parent=ensure_site_tree()
    )


def certified_course(*, template=None, **fields) -> CoursePage:
    fields.setdefault("title", "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công")
    course = CoursePageFactory(parent=catalogue(), **fields)
    certificate_policy_set(
        course=course, template=template or CertificateTemplateFactory()
    )
    return course


def enrol(user: User, course: CoursePage, *, complete: bool = True) -> Enrolment:
    return Enrolment.objects.create(
        user=user, course=course, completed_at=timezone.now() if complete else None
    )


def member(training_class: TrainingClass, user: User) -> User:
    ClassMembership.objects.create(
        training_class=training_class, user=user, source=ClassMembership.Source.TEACHER
    )
    return user


def build_world() -> World:
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    commune = CommuneFactory(parent=province, name="Xã Đông Hưng")
    other_commune = CommuneFactory(parent=province, name="Phường Hiến Nam")
    other_province = ProvinceFactory(name="Tỉnh Thái Bình")
    course = certified_course()
    teacher = UserFactory(full_name="Cô Nguyễn Thị Mai")
    training_class = TrainingClassFactory(
        name="Lớp 10A1 DVCTT",
        owner=teacher,
        organisation=OrganisationFactory(name="Trường THPT Đông Hưng", region=commune),
        courses=[course],
    )
    official = UserFactory(full_name="Ông Phạm Cán Bộ")
    RegionRole.objects.create(user=official, region=province)
    members = {}
    for name, state in MEMBERS:
        user = member(training_class, UserFactory(full_name=name, home_region=commune))
        if state != "not_enrolled":
            enrol(user, course, complete=state == "complete")
        members[name] = user
    return World(
        province=province,
        commune=commune,
        other_commune=other_commune,
        other_province=other_province,
        course=course,
        teacher=teacher,
        training_class=training_class,
        official=official,
        members=members,
    )
