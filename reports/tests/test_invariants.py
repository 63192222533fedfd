"""On randomly generated data (seeded), every parent total equals the sum of its
children plus its own direct records, each child's row equals its own dashboard,
and trained people match a count made independently, row by row, in Python."""

import datetime
import random

import pytest

from certificates.models import Certificate
from certificates.tests.factories import CertificateTemplateFactory
from classes.models import ATTENDED, Attendance, AttendanceStatus, ClassSession
from classes.tests.factories import OrganisationFactory, TrainingClassFactory
from courses.models import Enrolment
from regions.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from reports.selectors.coverage import coverage_dashboard
from reports.selectors.filters import Figures, ReportFilters
from reports.services import report_counts_rebuild
from users.models import LearnerKind, User

from .factories import END, START, at, course

pytestmark = pytest.mark.django_db

KINDS = [value for value, _label in LearnerKind.choices]


@pytest.fixture
def random_world(db):
    rng = random.Random(20261122)
    province = ProvinceFactory(name="Tỉnh Ngẫu Nhiên")
    communes = [CommuneFactory(parent=province) for _ in range(6)]
    old_province = ProvinceFactory(legacy=True, replaced_by=province)
    districts = [
        DistrictFactory(parent=old_province, replaced_by=province) for _ in range(2)
    ]
    old_communes = [
        CommuneFactory(parent=rng.choice(districts), replaced_by=rng.choice(communes))
        for _ in range(5)
    ]
    units = communes + old_communes + districts + [province, old_province]
    template = CertificateTemplateFactory()
    courses = [course(f"Khóa {n}", template) for n in range(3)]
    people = User.objects.bulk_create(
        User(
            username=f"nguoi-{n}",
            full_name=f"Người Thử {n}",
            kind=rng.choice(KINDS),
            home_region=rng.choice(communes + old_communes),
        )
        for n in range(150)
    )

    def moment():
        day = START + datetime.timedelta(days=rng.randint(-20, 100))
        return at(day.isoformat(), rng.randint(0, 23))

    certificates = []
    for n in range(400):
        region = rng.choice(units)
        issued = moment()
        roll = rng.random()
        path = region.path.split(".")
        certificates.append(
            Certificate(
                user=rng.choice(people),
                course=rng.choice(courses),
                template=template,
                completed_at=issued + datetime.timedelta(seconds=n),
                issued_at=issued,
                region=region,
                region_path=region.path,
                province=province if region.is_current else old_province,
                commune=region if len(path) > 1 and region.level == 3 else None,
                learner_kind=rng.choice(KINDS),
                revoked_at=moment() if roll < 0.1 else None,
                revoked_reason="Sai" if roll < 0.1 else "",
                expires_at=moment() if 0.1 <= roll < 0.2 else None,
            )
        )
    Certificate.objects.bulk_create(certificates)
    # Snapshots as they were at enrolment: anywhere, not always the current home.
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=person,
            course=c,
            region=rng.choice([*units, None]),
            learner_kind=rng.choice(KINDS),
        )
        for person in people
        for c in courses
        if rng.random() < 0.5
    )
    for enrolment in enrolments:
        done = rng.random() < 0.5
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=moment(), completed_at=moment() if done else None
        )
    sessions = []
    for commune in communes + old_communes[:2]:
        klass = TrainingClassFactory(
            organisation=OrganisationFactory(region=commune),
            courses=rng.sample(courses, 2),
        )
        for _ in range(3):
            starts = moment()
            sessions.append(
                ClassSession.objects.create(
                    training_class=klass,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                )
            )
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            user=person,
            learner_kind=person.kind,
            status=rng.choice(list(AttendanceStatus)),
            source="teacher",
        )
        for session in sessions
        for person in rng.sample(people, 15)
    )
    # Bulk inserts and updates send no signals: the reports' own counts are
    # rebuilt (rebuild_report_counts), and every test below compares what they
    # count with a count made afresh.
    report_counts_rebuild()
    return province, communes, districts


