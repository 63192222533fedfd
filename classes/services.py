"""Writes of classes, memberships, rosters, sessions and attendance.

Views, admin actions, tasks and commands all call these. Permission checks are
the caller's (``classes.scopes``); these functions keep the data consistent.
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
from users.selectors import people_with_email
from users.services import light_user_create

from . import checkin, roster
from .models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    ClassInvitation,
    ClassMembership,
    ClassSession,
    Organisation,
    RosterImport,
    TrainingClass,
    new_join_code,
)
from .signals import attendance_marked, attendance_recorded


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
    created_account: bool = False,
) -> tuple[ClassMembership, bool]:
    """Make the person a member of the class and enrol them in its courses.

    Return (membership, created). Adding someone who is already a member changes
    nothing but a blank group label. Callers decide whether the person may be
    added without being asked (``class_person_add``).
    """
    try:
        with transaction.atomic():
            membership, created = ClassMembership.objects.get_or_create(
                training_class=training_class,
                user=user,
                defaults={
                    "source": source,
                    "group_label": group_label,
                    "created_account": created_account,
                },
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


def account_made_by_class(*, training_class: TrainingClass, user: User) -> bool:
    """Whether the class made the person's account (its roster or walk-in list)
    and nobody has claimed it yet: the only case in which the class may fill in
    the person's details or print their login card."""
    return (
        user.is_light
        and ClassMembership.objects.filter(
            training_class=training_class, user=user, created_account=True
        ).exists()
    )


class Added:
    """What ``class_person_add`` did with a person someone else named."""

    MEMBER = "member"  # added (a light account, who cannot be asked)
    ALREADY = "already"  # already a member
    INVITED = "invited"  # has a password: asked at their next login
    DECLINED = "declined"  # said no to this class before: not asked again


def class_person_add(
    *,
    training_class: TrainingClass,
    user: User,
    source: str,
    invited_by: User | None,
    group_label: str = "",
) -> str:
    """Bring into the class a person that a roster, a walk-in or a teacher names,
    changing nothing of theirs; return what was done (an ``Added`` value).

    Someone with a password of their own is only invited: they become a member
    when they accept. A light account (no password yet) cannot be asked and is
    added. A person who declined the class is not asked again.
    """
    if training_class.memberships.filter(user=user).exists():
        class_member_add(
            training_class=training_class,
            user=user,
            source=source,
            group_label=group_label,
        )
        return Added.ALREADY
    if user.is_light:
        class_member_add(
            training_class=training_class,
            user=user,
            source=source,
            group_label=group_label,
        )
        return Added.MEMBER
    invitation, created = ClassInvitation.objects.get_or_create(
        training_class=training_class,
        user=user,
        defaults={
            "source": source,
            "group_label": group_label,
            "invited_by": invited_by,
        },
    )
    if not created and invitation.status == ClassInvitation.Status.DECLINED:
        return Added.DECLINED
    return Added.INVITED


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
    # Joining of one's own accord answers any invitation to the class.
    ClassInvitation.objects.filter(
        training_class=training_class,
        user=user,
        status=ClassInvitation.Status.PENDING,
    ).update(status=ClassInvitation.Status.ACCEPTED, answered_at=timezone.now())
    return training_class


@transaction.atomic
def class_invitation_answer(
    *, invitation: ClassInvitation, user: User, accept: bool
) -> ClassInvitation:
    """Accept or decline an invitation to a class; only its person may answer.

    Accepting makes them a member, with the source and group the invitation
    named; declining changes nothing else.
    """
    invitation = ClassInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.user_id != user.pk:
        raise ValidationError(_("This invitation is not yours."), code="not_yours")
    if invitation.status != ClassInvitation.Status.PENDING:
        raise ValidationError(
            _("You have already answered this invitation."), code="answered"
        )
    invitation.status = (
        ClassInvitation.Status.ACCEPTED if accept else ClassInvitation.Status.DECLINED
    )
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    if accept:
        class_member_add(
            training_class=invitation.training_class,
            user=user,
            source=ClassMembership.Source.INVITATION,
            group_label=invitation.group_label,
        )
    return invitation


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
    added: int = 0  # new members of the class
    created: int = 0  # of whom new light accounts
    matched: int = 0  # rows naming people already known and now in the class
    invited: int = 0  # people with a password, asked to join
    skipped: int = 0  # rows in error


