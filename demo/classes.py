"""The demo's organisations, classes, sessions and attendance.

Built through the classes app's own services (organisation import, class
creation, members added by the teacher, at the door and with the join code,
sessions, attendance), and looked up before it is made: organisations by name,
classes by name and teacher, light accounts by phone or else by name among the
class's members, sessions by title in their class, attendance by session and
person. A second run finds everything and adds nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from classes.models import (
    Attendance,
    AttendanceStatus,
    ClassMembership,
    ClassMode,
    Organisation,
    TrainingClass,
)
from classes.services import (
    class_create,
    class_join,
    class_member_add,
    organisation_import,
    session_attendance_mark,
    session_create,
    session_walk_in_add,
)
from core.text import fold
from courses.models import CoursePage, LessonProgress
from courses.services import lesson_progress_record
from regions.models import Region
from users.models import LearnerKind, RegionRole, User
from users.phone import normalise_phone
from users.services import light_user_create

from . import people

TEACHER_GROUP = "Giáo viên"

# Communes next to Xã Đông Hưng, where some volunteers and a hamlet team live;
# any of them missing from the loaded units is replaced by the demo commune.
NEIGHBOURS = ["Xã Bắc Đông Hưng", "Xã Nam Đông Hưng", "Xã Đông Quan"]

P, L, A, E = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


@dataclass(frozen=True)
class Member:
    full_name: str
    phone: str = ""  # light accounts: some have a phone, most pupils not
    lessons_done: int = 0  # lessons of the class's first course marked done
    # Status at each past session, in order; "" for not marked.
    attendance: tuple[str, ...] = (P, P)


# Class 9A of the lower secondary school: 25 pupils with light accounts (the
# teacher typed them in), a few with a parent's phone.
PUPILS = [
    Member("Nguyễn Văn An", "0900000101", 4),
    Member("Trần Thị Bích Ngọc", "", 3),
    Member("Lê Hoàng Bảo", "", 2, (P, L)),
    Member("Phạm Thị Hồng Nhung", "0900000102", 4),
    Member("Hoàng Đức Duy", "", 1, (L, P)),
    Member("Vũ Thị Thu Hà", "", 3),
    Member("Đặng Minh Hiếu", "", 0, (A, P)),
    Member("Bùi Thị Lan Anh", "0900000103", 2),
    Member("Đỗ Quang Huy", "", 2),
    Member("Ngô Thị Mai", "", 1, (P, E)),
    Member("Dương Văn Khánh", "", 0, (E, A)),
    Member("Lý Thị Ngọc Linh", "", 3),
    Member("Nguyễn Thành Long", "0900000104", 2, (L, L)),
    Member("Trần Thị Minh Châu", "", 4),
    Member("Phan Văn Nam", "", 1),
    Member("Vũ Thị Phương", "", 2, (P, L)),
    Member("Hoàng Minh Quân", "", 0, (P, A)),
    Member("Nguyễn Thị Quỳnh", "0900000105", 3),
    Member("Lê Văn Sơn", "", 1),
    Member("Trần Thị Thảo", "", 2),
    Member("Phạm Đức Thắng", "", 0, (A, A)),
    Member("Đỗ Thị Thùy Trang", "", 3),
    Member("Bùi Anh Tuấn", "0900000106", 1),
    Member("Ngô Thị Hải Yến", "", 2),
    Member("Đinh Công Vinh", "", 1, (P, L)),
]

# Members of the commune's community digital technology team, most with a phone.
VOLUNTEERS = [
    Member("Đỗ Văn Thành", "0900000201"),  # the team leader, who runs the training
    Member("Nguyễn Thị Hằng", "0900000202", attendance=(P,)),
    Member("Trần Văn Hùng", "0900000203", attendance=(P,)),
    Member("Lê Thị Thu", "0900000204", attendance=(L,)),
    Member("Phạm Văn Tuấn", "0900000205", attendance=(P,)),
    Member("Vũ Thị Nga", "0900000206", attendance=(P,)),
    Member("Hoàng Văn Lợi", "0900000207", attendance=(E,)),
    Member("Bùi Thị Hương", "0900000208", attendance=(P,)),
    Member("Nguyễn Văn Tiến", "0900000209", attendance=(A,)),
    Member("Đặng Thị Liên", "", attendance=(P,)),
]
# Came to the session without being on the list; added at the door.
WALK_IN = Member("Trịnh Văn Phúc", "0900000210")


@dataclass(frozen=True)
class Session:
    title: str
    days_from_today: int
    starts: time
    minutes: int
    place: str


@dataclass(frozen=True)
class ClassPlan:
    name: str
    organisation: str  # the key in the organisations made
    courses: tuple[str, ...]
    mode: str
    audience_kind: str
    starts_days: int  # from today
    ends_days: int
    sessions: tuple[Session, ...]


SCHOOL_CLASS = ClassPlan(
    name="Lớp 9A – Dùng dịch vụ công trực tuyến",
    organisation="school",
    courses=(
        "tai-khoan-dinh-danh-dien-tu-vneid",
        "lam-quen-cong-dich-vu-cong-quoc-gia",
    ),
    mode=ClassMode.IN_PERSON,
    audience_kind=LearnerKind.STUDENT,
    starts_days=-21,
    ends_days=35,
    sessions=(
        Session(
            "Buổi 1: Tài khoản định danh điện tử VNeID",
            -14,
            time(14, 0),
            90,
            "Phòng tin học, tầng 2",
        ),
        Session(
            "Buổi 2: Làm quen Cổng Dịch vụ công quốc gia",
            -7,
            time(14, 0),
            90,
            "Phòng tin học, tầng 2",
        ),
        Session(
            "Buổi 3: Thực hành tra cứu thủ tục trên điện thoại",
            7,
            time(14, 0),
            90,
            "Phòng tin học, tầng 2",
        ),
    ),
)
TEAM_CLASS = ClassPlan(
    name="Tập huấn Tổ công nghệ số cộng đồng – Hướng dẫn người dân dùng VNeID",
    organisation="commune_team",
    courses=("tai-khoan-dinh-danh-dien-tu-vneid", "nop-ho-so-va-thanh-toan-truc-tuyen"),
    mode=ClassMode.IN_PERSON,
    audience_kind=LearnerKind.VOLUNTEER,
    starts_days=-10,
    ends_days=20,
    sessions=(
        Session(
            "Tập huấn kích hoạt VNeID mức 2 cho người dân",
            -3,
            time(8, 0),
            120,
            "Hội trường",
        ),
    ),
)


def _short(commune: Region) -> tuple[str, str]:
    """Return ("xã", "Đông Hưng") for "Xã Đông Hưng"."""
    kind, _space, name = commune.name.partition(" ")
    return kind.lower(), name


def _neighbours(commune: Region) -> list[Region]:
    """Return the demo commune's neighbours that are loaded (found by search, named
    exactly), else the demo commune in their place."""
    province_path = commune.path.split(".")[0]
    in_province = Region.objects.current().filter(
        level=Region.Level.COMMUNE, path__startswith=province_path + "."
    )
    found = []
    for name in NEIGHBOURS:
        match = next(
            (r for r in in_province.search(name) if fold(r.name) == fold(name)),
            commune,
        )
        found.append(match)
    return found


def _province(commune: Region) -> Region:
    region = commune
    while region.parent_id is not None and region.level != Region.Level.PROVINCE:
        region = region.parent
    return region


def _organisations(commune: Region, summary) -> dict[str, Organisation]:
    """Find the demo organisations by name; import the missing ones from a
    spreadsheet, as an editor would."""
    kind, name = _short(commune)
    hamlet_commune = _neighbours(commune)[1]
    hamlet_kind, hamlet_name = _short(hamlet_commune)
    wanted = {
        "school": (f"Trường THCS {name}", "Trường", commune),
        "commune_team": (
            f"Tổ công nghệ số cộng đồng {kind} {name}",
            "Tổ công nghệ số cấp xã",
            commune,
        ),
        "hamlet_team": (
            f"Tổ công nghệ số cộng đồng thôn Đồng Tâm, {hamlet_kind} {hamlet_name}",
            "Tổ công nghệ số cấp thôn",
            hamlet_commune,
        ),
        "agency": (f"Bộ phận Một cửa UBND {kind} {name}", "Cơ quan", commune),
    }
    found = {
        org.name: org
        for org in Organisation.objects.filter(
            name__in=[row[0] for row in wanted.values()]
        )
    }
    missing = [row for row in wanted.values() if row[0] not in found]
    if missing:
        lines = ["Tên,Loại,Mã đơn vị hành chính"] + [
            f'"{org_name}",{org_kind},{region.code}'
            for org_name, org_kind, region in missing
        ]
        upload = SimpleUploadedFile(
            "to-chuc-mau.csv", "\n".join(lines).encode(), "text/csv"
        )
        result = organisation_import(upload=upload)
        if result.errors:
            raise RuntimeError("; ".join(result.errors))
        summary.add("organisations", result.created)
        found = {
            org.name: org
            for org in Organisation.objects.filter(
                name__in=[row[0] for row in wanted.values()]
            )
        }
    return {key: found[row[0]] for key, row in wanted.items()}


def _teacher_group(teacher: User) -> None:
    group, created = Group.objects.get_or_create(name=TEACHER_GROUP)
    if created:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="classes", codename="add_trainingclass"
            )
        )
    teacher.groups.add(group)


def _official_role(official: User, province: Region, summary) -> None:
    _role, created = RegionRole.objects.get_or_create(
        user=official, region=province, role=RegionRole.Role.OFFICIAL
    )
    if created:
        summary.add("unit roles")


def _class(plan: ClassPlan, owner: User, organisations, courses, summary):
    training_class = TrainingClass.objects.filter(name=plan.name, owner=owner).first()
    if training_class is not None:
        return training_class
    today = timezone.localdate()
    training_class = class_create(
        owner=owner,
        name=plan.name,
        organisation=organisations[plan.organisation],
        courses=[courses[slug] for slug in plan.courses],
        starts_on=today + timedelta(days=plan.starts_days),
        ends_on=today + timedelta(days=plan.ends_days),
        mode=plan.mode,
        audience_kind=plan.audience_kind,
    )
    summary.add("classes")
    return training_class


def _light_person(member: Member, training_class, kind, home, born, summary) -> User:
    """Find the person by phone, else by name among the class's members; else add
    them as a light account."""
    if member.phone:
        user = User.objects.filter(phone=normalise_phone(member.phone)).first()
    else:
        user = User.objects.filter(
            class_memberships__training_class=training_class,
            full_name=member.full_name,
        ).first()
    if user is None:
        user = light_user_create(
            full_name=member.full_name,
            phone=normalise_phone(member.phone) if member.phone else None,
            kind=kind,
            home_region=home,
            date_of_birth=born,
        )
        summary.add("light accounts")
    return user


def _add_member(training_class, user, source, summary, group_label="") -> None:
    if training_class.memberships.filter(user=user).exists():
        return
    # The first class a light account joins is the one that made it (its
    # teacher prints the person's login card).
    made_here = (
        user.is_light
        and not ClassMembership.objects.filter(user=user, created_account=True).exists()
    )
    class_member_add(
        training_class=training_class,
        user=user,
        source=source,
        group_label=group_label,
        created_account=made_here,
    )
    summary.add("class members")


def _join(training_class, user, summary) -> None:
    """The demo people join with the code their teacher gave them."""
    if training_class.memberships.filter(user=user).exists():
        return
    class_join(join_code=training_class.join_code, user=user)
    summary.add("class members")


def _sessions(training_class, plan: ClassPlan, place_prefix: str, summary):
    existing = {s.title: s for s in training_class.sessions.all()}
    today = timezone.localdate()
    sessions = []
    for item in plan.sessions:
        session = existing.get(item.title)
        if session is None:
            day = today + timedelta(days=item.days_from_today)
            starts = timezone.make_aware(datetime.combine(day, item.starts))
            session = session_create(
                training_class=training_class,
                title=item.title,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=item.minutes),
                place=f"{item.place}, {place_prefix}",
            )
            summary.add("class sessions")
        sessions.append(session)
    return sessions


def _mark(session, marks: list[tuple[User, str]], actor: User, summary) -> None:
    """Mark each person's attendance at a past session, unless already marked."""
    if session.starts_at > timezone.now():
        return
    marked = set(
        Attendance.objects.filter(session=session).values_list("user_id", flat=True)
    )
    for user, status in marks:
        if status and user.pk not in marked:
            session_attendance_mark(
                session=session, user=user, status=status, actor=actor
            )
            summary.add("attendance marks")


