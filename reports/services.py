"""Writes of the reports app: its own targets, and the counts it keeps of other
apps' records (certificate spans, enrolments by day, participations); never
other apps' data.

The counts are refreshed after the other app's write has committed, never in
its transaction: ``reports.receivers`` notes what a write changed and, once it
commits, enqueues ``reports.tasks.report_counts_refresh_task``, which calls
``report_counts_refresh`` here. Each refresh recomputes what it was told of
from the committed records (running it twice changes nothing), and two
refreshes of the same rows take turns on PostgreSQL advisory locks, not on
other apps' rows."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Aggregate, Count, F, Q, Sum, Value, Window
from django.db.models.functions import Lead, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from classes.models import ATTENDED, Attendance
from courses.models import CoursePage, Enrolment
from outreach.models import HelpAction, HelpRecord
from outreach.selectors import counted as counted_help
from regions.models import Region
from users import scopes

from . import spans
from .models import (
    CertificateSpan,
    CountedHelp,
    CourseEnrolmentDay,
    CourseParticipation,
    EnrolmentDay,
    HelpDay,
    OutcomeFigure,
    OutcomePeriod,
    Participation,
    Target,
    UnitCourseEnrolmentDay,
)
from .selectors.cache import figures_changed


def can_set_target(user, region: Region) -> bool:
    """Return whether the user may set targets for the unit: one they answer for
    (users.scopes.can_act_for_region). Only current units have targets."""
    return region.is_current and scopes.can_act_for_region(user, region)


@transaction.atomic
def target_set(
    *,
    region: Region,
    kind: str,
    course: CoursePage | None,
    due_on: datetime.date,
    people: int,
    set_by=None,
) -> Target:
    """Set the unit's target for (kind, course, due date), replacing the number of
    one already set for the same four; with ``set_by``, check they may."""
    if set_by is not None and not can_set_target(set_by, region):
        raise PermissionDenied
    if not region.is_current:
        raise ValidationError(_("Targets are set for current units only."))
    if people < 0:
        raise ValidationError(_("The number of people cannot be negative."))
    target, _created = Target.objects.update_or_create(
        region=region,
        kind=kind,
        course=course,
        due_on=due_on,
        defaults={"people": people, "set_by": set_by},
    )
    return target


def target_delete(*, target: Target, deleted_by=None) -> None:
    """Delete a target; with ``deleted_by``, check they may."""
    if deleted_by is not None and not can_set_target(deleted_by, target.region):
        raise PermissionDenied
    target.delete()


# Outcome figures: what the one-stop shops reported ---------------------------

OUTCOME_COUNTS = ("received", "received_online", "processed_online", "paid_online")


def outcome_period_error(
    period: str, start: datetime.date, *, today: datetime.date | None = None
) -> str:
    """Return what is wrong with a period (a kind and its first day), or ""."""
    if period not in OutcomePeriod.values:
        return _("The period is a week or a month.")
    if period == OutcomePeriod.WEEK and start.weekday() != 0:
        return _("%(day)s is not a Monday: a week's figures start on its Monday.") % {
            "day": f"{start:%d/%m/%Y}"
        }
    if period == OutcomePeriod.MONTH and start.day != 1:
        return _(
            "%(day)s is not the first day of a month: write the month's first day, "
            "for example 01/%(month)s."
        ) % {"day": f"{start:%d/%m/%Y}", "month": f"{start:%m/%Y}"}
    today = today or timezone.localdate()
    if start > today:
        return _("The period has not begun yet: figures are for past periods.")
    return ""


def outcome_counts_errors(counts: dict[str, int]) -> dict[str, str]:
    """Return a message per count at fault: each a whole number, none of the
    online counts above the dossiers received."""
    errors = {}
    for name in OUTCOME_COUNTS:
        if counts.get(name) is None or counts[name] < 0:
            errors[name] = _("Write a whole number, 0 or more.")
    if errors:
        return errors
    received = counts["received"]
    messages = {
        "received_online": _(
            "%(count)s dossiers received online is more than the %(received)s received."
        ),
        "processed_online": _(
            "%(count)s dossiers processed online is more than the %(received)s "
            "received."
        ),
        "paid_online": _(
            "%(count)s dossiers paid online is more than the %(received)s received."
        ),
    }
    for name, message in messages.items():
        if counts[name] > received:
            errors[name] = message % {"count": counts[name], "received": received}
    return errors


@transaction.atomic
def outcome_figure_set(
    *,
    region: Region,
    period: str,
    period_start: datetime.date,
    received: int,
    received_online: int,
    processed_online: int,
    paid_online: int,
    set_by=None,
) -> OutcomeFigure:
    """Set a unit's one-stop-shop figures of a week or month, replacing those
    set before for the same period; with ``set_by``, check they may."""
    if set_by is not None and not can_set_target(set_by, region):
        raise PermissionDenied
    if not region.is_current:
        raise ValidationError(_("Figures are set for current units only."))
    problem = outcome_period_error(period, period_start)
    if problem:
        raise ValidationError({"period_start": problem})
    counts = {
        "received": received,
        "received_online": received_online,
        "processed_online": processed_online,
        "paid_online": paid_online,
    }
    errors = outcome_counts_errors(counts)
    if errors:
        raise ValidationError(errors)
    figure, _created = OutcomeFigure.objects.update_or_create(
        region=region,
        period=period,
        period_start=period_start,
        defaults={**counts, "set_by": set_by},
    )
    return figure


# Weekly campaign reports ------------------------------------------------------


def campaign_report_make(*, campaign, week_start: datetime.date):
    """Make (or make again) a campaign's report of the week starting on the
    Monday week_start: the PDF with one ranked line per unit below the
    campaign's, and a PNG card for the campaign's unit and for each unit
    below, all kept in the private storage. Return the CampaignReport."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from .cards import summary_card
    from .models import CampaignCard, CampaignReport
    from .pdf import campaign_pdf
    from .selectors.outcomes import (
        campaign_week_filters,
        outcomes_dashboard,
        ranked_units,
    )

    if week_start.weekday() != 0:
        raise ValidationError(_("A weekly report starts on a Monday."))
    filters = campaign_week_filters(campaign, week_start)
    if filters.end < filters.start:
        raise ValidationError(_("The campaign had not begun in that week."))
    with translation.override("vi"):
        dashboard = outcomes_dashboard(filters=filters, campaign=campaign)
        ranked = ranked_units(dashboard.children)
        title = _("%(campaign)s: week of %(day)s") % {
            "campaign": campaign.name,
            "day": f"{week_start:%d/%m/%Y}",
        }
        pdf = campaign_pdf(
            campaign=campaign, dashboard=dashboard, ranked=ranked, title=title
        )
        target = float(campaign.target_online_share) / 100 or None
        cards = [(0, campaign.region, dashboard.totals)] + [
            (rank, row.region, row.figures) for rank, row in ranked
        ]
        images = [
            (
                rank,
                region,
                summary_card(
                    campaign_name=campaign.name,
                    unit_name=region.name,
                    figures=figures,
                    start=filters.start,
                    end=filters.end,
                    week_start=week_start,
                    rank=rank,
                    ranked=len(ranked),
                    target_share=target,
                ),
            )
            for rank, region, figures in cards
        ]
    with transaction.atomic():
        report, _created = CampaignReport.objects.select_for_update().get_or_create(
            campaign=campaign,
            week_start=week_start,
            defaults={"period_end": filters.end},
        )
        old_files = [report.pdf.name] if report.pdf else []
        old_files += [card.image.name for card in report.cards.all()]
        report.cards.all().delete()
        report.period_end = filters.end
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        report.pdf.save(
            f"bao-cao-tuan-{week_start:%Y-%m-%d}-{stamp}.pdf",
            ContentFile(pdf),
            save=False,
        )
        report.save()
        for rank, region, png in images:
            card = CampaignCard(report=report, region=region, rank=rank)
            card.image.save(
                f"{week_start:%Y-%m-%d}-{region.code}-{stamp}.png",
                ContentFile(png),
                save=False,
            )
            card.save()
        storage = report.pdf.storage
        transaction.on_commit(
            lambda: [storage.delete(name) for name in old_files if name]
        )
    return report


