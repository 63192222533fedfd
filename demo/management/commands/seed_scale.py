"""Fill the database with realistic synthetic training data across one province.

    python manage.py seed_scale --people 200000 --enrolments 1000000 \\
        --certificates 100000 [--helped 500000] [--province 33] [--seed 1] [--reset]

For the coverage reports' benchmarks and for trying the dashboards at the size of a
real province campaign. Needs the administrative units (``manage.py load_regions
--legacy``). Everything it creates is marked as seed data (usernames ``seed-...``,
course slugs ``seed-...``, organisation codes ``SEED-...``), so ``--reset`` removes
exactly that and nothing else; without ``--reset`` it refuses to run twice.

Rows go in with ``bulk_create`` in batches, a few objects in memory at a time.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from certificates.codes import new_code, new_token
from certificates.models import Certificate, CertificateTemplate
from certificates.selectors import course_policy
from certificates.services import certificate_policy_set
from classes.models import (
    Attendance,
    AttendanceStatus,
    ClassMembership,
    ClassMode,
    ClassSession,
    Organisation,
    TrainingClass,
)
from core.site_tree import ensure_site_tree
from courses.models import CoursePage, Enrolment
from courses.services import catalogue_index
from outreach.loader import load_procedure_fields
from outreach.models import (
    HelpAction,
    HelpFlag,
    HelpRecord,
    HelpRelation,
    ProcedureField,
    new_confirm_token,
)
from regions.models import Region
from reports.models import CertificateSpan, OutcomeFigure, OutcomePeriod, Target
from reports.services import report_counts_rebuild
from users.models import LearnerKind, User

USERNAME_PREFIX = "seed-"
COURSE_SLUG_PREFIX = "seed-"
ORGANISATION_CODE_PREFIX = "SEED-"
# Raised when what a seed holds changes (a new snapshot field, say), so that a
# kept seed database (bench/reports.py) knows to seed again; it is part of the
# seed's certificate template name.
SEED_VERSION = 6
TEMPLATE_PREFIX = "Mẫu giấy chứng nhận (dữ liệu thử quy mô lớn"
TEMPLATE_NAME = f"{TEMPLATE_PREFIX}, v{SEED_VERSION})"
DEFAULT_PROVINCE = "33"  # Tỉnh Hưng Yên since July 2025
BATCH = 5000
ENROLMENT_COLUMNS = (
    "user",
    "course",
    "enrolled_at",
    "completed_at",
    "last_activity_at",
    "region",
    "learner_kind",
)
# Helped-person records (outreach): what was done and for whom, as a campaign's
# helpers report it; the share the helped person confirmed; the share flagged
# for review, of which half were cleared.
HELP_ACTION_WEIGHTS = {
    HelpAction.DOSSIER: 40,
    HelpAction.ACCOUNT: 25,
    HelpAction.APP: 20,
    HelpAction.FEE: 10,
    HelpAction.OTHER: 5,
}
HELP_RELATION_WEIGHTS = {
    HelpRelation.PARENT: 40,
    HelpRelation.NEIGHBOUR: 30,
    HelpRelation.CITIZEN: 30,
}
HELP_CONFIRMED_SHARE = 0.6
HELP_FLAGGED_SHARE = 0.01
HELP_COLUMNS = (
    "helper",
    "helper_kind",
    "helped_on",
    "region",
    "region_path",
    "action",
    "procedure_field",
    "relation",
    "helped_name",
    "helped_phone",
    "consent_version",
    "consent_text",
    "confirm_token",
    "confirm_token_created_at",
    "confirmed_at",
    "flag",
    "flagged_at",
    "flag_cleared_at",
    "created_at",
)

# Who learns, as a province's campaign counts them: mostly students and citizens.
KIND_WEIGHTS = {
    LearnerKind.STUDENT: 40,
    LearnerKind.CITIZEN: 30,
    LearnerKind.VOLUNTEER: 15,
    LearnerKind.OFFICIAL: 10,
    LearnerKind.TEACHER: 5,
}
# Share of people whose home is a pre-reform commune, which rolls up.
LEGACY_HOME_SHARE = 0.08
# Share of certificates issued while the learner lived elsewhere in the province.
MOVED_SHARE = 0.02
# Share of enrolments completed, unless more are needed for the certificates.
COMPLETED_SHARE = 0.15
# Of the certificates: renewals of an earlier one, revoked, expired.
RENEWED_SHARE = 0.02
REVOKED_SHARE = 0.03
EXPIRED_SHARE = 0.05
# The campaign the activity falls in, ending today.
CAMPAIGN_DAYS = 150
# Weeks of one-stop-shop figures per commune, up to last week, and the share of
# dossiers filed online at their start and today (the province tracked 27.2%
# at the start of its campaign, 80% its target).
OUTCOME_WEEKS = 104
ONLINE_SHARE_FROM, ONLINE_SHARE_TO = 0.272, 0.75

COURSES = [
    ("Dùng dịch vụ công trực tuyến", 4),
    ("Tài khoản định danh điện tử VNeID", 2),
    ("An toàn trên không gian mạng", 3),
    ("Thanh toán không dùng tiền mặt", 2),
    ("Hướng dẫn người dân nộp hồ sơ trực tuyến", 6),
    ("Kỹ năng số cơ bản cho học sinh", 4),
    ("Chữ ký số và hóa đơn điện tử", 3),
    ("Tra cứu và theo dõi hồ sơ", 1),
    ("Sổ sức khỏe điện tử", 2),
    ("Kỹ năng số cho tổ công nghệ số cộng đồng", 8),
    ("Bảo vệ dữ liệu cá nhân", 2),
    ("Dịch vụ công cho hộ kinh doanh", 3),
]

FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
)
MIDDLE = "Văn Thị Minh Ngọc Thanh Đức Hữu Quang Thu Kim Xuân Hồng Gia Bảo".split()
GIVEN = (
    "An Anh Bình Chi Cường Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khang Khôi "
    "Lan Linh Long Mai Minh My Nam Nga Ngân Nhung Phong Phúc Quân Quyên Sơn Tâm "
    "Thảo Thắng Trang Trung Tú Tuấn Uyên Vân Việt Vy Yến"
).split()


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


@contextlib.contextmanager
def _own_timestamps(*fields: models.DateTimeField):
    """Let bulk_create keep the times given for auto_now(_add) fields: history is
    being written, not happening now."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _batched(iterable, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_exists() -> bool:
    """Whether an earlier run (finished or not) left seed data behind."""
    return (
        User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
        or CoursePage.objects.filter(slug__startswith=COURSE_SLUG_PREFIX).exists()
        or Organisation.objects.filter(
            code__startswith=ORGANISATION_CODE_PREFIX
        ).exists()
    )


