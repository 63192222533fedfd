"""People: one ``User`` per human, whether they have a password yet or not.

A participant added by a teacher may have no password (a light account) and still
counts in classes and reports. ``ConsentRecord`` keeps each consent to the
processing of personal data with its time and the version of the text agreed to.

What keeps an account the person's own:

- ``ClaimCode``: the one-time code on a login card for a light account;
- ``AccountEvent``: every reset, re-issued card, claim, password change and the
  like, with who did it, for whom and when;
- ``AccessToken``: personal tokens for machines (the coverage feed), which
  expire and which the person can revoke;
- ``LoginSession``: the person's signed-in browsers, which they can end;
- ``PersonalDataExport``: every file of other people's data someone took (class
  progress, login cards, certificates), for the officials of its unit to see.

An erased account (``User.erased_at``) keeps its row, without anything that
names the person, so the records that reports count stay true.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .phone import display_phone

# What shows in place of the name of a person who deleted their account, in the
# records of others that keep them (classes they taught, certificates revoked).
ERASED_NAME = _("Deleted account")


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
    # A password reset goes only to a contact the person set and confirmed
    # themselves; changing the contact clears its confirmation.
    email_confirmed_at = models.DateTimeField(
        _("email confirmed at"),
        null=True,
        blank=True,
        help_text=_("When the person confirmed that this email address is theirs."),
    )
    phone_confirmed_at = models.DateTimeField(
        _("mobile number confirmed at"),
        null=True,
        blank=True,
        help_text=_(
            "When the person confirmed with a text message that this number is theirs."
        ),
    )
    # The address and number as they were confirmed: a contact changed by any
    # way at all (the admin, an import) is no longer confirmed.
    confirmed_email = models.EmailField(
        _("confirmed email"), max_length=254, blank=True, editable=False
    )
    confirmed_phone = models.CharField(
        _("confirmed mobile number"), max_length=16, blank=True, editable=False
    )
    erased_at = models.DateTimeField(
        _("erased at"),
        null=True,
        blank=True,
        help_text=_(
            "When the person deleted their account: what named them is erased, "
            "the counts of their training are kept."
        ),
    )

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
        if self.erased_at is not None:
            return str(ERASED_NAME)
        return self.full_name or self.get_username()

    def get_full_name(self):
        if self.erased_at is not None:
            return str(ERASED_NAME)
        return self.full_name or super().get_full_name()

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.get_username()

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone or "")

    @property
    def is_light(self) -> bool:
        """Whether the account has no password yet (added by a teacher)."""
        return self.erased_at is None and not self.has_usable_password()

    @property
    def email_confirmed(self) -> bool:
        """Whether the person confirmed the email the account has now."""
        return (
            bool(self.email)
            and self.email_confirmed_at is not None
            and self.email.lower() == self.confirmed_email.lower()
        )

    @property
    def phone_confirmed(self) -> bool:
        """Whether the person confirmed the mobile number the account has now."""
        return (
            bool(self.phone)
            and self.phone_confirmed_at is not None
            and self.phone == self.confirmed_phone
        )


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


class AccountEvent(models.Model):
    """Something done to an account that its owner may need to know about later:
    who did it, for whom, when and from where."""

    class Kind(models.TextChoices):
        RESET_REQUESTED = "reset_requested", _("Password reset asked for")
        RESET_SENT = "reset_sent", _("Password reset link sent")
        PASSWORD_RESET = "password_reset", _("Password set with a reset link")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        CARD_ISSUED = "card_issued", _("Login card issued")
        CLAIMED = "claimed", _("Account claimed with a login card")
        EMAIL_CONFIRMED = "email_confirmed", _("Email confirmed")
        PHONE_CONFIRMED = "phone_confirmed", _("Mobile number confirmed")
        PROFILE_CHANGED = "profile_changed", _("Details corrected")
        SESSION_ENDED = "session_ended", _("Signed-in session ended")
        TOKEN_CREATED = "token_created", _("Access token created")
        TOKEN_REVOKED = "token_revoked", _("Access token revoked")
        CONSENT_GIVEN = "consent_given", _("Consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        DATA_DOWNLOADED = "data_downloaded", _("Own data downloaded")
        ERASED = "erased", _("Account deleted")

    subject = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="account_events",
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when nobody was signed in (a reset asked for by phone)."),
    )
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Where a link or code went ("email", "sms"), the class of a card, and the like.
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self):
        return f"{self.subject} · {self.get_kind_display()} · {self.at:%d/%m/%Y}"


class AccessToken(models.Model):
    """A personal token with which a machine reads what its owner may read (the
    coverage feed), sent as ``Authorization: Bearer <token>``.

    Only a hash of the token is kept; the token is shown once, when made. It
    stops working when it expires, when its owner revokes it, and when the
    owner's password changes.
    """

    class Purpose(models.TextChoices):
        COVERAGE_FEED = "coverage_feed", _("Coverage feed")

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("What uses the token, to tell your tokens apart."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, shown to tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    # A stamp of the password when the token was made: a new password ends it.
    password_stamp = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()} · {self.prefix}…"


class LoginSession(models.Model):
    """A browser the person signed in on, so they can see it and end it."""

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="login_sessions",
    )
    session_key = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%d/%m/%Y %H:%M}"


class PersonalDataExport(models.Model):
    """A file of other people's personal data someone took from the platform:
    who, what, when, about how many people, and the unit those people belong
    to, whose officials may see the record."""

    class Kind(models.TextChoices):
        CLASS_PROGRESS = "class_progress", _("Class progress (XLSX)")
        LOGIN_CARDS = "login_cards", _("Login cards (PDF)")
        ROSTER = "roster", _("Roster check")
        CERTIFICATE = "certificate", _("Certificate of another person (PDF)")
        CERTIFICATE_BATCH = "certificate_batch", _("Certificates in bulk (ZIP or PDF)")

    actor = models.ForeignKey(
        User,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("about"), max_length=255, blank=True)
    people = models.PositiveIntegerField(_("people in it"), default=0)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit the file's people belong to (the class's unit)."),
    )
    # The unit's path, so an official's subtree is one prefix match.
    region_path = models.CharField(max_length=40, blank=True, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(
                fields=["region_path"],
                name="data_export_region_prefix",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self):
        return f"{self.actor} · {self.get_kind_display()} · {self.at:%d/%m/%Y}"
