"""Certificates: how a province counts a trained person.

- ``CertificateTemplate``: the design an editor makes in the Wagtail admin (title,
  issuing body, national motto, images, body text with placeholders, signatory).
  A course names its template and its issuing rule (``courses.CoursePage``).
- ``Certificate``: issued to one person for one completion of one course. It holds
  two secrets (the typed ``code`` and the QR ``token``, see ``codes``), everything
  printed on it as it was at issue time (so editing a template or a name later does
  not rewrite a paper already handed out), and a snapshot of the learner's unit at
  every level of the tree and their kind, which is what coverage reports count.
  Status is valid, revoked (with a reason) or expired (past ``expires_at``).
- ``MeritCertificate``: a certificate of merit (giấy khen) awarded to a person
  for what they did in a unit over a period (the helpers ranked first by
  ``outreach``), printed from a template of the merit kind, with a code and a
  token drawn like a certificate's and checked at the same /verify/ pages. It is
  a table of its own, not a kind of ``Certificate``: every count of trained
  people reads ``Certificate``, so a giấy khen cannot be counted by a query
  that forgot a filter.
- ``CertificateBatch`` and ``CertificateBatchItem``: a bulk run for a class or a
  unit, done by a background task. Each item records its own status, so a run that
  crashed or was stopped resumes where it stopped without a duplicate certificate.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import PreviewableMixin

from users.models import LearnerKind

from .codes import CODE_LENGTH, TOKEN_LENGTH, new_code, new_token
from .storage import private_storage

# The placeholders a template's body text may use, and what each stands for.
PLACEHOLDERS = {
    "learner_name": _("the learner's full name"),
    "date_of_birth": _("the learner's date of birth (dd/mm/yyyy), when known"),
    "course": _("the course title"),
    "hours": _("the course's duration in hours"),
    "class": _("the class the learner took the course in, when any"),
    "unit": _("the learner's administrative unit"),
    "issue_date": _("the issue date (dd/mm/yyyy)"),
    "place": _("the place of issue"),
}


# The placeholders of a certificate of merit (giấy khen) template.
MERIT_PLACEHOLDERS = {
    "learner_name": _("the person's full name"),
    "date_of_birth": _("the learner's date of birth (dd/mm/yyyy), when known"),
    "reason": _("what the certificate of merit is for"),
    "helped": _("the number of confirmed helped people"),
    "period": _("the period, from dd/mm/yyyy to dd/mm/yyyy"),
    "campaign": _("the campaign, when any"),
    "unit": _("the unit the certificate of merit is for"),
    "issue_date": _("the issue date (dd/mm/yyyy)"),
    "place": _("the place of issue"),
}


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_placeholders(body: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; unknown ones are left as typed.

    Not ``str.format_map``: a format string also reaches attributes and items
    (``{learner_name.__class__}``), which an editor's text has no business doing,
    and a stray brace would raise.
    """
    return _PLACEHOLDER.sub(
        lambda match: values.get(match.group(1), match.group(0)), body
    )


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("A4 landscape")
    PORTRAIT = "portrait", _("A4 portrait")


class TemplateKind(models.TextChoices):
    COMPLETION = "completion", _("Certificate of completion of a course")
    MERIT = "merit", _("Certificate of merit (giấy khen)")


