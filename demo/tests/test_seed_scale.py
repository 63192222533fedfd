"""seed_scale: the synthetic province the report benchmarks run over."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from certificates.models import Certificate
from classes.models import ATTENDED, Attendance, TrainingClass
from courses.models import Enrolment
from demo.management.commands.seed_scale import seed_is_current
from outreach.eligibility import first_certificate_day
from outreach.models import HelpRecord
from outreach.selectors import counted
from regions.models import Region
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from reports.models import (
    CertificateSpan,
    CountedHelp,
    EnrolmentDay,
    HelpDay,
    OutcomeFigure,
    Participation,
    Target,
)
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    """A province of six communes, and a pre-reform commune that became one."""
    province = ProvinceFactory(name="Tỉnh Hưng Yên")
    communes = [CommuneFactory(parent=province) for _ in range(6)]
    old_province = ProvinceFactory(name="Tỉnh Thái Bình", legacy=True)
    district = DistrictFactory(parent=old_province, name="Huyện Đông Hưng")
    CommuneFactory(parent=district, name="Xã Đông Hợp", replaced_by=communes[0])
    return province


def seed(province, *extra, **options):
    out = StringIO()
    call_command(
        "seed_scale",
        "--province",
        province.code,
        "--seed",
        "7",
        *extra,
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_creates_the_counts_asked_for(province):
    """The people, enrolments and certificates asked for are created, with classes
    that have sessions and attendance, and the timings are printed."""
    output = seed(province, people=300, enrolments=1200, certificates=150)

    seeded = User.objects.filter(username__startswith="seed-")
    assert seeded.count() == 300
    assert Enrolment.objects.filter(user__in=seeded).count() == 1200
    assert Certificate.objects.filter(user__in=seeded).count() == 150
    assert TrainingClass.objects.exists()
    assert Attendance.objects.exists()
    assert Target.objects.filter(region=province).exists()
    # Two years of weekly one-stop-shop figures for each of the six communes.
    figures = OutcomeFigure.objects.filter(region__parent=province)
    assert figures.count() == 6 * 104
    assert figures.filter(received_online__gt=F("received")).count() == 0
    assert {f.period_start.weekday() for f in figures} == {0}
    assert "certificates:" in output and "Created in" in output
    assert seed_is_current()
    # Bulk inserts send no signals: the reports' counts were rebuilt.
    assert CertificateSpan.objects.filter(first=True).count() == 150
    assert EnrolmentDay.objects.aggregate(n=Sum("enrolments"))["n"] == (
        Enrolment.objects.filter(region__isnull=False).count()
    )
    assert Participation.objects.count() == (
        Attendance.objects.filter(status__in=ATTENDED).count()
    )
    assert Attendance.objects.exclude(learner_kind=F("user__kind")).count() == 0
    # Every home is in the province, as a current commune or one that rolls up.
    homes = Region.objects.filter(pk__in=seeded.values("home_region"))
    assert all(home.rollup_target().parent_id == province.pk for home in homes), homes


def test_helped_people_follow_the_recording_rules(province):
    """The records asked for, each by a helper holding a valid certificate,
    dated from its first certificate to today, in the helper's home commune;
    most dossiers name a procedure field, other actions none."""
    seed(province, people=200, enrolments=800, certificates=120, helped=600)

    records = HelpRecord.objects.select_related("helper")
    assert records.count() == 600
    today = timezone.localdate()
    for record in records:
        first = first_certificate_day(record.helper)
        assert first is not None and first <= record.helped_on <= today
        assert record.region_id == record.helper.home_region_id
        assert record.region_path == record.region.path
        assert (record.procedure_field_id is not None) == (record.action == "dossier")
    confirmed_records = records.filter(confirmed_at__isnull=False)
    confirmed = confirmed_records.count()
    assert 0.4 * 600 < confirmed < 0.8 * 600
    # The outcomes view's counts of them are filled (bulk, then rebuilt).
    days = HelpDay.objects.aggregate(n=Sum("helped"), c=Sum("confirmed"))
    assert days == {"n": counted().count(), "c": counted(confirmed_records).count()}
    assert CountedHelp.objects.count() == counted().count()


def test_snapshots_are_consistent(province):
    """Each certificate's unit fields describe one unit at every level; codes and
    tokens are unique; the snapshot kind is the learner's; an enrolment's
    certificate is for its completion."""
    seed(province, people=200, enrolments=800, certificates=120)
    certificates = Certificate.objects.select_related(
        "region__parent__parent", "user", "enrolment"
    )
    legacy = 0
    for certificate in certificates:
        region = certificate.region
        assert certificate.region_path == region.path
        assert certificate.commune_id == region.pk
        assert certificate.learner_kind == certificate.user.kind
        if region.is_current:
            assert certificate.province_id == province.pk
            assert certificate.district_id is None
        else:
            legacy += 1
            assert certificate.district_id == region.parent_id
            assert certificate.province_id == region.parent.parent_id
            assert region.rollup_target().parent_id == province.pk
        if certificate.enrolment is not None:
            assert certificate.completed_at == certificate.enrolment.completed_at
            assert certificate.enrolment.user_id == certificate.user_id
        assert certificate.issued_at >= certificate.completed_at
        assert certificate.printed["learner_name"] == certificate.user.full_name
    assert legacy > 0
    codes = certificates.values("code").annotate(n=Count("id")).filter(n__gt=1)
    assert not codes.exists()
    assert certificates.filter(revoked_at__isnull=False).exists()
    assert certificates.valid().exists()
    # Renewals: an earlier certificate for the same person and course.
    assert certificates.filter(renewal_of__isnull=False).exists()
    assert (
        not certificates.filter(
            renewal_of__isnull=False, renewal_of__course=F("course"), user=F("user")
        )
        .filter(renewal_of__completed_at__gte=F("completed_at"))
        .exists()
    )


def test_refuses_to_seed_twice_and_resets(province):
    """A second run stops with a message unless asked to reset; a reset replaces
    the seed data rather than adding to it, and leaves other people alone."""
    other = User.objects.create_user(username="nguoi-that", full_name="Lê Thị Hoa")
    seed(province, people=100, enrolments=300, certificates=30)

    with pytest.raises(CommandError, match="--reset"):
        seed(province, people=100, enrolments=300, certificates=30)

    seed(province, "--reset", people=50, enrolments=100, certificates=10)
    assert User.objects.filter(username__startswith="seed-").count() == 50
    assert Enrolment.objects.count() == 100
    assert Certificate.objects.count() == 10
    assert HelpRecord.objects.count() == 50 * 5 // 2
    assert User.objects.filter(pk=other.pk).exists()
    # The reports' counts hold the new seed only.
    assert CertificateSpan.objects.filter(first=True).count() == 10
    assert EnrolmentDay.objects.aggregate(n=Sum("enrolments"))["n"] == 100
    assert Participation.objects.count() == (
        Attendance.objects.filter(status__in=ATTENDED).count()
    )


def test_unknown_province_is_refused(db):
    """A province code that is not loaded is refused with how to load it."""
    with pytest.raises(CommandError, match="load_regions"):
        call_command("seed_scale", "--province", "00", people=10, stdout=StringIO())