def campaign_reports_make_for_week(*, week_start: datetime.date) -> list:
    """Make the report of the week starting on week_start for every campaign
    running in that week."""
    from outreach.models import Campaign

    week_end = week_start + datetime.timedelta(days=6)
    campaigns = Campaign.objects.filter(
        starts_on__lte=week_end, ends_on__gte=week_start
    ).select_related("region")
    return [
        campaign_report_make(campaign=campaign, week_start=week_start)
        for campaign in campaigns
    ]


# Certificate spans: the reports' own derived table (reports.spans) -----------

_SPAN_BATCH = 5000


def _span_rows(certificates) -> list[CertificateSpan]:
    """Return the span rows of whole people's certificates (Certificate rows,
    every certificate of each person present)."""
    by_person = defaultdict(list)
    for certificate in certificates:
        by_person[certificate.user_id].append(certificate)
    rows = []
    for user_id, held in by_person.items():
        snapshot = {c.pk: c for c in held}
        for span in spans.spans_of(
            spans.Held(
                c.pk,
                c.issued_at,
                c.revoked_at,
                c.expires_at,
                c.course_id,
                c.learner_kind,
            )
            for c in held
        ):
            certificate = snapshot[span.certificate_id]
            rows.append(
                CertificateSpan(
                    certificate_id=certificate.pk,
                    user_id=user_id,
                    issued_at=certificate.issued_at,
                    region_id=certificate.region_id,
                    learner_kind=certificate.learner_kind,
                    course_id=certificate.course_id,
                    after=span.after,
                    before=span.before,
                    first=span.first,
                    **{f"for_{scope}": scope in span.scopes for scope in spans.SCOPES},
                )
            )
    return rows