class CertificateTemplate(PreviewableMixin, models.Model):
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The name editors pick the template by; not printed."),
    )
    kind = models.CharField(
        pgettext_lazy("certificate template", "kind"),
        max_length=20,
        choices=TemplateKind.choices,
        default=TemplateKind.COMPLETION,
        help_text=_(
            "A course names a template of completion; the certificates of merit "
            "awarded to the top helpers are printed from a template of merit."
        ),
    )
    title = models.CharField(_("title"), max_length=120, default="GIẤY CHỨNG NHẬN")
    # The issuing body as printed top left, for example "UBND TỈNH HƯNG YÊN" over
    # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"; one line each.
    issuer_parent = models.CharField(
        _("governing body"),
        max_length=200,
        blank=True,
        help_text=_("The body above the issuer, printed above it. Optional."),
    )
    issuer = models.CharField(
        _("issuing body"),
        max_length=200,
        help_text=_("The body that issues the certificate, as printed."),
    )
    motto_country = models.CharField(
        _("national title"),
        max_length=120,
        default="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    )
    motto = models.CharField(
        _("national motto"), max_length=120, default="Độc lập - Tự do - Hạnh phúc"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background or border"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A picture or border drawn under the whole page. It is resized for "
            "print, so any large photo will do."
        ),
    )
    body = models.TextField(
        _("body text"),
        help_text=_(
            "The text of the certificate. Placeholders in braces are filled in for "
            "each learner: {learner_name}, {date_of_birth}, {course}, {hours}, "
            "{class}, {unit}, {issue_date}, {place}."
        ),
    )
    place = models.CharField(
        _("place of issue"),
        max_length=100,
        help_text=_('Printed before the date, as in "Hưng Yên, ngày 21 tháng 11…".'),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150)
    signatory_title = models.CharField(
        _("signatory's title"),
        max_length=200,
        help_text=_('For example "GIÁM ĐỐC" or "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC".'),
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    orientation = models.CharField(
        # Its own context: the root catalogue's "page" would be Wagtail's too.
        pgettext_lazy("certificate template", "page"),
        max_length=20,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def placeholders(self) -> dict:
        """Return the placeholders the body of a template of this kind may use."""
        if self.kind == TemplateKind.MERIT:
            return MERIT_PLACEHOLDERS
        return PLACEHOLDERS

    def printed_with(self, values: dict[str, str]) -> dict[str, str]:
        """Return everything a certificate of this template prints, given the
        values of the placeholders (one per key of PLACEHOLDERS)."""
        return {
            **values,
            "issuer": self.issuer,
            "issuer_parent": self.issuer_parent,
            "signatory_name": self.signatory_name,
            "signatory_title": self.signatory_title,
            "title": self.title,
            "motto_country": self.motto_country,
            "motto": self.motto,
            "body": fill_placeholders(self.body, values),
        }

    def clean(self):
        """Accept in the body only the placeholders that are filled, in braces
        that open and close."""
        super().clean()
        known = self.placeholders()
        unknown = [
            name for name in re.findall(r"\{([^{}]*)\}", self.body) if name not in known
        ]
        errors = [
            ValidationError(
                _("Unknown placeholder {%(name)s}. Use one of: %(names)s."),
                code="unknown_placeholder",
                params={
                    "name": name,
                    "names": ", ".join(f"{{{each}}}" for each in known),
                },
            )
            for name in dict.fromkeys(unknown)
        ]
        if re.search(r"[{}]", re.sub(r"\{[^{}]*\}", "", self.body)):
            errors.append(
                ValidationError(
                    _(
                        "A brace is opened and not closed, or closed and not "
                        "opened. Write a placeholder as {learner_name}."
                    ),
                    code="unbalanced_brace",
                )
            )
        if errors:
            raise ValidationError({"body": errors})
        self._clean_kind()

    def _clean_kind(self):
        """Refuse to change the kind of a template already in use: a course
        names a template of completion, a giấy khen one of merit."""
        if self.pk is None:
            return
        if self.kind == TemplateKind.MERIT and self.policies.exists():
            raise ValidationError(
                {
                    "kind": _(
                        "Courses give certificates with this template, so it "
                        "cannot become a template of merit. Copy it instead."
                    )
                }
            )
        if self.kind != TemplateKind.MERIT and self.merit_certificates.exists():
            raise ValidationError(
                {
                    "kind": _(
                        "Certificates of merit were printed with this template, "
                        "so it stays a template of merit. Copy it instead."
                    )
                }
            )

    def serve_preview(self, request, mode_name):
        """Answer the admin's preview with the real PDF, filled with sample data."""
        from django.http import HttpResponse

        from .pdf import template_preview_pdf

        response = HttpResponse(
            template_preview_pdf(self), content_type="application/pdf"
        )
        response["Content-Disposition"] = 'inline; filename="xem-truoc.pdf"'
        return response


class CertificatePolicy(models.Model):
    """What a course's certificate is: its template, the share of class sessions
    it asks for, how long it stays valid and the hours it prints. A course without
    one gives no certificate.

    Edited inline on the course page (certificates adds the panel to the course
    editor, ``CertificatesConfig.ready()``), and kept with the page's revisions,
    so a change is live when the course is published; courses knows nothing of
    it.
    """

    course = ParentalKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="certificate_policies",
        verbose_name=_("course"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        on_delete=models.PROTECT,
        related_name="policies",
        limit_choices_to={"kind": TemplateKind.COMPLETION},
        help_text=_("The certificate learners get."),
    )
    min_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "The share of their class's sessions a learner must attend, in per cent, "
            "besides completing the course. Leave empty for no attendance rule."
        ),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many months a certificate stays valid. Leave empty for no expiry."
        ),
    )
    hours = models.DecimalField(
        _("hours on the certificate"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "The training hours printed on the certificate. Leave empty to use the "
            "estimated duration."
        ),
    )

    panels = [
        FieldPanel("template"),
        FieldPanel("min_attendance"),
        FieldPanel("valid_months"),
        FieldPanel("hours"),
    ]

    class Meta:
        verbose_name = _("certificate rule")
        verbose_name_plural = _("certificate rules")
        constraints = [
            models.UniqueConstraint(
                fields=["course"], name="certificate_policy_one_per_course"
            )
        ]

    def __str__(self):
        return str(self.template)


