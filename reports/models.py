"""Coverage targets (chỉ tiêu): how many people a unit must train by a date.

A ``Target`` is set by an official for a current unit in their subtree (or imported
from a sheet): people of one kind, or of every kind, in one course or in any
course, by a due date. Reports compare the people trained with the target in force
for the period (``reports.selectors.targets``). Targets at a lower level roll up: a unit
without its own target for a (kind, course) counts the sum of its children's; a
unit's own target wins where both exist.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certificates.storage import private_storage
from users.models import LearnerKind

ALL_KINDS = "all"


class TargetKind(models.TextChoices):
    ALL = ALL_KINDS, _("Everyone")
    VOLUNTEER = LearnerKind.VOLUNTEER.value, LearnerKind.VOLUNTEER.label
    STUDENT = LearnerKind.STUDENT.value, LearnerKind.STUDENT.label
    TEACHER = LearnerKind.TEACHER.value, LearnerKind.TEACHER.label
    OFFICIAL = LearnerKind.OFFICIAL.value, LearnerKind.OFFICIAL.label
    CITIZEN = LearnerKind.CITIZEN.value, LearnerKind.CITIZEN.label


class Target(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="coverage_targets",
        limit_choices_to={"is_current": True},
    )
    kind = models.CharField(
        _("people to train"),
        max_length=20,
        choices=TargetKind.choices,
        default=TargetKind.ALL,
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coverage_targets",
        help_text=_("Leave empty for a target in any course."),
    )
    due_on = models.DateField(_("due date"))
    # A number of distinct people, not of certificates.
    people = models.PositiveIntegerField(_("number of people"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["region__path", "due_on", "kind"]
        constraints = [
            # Two constraints, because NULL courses are never equal in a plain one.
            models.UniqueConstraint(
                fields=["region", "kind", "course", "due_on"],
                condition=Q(course__isnull=False),
                name="target_unique_course",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "due_on"],
                condition=Q(course__isnull=True),
                name="target_unique_any_course",
            ),
        ]

    def __str__(self):
        course = self.course.title if self.course_id else _("any course")
        return (
            f"{self.region} · {self.get_kind_display()} · {course} · "
            f"{self.due_on:%d/%m/%Y}: {self.people}"
        )


class CertificateSpan(models.Model):
    """When a certificate is its person's counting certificate (``reports.spans``):
    at the ends of period strictly between ``after`` and ``before``, for the
    scopes flagged. Derived from the certificates, never edited: refreshed after each
    certificate write commits (``reports.receivers``)
    and rebuilt by ``manage.py rebuild_report_counts``."""

    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Copies of the certificate's snapshot, so a report reads this table alone.
    issued_at = models.DateTimeField()
    region = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.PROTECT, related_name="+"
    )
    learner_kind = models.CharField(max_length=20)
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+"
    )
    after = models.DateTimeField()
    before = models.DateTimeField(null=True)  # null: no end
    # Counting among all the person's certificates, those of the same course,
    # the same kind, the same course and kind.
    for_person = models.BooleanField(default=False)
    for_course = models.BooleanField(default=False)
    for_kind = models.BooleanField(default=False)
    for_course_kind = models.BooleanField(default=False)
    # The one row of the certificate that counts it as issued.
    first = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("certificate span")
        verbose_name_plural = _("certificate spans")
        indexes = [
            # A report reads its units' rows of the period from the index alone
            # (the INCLUDE is PostgreSQL's; elsewhere a plain index).
            models.Index(
                fields=["region", "issued_at"],
                include=[
                    "learner_kind",
                    "course",
                    "after",
                    "before",
                    "for_person",
                    "for_course",
                    "for_kind",
                    "for_course_kind",
                    "first",
                ],
                name="certificate_span_unit_idx",
            ),
        ]

    def __str__(self):
        return f"{self.certificate_id}: {self.after} – {self.before or '…'}"


class _EnrolmentDays(models.Model):
    """Enrolments started on a day (the local date, settings.TIME_ZONE, of
    ``enrolled_at``) of one kind of learner, under the key of each table of
    days. Each table has its key and an index led by the unit (or province)
    and the day, so a report reads its units' days of the period from the
    index alone (the INCLUDE is PostgreSQL's)."""

    learner_kind = models.CharField(max_length=20)
    day = models.DateField()
    enrolments = models.IntegerField(default=0)

    class Meta:
        abstract = True


class EnrolmentDay(_EnrolmentDays):
    """Enrolments started on a day (local date), by the unit and kind of their
    snapshot: derived from the enrolments, refreshed after each is created,
    changed or deleted (``reports.receivers``) and rebuilt by ``manage.py
    rebuild_report_counts``.
    Enrolments without a unit count nowhere and have no row."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("enrolments of a day")
        verbose_name_plural = _("enrolments by day")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "day", "learner_kind"], name="enrolment_day_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "day"],
                include=["learner_kind", "enrolments"],
                name="enrolment_day_report_idx",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} · {self.learner_kind} · {self.day}: {self.enrolments}"


class CourseEnrolmentDay(_EnrolmentDays):
    """Enrolments started on a day in a course, by kind, in the current province
    their unit counts in (the split by course of a province's dashboard);
    derived and kept as ``EnrolmentDay``."""

    province = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolments of a day in a course")
        verbose_name_plural = _("enrolments by day and course")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "day", "course", "learner_kind"],
                name="course_enrolment_day_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["province", "day"],
                include=["course", "learner_kind", "enrolments"],
                name="course_enrol_day_report_idx",
            ),
        ]

    def __str__(self):
        return f"{self.province_id} · {self.course_id} · {self.day}: {self.enrolments}"


class UnitCourseEnrolmentDay(_EnrolmentDays):
    """Enrolments started on a day in a course, by the unit and kind of their
    snapshot (the dashboards below a province, and any with a course filter);
    derived and kept as ``EnrolmentDay``."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolments of a day in a unit and course")
        verbose_name_plural = _("enrolments by day, unit and course")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "day", "course", "learner_kind"],
                name="unit_course_enrolment_day_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "day"],
                include=["course", "learner_kind", "enrolments"],
                name="unit_course_day_report_idx",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} · {self.course_id} · {self.day}: {self.enrolments}"