# The certificate fields a span depends on (reports.receivers).
SPAN_SOURCE = (
    "user",
    "issued_at",
    "revoked_at",
    "expires_at",
    "course",
    "learner_kind",
    "region",
)


# The advisory locks of the refreshes: a namespace each, then a person's id
# (or 0 for the enrolments by day, refreshed one at a time).
_SPANS, _PARTICIPATIONS, _DAYS = 7301, 7302, 7303
# Then a unit's id (help records by day) or a helper's (counted help records).
_HELP_DAYS, _HELPERS = 7304, 7305


def _lock(namespace: int, ids) -> list[int]:
    """Hold PostgreSQL's transaction-level advisory locks (namespace, id) for
    these ids, taken in order, until the transaction ends; return the ids,
    sorted. Two refreshes of one person take turns, so the later one reads
    what the other wrote. No row of another app is locked. Elsewhere (SQLite)
    a writing transaction holds the whole database already."""
    ids = sorted(set(ids))
    if ids and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, id) "
                "FROM unnest(%s::int[]) AS id ORDER BY id",
                [namespace, ids],
            )
    return ids


@transaction.atomic
def certificate_spans_refresh(*, user_ids) -> None:
    """Recompute the spans of these people's certificates from their
    certificates as committed (after one was issued, revoked or deleted)."""
    user_ids = _lock(_SPANS, user_ids)
    if not user_ids:
        return
    CertificateSpan.objects.filter(user_id__in=user_ids).delete()
    certificates = Certificate.objects.filter(user_id__in=user_ids).only(*SPAN_SOURCE)
    CertificateSpan.objects.bulk_create(_span_rows(certificates))


@transaction.atomic
def certificate_spans_rebuild() -> int:
    """Recompute every certificate's spans from the certificates; return the
    number of rows. For data written without the ORM's signals (bulk loads)."""
    CertificateSpan.objects.all().delete()
    certificates = (
        Certificate.objects.only(*SPAN_SOURCE).order_by("user_id").iterator(10000)
    )
    written = 0
    batch: list[Certificate] = []
    # Whole people at a time: a person's spans depend on all their certificates.
    for _user_id, held in itertools.groupby(certificates, key=attrgetter("user_id")):
        batch += held
        if len(batch) >= _SPAN_BATCH:
            written += len(CertificateSpan.objects.bulk_create(_span_rows(batch), 2000))
            batch = []
    written += len(CertificateSpan.objects.bulk_create(_span_rows(batch), 2000))
    return written


