"""People: one ``User`` per human, whether they have a password yet or not.

A participant added by a teacher may have no password (a light account) and still
counts in classes and reports. ``ConsentRecord`` keeps each consent to the
processing of personal data with its time and the version of the text agreed to.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .phone import display_phone


class LearnerKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Community digital technology team member")
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    OFFICIAL = "official", _("Official")
    CITIZEN = "citizen", _("Citizen")


class User(AbstractUser):
    # One field for the whole name: Vietnamese names are written family name first
    # and do not split cleanly into first and last.
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(
        _("mobile number"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Stored as +84XXXXXXXXX, whatever way it was typed."),
    )
    kind = models.CharField(
        _("kind of learner"),
        max_length=20,
        choices=LearnerKind.choices,
        default=LearnerKind.CITIZEN,
    )
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_unique_email_ci",
            ),
        ]

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.get_username()

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone or "")

    @property
    def is_light(self) -> bool:
        """Whether the account has no password yet (added by a teacher)."""
        return not self.has_usable_password()


class ConsentRecord(models.Model):
    class Purpose(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Processing of personal data")

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    text_version = models.CharField(
        _("text version"),
        max_length=20,
        help_text=_("The version of the consent text the person agreed to."),
    )
    text = models.TextField(_("text agreed to"))
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()} · {self.text_version}"


class RegionRole(models.Model):
    """A person's role over an administrative unit and everything under it.

    An official of a province sees, read-only, the classes and learners of every
    unit in that province; a person may hold roles over several units.
    """

    class Role(models.TextChoices):
        OFFICIAL = "official", _("Unit official")

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="region_roles",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL
    )

    class Meta:
        verbose_name = _("unit role")
        verbose_name_plural = _("unit roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"], name="region_role_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.region}"


class ClaimCode(models.Model):
    """A one-time code printed on a login card, with which a person who has no
    password yet claims their account on their own phone.

    Only a keyed hash of the code is stored (``users.claim.code_hash``); the code
    itself exists on the printed card alone.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="claim_codes",
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account claim code")
        verbose_name_plural = _("account claim codes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%d/%m/%Y}"