def seed_is_current() -> bool:
    """Whether the seed data there was made by this version of the command."""
    return CertificateTemplate.objects.filter(name=TEMPLATE_NAME).exists()


def seed_reset() -> dict[str, int]:
    """Delete every row seed_scale made, and nothing else."""
    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    organisations = Organisation.objects.filter(
        code__startswith=ORGANISATION_CODE_PREFIX
    )
    courses = CoursePage.objects.filter(slug__startswith=COURSE_SLUG_PREFIX)
    deleted = {}
    with transaction.atomic():
        deleted.update(_delete_targets(courses))
        classes = TrainingClass.objects.filter(organisation__in=organisations)
        for name, qs in [
            (
                "attendance",
                Attendance.objects.filter(session__training_class__in=classes),
            ),
            ("sessions", ClassSession.objects.filter(training_class__in=classes)),
            ("memberships", ClassMembership.objects.filter(training_class__in=classes)),
        ]:
            deleted[name] = qs._raw_delete(qs.db)
        Certificate.objects.filter(user__in=users).update(renewal_of=None)
        for name, qs in [
            ("helped people", HelpRecord.objects.filter(helper__in=users)),
            ("certificate spans", CertificateSpan.objects.filter(user__in=users)),
            ("certificates", Certificate.objects.filter(user__in=users)),
            ("enrolments", Enrolment.objects.filter(user__in=users)),
        ]:
            deleted[name] = qs._raw_delete(qs.db)
        deleted["classes"] = classes.delete()[0]
        deleted["organisations"] = organisations.delete()[0]
        # Their enrolments, certificates, classes and attendance are gone by now;
        # the ORM's cascade would still fetch 200,000 people to look for more.
        # A row anything else still points to makes the database refuse the
        # whole reset rather than leave it dangling.
        deleted["people"] = users._raw_delete(users.db)
        for course in courses:
            course.delete()
        deleted["courses"] = len(courses)
        CertificateTemplate.objects.filter(
            name__startswith=TEMPLATE_PREFIX, certificates__isnull=True
        ).delete()
        # The reports' counts of what is gone (deleted without signals).
        report_counts_rebuild()
    return deleted


def _delete_targets(courses) -> dict[str, int]:
    # Seed targets and figures are set by a seed person; the others are an
    # official's work.
    qs = Target.objects.filter(
        Q(set_by__username__startswith=USERNAME_PREFIX) | Q(course__in=courses)
    )
    figures = OutcomeFigure.objects.filter(set_by__username__startswith=USERNAME_PREFIX)
    return {"targets": qs.delete()[0], "outcome figures": figures.delete()[0]}