def _insert_from(table, rows, columns: dict) -> int:
    """Insert into a table the rows of a query in one statement (INSERT ...
    SELECT), and return how many: ``columns`` maps the table's columns, in
    order, to expressions over the query's model; aggregates come last and
    group by the others."""
    aliases = {f"c{number}": value for number, value in enumerate(columns.values())}
    totals = {a: v for a, v in aliases.items() if isinstance(v, Aggregate)}
    plain = {a: v for a, v in aliases.items() if a not in totals}
    # Aliases, since a column's own name may clash with the query model's.
    select = rows.order_by().values(**plain).annotate(**totals)
    select_sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table._meta.db_table)} ({names}) {select_sql}", params
        )
        return cursor.rowcount


# Enrolments by day: the reports' own counts (EnrolmentDay, CourseEnrolmentDay) --

# Days are local dates in the site's time zone (settings.TIME_ZONE), as the
# reports' periods are; after changing it, run rebuild_report_counts.
_ZONE = timezone.get_default_timezone


def _provinces_of(region_ids) -> dict[int, int]:
    """Return region id -> the id of the current province its records count in
    (through ``Region.rollup_target``), for the regions that have one."""
    roots = {
        region.pk: region.rollup_target().path.split(".")[0]
        for region in Region.objects.filter(pk__in=set(region_ids)).select_related(
            "replaced_by"
        )
    }
    provinces = dict(
        Region.objects.current()
        .filter(path__in=set(roots.values()))
        .values_list("path", "pk")
    )
    return {pk: provinces[root] for pk, root in roots.items() if root in provinces}


# The tables of enrolments by day and the columns of their keys.
_DAY_TABLES = (
    (EnrolmentDay, ("region_id", "learner_kind", "day")),
    (CourseEnrolmentDay, ("province_id", "course_id", "learner_kind", "day")),
    (UnitCourseEnrolmentDay, ("region_id", "course_id", "learner_kind", "day")),
)


DayKey = tuple[int, int, str, datetime.date]


def enrolment_day_keys(enrolments) -> set[DayKey]:
    """Return the keys (unit id, course id, kind, local day) of the enrolments
    by day these enrolments count in; those without a unit count nowhere."""
    return {
        (
            e.region_id,
            e.course_id,
            e.learner_kind,
            timezone.localdate(e.enrolled_at, _ZONE()),
        )
        for e in enrolments
        if e.region_id is not None
    }


def _put(table, key_columns: tuple[str, ...], counts: dict[tuple, int]) -> None:
    """Make these rows of a table of days hold these counts: written where not
    zero, deleted where zero."""
    kept = [
        table(**dict(zip(key_columns, key, strict=True)), enrolments=n)
        for key, n in counts.items()
        if n
    ]
    table.objects.bulk_create(
        kept,
        update_conflicts=True,
        unique_fields=[c.removesuffix("_id") for c in key_columns],
        update_fields=["enrolments"],
        batch_size=500,
    )
    gone = [
        Q(**dict(zip(key_columns, key, strict=True)))
        for key, n in counts.items()
        if not n
    ]
    for start in range(0, len(gone), 100):
        table.objects.filter(_any(gone[start : start + 100])).delete()


