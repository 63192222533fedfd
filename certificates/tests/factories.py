"""Factories for certificate templates and certificates.

    certificate = CertificateFactory()  # a full valid certificate, as issued

A ``CertificateFactory`` builds the learner (in a commune of a province), the
course (under a catalogue, created when missing), the template, the region
snapshot and ``printed``, the text exactly as the issuing service would print it.
Pass ``user=``, ``course=``, ``template=`` or ``training_class=`` to use your own;
``printed`` follows them.
``printed={...}`` replaces the whole dict; ``printed_extra={...}`` is merged in:

    CertificateFactory(printed_extra={"learner_name": "Đặng Thị Ưng"})
"""

import datetime
import decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from certificates.models import (
    Certificate,
    CertificateTemplate,
    Orientation,
    TemplateKind,
)
from certificates.services import region_snapshot
from regions.tests.factories import CommuneFactory, ProvinceFactory
from users.tests.factories import UserFactory

BODY = (
    "Đã hoàn thành khóa học “{course}” ({hours} giờ), "
    "thuộc chương trình bồi dưỡng kỹ năng số cho người dân tại {unit}."
)


class CertificateTemplateFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Mẫu giấy chứng nhận {n}")
    title = "GIẤY CHỨNG NHẬN"
    issuer_parent = "UBND TỈNH HƯNG YÊN"
    issuer = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    motto_country = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto = "Độc lập - Tự do - Hạnh phúc"
    body = BODY
    place = "Hưng Yên"
    signatory_name = "Trần Văn Quyết"
    signatory_title = "GIÁM ĐỐC"
    orientation = Orientation.LANDSCAPE

    class Meta:
        model = CertificateTemplate


def _catalogue():
    from core.site_tree import ensure_site_tree
    from courses.models import CourseIndexPage
    from courses.tests.factories import CourseIndexPageFactory

    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        catalogue = CourseIndexPageFactory(parent=ensure_site_tree())
    return catalogue


def _course(certificate):
    from certificates.services import certificate_policy_set
    from courses.tests.factories import CoursePageFactory

    course = CoursePageFactory(parent=_catalogue())
    certificate_policy_set(
        course=course, template=certificate.template, hours=decimal.Decimal("4")
    )
    return course


def _home_region():
    return CommuneFactory(
        name="Phường Hoàn Kiếm", parent=ProvinceFactory(name="Thành phố Hà Nội")
    )


def _hours(course) -> str:
    from certificates.selectors import course_policy

    policy = course_policy(course) if course is not None else None
    hours = policy.hours if policy is not None else None
    if hours is None:
        return ""
    return f"{hours.normalize():f}".replace(".", ",")


def printed_for(certificate) -> dict[str, str]:
    """Return what the issuing service prints on ``certificate``."""
    template = certificate.template
    user = certificate.user
    issued = timezone.localtime(certificate.issued_at).date()
    values = {
        "learner_name": user.full_name,
        "date_of_birth": (
            user.date_of_birth.strftime("%d/%m/%Y") if user.date_of_birth else ""
        ),
        "course": certificate.course.title,
        "hours": _hours(certificate.course),
        "class": certificate.training_class.name if certificate.training_class else "",
        "unit": str(certificate.region) if certificate.region else "",
        "issue_date": issued.strftime("%d/%m/%Y"),
        "place": template.place,
    }
    return template.printed_with(values)


class CertificateFactory(DjangoModelFactory):
    user = factory.SubFactory(
        UserFactory,
        full_name=factory.Sequence(lambda n: f"Nguyễn Thị Hồng Nhung {n}"),
        date_of_birth=datetime.date(1990, 5, 17),
        home_region=factory.LazyFunction(_home_region),
    )
    template = factory.SubFactory(CertificateTemplateFactory)
    course = factory.LazyAttribute(_course)
    training_class = None
    completed_at = factory.LazyFunction(timezone.now)
    issued_at = factory.LazyAttribute(lambda c: c.completed_at)
    region = factory.LazyAttribute(lambda c: c.user.home_region)
    region_path = factory.LazyAttribute(lambda c: c.region.path if c.region else "")
    province = factory.LazyAttribute(lambda c: region_snapshot(c.region)["province"])
    district = factory.LazyAttribute(lambda c: region_snapshot(c.region)["district"])
    commune = factory.LazyAttribute(lambda c: region_snapshot(c.region)["commune"])
    learner_kind = factory.LazyAttribute(lambda c: c.user.kind)
    printed = factory.LazyAttribute(lambda c: {**printed_for(c), **c.printed_extra})

    class Meta:
        model = Certificate

    class Params:
        printed_extra = factory.Dict({})


MERIT_BODY = "{reason}.\nThành viên Tổ công nghệ số cộng đồng {unit}."


def merit_template(**fields) -> CertificateTemplate:
    """A template of merit (giấy khen), as an editor would make one."""
    values = {
        "kind": TemplateKind.MERIT,
        "title": "GIẤY KHEN",
        "body": MERIT_BODY,
        **fields,
    }
    return CertificateTemplateFactory(**values)


def merit_certificate(*, user=None, region=None, awarded_by=None, **fields):
    """A certificate of merit awarded through the service, for 01/09/2026 to
    30/11/2026 and 57 confirmed helped people unless told otherwise."""
    from certificates.services import merit_certificate_award

    values = {
        "user": user or UserFactory(full_name="Nguyễn Thị Hồng Nhung"),
        "template": fields.pop("template", None) or merit_template(),
        "awarded_by": awarded_by or UserFactory(full_name="Cán bộ xã"),
        "region": region or _home_region(),
        "period_start": datetime.date(2026, 9, 1),
        "period_end": datetime.date(2026, 11, 30),
        "reason": "Đã hướng dẫn 57 người dân sử dụng dịch vụ công trực tuyến "
        "trong chiến dịch “92 ngày đêm”",
        "helped_count": 57,
        "campaign_name": "92 ngày đêm",
        **fields,
    }
    return merit_certificate_award(**values)