def assert_adds_up(board):
    total = Figures()
    for row in board.children:
        total.add(row.figures)
    if board.direct is not None:
        total.add(board.direct)
    for name in Figures.COUNTS:
        assert getattr(total, name) == getattr(board.totals, name), name


def expected_trained(filters: ReportFilters) -> dict[int, int]:
    """Count trained people per unit the slow, obvious way: each person's latest
    qualifying certificate, rolled up to the current unit it counts in."""
    start, end = filters.bounds
    latest = {}
    for c in Certificate.objects.select_related("region").order_by("issued_at", "pk"):
        if not (start <= c.issued_at < end):
            continue
        if c.revoked_at and c.revoked_at <= end or c.expires_at and c.expires_at <= end:
            continue
        if filters.course and c.course_id != filters.course.pk:
            continue
        if filters.kind and c.learner_kind != filters.kind:
            continue
        latest[c.user_id] = c
    counts = {}
    for c in latest.values():
        unit = c.region.rollup_target()
        counts[unit.pk] = counts.get(unit.pk, 0) + 1
    return counts


def expected_participants(filters: ReportFilters, course=None) -> dict[int, int]:
    """Count participants per unit the slow, obvious way: each person's last
    attended record of the period (of the filters' or the given course and
    kind), in the current unit its class counts in."""
    start, end = filters.bounds
    course = course or filters.course
    latest = {}
    records = Attendance.objects.filter(status__in=ATTENDED).select_related(
        "session__training_class__region"
    )
    for a in sorted(records, key=lambda a: (a.session.starts_at, a.pk)):
        if not (start <= a.session.starts_at < end):
            continue
        klass = a.session.training_class
        if course and not klass.courses.filter(pk=course.pk).exists():
            continue
        if filters.kind and a.learner_kind != filters.kind:
            continue
        latest[a.user_id] = klass.region.rollup_target()
    counts = {}
    for unit in latest.values():
        counts[unit.pk] = counts.get(unit.pk, 0) + 1
    return counts


@pytest.mark.parametrize("variant", ["all", "course", "kind"])
def test_totals_add_up_and_match_a_fresh_count(random_world, variant):
    province, communes, districts = random_world
    filters = ReportFilters(region=province, start=START, end=END)
    if variant == "course":
        from courses.models import CoursePage

        filters = filters.replace(course=CoursePage.objects.order_by("pk").first())
    if variant == "kind":
        filters = filters.replace(kind="volunteer")

    board = coverage_dashboard(filters=filters)

    assert board.totals.trained > 0 and board.direct is not None
    assert_adds_up(board)
    assert sum(f.trained for _v, _l, f in board.by_kind) == board.totals.trained
    assert board.trend[-1].trained_cumulative == board.totals.trained
    assert sum(p.certificates for p in board.trend) == board.totals.certificates_issued
    expected = expected_trained(filters)
    participants = expected_participants(filters)
    assert board.totals.participants == sum(participants.values()) > 0
    for row in board.children:
        assert row.figures.trained == expected.get(row.region.pk, 0), row.name
        assert row.figures.participants == participants.get(row.region.pk, 0)
        own = coverage_dashboard(filters=filters.replace(region=row.region))
        assert own.totals == row.figures
    assert board.direct.trained == expected.get(province.pk, 0)
    for listed, figures in board.by_course:
        per_unit = expected_participants(filters, listed)
        assert figures.participants == sum(per_unit.values()), listed
    assert (
        board.totals.participations
        == Attendance.objects.filter(
            status__in=ATTENDED,
            session__starts_at__gte=filters.bounds[0],
            session__starts_at__lt=filters.bounds[1],
            **(
                {"session__training_class__courses": filters.course}
                if filters.course
                else {}
            ),
            **({"learner_kind": filters.kind} if filters.kind else {}),
        ).count()
    )


def test_a_former_district_adds_up(random_world):
    _province, _communes, districts = random_world
    for district in districts:
        board = coverage_dashboard(
            filters=ReportFilters(region=district, start=START, end=END)
        )
        assert_adds_up(board)