class _Participation(models.Model):
    """What the reports keep of an attended record (present or late,
    ``classes.models.ATTENDED``): where and when it was, and when its person's
    next attended session in the same scope starts (``until``; of the same kind
    of learner too, ``until_kind``; null when there is none). A record counts
    its person as a participant of a period when it is in the period and its
    ``until`` is not: it is then their last attended session of the period.
    Derived from the attendance, its session and its class, never edited:
    refreshed after each write commits (``reports.receivers``) and rebuilt by
    ``manage.py rebuild_report_counts``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    training_class = models.ForeignKey(
        "classes.TrainingClass", on_delete=models.CASCADE, related_name="+"
    )
    # Copies of the class's unit, the learner's kind when marked and the
    # session's start, so a report reads this table alone.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+"
    )
    learner_kind = models.CharField(max_length=20)
    starts_at = models.DateTimeField()
    until = models.DateTimeField(null=True)
    until_kind = models.DateTimeField(null=True)

    class Meta:
        abstract = True


class Participation(_Participation):
    """An attended record as the reports count it, among all its person's
    attended records (see ``_Participation``)."""

    attendance = models.OneToOneField(
        "classes.Attendance",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Led by participation_class_idx.
    training_class = models.ForeignKey(
        "classes.TrainingClass",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [
            # A report reads its units' rows of the period from the index alone
            # (the INCLUDE is PostgreSQL's; elsewhere a plain index).
            models.Index(
                fields=["region", "starts_at"],
                include=["learner_kind", "until", "until_kind"],
                name="participation_unit_idx",
            ),
            models.Index(
                fields=["training_class", "starts_at"],
                include=["user", "learner_kind"],
                name="participation_class_idx",
            ),
        ]

    def __str__(self):
        return f"{self.attendance_id}: {self.starts_at} – {self.until or '…'}"


class CourseParticipation(_Participation):
    """An attended record as the reports count it in one course of its class,
    among its person's attended records in that course (see
    ``_Participation``): one row per course of the class."""

    attendance = models.ForeignKey(
        "classes.Attendance", on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("participation in a course")
        verbose_name_plural = _("participations in a course")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "course"],
                name="course_participation_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "starts_at"],
                include=["course", "learner_kind", "until", "until_kind"],
                name="course_participation_unit_idx",
            ),
        ]

    def __str__(self):
        return f"{self.attendance_id} · {self.course_id}: {self.starts_at}"


class OutcomePeriod(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class OutcomeFigure(models.Model):
    """What the province's one-stop-shop software reported for one commune (or
    any current unit) over one week or month, imported or typed in by an
    official (``reports.outcomes_import``, ``services.outcome_figure_set``).

    A week starts on a Monday and a month on its first day: ``period_start``
    with ``period`` says which week or month it is."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="outcome_figures",
        limit_choices_to={"is_current": True},
    )
    period = models.CharField(_("period"), max_length=5, choices=OutcomePeriod.choices)
    period_start = models.DateField(
        _("first day of the period"),
        help_text=_("A Monday for a week, the first day of the month for a month."),
    )
    # Dossiers (hồ sơ) the one-stop shop received in the period, in all ways.
    received = models.PositiveIntegerField(_("dossiers received"))
    received_online = models.PositiveIntegerField(_("dossiers received online"))
    processed_online = models.PositiveIntegerField(_("dossiers processed online"))
    paid_online = models.PositiveIntegerField(_("dossiers paid online"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("outcome figures")
        verbose_name_plural = _("outcome figures")
        ordering = ["region__path", "period", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "period_start"],
                name="outcome_figure_unique",
            ),
            models.CheckConstraint(
                condition=Q(period__in=OutcomePeriod.values),
                name="outcome_figure_period_kind",
            ),
            models.CheckConstraint(
                condition=Q(
                    received__gte=0,
                    received_online__gte=0,
                    processed_online__gte=0,
                    paid_online__gte=0,
                ),
                name="outcome_figure_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(received_online__lte=models.F("received")),
                name="outcome_figure_online_within_received",
            ),
            models.CheckConstraint(
                condition=Q(processed_online__lte=models.F("received")),
                name="outcome_figure_processed_within_received",
            ),
            models.CheckConstraint(
                condition=Q(paid_online__lte=models.F("received")),
                name="outcome_figure_paid_within_received",
            ),
        ]

    def __str__(self):
        return (
            f"{self.region} · {self.get_period_display()} {self.period_start:%d/%m/%Y}"
            f": {self.received_online}/{self.received}"
        )

    @property
    def period_end(self):
        """Return the period's last day."""
        return period_end(self.period, self.period_start)

    @property
    def online_share(self) -> float | None:
        return self.received_online / self.received if self.received else None


