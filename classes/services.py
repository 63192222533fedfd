"""Writes of classes, memberships, rosters, sessions and attendance.

Views, admin actions, tasks and commands all call these. Permission checks are
the caller's (``users.scopes``); these functions keep the data consistent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import read_table
from courses.models import CoursePage
from courses.services import enrolment_create, enrolments_create_many
from regions.models import Region
from users.models import User
from users.phone import normalise_phone
from users.services import light_user_create

from . import checkin, roster
from .models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    ClassMembership,
    ClassSession,
    Organisation,
    RosterImport,
    TrainingClass,
    new_join_code,
)


@transaction.atomic
def class_create(
    *,
    owner: User,
    name: str,
    organisation: Organisation,
    courses: list[CoursePage],
    starts_on: date,
    ends_on: date,
    mode: str,
    audience_kind: str,
    region: Region | None = None,
    co_teachers: list[User] = (),
) -> TrainingClass:
    """Create a class with a fresh join code; its region defaults to the
    organisation's."""
    if not courses:
        raise ValidationError(_("Choose at least one course."), code="no_courses")
    training_class = TrainingClass(
        owner=owner,
        name=name.strip(),
        organisation=organisation,
        region=region or organisation.region,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        audience_kind=audience_kind,
    )
    training_class.full_clean(exclude=["join_code"])
    for _attempt in range(5):
        training_class.join_code = new_join_code()
        if not TrainingClass.objects.filter(
            join_code=training_class.join_code
        ).exists():
            break
    training_class.save()
    training_class.courses.set(courses)
    training_class.co_teachers.set([u for u in co_teachers if u.pk != owner.pk])
    return training_class


def class_member_add(
    *,
    training_class: TrainingClass,
    user: User,
    source: str,
    group_label: str = "",
) -> tuple[ClassMembership, bool]:
    """Make the person a member of the class and enrol them in its courses.

    Return (membership, created). Adding someone who is already a member changes
    nothing but a blank group label.
    """
    try:
        with transaction.atomic():
            membership, created = ClassMembership.objects.get_or_create(
                training_class=training_class,
                user=user,
                defaults={"source": source, "group_label": group_label},
            )
    except IntegrityError:
        membership = ClassMembership.objects.get(
            training_class=training_class, user=user
        )
        created = False
    if not created and group_label and not membership.group_label:
        membership.group_label = group_label
        membership.save(update_fields=["group_label"])
    for course in training_class.courses.all():
        enrolment_create(user=user, course=course)
    return membership, created


def class_join(*, join_code: str, user: User) -> TrainingClass:
    """Join the class the code names (case and spaces do not matter)."""
    code = "".join((join_code or "").upper().split()).replace("-", "")
    training_class = TrainingClass.objects.filter(join_code=code).first()
    if training_class is None:
        raise ValidationError(
            _("No class has this code. Check the code with your teacher."),
            code="unknown_code",
        )
    class_member_add(
        training_class=training_class,
        user=user,
        source=ClassMembership.Source.JOIN_CODE,
    )
    return training_class


# Rosters ------------------------------------------------------------------------


def roster_import_preview(
    *, training_class: TrainingClass, upload, actor: User
) -> RosterImport:
    """Read and check a roster upload and keep the result; save no person yet.

    Raise ``SpreadsheetError`` when the file itself cannot be read.
    """
    table = roster.parse_upload(upload)
    rows = roster.check_rows(table, training_class=training_class)
    return RosterImport.objects.create(
        training_class=training_class,
        uploaded_by=actor,
        file_name=str(getattr(upload, "name", "") or "")[:255],
        rows=rows,
    )


@dataclass
class RosterResult:
    added: int = 0
    created: int = 0
    matched: int = 0
    skipped: int = 0


@transaction.atomic
def roster_import_apply(
    *,
    roster_import: RosterImport,
    all_or_nothing: bool = False,
    fill_blanks: bool = False,
    actor: User | None = None,
) -> RosterResult:
    """Add the valid rows of a checked roster to its class.

    People found by phone are matched, never changed (with ``fill_blanks``,
    their empty date of birth, commune and email are filled in); the rest are
    created as light accounts. Nobody outside the file is touched. With
    ``all_or_nothing``, a roster with any row in error applies nothing. Applying
    an import twice adds nobody twice.

    Rows are written in bulk, a few queries per 500 rows: the rows were checked
    at preview, and what may have changed since (someone signing up with a
    phone or an email of the file) is looked up again here.
    """
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if roster_import.status == RosterImport.Status.APPLIED:
        return RosterResult(**_counts(roster_import.result))
    errors = roster_import.rows_with("error")
    if all_or_nothing and errors:
        raise ValidationError(
            _(
                "%(count)s rows have errors, so nothing was added. Correct them "
                "or add only the valid rows."
            )
            % {"count": len(errors)},
            code="rows_in_error",
        )
    training_class = roster_import.training_class
    rows = [row for row in roster_import.rows if row["status"] != "error"]
    people = _roster_people(rows)
    new_rows = [row for row in rows if people[id(row)] is None]
    created = _roster_users_create(new_rows, training_class.audience_kind)
    for row, user in zip(new_rows, created, strict=True):
        people[id(row)] = user
    if fill_blanks:
        for row in rows:
            if row not in new_rows:
                _fill_blanks(people[id(row)], row)
    added = _roster_members_add(training_class, rows, people)
    users = {people[id(row)].pk: people[id(row)] for row in rows}
    user_ids = list(users)
    enrolments_create_many(
        users=list(users.values()), courses=list(training_class.courses.all())
    )
    result = RosterResult(
        added=added,
        created=len(created),
        matched=len(rows) - len(created),
        skipped=len(errors),
    )
    roster_import.status = RosterImport.Status.APPLIED
    roster_import.applied_at = timezone.now()
    roster_import.result = {**result.__dict__, "user_ids": user_ids}
    roster_import.save(update_fields=["status", "applied_at", "result"])
    return result