class CertificateQuerySet(models.QuerySet):
    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def expired(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__lte=now)

    def valid(self, now=None):
        """Return the certificates that are neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Verifiable(models.Model):
    """What a certificate and a certificate of merit share: the two secrets
    anyone checks it by at /verify/, its revoking with a reason, and its
    withdrawal by a holder who deleted their account."""

    code = models.CharField(
        _("code"), max_length=CODE_LENGTH, unique=True, default=new_code, editable=False
    )
    token = models.CharField(
        max_length=TOKEN_LENGTH, unique=True, default=new_token, editable=False
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    # The holder deleted their account: the name and date of birth are gone from
    # what is printed, the verification page says so, the reports still count it.
    withdrawn_at = models.DateTimeField(
        _("withdrawn by the holder at"), null=True, blank=True
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.code} · {self.printed.get('learner_name', '')}"

    def get_absolute_url(self):
        return reverse("certificates:verify_token", args=[self.token])


class Certificate(Verifiable):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # The enrolment's completion this certificate is for. One certificate per
    # completion: a learner who redoes the course completes it again and gets a
    # renewed certificate, and a revoked one is not silently issued again.
    completed_at = models.DateTimeField(_("course completed at"))
    training_class = models.ForeignKey(
        "classes.TrainingClass",
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    renewal_of = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewed_by",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who issued it in bulk; empty when issued on completion."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    # What is printed, as it was at issue time: learner_name, date_of_birth,
    # course, hours, class, unit, issue_date, place, issuer, issuer_parent,
    # signatory_name, signatory_title, title, motto_country, motto and body (the
    # body text with its placeholders filled in).
    printed = models.JSONField(_("printed text"), default=dict)

    # The learner's unit and kind at issue time; reports count these. The unit as
    # recorded, its path (for subtree queries) and the unit at each level of the
    # tree it belonged to. A pre-reform unit keeps its own path; reports roll it up
    # through Region.replaced_by.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("unit at issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_path = models.CharField(max_length=40, blank=True, editable=False)
    province = models.ForeignKey(
        "regions.Region",
        verbose_name=_("province at issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district at issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only for pre-reform units, which had districts."),
    )
    commune = models.ForeignKey(
        "regions.Region",
        verbose_name=_("commune at issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    learner_kind = models.CharField(
        _("kind of learner at issue"), max_length=20, choices=LearnerKind.choices
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        permissions = [("revoke_certificate", _("Can revoke certificates"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "completed_at"],
                name="certificate_unique_completion",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revoked_with_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_path"],
                name="certificate_region_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["course", "issued_at"]),
            # The certificates of a period, newest first: the admin's list and
            # the class report. Made for the coverage reports' ranking (the
            # INCLUDE columns, PostgreSQL's), which now read reports'
            # CertificateSpan.
            models.Index(
                fields=["issued_at"],
                include=[
                    "id",
                    "user",
                    "region",
                    "course",
                    "learner_kind",
                    "revoked_at",
                    "expires_at",
                ],
                name="certificate_issued_report_idx",
            ),
            # Coverage reports: the certificates revoked in a period.
            models.Index(
                fields=["revoked_at"],
                condition=Q(revoked_at__isnull=False),
                name="certificate_revoked_idx",
            ),
        ]

    def status_at(self, now=None) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class MeritCertificate(Verifiable):
    """A certificate of merit (giấy khen): awarded by an official or a team
    leader to a person for what they did in a unit over a period, such as the
    people they helped in a campaign. Never counts as training."""

    # Certificate pages and PDFs tell the two apart by this.
    is_merit = True
    Status = Certificate.Status
    # A certificate of merit never expires; only revoking ends it.
    expires_at = None

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("awarded to"),
        on_delete=models.PROTECT,
        related_name="merit_certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="merit_certificates",
        limit_choices_to={"kind": TemplateKind.MERIT},
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("awarded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit the award is for (the ranking's unit, or the leader's team's),
    # and its path: the officials over it see and may revoke the award.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_path = models.CharField(max_length=40, editable=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # The campaign's name when the award is for a campaign; printed.
    campaign_name = models.CharField(_("campaign"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    # The confirmed helped people counted in the period when it was awarded.
    helped_count = models.PositiveIntegerField(_("confirmed helped people"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # What is printed, as it was at award time: learner_name, date_of_birth,
    # reason, helped, period, campaign, unit, issue_date, place, issuer,
    # issuer_parent, signatory_name, signatory_title, title, motto_country,
    # motto and body.
    printed = models.JSONField(_("printed text"), default=dict)

    class Meta:
        verbose_name = _("certificate of merit")
        verbose_name_plural = _("certificates of merit")
        ordering = ["-issued_at"]
        constraints = [
            # One per person, unit and period: awarding again says it exists.
            models.UniqueConstraint(
                fields=["user", "region", "period_start", "period_end"],
                name="merit_certificate_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="merit_certificate_revoked_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="merit_certificate_period_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_path"],
                name="merit_certificate_region",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def status_at(self, now=None) -> str:
        return self.Status.REVOKED if self.revoked_at else self.Status.VALID

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateBatch(models.Model):
    """A bulk run: certificates for everyone eligible in a class or under a unit."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped by an error")

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    training_class = models.ForeignKey(
        "classes.TrainingClass",
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The two downloads, written under a temporary name and moved into place once
    # complete, so a crash never leaves a half-written file behind.
    # They live in private storage: only views that check who asks send them.
    zip_file = models.FileField(_("ZIP of PDFs"), blank=True, storage=private_storage)
    print_file = models.FileField(
        _("print-ready PDF"), blank=True, storage=private_storage
    )
    # Touched as the run goes; a running batch whose heartbeat is old was stopped
    # (its worker killed) and may be resumed.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(training_class__isnull=False) | Q(region__isnull=False),
                name="certificate_batch_has_scope",
            ),
        ]

    def __str__(self):
        scope = self.training_class or self.region
        return f"{self.course} · {scope}"


class CertificateBatchItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ISSUED = "issued", _("Issued")
        INELIGIBLE = "ineligible", _("Not eligible")
        RENDERED = "rendered", _("PDF ready")

    batch = models.ForeignKey(
        CertificateBatch,
        verbose_name=_("batch"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Roster order: the order of the pages in the print-ready PDF.
    position = models.PositiveIntegerField(_("position"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "user"], name="certificate_batch_item_unique"
            ),
        ]

    def __str__(self):
        return f"{self.batch} · {self.user} · {self.get_status_display()}"