def period_end(period: str, start):
    """Return the last day of the week or month starting on start."""
    if period == OutcomePeriod.WEEK:
        return start + datetime.timedelta(days=6)
    following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _campaign_report_path(instance, filename):
    return f"campaign-reports/{instance.campaign_id}/{filename}"


def _campaign_card_path(instance, filename):
    return f"campaign-reports/{instance.report.campaign_id}/cards/{filename}"


class CampaignReport(models.Model):
    """The weekly report of a campaign (``outreach.Campaign``), made every
    Monday for the week before (``services.campaign_report_make``): a PDF with
    one ranked line per unit below the campaign's, and a PNG card per unit
    (``CampaignCard``), kept in the private storage for officials to
    download."""

    campaign = models.ForeignKey(
        "outreach.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The Monday of the week reported; the figures run from the campaign's
    # start to that week's Sunday (or the campaign's end, when sooner).
    week_start = models.DateField(_("week of"))
    period_end = models.DateField(_("figures up to"))
    pdf = models.FileField(
        _("PDF report"),
        upload_to=_campaign_report_path,
        storage=private_storage,
        blank=True,
    )
    made_at = models.DateTimeField(_("made at"), auto_now=True)

    class Meta:
        verbose_name = _("weekly campaign report")
        verbose_name_plural = _("weekly campaign reports")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "week_start"], name="campaign_report_unique"
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id} · {self.week_start:%d/%m/%Y}"


class CampaignCard(models.Model):
    """One unit's summary card of a weekly campaign report, a PNG to post in a
    chat group."""

    report = models.ForeignKey(
        CampaignReport,
        verbose_name=_("weekly campaign report"),
        on_delete=models.CASCADE,
        related_name="cards",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Its place in the report's ranking (1 first); 0 for the campaign's unit.
    rank = models.PositiveIntegerField(_("rank"), default=0)
    image = models.FileField(
        _("summary card (PNG)"),
        upload_to=_campaign_card_path,
        storage=private_storage,
    )

    class Meta:
        verbose_name = _("summary card")
        verbose_name_plural = _("summary cards")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "region"], name="campaign_card_unique"
            ),
        ]

    def __str__(self):
        return f"{self.report} · {self.region_id}"


class HelpDay(models.Model):
    """The help records (``outreach.HelpRecord``) of one commune and day, as
    the outcomes view counts them: ``helped`` every counted record (all but
    those flagged and not yet reviewed), ``confirmed`` and ``dossiers`` among
    those, and ``awaiting`` the flagged ones waiting for review. Keyed by the
    record's own unit; a report rolls the communes up to its rows when it
    reads. Derived from the records, never edited: refreshed after each write
    of outreach commits (``reports.receivers``) and rebuilt by ``manage.py
    rebuild_report_counts``. A (unit, day) without records has no row."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    day = models.DateField()
    helped = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    dossiers = models.IntegerField(default=0)
    awaiting = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("help records of a day")
        verbose_name_plural = _("help records by day")
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="help_day_unique"),
        ]
        indexes = [
            models.Index(
                fields=["region", "day"],
                include=["helped", "confirmed", "dossiers", "awaiting"],
                name="help_day_report_idx",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} · {self.day}: {self.helped}"


class CountedHelp(models.Model):
    """A counted help record (all but those flagged and not yet reviewed) as
    the reports keep it: its helper, unit and day, and ``until``, the day of
    the same helper's next counted record in order of day, then id (null when
    there is none). A record is its helper's last counted record of a period
    when it is in the period and its ``until`` is not: the active helpers of
    a period are counted from those rows alone. Derived and kept as
    ``HelpDay``, one helper's rows at a time."""

    record = models.OneToOneField(
        "outreach.HelpRecord",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    helped_on = models.DateField()
    until = models.DateField(null=True)

    class Meta:
        verbose_name = _("counted help record")
        verbose_name_plural = _("counted help records")
        indexes = [
            # The last records of a period are those whose next one is after
            # it: a range of this index (a period's records number hundreds
            # of thousands, its helpers' last ones a few thousand).
            models.Index(
                fields=["until", "helped_on"],
                include=["region"],
                name="counted_help_until_idx",
            ),
            models.Index(
                fields=["region", "helped_on"],
                include=["until"],
                name="counted_help_unit_idx",
            ),
        ]

    def __str__(self):
        return f"{self.record_id}: {self.helped_on} – {self.until or '…'}"
