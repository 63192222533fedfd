"""A person's classes, attendance and invitations, for their data download, and
what of them is erased with their account (users.personal_data).

Memberships and attendance stay, without the person's name: participations and
people trained are counted from them. Invitations still waiting for an answer
go, and so does what a roster file said about the person (name, phone, email,
date of birth, commune) in the class's kept imports.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from users.personal_data import Section, register

from .models import Attendance, ClassInvitation, ClassMembership, RosterImport

# What a roster row says about a person (classes.roster).
ROSTER_PERSONAL_KEYS = (
    "full_name",
    "phone",
    "raw_phone",
    "email",
    "date_of_birth",
    "commune",
)


def _memberships(user) -> list[dict]:
    return [
        {
            "training_class": membership.training_class.name,
            "organisation": membership.training_class.organisation.name,
            "teacher": str(membership.training_class.owner),
            "starts_on": membership.training_class.starts_on,
            "ends_on": membership.training_class.ends_on,
            "joined_at": membership.joined_at,
            "source": membership.get_source_display(),
            "group_label": membership.group_label,
        }
        for membership in ClassMembership.objects.filter(user=user)
        .select_related("training_class__organisation", "training_class__owner")
        .order_by("joined_at", "pk")
    ]


def _attendance(user) -> list[dict]:
    return [
        {
            "training_class": mark.session.training_class.name,
            "session": str(mark.session),
            "starts_at": mark.session.starts_at,
            "status": mark.get_status_display(),
            "source": mark.get_source_display(),
            "marked_at": mark.marked_at,
        }
        for mark in Attendance.objects.filter(user=user)
        .select_related("session__training_class")
        .order_by("session__starts_at", "pk")
    ]


def _invitations(user) -> list[dict]:
    return [
        {
            "training_class": invitation.training_class.name,
            "invited_by": str(invitation.invited_by) if invitation.invited_by else "",
            "created_at": invitation.created_at,
            "status": invitation.get_status_display(),
            "answered_at": invitation.answered_at,
        }
        for invitation in ClassInvitation.objects.filter(user=user)
        .select_related("training_class", "invited_by")
        .order_by("created_at", "pk")
    ]


def _names_person(row: dict, user, phone: str, email: str) -> bool:
    if row.get("user_id") == user.pk:
        return True
    if phone and row.get("phone") == phone:
        return True
    return bool(email) and (row.get("email") or "").lower() == email


def _erase_rosters(user) -> None:
    phone, email = user.phone or "", (user.email or "").lower()
    condition = Q(training_class__memberships__user=user) | Q(
        training_class__invitations__user=user
    )
    if phone:
        condition |= Q(rows__icontains=phone)
    if email:
        condition |= Q(rows__icontains=email)
    for roster in RosterImport.objects.filter(condition).distinct():
        changed = False
        for row in roster.rows:
            if not _names_person(row, user, phone, email):
                continue
            for key in ROSTER_PERSONAL_KEYS:
                if row.get(key):
                    row[key] = ""
            # Messages about a field may quote what was typed in it.
            row["errors"] = dict.fromkeys(row.get("errors", {}), "–")
            changed = True
        if changed:
            roster.save(update_fields=["rows"])


def _erase(user) -> None:
    ClassInvitation.objects.filter(
        user=user, status=ClassInvitation.Status.PENDING
    ).delete()
    _erase_rosters(user)


register(
    Section(
        name="class_memberships",
        title=_("Classes"),
        columns=[
            ("training_class", _("Class")),
            ("organisation", _("Organisation")),
            ("teacher", _("Teacher")),
            ("starts_on", _("Starts on")),
            ("ends_on", _("Ends on")),
            ("joined_at", _("Joined on")),
            ("source", _("How you joined")),
            ("group_label", _("Group")),
        ],
        rows=_memberships,
        erase=_erase,
    )
)
register(
    Section(
        name="attendance",
        title=_("Attendance"),
        columns=[
            ("training_class", _("Class")),
            ("session", _("Session")),
            ("starts_at", _("Session starts")),
            ("status", _("Status")),
            ("source", _("Marked how")),
            ("marked_at", _("Marked on")),
        ],
        rows=_attendance,
    )
)
register(
    Section(
        name="class_invitations",
        title=_("Class invitations"),
        columns=[
            ("training_class", _("Class")),
            ("invited_by", _("Invited by")),
            ("created_at", _("Invited on")),
            ("status", _("Answer")),
            ("answered_at", _("Answered on")),
        ],
        rows=_invitations,
    )
)