def _any(conditions: list[Q]) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def _day_range(days) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the moments from the start of the first local day to the end of
    the last."""
    zone = _ZONE()
    start = datetime.datetime.combine(min(days), datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(max(days), datetime.time.min, tzinfo=zone)
    return start, end + datetime.timedelta(days=1)


def enrolment_days_refresh(*, keys) -> None:
    """Recount the enrolments by day under these keys (``enrolment_day_keys``
    of enrolments created, changed or deleted), and the unit and province
    totals they add up to, from the enrolments as committed."""
    keys = {(r, c, k, d) for r, c, k, d in keys}
    if keys:
        with transaction.atomic():
            _lock(_DAYS, [0])
            _days_refresh(keys)


def _days_refresh(keys: set[DayKey]) -> None:
    regions = {key[0] for key in keys}
    courses = {key[1] for key in keys}
    kinds = {key[2] for key in keys}
    days = {key[3] for key in keys}
    start, end = _day_range(days)
    counted = (
        Enrolment.objects.filter(
            region_id__in=regions,
            course_id__in=courses,
            enrolled_at__gte=start,
            enrolled_at__lt=end,
        )
        .order_by()
        .values_list(
            "region_id",
            "course_id",
            "learner_kind",
            TruncDate("enrolled_at", tzinfo=_ZONE()),
        )
        .annotate(n=Count("*"))
    )
    by_key = {(r, c, k, d): n for r, c, k, d, n in counted}
    _put(
        UnitCourseEnrolmentDay,
        _DAY_TABLES[2][1],
        {(r, c, k, d): by_key.get((r, c, k, d), 0) for r, c, k, d in keys},
    )
    # The totals the keys count in, summed from the rows just written: of the
    # keys' units (every course), and of their courses (every unit of the
    # provinces they count in).
    rows = list(
        UnitCourseEnrolmentDay.objects.filter(
            Q(region_id__in=regions) | Q(course_id__in=courses),
            learner_kind__in=kinds,
            day__in=days,
        )
        .order_by()
        .values_list("region_id", "course_id", "learner_kind", "day", "enrolments")
    )
    provinces = _provinces_of(regions | {row[0] for row in rows})
    unit_totals = dict.fromkeys(((r, k, d) for r, _c, k, d in keys), 0)
    province_totals = dict.fromkeys(
        ((provinces[r], c, k, d) for r, c, k, d in keys if r in provinces), 0
    )
    for r, c, k, d, n in rows:
        if (r, k, d) in unit_totals:
            unit_totals[(r, k, d)] += n
        if (provinces.get(r), c, k, d) in province_totals:
            province_totals[(provinces.get(r), c, k, d)] += n
    _put(EnrolmentDay, _DAY_TABLES[0][1], unit_totals)
    _put(CourseEnrolmentDay, _DAY_TABLES[1][1], province_totals)


@transaction.atomic
def enrolment_counts_rebuild() -> int:
    """Recount the enrolments by day from the enrolments; return the rows.
    Each table is filled by one statement per province at most, in the
    database: the days by unit and course from the enrolments, the others
    from those."""
    for table, _key in _DAY_TABLES:
        table.objects.all().delete()
    key = {"course_id": F("course_id"), "learner_kind": F("learner_kind")}
    written = _insert_from(
        UnitCourseEnrolmentDay,
        Enrolment.objects.filter(region__isnull=False),
        {
            "region_id": F("region_id"),
            **key,
            "day": TruncDate("enrolled_at", tzinfo=_ZONE()),
            "enrolments": Count("*"),
        },
    )
    by_unit_course = UnitCourseEnrolmentDay.objects.all()
    written += _insert_from(
        EnrolmentDay,
        by_unit_course,
        {
            "region_id": F("region_id"),
            "learner_kind": F("learner_kind"),
            "day": F("day"),
            "enrolments": Sum("enrolments"),
        },
    )
    regions_of = defaultdict(list)
    provinces = _provinces_of(
        by_unit_course.values_list("region_id", flat=True).distinct()
    )
    for region_id, province_id in provinces.items():
        regions_of[province_id].append(region_id)
    for province_id, region_ids in regions_of.items():
        written += _insert_from(
            CourseEnrolmentDay,
            by_unit_course.filter(region_id__in=region_ids),
            {
                "province_id": Value(province_id),
                **key,
                "day": F("day"),
                "enrolments": Sum("enrolments"),
            },
        )
    return written


# Participations: the reports' own copy of attended records -----------------


def _insert_participations(table, course: bool, user_ids=None) -> int:
    """Insert the rows of a participation table (``models._Participation``)
    for every attended record, or those of some people, computed in one
    statement: each record's ``until`` is the start of the next of its
    person's attended records in order of start, then id (of the same course,
    for the course table), and ``until_kind`` likewise among those of the same
    kind of learner. Return the number of rows."""
    records = Attendance.objects.filter(status__in=ATTENDED)
    if user_ids is not None:
        records = records.filter(user_id__in=user_ids)
    scope = [F("user_id")]
    columns = {"attendance_id": F("pk")}
    if course:
        course_id = F("session__training_class__courses")
        records = records.filter(session__training_class__courses__isnull=False)
        scope.append(course_id)
        columns["course_id"] = course_id
    in_order = [F("session__starts_at").asc(), F("pk").asc()]

    def next_start(partition):
        return Window(
            Lead("session__starts_at"), partition_by=partition, order_by=in_order
        )

    columns |= {
        "user_id": F("user_id"),
        "training_class_id": F("session__training_class_id"),
        "region_id": F("session__training_class__region_id"),
        "learner_kind": F("learner_kind"),
        "starts_at": F("session__starts_at"),
        "until": next_start(scope),
        "until_kind": next_start([*scope, F("learner_kind")]),
    }
    return _insert_from(table, records, columns)


@transaction.atomic
def participations_refresh(*, user_ids) -> None:
    """Recompute these people's participations from their attendance as
    committed (marked, changed or deleted, or a session of it moved)."""
    user_ids = _lock(_PARTICIPATIONS, user_ids)
    if not user_ids:
        return
    for table, course in ((Participation, False), (CourseParticipation, True)):
        table.objects.filter(user_id__in=user_ids).delete()
        _insert_participations(table, course, user_ids)


@transaction.atomic
def participations_rebuild() -> int:
    """Recompute every participation from the attendance; return the rows."""
    written = 0
    for table, course in ((Participation, False), (CourseParticipation, True)):
        table.objects.all().delete()
        written += _insert_participations(table, course)
    return written


# Help records: the outcomes view's counts of outreach's records -------------

HelpDayKey = tuple[int, datetime.date]

# The records the outcomes view counts: all but those flagged and not yet
# reviewed (outreach.selectors.counted; reports.selectors.outcomes).
_WAITING = Q(flag__isnull=False, flag_cleared_at=None)
_HELP_COUNTS = {
    "helped": Count("pk", filter=~_WAITING),
    "confirmed": Count("pk", filter=~_WAITING & Q(confirmed_at__isnull=False)),
    "dossiers": Count("pk", filter=~_WAITING & Q(action=HelpAction.DOSSIER)),
    "awaiting": Count("pk", filter=_WAITING),
}


def help_day_keys(records) -> set[HelpDayKey]:
    """Return the keys (unit id, day) of the help records by day these
    records count in."""
    return {(record.region_id, record.helped_on) for record in records}


def help_days_refresh(*, keys) -> None:
    """Recount the help records by day under these keys (``help_day_keys``
    of records written) from the records as committed."""
    keys = {(region_id, day) for region_id, day in keys}
    if not keys:
        return
    with transaction.atomic():
        regions = _lock(_HELP_DAYS, [region_id for region_id, _day in keys])
        counted = (
            HelpRecord.objects.filter(
                region_id__in=regions, helped_on__in={day for _r, day in keys}
            )
            .order_by()
            .values("region_id", "helped_on")
            .annotate(**_HELP_COUNTS)
            .values_list("region_id", "helped_on", *_HELP_COUNTS)
        )
        by_key = {(r, d): counts for r, d, *counts in counted}
        zero = [0] * len(_HELP_COUNTS)
        kept = []
        gone = []
        for key in keys:
            counts = by_key.get(key, zero)
            if any(counts):
                kept.append(
                    HelpDay(
                        region_id=key[0],
                        day=key[1],
                        **dict(zip(_HELP_COUNTS, counts, strict=True)),
                    )
                )
            else:
                gone.append(Q(region_id=key[0], day=key[1]))
        HelpDay.objects.bulk_create(
            kept,
            update_conflicts=True,
            unique_fields=["region", "day"],
            update_fields=list(_HELP_COUNTS),
            batch_size=500,
        )
        for start in range(0, len(gone), 100):
            HelpDay.objects.filter(_any(gone[start : start + 100])).delete()


def _insert_counted_help(helper_ids=None) -> int:
    """Insert the counted help records (``models.CountedHelp``) of every
    helper, or of these, in one statement: each record's ``until`` is the day
    of its helper's next counted record in order of day, then id."""
    records = counted_help(HelpRecord.objects.all())
    if helper_ids is not None:
        records = records.filter(helper_id__in=helper_ids)
    return _insert_from(
        CountedHelp,
        records,
        {
            "record_id": F("pk"),
            "helper_id": F("helper_id"),
            "region_id": F("region_id"),
            "helped_on": F("helped_on"),
            "until": Window(
                Lead("helped_on"),
                partition_by=[F("helper_id")],
                order_by=[F("helped_on").asc(), F("pk").asc()],
            ),
        },
    )


