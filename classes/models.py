"""Classes taught for organisations, their members, sessions and attendance.

- ``Organisation``: a school, a community digital technology team or an agency, in
  a unit of the administrative tree.
- ``TrainingClass``: a class a teacher (its owner, with co-teachers) runs for an
  organisation on one or more courses; people join it with its join code.
- ``ClassMembership``: a person in a class, how they came in, and whether this
  class created their account (only such a class may print their login card or
  fill in their details while they have not claimed it).
- ``ClassInvitation``: a person who already has an account with a password,
  named by a roster, a walk-in or a teacher; they become a member only when they
  accept, and until then the teacher sees their name and nothing else.
- ``ClassSession`` and ``Attendance``: the sessions held, and who came to each.
  An attendance row present or late is one participation (lượt); the people
  (người) are the distinct persons among them.
- ``RosterImport``: an uploaded roster, its rows as checked at preview, and what
  applying it did, so an import can be reviewed, resumed and audited.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users.models import LearnerKind

# No 0/O, 1/I/L: read off a projector or a printed sheet without mistakes.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        COMMUNE_TEAM = "commune_team", _("Commune digital technology team")
        HAMLET_TEAM = "hamlet_team", _("Hamlet digital technology team")
        AGENCY = "agency", _("Agency")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("The commune, ward or province the organisation belongs to."),
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        help_text=_("An identifier of your own, used to update rows on import."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClassMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    MIXED = "mixed", _("Mixed")


class TrainingClass(models.Model):
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="classes",
        help_text=_(
            "Where the class counts in reports. Defaults to the organisation's unit."
        ),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses"),
        related_name="training_classes",
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=ClassMode.choices, default=ClassMode.IN_PERSON
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    audience_kind = models.CharField(
        _("learners are"),
        max_length=20,
        choices=LearnerKind.choices,
        default=LearnerKind.CITIZEN,
        help_text=_("The kind given to people added to the class from a roster."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="classes_owned",
    )
    co_teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-teachers"),
        blank=True,
        related_name="classes_co_taught",
    )
    join_code = models.CharField(
        _("join code"),
        max_length=12,
        unique=True,
        default=new_join_code,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_class_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("classes:detail", args=[self.pk])


class ClassMembership(models.Model):
    class Source(models.TextChoices):
        ROSTER = "roster", _("Roster import")
        JOIN_CODE = "join_code", _("Join code")
        WALK_IN = "walk_in", _("Added at the door")
        TEACHER = "teacher", _("Added by the teacher")
        INVITATION = "invitation", _("Accepted an invitation")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="class_memberships",
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The school class ("10A1") the roster gave, for teachers of several groups.
    group_label = models.CharField(_("group"), max_length=40, blank=True)
    created_account = models.BooleanField(
        _("account made by this class"),
        default=False,
        help_text=_(
            "The class's roster or walk-in list created the person's account. Only "
            "such a class prints their login card, and fills in their details "
            "until they claim the account."
        ),
    )

    class Meta:
        verbose_name = _("class member")
        verbose_name_plural = _("class members")
        ordering = ["training_class", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "user"], name="class_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.training_class}"

    @property
    def shows_phone(self) -> bool:
        """Whether the class's exports may show the person's mobile number: the
        class made their account, or they joined it themselves."""
        return self.created_account or self.source in (
            self.Source.JOIN_CODE,
            self.Source.INVITATION,
        )


class ClassInvitation(models.Model):
    """A class asks a person who already has an account to join it.

    A roster, a walk-in or a teacher naming someone by phone does not make them
    a member: they are asked on their next login and join only if they accept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="class_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ClassMembership.Source.choices
    )
    group_label = models.CharField(_("group"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("class invitation")
        verbose_name_plural = _("class invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "user"], name="class_invitation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.training_class} · {self.get_status_display()}"


class ClassSession(models.Model):
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="class_session_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.training_class} · {self.starts_at:%d/%m/%Y}"

    def clean(self):
        """A session falls within its class's dates (local days): the class's
        report counts its sessions between them."""
        super().clean()
        training_class = self.training_class if self.training_class_id else None
        if training_class is None or self.starts_at is None:
            return
        day = timezone.localdate(self.starts_at)
        if not training_class.starts_on <= day <= training_class.ends_on:
            raise ValidationError(
                {
                    "starts_at": _(
                        "The class runs from %(start)s to %(end)s: the session "
                        "must start on one of those days."
                    )
                    % {
                        "start": training_class.starts_on.strftime("%d/%m/%Y"),
                        "end": training_class.ends_on.strftime("%d/%m/%Y"),
                    }
                }
            )

    def get_absolute_url(self):
        return reverse("classes:session", args=[self.pk])


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Statuses that count as a participation (lượt).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    class Source(models.TextChoices):
        TEACHER = "teacher", _("Marked by the teacher")
        SELF_CHECK_IN = "self_check_in", _("Checked in with the QR code")

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AttendanceStatus.choices
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The person's kind when marked (as on enrolments and certificates), so the
    # coverage reports count participations as they were.
    learner_kind = models.CharField(
        _("kind of learner when marked"),
        max_length=20,
        choices=LearnerKind.choices,
        blank=True,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="attendance_unique_session_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.session} · {self.get_status_display()}"


class RosterImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, not applied")
        APPLIED = "applied", _("Applied")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="roster_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    # [{"number", "status": match|new|error, "errors": {field: message},
    #   "full_name", "phone", "date_of_birth" (ISO), "group_label", "email",
    #   "region_id", "commune", "user_id"}] as checked at preview.
    rows = models.JSONField(_("rows"), default=list)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # {"added": n, "matched": n, "created": n, "skipped": n, "user_ids": [...]}
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.training_class} · {self.file_name}"

    def rows_with(self, status: str) -> list[dict]:
        return [row for row in self.rows if row["status"] == status]