def _lessons_done(user: User, course: CoursePage, lessons: list, n: int, summary):
    if n <= 0:
        return
    done = set(
        LessonProgress.objects.filter(
            enrolment__user=user,
            enrolment__course=course,
            completed_at__isnull=False,
        ).values_list("lesson_id", flat=True)
    )
    for lesson in lessons[:n]:
        if lesson.pk not in done:
            lesson_progress_record(user=user, lesson=lesson, course=course)
            summary.add("lessons done")


def _school_year_birth_date(today: date) -> date:
    """A grade 9 pupil turns 15 in the calendar year after the school year starts."""
    school_year = today.year if today.month >= 9 else today.year - 1
    return date(school_year - 14, 1, 1)


def load_classes(
    commune: Region,
    users: dict[str, User],
    courses: dict[str, CoursePage],
    summary,
) -> None:
    """Make the demo organisations, the teacher's class 9A and the community
    team's training, with sessions, attendance and some progress."""
    teacher = users[people.TEACHER.login]
    official = users[people.OFFICIAL.login]
    organisations = _organisations(commune, summary)
    _teacher_group(teacher)
    _official_role(official, _province(commune), summary)
    neighbours = _neighbours(commune)

    # Class 9A: the teacher's own, at the school.
    school = _class(SCHOOL_CLASS, teacher, organisations, courses, summary)
    school_name = organisations["school"].name
    sessions = _sessions(school, SCHOOL_CLASS, school_name, summary)
    born = _school_year_birth_date(timezone.localdate())
    first_course = courses[SCHOOL_CLASS.courses[0]]
    lessons = list(first_course.lessons())
    pupils = []
    for index, member in enumerate(PUPILS):
        user = _light_person(
            member,
            school,
            LearnerKind.STUDENT,
            commune,
            born.replace(month=1 + index % 12, day=1 + (index * 7) % 28),
            summary,
        )
        _add_member(
            school, user, ClassMembership.Source.TEACHER, summary, group_label="9A"
        )
        pupils.append((user, member))
    student = users[people.STUDENT.login]
    _join(school, student, summary)
    for position, session in enumerate(sessions):
        if position >= 2:
            break
        marks = [(user, member.attendance[position]) for user, member in pupils]
        marks.append((student, P))
        _mark(session, marks, teacher, summary)
    for user, member in pupils:
        _lessons_done(user, first_course, lessons, member.lessons_done, summary)

    # The commune team's training, run by its leader, with the demo learner.
    leader_member, *volunteers = VOLUNTEERS
    leader = _light_person(
        leader_member, None, LearnerKind.VOLUNTEER, commune, None, summary
    )
    _teacher_group(leader)
    team = _class(TEAM_CLASS, leader, organisations, courses, summary)
    team_sessions = _sessions(
        team, TEAM_CLASS, f"UBND {' '.join(_short(commune))}", summary
    )
    members = []
    for index, member in enumerate(volunteers):
        home = commune if index % 3 else neighbours[index % len(neighbours)]
        user = _light_person(member, team, LearnerKind.VOLUNTEER, home, None, summary)
        _add_member(team, user, ClassMembership.Source.TEACHER, summary)
        members.append((user, member))
    learner = users[people.LEARNER.login]
    _join(team, learner, summary)
    session = team_sessions[0]
    marks = [(user, member.attendance[0]) for user, member in members]
    marks.append((learner, P))
    _mark(session, marks, leader, summary)
    walk_in_phone = normalise_phone(WALK_IN.phone)
    if not team.memberships.filter(user__phone=walk_in_phone).exists():
        if not User.objects.filter(phone=walk_in_phone).exists():
            summary.add("light accounts")
        session_walk_in_add(
            session=session,
            full_name=WALK_IN.full_name,
            phone=WALK_IN.phone,
            actor=leader,
        )
        summary.add("class members")
        summary.add("attendance marks")