class Seeder:
    def __init__(
        self,
        *,
        province: Region,
        people: int,
        enrolments: int,
        certificates: int,
        classes: int,
        seed: int,
        helped: int = 0,
        log=None,
    ):
        self.province = province
        self.helped = helped
        self.people = people
        self.enrolments = enrolments
        self.certificates = certificates
        self.classes = classes
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.summary = Summary()
        self.now = timezone.now()
        self.start = self.now - datetime.timedelta(days=CAMPAIGN_DAYS)

    # Helpers ------------------------------------------------------------------

    @contextlib.contextmanager
    def _step(self, name: str):
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.summary.timings.append((name, elapsed))
        self.log(f"  {name}: {elapsed:.1f} s")

    def _moment(self, after: datetime.datetime | None = None) -> datetime.datetime:
        start = after or self.start
        span = max((self.now - start).total_seconds(), 1)
        return start + datetime.timedelta(seconds=self.rng.random() * span)

    def _name(self) -> str:
        rng = self.rng
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    # Steps --------------------------------------------------------------------

    def run(self) -> Summary:
        with self._step("units"):
            self._units()
        with self._step("courses"):
            self._courses()
        with self._step("people"):
            self._people()
        with self._step("enrolments"):
            self._enrolments()
        with self._step("certificates"):
            self._certificates()
        with self._step("classes, sessions and attendance"):
            self._classes()
        with self._step("targets"):
            self._targets()
        with self._step("outcome figures"):
            self._outcome_figures()
        with self._step("helped people"):
            self._helped_people()
        with self._step("the reports' counts"):
            # Bulk inserts send no signals: what the reports keep is rebuilt.
            self.summary.counts.update(report_counts_rebuild())
        return self.summary

    def _units(self):
        current = list(
            Region.objects.current()
            .filter(
                level=Region.Level.COMMUNE, path__startswith=self.province.path + "."
            )
            .order_by("path")
        )
        if not current:
            raise CommandError(
                f"{self.province} has no communes. Run `python manage.py "
                "load_regions --legacy` first."
            )
        legacy = list(
            Region.objects.filter(
                level=Region.Level.COMMUNE, is_current=False, replaced_by__in=current
            ).select_related("parent__parent")
        )
        self.communes = current
        self.legacy = legacy
        # Bigger communes and wards have more learners: a skewed weight each.
        self.commune_weights = [self.rng.paretovariate(1.5) for _ in current]
        self.commune_cum_weights = list(itertools.accumulate(self.commune_weights))
        regions = {unit.pk: unit for unit in current + legacy}
        for unit in legacy:
            regions[unit.parent_id] = unit.parent
            if unit.parent.parent_id:
                regions[unit.parent.parent_id] = unit.parent.parent
        regions[self.province.pk] = self.province
        self.regions = regions

    def _snapshot(self, region: Region) -> dict:
        """The certificate's unit fields for a learner living in region."""
        parent = self.regions.get(region.parent_id)
        grandparent = self.regions.get(parent.parent_id) if parent else None
        if region.is_current:
            province, district = parent, None
        else:
            district, province = parent, grandparent
        return {
            "region": region,
            "region_path": region.path,
            "province": province,
            "district": district,
            "commune": region,
        }

    def _home(self) -> Region:
        if self.legacy and self.rng.random() < LEGACY_HOME_SHARE:
            return self.rng.choice(self.legacy)
        return self.rng.choices(self.communes, cum_weights=self.commune_cum_weights)[0]

    def _courses(self):
        home = ensure_site_tree()
        index = catalogue_index(home)
        self.template = CertificateTemplate.objects.create(
            name=TEMPLATE_NAME,
            issuer_parent=f"UBND {self.province.name.upper()}",
            issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            body=("Đã hoàn thành khóa học “{course}” ({hours} giờ) tại {unit}."),
            place=self.province.name.removeprefix("Tỉnh ").removeprefix("Thành phố "),
            signatory_name="Trần Văn Quyết",
            signatory_title="GIÁM ĐỐC",
        )
        count = max(
            5, min(len(COURSES), -(-self.enrolments // max(self.people, 1)) * 2)
        )
        self.courses = []
        for number, (title, hours) in enumerate(COURSES[:count], start=1):
            page = CoursePage(
                title=title,
                slug=f"{COURSE_SLUG_PREFIX}{number}",
                summary=f"{title}: học trên điện thoại, từng bước có hình minh họa.",
                estimated_minutes=hours * 60,
            )
            index.add_child(instance=page)
            certificate_policy_set(
                course=page, template=self.template, hours=Decimal(hours)
            )
            self.courses.append(page)
        # Some courses are far more followed than others.
        self.course_weights = [1 / (rank + 1) ** 0.6 for rank in range(count)]
        self.summary.counts["courses"] = count

    def _people(self):
        kinds = list(KIND_WEIGHTS)
        weights = list(itertools.accumulate(KIND_WEIGHTS.values()))
        created = []
        joined_from = self.start - datetime.timedelta(days=60)
        for batch in _batched(range(self.people)):
            users = [
                User(
                    username=f"{USERNAME_PREFIX}{number:07d}",
                    # A light account: added from a roster, no password yet.
                    password=f"!seed{self.rng.getrandbits(128):032x}",
                    full_name=self._name(),
                    kind=self.rng.choices(kinds, cum_weights=weights)[0],
                    home_region=self._home(),
                    date_joined=self._moment(joined_from),
                )
                for number in batch
            ]
            User.objects.bulk_create(users, batch_size=BATCH)
            created.extend(
                (user.pk, user.kind, user.home_region_id, user.full_name)
                for user in users
            )
        self.users = created
        self.summary.counts["people"] = len(created)

    def _enrolments(self):
        people, courses = len(self.users), len(self.courses)
        capacity = people * courses
        if self.enrolments > capacity:
            raise CommandError(
                f"{self.enrolments} enrolments do not fit {people} people in "
                f"{courses} courses (one enrolment per person and course)."
            )
        # Pair number p is person p // courses in course p % courses; popular
        # courses are drawn more often, then the pairs are made unique.
        completed_share = max(
            COMPLETED_SHARE,
            min(1.0, self.certificates * 1.3 / max(self.enrolments, 1)),
        )
        pairs = self._pairs(people, courses)
        certified_needed = self.certificates - int(self.certificates * RENEWED_SHARE)
        # Plain multi-row INSERTs: a million model instances and bulk_create's
        # bookkeeping cost more than the database does.
        table = connection.ops.quote_name(Enrolment._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(Enrolment._meta.get_field(name).column)
            for name in ENROLMENT_COLUMNS
        )
        adapt = connection.ops.adapt_datetimefield_value
        per_statement = max(
            1,
            min(
                1000,
                (connection.features.max_query_params or 1000)
                // len(ENROLMENT_COLUMNS),
            ),
        )
        row_sql = "(" + ", ".join(["%s"] * len(ENROLMENT_COLUMNS)) + ")"
        course_ids = [course.pk for course in self.courses]
        with connection.cursor() as cursor:
            for batch in _batched(pairs, per_statement):
                params = []
                for pair in batch:
                    user_index, course_index = divmod(pair, courses)
                    enrolled_at = self._moment()
                    completed_at = None
                    if self.rng.random() < completed_share:
                        completed_at = min(
                            enrolled_at
                            + datetime.timedelta(hours=self.rng.uniform(1, 24 * 30)),
                            self.now,
                        )
                    user_id, kind, home_id, _name = self.users[user_index]
                    params += (
                        user_id,
                        course_ids[course_index],
                        adapt(enrolled_at),
                        adapt(completed_at),
                        adapt(completed_at or self._moment(enrolled_at)),
                        home_id,  # the learner's unit and kind at enrolment
                        kind,
                    )
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES "
                    + ", ".join([row_sql] * len(batch)),
                    params,
                )
        # (enrolment pk, user index, course index, completed_at); the seed
        # courses are new, so every enrolment in them is seed data.
        user_index = {user[0]: index for index, user in enumerate(self.users)}
        course_index = {pk: index for index, pk in enumerate(course_ids)}
        self.completed = [
            (pk, user_index[user_id], course_index[course_id], completed_at)
            for pk, user_id, course_id, completed_at in Enrolment.objects.filter(
                course_id__in=course_ids, completed_at__isnull=False
            )
            .order_by("pk")
            .values_list("pk", "user_id", "course_id", "completed_at")
            .iterator(chunk_size=10_000)
        ]
        if len(self.completed) < certified_needed:
            raise CommandError(
                f"Only {len(self.completed)} enrolments were completed, fewer than "
                f"the {certified_needed} certificates asked for. Ask for more "
                "enrolments or fewer certificates."
            )
        self.summary.counts["enrolments"] = len(pairs)

    def _pairs(self, people: int, courses: int) -> list[int]:
        wanted = self.enrolments
        chosen: set[int] = set()
        population = range(courses)
        while len(chosen) < wanted:
            missing = wanted - len(chosen)
            users = [self.rng.randrange(people) for _ in range(missing)]
            picked = self.rng.choices(population, self.course_weights, k=missing)
            chosen.update(u * courses + c for u, c in zip(users, picked, strict=True))
            if len(chosen) > 0.9 * people * courses:
                # Nearly every pair is taken: fill the rest in order.
                for pair in range(people * courses):
                    if len(chosen) >= wanted:
                        break
                    chosen.add(pair)
        pairs = sorted(chosen)[:wanted] if len(chosen) > wanted else sorted(chosen)
        self.rng.shuffle(pairs)
        return pairs

    def _printed(self, *, name: str, course: CoursePage, region: Region, issued_at):
        issue_date = timezone.localtime(issued_at).strftime("%d/%m/%Y")
        unit = f"{region.name}, {self.province.name}"
        hours = f"{course_policy(course).hours.normalize():f}"
        return {
            "learner_name": name,
            "date_of_birth": "",
            "course": course.title,
            "hours": hours,
            "class": "",
            "unit": unit,
            "issue_date": issue_date,
            "place": self.template.place,
            "issuer": self.template.issuer,
            "issuer_parent": self.template.issuer_parent,
            "signatory_name": self.template.signatory_name,
            "signatory_title": self.template.signatory_title,
            "title": self.template.title,
            "motto_country": self.template.motto_country,
            "motto": self.template.motto,
            "body": self.template.body.replace("{course}", course.title)
            .replace("{hours}", hours)
            .replace("{unit}", unit),
        }

    def _certificate(self, *, completion, region: Region | None = None, **extra):
        enrolment_id, user_index, course_index, completed_at = completion
        user_id, kind, home_id, name = self.users[user_index]
        course = self.courses[course_index]
        region = region or self.regions[home_id]
        issued_at = completed_at + datetime.timedelta(minutes=self.rng.randint(1, 90))
        return Certificate(
            code=self._unique(new_code, self.codes),
            token=self._unique(new_token, self.tokens),
            user_id=user_id,
            course=course,
            enrolment_id=enrolment_id,
            completed_at=completed_at,
            template=self.template,
            issued_at=issued_at,
            printed=self._printed(
                name=name, course=course, region=region, issued_at=issued_at
            ),
            learner_kind=kind,
            **self._snapshot(region),
            **extra,
        )

    @staticmethod
    def _unique(make, seen: set) -> str:
        value = make()
        while value in seen:
            value = make()
        seen.add(value)
        return value

    def _status(self, issued_at) -> dict:
        draw = self.rng.random()
        if draw < REVOKED_SHARE:
            return {
                "revoked_at": self._moment(issued_at),
                "revoked_reason": "Cấp nhầm người học, đã cấp lại cho đúng người.",
            }
        if draw < REVOKED_SHARE + EXPIRED_SHARE:
            return {"expires_at": self._moment(issued_at)}
        return {"expires_at": issued_at + datetime.timedelta(days=730)}

    def _certificates(self):
        self.codes, self.tokens = set(), set()
        renewals = int(self.certificates * RENEWED_SHARE)
        chosen = self.rng.sample(self.completed, self.certificates - renewals)
        renewed = set(self.rng.sample(range(len(chosen)), min(renewals, len(chosen))))
        created = 0
        for batch in _batched(enumerate(chosen)):
            # An earlier certificate for the same course, expired or revoked before
            # the learner completed the course again: counted once in reports.
            earlier = []
            for position, completion in batch:
                if position not in renewed:
                    continue
                first_completed = completion[3] - datetime.timedelta(
                    days=self.rng.randint(30, 120)
                )
                old = self._certificate(
                    completion=(None, *completion[1:3], first_completed)
                )
                old.enrolment_id = None
                if self.rng.random() < 0.5:
                    old.revoked_at = completion[3]
                    old.revoked_reason = "Học lại và được cấp giấy chứng nhận mới."
                else:
                    old.expires_at = completion[3]
                earlier.append((position, old))
            Certificate.objects.bulk_create([old for _p, old in earlier])
            renews = dict(earlier)
            rows = []
            for position, completion in batch:
                region = None
                if self.rng.random() < MOVED_SHARE:
                    # Issued while the learner lived in another commune.
                    region = self.rng.choice(self.communes)
                certificate = self._certificate(completion=completion, region=region)
                for name, value in self._status(certificate.issued_at).items():
                    setattr(certificate, name, value)
                if position in renews:
                    certificate.renewal_of = renews[position]
                rows.append(certificate)
            Certificate.objects.bulk_create(rows, batch_size=BATCH)
            created += len(rows) + len(earlier)
        self.summary.counts["certificates"] = created

    def _classes(self):
        count = self.classes
        if not count:
            return
        by_commune: dict[int, list[int]] = {}
        for index, (_pk, _kind, home_id, _name) in enumerate(self.users):
            by_commune.setdefault(home_id, []).append(index)
        teachers = [i for i, user in enumerate(self.users) if user[1] == "teacher"]
        teachers = teachers or list(range(len(self.users)))
        homes = [unit for unit in self.communes if unit.pk in by_commune]
        if not homes:
            return
        organisations = []
        for number in range(count):
            commune = self.rng.choice(homes)
            school = number % 3 != 0
            organisations.append(
                Organisation(
                    name=(
                        f"Trường THCS {commune.name.split(' ', 1)[-1]} {number + 1}"
                        if school
                        else f"Tổ công nghệ số cộng đồng {commune.name}"
                    ),
                    kind=(
                        Organisation.Kind.SCHOOL
                        if school
                        else Organisation.Kind.COMMUNE_TEAM
                    ),
                    region=commune,
                    code=f"{ORGANISATION_CODE_PREFIX}{number + 1:05d}",
                )
            )
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        classes = []
        for number, organisation in enumerate(organisations, start=1):
            starts = timezone.localdate(self._moment())
            classes.append(
                TrainingClass(
                    name=f"Lớp kỹ năng số {number}",
                    organisation=organisation,
                    region=organisation.region,
                    mode=ClassMode.IN_PERSON if number % 11 else ClassMode.ONLINE,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=self.rng.randint(7, 60)),
                    audience_kind=(
                        LearnerKind.STUDENT
                        if organisation.kind == Organisation.Kind.SCHOOL
                        else LearnerKind.VOLUNTEER
                    ),
                    owner_id=self.users[self.rng.choice(teachers)][0],
                )
            )
        TrainingClass.objects.bulk_create(classes, batch_size=BATCH)
        through = TrainingClass.courses.through
        through.objects.bulk_create(
            [
                through(trainingclass_id=c.pk, coursepage_id=course.pk)
                for c in classes
                for course in self.rng.sample(self.courses, 2)
            ],
            batch_size=BATCH,
        )
        memberships, sessions, attendance_plan = [], [], []
        for training_class in classes:
            local = by_commune[training_class.region_id]
            members = self.rng.sample(local, min(len(local), self.rng.randint(15, 60)))
            memberships.extend(
                ClassMembership(
                    training_class=training_class,
                    user_id=self.users[i][0],
                    source=ClassMembership.Source.ROSTER,
                    joined_at=self.now,
                )
                for i in members
            )
            day = datetime.datetime.combine(
                training_class.starts_on, datetime.time(8), tzinfo=self.now.tzinfo
            )
            for number in range(self.rng.randint(2, 6)):
                starts_at = day + datetime.timedelta(days=7 * number)
                if starts_at > self.now:
                    break
                session = ClassSession(
                    training_class=training_class,
                    title=f"Buổi {number + 1}",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                    place=f"Hội trường {training_class.region.name}",
                )
                sessions.append(session)
                attendance_plan.append((session, members))
        membership_field = ClassMembership._meta.get_field("joined_at")
        with _own_timestamps(membership_field):
            ClassMembership.objects.bulk_create(memberships, batch_size=BATCH)
        ClassSession.objects.bulk_create(sessions, batch_size=BATCH)
        statuses = [
            AttendanceStatus.PRESENT,
            AttendanceStatus.LATE,
            AttendanceStatus.ABSENT,
            AttendanceStatus.EXCUSED,
        ]
        rows = (
            Attendance(
                session=session,
                user_id=self.users[i][0],
                learner_kind=self.users[i][1],
                status=self.rng.choices(statuses, (80, 6, 10, 4))[0],
                source=Attendance.Source.TEACHER,
            )
            for session, members in attendance_plan
            for i in members
        )
        attended = 0
        for batch in _batched(rows):
            Attendance.objects.bulk_create(batch, batch_size=BATCH)
            attended += len(batch)
        self.summary.counts.update(
            {
                "organisations": len(organisations),
                "classes": len(classes),
                "memberships": len(memberships),
                "sessions": len(sessions),
                "attendance": attended,
            }
        )

    def _helped_people(self):
        """Records of people helped by certified learners, each dated between
        the helper's certificate and today, in the helper's home commune."""
        if self.helped <= 0:
            return
        load_procedure_fields()
        fields = list(ProcedureField.objects.values_list("pk", flat=True))
        seeded = User.objects.filter(username__startswith=USERNAME_PREFIX)
        helpers = list(
            Certificate.objects.valid(self.now)
            .filter(user__in=seeded)
            .order_by("user_id", "issued_at")
            .distinct()
            .values_list("user_id", "issued_at")
        )
        if not helpers:
            return
        first = {}
        for user_id, issued_at in helpers:
            first.setdefault(user_id, issued_at)
        homes = {
            pk: (kind, home_id)
            for pk, kind, home_id in seeded.filter(pk__in=first).values_list(
                "pk", "kind", "home_region_id"
            )
        }
        helper_ids = [pk for pk in first if homes.get(pk, (None, None))[1]]
        # A few helpers do most of the helping.
        cum = list(
            itertools.accumulate(self.rng.paretovariate(1.2) for _ in helper_ids)
        )
        actions, action_w = zip(*HELP_ACTION_WEIGHTS.items(), strict=True)
        relations, relation_w = zip(*HELP_RELATION_WEIGHTS.items(), strict=True)
        today = timezone.localdate(self.now)
        table = connection.ops.quote_name(HelpRecord._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(HelpRecord._meta.get_field(name).column)
            for name in HELP_COLUMNS
        )
        adapt = connection.ops.adapt_datetimefield_value
        adapt_date = connection.ops.adapt_datefield_value
        per_statement = max(
            1,
            min(
                500,
                (connection.features.max_query_params or 1000) // len(HELP_COLUMNS),
            ),
        )
        row_sql = "(" + ", ".join(["%s"] * len(HELP_COLUMNS)) + ")"
        rng = self.rng
        with connection.cursor() as cursor:
            for batch in _batched(range(self.helped), per_statement):
                params = []
                for _ in batch:
                    helper = rng.choices(helper_ids, cum_weights=cum)[0]
                    kind, home_id = homes[helper]
                    region = self.regions.get(home_id)
                    start = timezone.localdate(first[helper])
                    helped_on = start + datetime.timedelta(
                        days=rng.randint(0, max((today - start).days, 0))
                    )
                    made = timezone.make_aware(
                        datetime.datetime.combine(helped_on, datetime.time(8))
                        + datetime.timedelta(minutes=rng.randint(0, 600))
                    )
                    made = min(made, self.now)
                    action = rng.choices(actions, weights=action_w)[0]
                    confirmed = None
                    if rng.random() < HELP_CONFIRMED_SHARE:
                        confirmed = min(
                            made + datetime.timedelta(minutes=rng.randint(1, 2880)),
                            self.now,
                        )
                    flag = flagged = cleared = None
                    if rng.random() < HELP_FLAGGED_SHARE:
                        flag, flagged = HelpFlag.DAILY_LIMIT, made
                        if rng.random() < 0.5:
                            cleared = min(made + datetime.timedelta(days=1), self.now)
                    params += (
                        helper,
                        kind,
                        adapt_date(helped_on),
                        home_id,
                        region.path if region else "",
                        action,
                        rng.choice(fields) if action == HelpAction.DOSSIER else None,
                        rng.choices(relations, weights=relation_w)[0],
                        "",
                        "",
                        "",
                        "",
                        new_confirm_token(),
                        adapt(made),
                        adapt(confirmed),
                        flag,
                        adapt(flagged),
                        adapt(cleared),
                        adapt(made),
                    )
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES "
                    + ", ".join([row_sql] * len(batch)),
                    params,
                )
        self.summary.counts["helped people"] = self.helped

    def _targets(self):
        """A target per kind for the province, and for the busiest communes."""
        officials = [user[0] for user in self.users if user[1] == "official"]
        self.setter = officials[0] if officials else self.users[0][0]
        due = timezone.localdate(self.now) + datetime.timedelta(days=30)
        people_by_kind: dict[str, int] = {}
        for _pk, kind, _home, _name in self.users:
            people_by_kind[kind] = people_by_kind.get(kind, 0) + 1
        rows = []
        for kind, count in people_by_kind.items():
            rows.append(self._target(self.province, kind, max(count // 5, 1), due))
        busiest = sorted(
            zip(self.commune_weights, self.communes, strict=True),
            key=lambda pair: -pair[0],
        )[:10]
        total_weight = sum(self.commune_weights)
        for weight, commune in busiest:
            share = weight / total_weight
            rows.append(
                self._target(commune, None, max(int(self.people * share / 4), 1), due)
            )
        Target.objects.bulk_create([row for row in rows if row is not None])
        self.summary.counts["targets"] = len(rows)

    def _outcome_figures(self):
        """Two years of weekly one-stop-shop figures for every current commune,
        the share filed online rising over the weeks, each commune with its
        own pace."""
        today = timezone.localdate(self.now)
        last_monday = today - datetime.timedelta(days=today.weekday() + 7)
        rows = []
        for weight, commune in zip(self.commune_weights, self.communes, strict=True):
            base = 20 + 30 * weight
            pace = self.rng.uniform(0.6, 1.2)
            for week in range(OUTCOME_WEEKS):
                progress = week / (OUTCOME_WEEKS - 1)
                share = ONLINE_SHARE_FROM + (ONLINE_SHARE_TO - ONLINE_SHARE_FROM) * min(
                    1.0, progress * pace
                )
                share = min(max(share + self.rng.uniform(-0.05, 0.05), 0), 1)
                received = max(0, int(self.rng.gauss(base, base / 5)))
                online = min(received, int(received * share))
                rows.append(
                    OutcomeFigure(
                        region=commune,
                        period=OutcomePeriod.WEEK,
                        period_start=last_monday
                        - datetime.timedelta(weeks=OUTCOME_WEEKS - 1 - week),
                        received=received,
                        received_online=online,
                        processed_online=int(online * self.rng.uniform(0.8, 1.0)),
                        paid_online=int(online * self.rng.uniform(0.2, 0.5)),
                        set_by_id=self.setter,
                    )
                )
        for batch in _batched(rows):
            OutcomeFigure.objects.bulk_create(batch)
        self.summary.counts["outcome figures"] = len(rows)

    def _target(self, region, kind, people, due):
        return Target(
            region=region,
            kind=kind or "all",
            course=None,
            due_on=due,
            people=people,
            set_by_id=self.setter,
        )


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic people, enrolments, certificates, classes, "
        "targets and two years of weekly one-stop-shop figures across one "
        "province's communes, for benchmarks and trials. Needs "
        "`load_regions --legacy`. Refuses to run twice; --reset removes the seed "
        "data first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=200_000)
        parser.add_argument("--enrolments", type=int, default=1_000_000)
        parser.add_argument("--certificates", type=int, default=100_000)
        parser.add_argument(
            "--helped",
            type=int,
            default=None,
            help="Helped-person records (default: 5 for every 2 people, so "
            "500,000 for 200,000 people).",
        )
        parser.add_argument(
            "--classes",
            type=int,
            default=None,
            help="Classes to create (default: one per 400 people).",
        )
        parser.add_argument(
            "--province",
            default=DEFAULT_PROVINCE,
            help=f"Official code of the current province (default {DEFAULT_PROVINCE}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the seed data made before, then seed again.",
        )

    def handle(self, *args, **options):
        for name in ("people", "enrolments", "certificates"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        province = (
            Region.objects.current()
            .filter(level=Region.Level.PROVINCE, code=options["province"])
            .first()
        )
        if province is None:
            raise CommandError(
                f"No current province with code {options['province']!r}. Run "
                "`python manage.py load_regions --legacy` first, or pass --province."
            )
        started = time.perf_counter()
        if seed_exists():
            if not options["reset"]:
                raise CommandError(
                    "Seed data is already there. Run again with --reset to replace it."
                )
            deleted = seed_reset()
            self.stdout.write(
                f"Deleted the earlier seed data ({time.perf_counter() - started:.1f} "
                f"s): " + ", ".join(f"{n} {what}" for what, n in deleted.items())
            )
        helped = options["helped"]
        if helped is None:
            helped = options["people"] * 5 // 2
        if helped < 0:
            raise CommandError("--helped cannot be negative.")
        classes = options["classes"]
        if classes is None:
            classes = max(1, options["people"] // 400)
        if connection.vendor == "postgresql":
            # Synthetic rows: no need to wait for each batch to reach the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        self.stdout.write(f"Seeding {province.name}...")
        seeder = Seeder(
            province=province,
            people=options["people"],
            enrolments=options["enrolments"],
            certificates=options["certificates"],
            classes=classes,
            seed=options["seed"],
            helped=helped,
            log=self.stdout.write,
        )
        summary = seeder.run()
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes the new tables for empty;
            # and the visibility map autovacuum keeps on a live database, so
            # the reports' index-only scans read what they would there rather
            # than the heap of rows just bulk-inserted. (VACUUM cannot run in a
            # transaction, as in the tests: there, statistics only.)
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created in {time.perf_counter() - started:.1f} s: "
                + ", ".join(f"{n} {what}" for what, n in summary.counts.items())
            )
        )
