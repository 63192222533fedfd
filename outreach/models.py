"""People helped by trained helpers, and the campaigns that count them.

- ``ProcedureField``: the catalogue of procedure fields (lĩnh vực thủ tục) a dossier
  filed online belongs to, loaded from ``outreach/data/`` and extended by editors.
- ``HelpRecord``: one person helped (lượt hỗ trợ) by a helper on a day. It keeps
  the helped person's commune at the time, as a certificate keeps its learner's,
  so reports stay true after units merge. The helped person confirms it by a link
  (no account), or a teacher or team leader of the helper confirms it. A record
  that looks unusual is flagged for review instead of counted silently.
- ``Campaign``: a named period over a unit with targets for trained people,
  helped people and the share of dossiers filed online.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from users.models import LearnerKind

# A short link's token: 12 characters of [A-Za-z0-9_-], 72 bits.
CONFIRM_TOKEN_BYTES = 9


def new_confirm_token() -> str:
    return secrets.token_urlsafe(CONFIRM_TOKEN_BYTES)


class ProcedureField(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short identifier, kept when the name changes."),
    )
    # The publication the row comes from, as the data file's header names it, or
    # "editor" for a field an editor added.
    source = models.CharField(_("source"), max_length=255, blank=True)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active fields are offered when a record is made."),
    )

    class Meta:
        verbose_name = _("procedure field")
        verbose_name_plural = _("procedure fields")
        ordering = ["name"]

    def __str__(self):
        return self.name


class HelpAction(models.TextChoices):
    ACCOUNT = "account", _("Created a VNeID or public-service-portal account")
    DOSSIER = "dossier", _("Filed a dossier online")
    FEE = "fee", _("Paid a fee online")
    APP = "app", _("Installed an app (VNeID, VssID, the province's app)")
    OTHER = "other", _("Other")


class HelpRelation(models.TextChoices):
    PARENT = "parent", _("Parent or relative")
    NEIGHBOUR = "neighbour", _("Neighbour")
    CITIZEN = "citizen", _("Citizen at the one-stop shop")


class HelpFlag(models.TextChoices):
    DAILY_LIMIT = "daily_limit", _("More records in one day than the set number")
    PHONE_REPEATED = "phone_repeated", _("The same phone number in many records")


class HelpRecord(models.Model):
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helper"),
        on_delete=models.PROTECT,
        related_name="help_records",
    )
    # The helper's kind when the record was made; reports may split by it.
    helper_kind = models.CharField(
        _("kind of helper"), max_length=20, choices=LearnerKind.choices, blank=True
    )
    helped_on = models.DateField(_("date"))
    # The helped person's commune at the time, and its path (for subtree queries),
    # kept as a certificate keeps its learner's unit.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_path = models.CharField(max_length=40, editable=False)
    action = models.CharField(_("what was done"), max_length=20, choices=HelpAction)
    procedure_field = models.ForeignKey(
        ProcedureField,
        verbose_name=_("procedure field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    relation = models.CharField(
        _("the helped person is"), max_length=20, choices=HelpRelation
    )
    helped_name = models.CharField(
        _("helped person's name"), max_length=150, blank=True
    )
    # Normalised as users.phone does ("+84912345678"), so repeats can be found.
    helped_phone = models.CharField(
        _("helped person's phone"), max_length=20, blank=True
    )
    # The helped person's consent to keep their name and phone, as a learner's
    # consent is kept (users.ConsentRecord): when, which text version, the text.
    consent_given_at = models.DateTimeField(
        _("consent given at"), null=True, blank=True
    )
    consent_version = models.CharField(
        _("consent text version"), max_length=20, blank=True
    )
    consent_text = models.TextField(_("consent text agreed to"), blank=True)

    confirm_token = models.CharField(
        max_length=20, unique=True, default=new_confirm_token, editable=False
    )
    # A link works for settings.OUTREACH_CONFIRM_DAYS from this moment.
    confirm_token_created_at = models.DateTimeField(
        _("link made at"), auto_now_add=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Empty when the helped person confirmed by the link.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    flag = models.CharField(
        _("flagged because"), max_length=20, choices=HelpFlag, null=True, blank=True
    )
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    # A reviewer cleared the flag: the record counts as any other.
    flag_cleared_at = models.DateTimeField(_("review done at"), null=True, blank=True)
    flag_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helped person record")
        verbose_name_plural = _("helped person records")
        ordering = ["-helped_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action=HelpAction.DOSSIER)
                | Q(procedure_field__isnull=True),
                name="help_record_field_only_for_dossier",
            ),
            models.CheckConstraint(
                condition=(Q(helped_name="") & Q(helped_phone=""))
                | Q(consent_given_at__isnull=False),
                name="help_record_contact_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | Q(confirmed_at__isnull=False),
                name="help_record_confirmer_needs_time",
            ),
            models.CheckConstraint(
                condition=Q(flag__isnull=True) | Q(flagged_at__isnull=False),
                name="help_record_flag_has_time",
            ),
            models.CheckConstraint(
                condition=Q(flag_cleared_at__isnull=True) | Q(flag__isnull=False),
                name="help_record_cleared_only_if_flagged",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_path", "helped_on"],
                name="help_record_region_prefix",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["helper", "helped_on"], name="help_record_helper_day"),
            models.Index(
                fields=["helped_phone"],
                condition=~Q(helped_phone=""),
                name="help_record_phone",
            ),
            models.Index(
                fields=["flagged_at"],
                condition=Q(flag__isnull=False, flag_cleared_at__isnull=True),
                name="help_record_open_flags",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.helped_on:%d/%m/%Y}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_flagged(self) -> bool:
        """Whether the record waits for a reviewer."""
        return self.flag is not None and self.flag_cleared_at is None


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_trained = models.PositiveIntegerField(_("target: trained people"), default=0)
    target_helped = models.PositiveIntegerField(_("target: helped people"), default=0)
    # Percent of dossiers filed online the campaign aims at, 0 to 100.
    target_online_share = models.DecimalField(
        _("target: share of dossiers filed online (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(target_online_share__gte=0)
                & Q(target_online_share__lte=100),
                name="campaign_online_share_percent",
            ),
        ]

    def __str__(self):
        return self.name