@transaction.atomic
def counted_help_refresh(*, helper_ids) -> None:
    """Recompute these helpers' counted help records from their records as
    committed (recorded, confirmed, flagged or cleared)."""
    helper_ids = _lock(_HELPERS, helper_ids)
    if not helper_ids:
        return
    CountedHelp.objects.filter(helper_id__in=helper_ids).delete()
    _insert_counted_help(helper_ids)


@transaction.atomic
def help_counts_rebuild() -> int:
    """Recount the help records by day and the counted help records from the
    records, each table in one statement; return the rows."""
    HelpDay.objects.all().delete()
    CountedHelp.objects.all().delete()
    written = _insert_from(
        HelpDay,
        HelpRecord.objects.all(),
        {
            "region_id": F("region_id"),
            "day": F("helped_on"),
            **_HELP_COUNTS,
        },
    )
    return written + _insert_counted_help()


@dataclass
class Changes:
    """What writes changed that the reports count, to be refreshed: people
    whose certificates or attendance changed, sessions and classes whose
    attendees' participations may have moved, courses taken off classes, and
    the keys of enrolments by day."""

    certificate_people: set[int] = field(default_factory=set)
    attendance_people: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)
    courses: set[int] = field(default_factory=set)
    enrolment_days: set[DayKey] = field(default_factory=set)
    # Help records written: their (unit, day) keys, and their helpers.
    help_days: set[HelpDayKey] = field(default_factory=set)
    helpers: set[int] = field(default_factory=set)

    # The changes whose keys end with a day.
    _KEYED_BY_DAY = ("enrolment_days", "help_days")

    def __bool__(self):
        return any(vars(self).values())

    def as_json(self) -> dict:
        return {
            name: sorted([*k[:-1], k[-1].isoformat()] for k in value)
            if name in self._KEYED_BY_DAY
            else sorted(value)
            for name, value in vars(self).items()
        }

    @classmethod
    def from_json(cls, data: dict) -> Changes:
        changes = cls()
        for name, values in data.items():
            if name in cls._KEYED_BY_DAY:
                values = [
                    (*key[:-1], datetime.date.fromisoformat(key[-1])) for key in values
                ]
            getattr(changes, name).update(values)
        return changes