@transaction.atomic
def roster_import_apply(
    *,
    roster_import: RosterImport,
    all_or_nothing: bool = False,
    fill_blanks: bool = False,
    actor: User | None = None,
) -> RosterResult:
    """Add the valid rows of a checked roster to its class.

    A row naming nobody known creates a light account, made by this class. A row
    naming an existing person (by phone, or a member without a phone by name and
    date of birth) changes nothing of theirs: someone with a password is invited
    and joins only if they accept; a light account is added. The one exception:
    with ``fill_blanks``, a light account this class made and nobody has claimed
    gets its empty date of birth, commune and email filled in. Nobody outside
    the file is touched. With ``all_or_nothing``, a roster with any row in error
    applies nothing. Applying an import twice adds nobody twice.

    Rows are written in bulk, a few queries per 500 rows: the rows were checked
    at preview, and what may have changed since (someone signing up or claiming
    their account with a phone of the file) is looked up again here.
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
    new_ids = {user.pk for user in created}
    members = _memberships_of(training_class, [people[id(row)].pk for row in rows])
    # Light accounts this class made and nobody has claimed.
    made_here = new_ids | {
        people[id(row)].pk
        for row in rows
        if members.get(people[id(row)].pk) and people[id(row)].is_light
    }
    joining, asked = [], []
    for row in rows:
        user = people[id(row)]
        if user.pk in members or user.is_light or user.pk in made_here:
            joining.append(row)
        else:
            asked.append(row)
        if fill_blanks and user.pk in made_here and user.pk not in new_ids:
            _fill_blanks(user, row)
    added = _roster_members_add(training_class, joining, people, new_ids)
    invited = _roster_invite(training_class, asked, people, actor)
    users = {people[id(row)].pk: people[id(row)] for row in joining}
    enrolments_create_many(
        users=list(users.values()), courses=list(training_class.courses.all())
    )
    result = RosterResult(
        added=added,
        created=len(created),
        matched=len(users) - len(created),
        invited=invited,
        skipped=len(errors),
    )
    roster_import.status = RosterImport.Status.APPLIED
    roster_import.applied_at = timezone.now()
    roster_import.result = {**result.__dict__, "user_ids": list(users)}
    roster_import.save(update_fields=["status", "applied_at", "result"])
    return result


def _counts(stored: dict) -> dict:
    return {
        key: stored.get(key, 0)
        for key in ("added", "created", "matched", "invited", "skipped")
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


def _memberships_of(training_class, user_ids: list[int]) -> dict[int, bool]:
    """Return {user id: whether the class made their account} for those of the
    users who are members of the class."""
    members = {}
    for chunk in _chunks(user_ids):
        members.update(
            training_class.memberships.filter(user_id__in=chunk).values_list(
                "user_id", "created_account"
            )
        )
    return members


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
    """Fill in the empty details of a light account the class made."""
    changed = []
    born = _date(row["date_of_birth"])
    if born and user.date_of_birth is None:
        user.date_of_birth = born
        changed.append("date_of_birth")
    if row["region_id"] and user.home_region_id is None:
        user.home_region_id = row["region_id"]
        changed.append("home_region")
    if row["email"] and not user.email:
        if not people_with_email(row["email"]).exists():
            user.email = row["email"]
            changed.append("email")
    if changed:
        user.save(update_fields=changed)


def _roster_members_add(
    training_class, rows: list[dict], people: dict, created: set[int]
) -> int:
    """Make the rows' people members of the class; return how many were new.
    The accounts in ``created`` were made by this roster."""
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
                created_account=user.pk in created,
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


def _roster_invite(training_class, rows: list[dict], people: dict, actor) -> int:
    """Invite the rows' people, who have passwords, to the class; return how many
    are waiting for their answer (those who declined before are not asked)."""
    ids = list(dict.fromkeys(people[id(row)].pk for row in rows))
    existing = {}
    for chunk in _chunks(ids):
        existing.update(
            training_class.invitations.filter(user_id__in=chunk).values_list(
                "user_id", "status"
            )
        )
    new = {}
    for row in rows:
        user = people[id(row)]
        if user.pk not in existing and user.pk not in new:
            new[user.pk] = ClassInvitation(
                training_class=training_class,
                user=user,
                invited_by=actor,
                source=ClassMembership.Source.ROSTER,
                group_label=row["group_label"],
            )
    ClassInvitation.objects.bulk_create(
        new.values(), ignore_conflicts=True, batch_size=500
    )
    pending = sum(
        1 for status in existing.values() if status == ClassInvitation.Status.PENDING
    )
    return len(new) + pending


# Sessions and attendance -----------------------------------------------------


def session_create(*, training_class: TrainingClass, **fields) -> ClassSession:
    session = ClassSession(training_class=training_class, **fields)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_attendance_mark(
    *,
    session: ClassSession,
    user: User,
    status: str,
    actor: User | None,
    source: str = Attendance.Source.TEACHER,
    membership: ClassMembership | None = None,
) -> Attendance:
    """Record the person's attendance at the session; marking again changes it.

    One transaction holds the mark and what it earns: ``attendance_marked``'s
    listeners (a certificate) run in it. ``membership`` is the person's
    membership of the class when the caller has read it, so it is not read
    again."""
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Unknown attendance status."), code="status")
    member = (
        membership.training_class_id == session.training_class_id
        and membership.user_id == user.pk
        if membership is not None
        else ClassMembership.objects.filter(
            training_class_id=session.training_class_id, user=user
        ).exists()
    )
    if not member:
        raise ValidationError(_("This person is not in the class."), code="not_member")
    # One statement, safe against a second mark at the same moment: the later
    # one's status wins.
    (attendance,) = Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                user=user,
                status=status,
                marked_by=actor,
                source=source,
                learner_kind=user.kind,
            )
        ],
        update_conflicts=True,
        unique_fields=["session", "user"],
        update_fields=["status", "marked_by", "marked_at", "source", "learner_kind"],
    )
    attendance_recorded.send(sender=Attendance, attendance=attendance, user=user)
    if status in ATTENDED:
        attendance_marked.send(
            sender=Attendance,
            attendance=attendance,
            user=user,
            training_class=session.training_class,
        )
    return attendance


@transaction.atomic
def session_walk_in_add(
    *, session: ClassSession, full_name: str, phone: str, actor: User
) -> tuple[User, str]:
    """Add a person who came to the session without being on the roster, and mark
    them present; return (the person, what was done: an ``Added`` value).

    A phone nobody has makes a light account, made by this class. A phone
    already known names that person and changes nothing of theirs: a light
    account is added and marked present; someone with a password is invited and
    checks in themselves once they accept.
    """
    phone = normalise_phone(phone) if phone else None
    user = User.objects.filter(phone=phone).first() if phone else None
    training_class = session.training_class
    if user is None:
        if not full_name.strip():
            raise ValidationError(_("The full name is missing."), code="name")
        user = light_user_create(
            full_name=full_name,
            phone=phone,
            kind=training_class.audience_kind,
        )
        class_member_add(
            training_class=training_class,
            user=user,
            source=ClassMembership.Source.WALK_IN,
            created_account=True,
        )
        added = Added.MEMBER
    else:
        added = class_person_add(
            training_class=training_class,
            user=user,
            source=ClassMembership.Source.WALK_IN,
            invited_by=actor,
        )
    if added in (Added.MEMBER, Added.ALREADY):
        session_attendance_mark(
            session=session, user=user, status=AttendanceStatus.PRESENT, actor=actor
        )
    return user, added


def session_self_check_in(
    *, session: ClassSession, user: User, code: str, now: float | None = None
) -> Attendance:
    """Check a member of the class in with the code on the teacher's screen.

    The code only marks attendance: it never adds anyone to the class (a guessed
    code must not), so someone not yet in it joins with the class's code first.
    """
    if not checkin.code_is_valid(session.pk, code, now=now):
        raise ValidationError(
            _(
                "This check-in code has expired. Scan the QR code on the "
                "teacher's screen again."
            ),
            code="expired_code",
        )
    if not ClassMembership.objects.filter(
        training_class_id=session.training_class_id, user=user
    ).exists():
        raise ValidationError(
            _(
                "You are not in this class yet. Join it first with the class code "
                "your teacher gives you, then check in."
            ),
            code="not_member",
        )
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing is not None and existing.status in ATTENDED:
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
    from core.text import fold

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