def _counts(stored: dict) -> dict:
    return {
        key: stored.get(key, 0) for key in ("added", "created", "matched", "skipped")
    }


def _chunks(items: list, size: int = roster.CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _roster_people(rows: list[dict]) -> dict[int, User | None]:
    """Return {id(row): the existing person the row names, or None}."""
    phones = [row["phone"] for row in rows if row["phone"]]
    by_phone = {}
    for chunk in _chunks(phones):
        by_phone.update({u.phone: u for u in User.objects.filter(phone__in=chunk)})
    ids = [row["user_id"] for row in rows if not row["phone"] and row["user_id"]]
    by_id = User.objects.in_bulk(ids) if ids else {}
    return {
        id(row): by_phone.get(row["phone"])
        if row["phone"]
        else by_id.get(row["user_id"])
        for row in rows
    }


def _roster_users_create(rows: list[dict], kind: str) -> list[User]:
    """Create light accounts for the rows, in bulk; return them in row order."""
    emails = {row["email"].lower() for row in rows if row["email"]}
    taken = set()
    for chunk in _chunks(sorted(emails)):
        taken.update(
            e.lower()
            for e in User.objects.filter(email__in=chunk).values_list(
                "email", flat=True
            )
        )
    users = []
    for row in rows:
        email = row["email"]
        # An email someone else holds (or an earlier row took) is left out
        # rather than refused: the person is added, the email can follow.
        if email and email.lower() in taken:
            email = ""
        elif email:
            taken.add(email.lower())
        user = User(
            username=row["phone"] or f"light-{uuid.uuid4().hex[:20]}",
            full_name=row["full_name"],
            phone=row["phone"] or None,
            email=email,
            kind=kind,
            home_region_id=row["region_id"],
            date_of_birth=_date(row["date_of_birth"]),
        )
        user.set_unusable_password()
        users.append(user)
    created = []
    for chunk in _chunks(users):
        created.extend(User.objects.bulk_create(chunk))
    return created


def _date(iso: str) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _fill_blanks(user: User, row: dict) -> None:
    changed = []
    born = _date(row["date_of_birth"])
    if born and user.date_of_birth is None:
        user.date_of_birth = born
        changed.append("date_of_birth")
    if row["region_id"] and user.home_region_id is None:
        user.home_region_id = row["region_id"]
        changed.append("home_region")
    if row["email"] and not user.email:
        if not User.objects.filter(email__iexact=row["email"]).exists():
            user.email = row["email"]
            changed.append("email")
    if changed:
        user.save(update_fields=changed)


def _roster_members_add(training_class, rows: list[dict], people: dict) -> int:
    """Make the rows' people members of the class; return how many were new."""
    existing = {
        m.user_id: m
        for m in training_class.memberships.filter(
            user_id__in=[people[id(row)].pk for row in rows]
        )
    }
    new = {}
    for row in rows:
        user = people[id(row)]
        membership = existing.get(user.pk)
        if membership is None and user.pk not in new:
            new[user.pk] = ClassMembership(
                training_class=training_class,
                user=user,
                source=ClassMembership.Source.ROSTER,
                group_label=row["group_label"],
            )
        elif (
            membership is not None and row["group_label"] and not membership.group_label
        ):
            membership.group_label = row["group_label"]
            membership.save(update_fields=["group_label"])
    ClassMembership.objects.bulk_create(
        new.values(), ignore_conflicts=True, batch_size=500
    )
    return len(new)


# Sessions and attendance -----------------------------------------------------


def session_create(*, training_class: TrainingClass, **fields) -> ClassSession:
    session = ClassSession(training_class=training_class, **fields)
    session.full_clean()
    session.save()
    return session


def session_attendance_mark(
    *,
    session: ClassSession,
    user: User,
    status: str,
    actor: User | None,
    source: str = Attendance.Source.TEACHER,
) -> Attendance:
    """Record the person's attendance at the session; marking again changes it."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Unknown attendance status."), code="status")
    if not ClassMembership.objects.filter(
        training_class_id=session.training_class_id, user=user
    ).exists():
        raise ValidationError(_("This person is not in the class."), code="not_member")
    try:
        with transaction.atomic():
            attendance, _created = Attendance.objects.update_or_create(
                session=session,
                user=user,
                defaults={
                    "status": status,
                    "marked_by": actor,
                    "source": source,
                    "learner_kind": user.kind,
                },
            )
    except IntegrityError:
        attendance = Attendance.objects.get(session=session, user=user)
        attendance.status, attendance.marked_by, attendance.source = (
            status,
            actor,
            source,
        )
        attendance.learner_kind = user.kind
        attendance.save()
    if status in ATTENDED:
        # Imported here: certificates builds on classes, not the other way round.
        from certificates.services import certificate_issue_after_attendance

        certificate_issue_after_attendance(
            user=user, training_class=session.training_class
        )
    return attendance


@transaction.atomic
def session_walk_in_add(
    *, session: ClassSession, full_name: str, phone: str, actor: User
) -> User:
    """Add a person who came to the session without being on the roster, and mark
    them present. A phone already known names that person."""
    phone = normalise_phone(phone) if phone else None
    user = User.objects.filter(phone=phone).first() if phone else None
    if user is None:
        if not full_name.strip():
            raise ValidationError(_("The full name is missing."), code="name")
        user = light_user_create(
            full_name=full_name,
            phone=phone,
            kind=session.training_class.audience_kind,
        )
    class_member_add(
        training_class=session.training_class,
        user=user,
        source=ClassMembership.Source.WALK_IN,
    )
    session_attendance_mark(
        session=session, user=user, status=AttendanceStatus.PRESENT, actor=actor
    )
    return user


def session_self_check_in(
    *, session: ClassSession, user: User, code: str, now: float | None = None
) -> Attendance:
    """Check the learner in with the code on the teacher's screen.

    A learner who is not yet in the class joins it: they are in the room.
    """
    if not checkin.code_is_valid(session.pk, code, now=now):
        raise ValidationError(
            _(
                "This check-in code has expired. Scan the QR code on the "
                "teacher's screen again."
            ),
            code="expired_code",
        )
    class_member_add(
        training_class=session.training_class,
        user=user,
        source=ClassMembership.Source.JOIN_CODE,
    )
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing is not None and existing.status in (
        AttendanceStatus.PRESENT,
        AttendanceStatus.LATE,
    ):
        return existing
    return session_attendance_mark(
        session=session,
        user=user,
        status=AttendanceStatus.PRESENT,
        actor=user,
        source=Attendance.Source.SELF_CHECK_IN,
    )


# Organisations ------------------------------------------------------------------

ORGANISATION_COLUMNS = {
    "name": ["Tên", "Tên đơn vị", "Tên tổ chức", "Name"],
    "kind": ["Loại", "Kind"],
    "region_code": ["Mã đơn vị hành chính", "Mã xã", "Mã ĐVHC", "Region code"],
    "code": ["Mã", "Mã tổ chức", "Code"],
}
ORGANISATION_KINDS = {
    "truong": Organisation.Kind.SCHOOL,
    "truong hoc": Organisation.Kind.SCHOOL,
    "school": Organisation.Kind.SCHOOL,
    "to cong nghe so cap xa": Organisation.Kind.COMMUNE_TEAM,
    "to cnsct cap xa": Organisation.Kind.COMMUNE_TEAM,
    "commune team": Organisation.Kind.COMMUNE_TEAM,
    "to cong nghe so cap thon": Organisation.Kind.HAMLET_TEAM,
    "to cnsct cap thon": Organisation.Kind.HAMLET_TEAM,
    "hamlet team": Organisation.Kind.HAMLET_TEAM,
    "co quan": Organisation.Kind.AGENCY,
    "agency": Organisation.Kind.AGENCY,
}


@dataclass
class OrganisationImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = None


@transaction.atomic
def organisation_import(*, upload) -> OrganisationImportResult:
    """Create or update organisations from a spreadsheet (by code when given).

    Rows in error are reported by number and skipped; nothing else changes.
    """
    from regions.text import fold

    table = read_table(
        upload, columns=ORGANISATION_COLUMNS, required=["name", "kind", "region_code"]
    )
    result = OrganisationImportResult(errors=[])
    regions = {
        r.code: r
        for r in Region.objects.current().filter(
            code__in={row.values["region_code"] for row in table.rows}
        )
    }
    for row in table.rows:
        values = row.values
        kind = ORGANISATION_KINDS.get(fold(values["kind"])) or (
            values["kind"] if values["kind"] in Organisation.Kind.values else None
        )
        region = regions.get(values["region_code"])
        problems = []
        if not values["name"]:
            problems.append(_("the name is missing"))
        if kind is None:
            problems.append(_("unknown kind “%(kind)s”") % {"kind": values["kind"]})
        if region is None:
            problems.append(
                _("unknown unit code “%(code)s”") % {"code": values["region_code"]}
            )
        if problems:
            result.errors.append(
                _("Row %(row)s: %(problems)s.")
                % {"row": row.number, "problems": "; ".join(problems)}
            )
            continue
        fields = {"name": values["name"][:200], "kind": kind, "region": region}
        if values["code"]:
            _org, created = Organisation.objects.update_or_create(
                code=values["code"][:40], defaults=fields
            )
        else:
            _org, created = Organisation.objects.get_or_create(**fields)
        result.created += created
        result.updated += not created
    return result