def _attendees(changes: Changes) -> set[int]:
    """Return the people whose participations the changes may move."""
    people = set(changes.attendance_people)
    if changes.sessions:
        people.update(
            Attendance.objects.filter(session_id__in=changes.sessions).values_list(
                "user_id", flat=True
            )
        )
    if changes.classes:
        people.update(
            Attendance.objects.filter(
                session__training_class_id__in=changes.classes
            ).values_list("user_id", flat=True)
        )
        # A class moved to another unit, and its attendees counted there
        # (Participation rows of people no longer attended are found too).
        people.update(
            Participation.objects.filter(
                training_class_id__in=changes.classes
            ).values_list("user_id", flat=True)
        )
    if changes.courses:
        people.update(
            CourseParticipation.objects.filter(
                course_id__in=changes.courses
            ).values_list("user_id", flat=True)
        )
    return people


def report_counts_refresh(changes: Changes) -> None:
    """Bring the counts the reports keep up to date with these changes, then
    make the cached dashboards stale. Run after the writes committed, by
    ``reports.tasks.report_counts_refresh_task``."""
    if changes.certificate_people:
        certificate_spans_refresh(user_ids=changes.certificate_people)
    attendees = _attendees(changes)
    if attendees:
        participations_refresh(user_ids=attendees)
    enrolment_days_refresh(keys=changes.enrolment_days)
    help_days_refresh(keys=changes.help_days)
    if changes.helpers:
        counted_help_refresh(helper_ids=changes.helpers)
    figures_changed()


def report_counts_rebuild() -> dict[str, int]:
    """Rebuild every count the reports keep: certificate spans, enrolments by
    day, participations, help records by day and counted. For data written
    without the ORM's signals (bulk loads)."""
    return {
        "certificate spans": certificate_spans_rebuild(),
        "enrolment days": enrolment_counts_rebuild(),
        "participations": participations_rebuild(),
        "help counts": help_counts_rebuild(),
    }
