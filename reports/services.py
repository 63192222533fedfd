"""Writes of the reports app: its own targets and certificate spans, never
other apps' data."""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import Certificate
from courses.models import CoursePage
from regions.models import Region
from users import scopes

from . import spans
from .models import CertificateSpan, Target


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


# Certificate spans: the reports' own derived table (reports.spans) -----------

_SPAN_BATCH = 5000
_upkeep_paused = threading.local()


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


# The certificate fields a span depends on.
_SPAN_SOURCE = (
    "user",
    "issued_at",
    "revoked_at",
    "expires_at",
    "course",
    "learner_kind",
    "region",
)


@transaction.atomic
def certificate_spans_refresh(*, user_ids) -> None:
    """Recompute the spans of these people's certificates: called in the
    transaction that issues, revokes or deletes one of them, so the reports
    never count from stale spans."""
    if getattr(_upkeep_paused, "on", False):
        return
    user_ids = set(user_ids)
    CertificateSpan.objects.filter(user_id__in=user_ids).delete()
    certificates = Certificate.objects.filter(user_id__in=user_ids).only(*_SPAN_SOURCE)
    CertificateSpan.objects.bulk_create(_span_rows(certificates))


@transaction.atomic
def certificate_spans_rebuild() -> int:
    """Recompute every certificate's spans from the certificates; return the
    number of rows. For data written without the ORM's signals (bulk loads)."""
    CertificateSpan.objects.all().delete()
    certificates = (
        Certificate.objects.only(*_SPAN_SOURCE).order_by("user_id").iterator(10000)
    )
    written = 0
    person: list[Certificate] = []
    batch: list[Certificate] = []
    for certificate in certificates:
        if person and certificate.user_id != person[0].user_id:
            batch += person
            person = []
            if len(batch) >= _SPAN_BATCH:
                written += len(
                    CertificateSpan.objects.bulk_create(_span_rows(batch), 2000)
                )
                batch = []
        person.append(certificate)
    batch += person
    written += len(CertificateSpan.objects.bulk_create(_span_rows(batch), 2000))
    return written


@contextlib.contextmanager
def certificate_spans_paused():
    """Skip the spans' upkeep within (a bulk deletion of test or seed data);
    the caller runs ``certificate_spans_rebuild`` afterwards."""
    _upkeep_paused.on = True
    try:
        yield
    finally:
        _upkeep_paused.on = False


def certificate_changed(*, instance, update_fields=None, **_kwargs) -> None:
    """Keep the person's spans (connected to the certificates' saves and
    deletes; runs in the transaction of the write). A save of other fields
    only (the stored PDF) changes no span."""
    if update_fields is not None and not set(update_fields) & set(_SPAN_SOURCE):
        return
    certificate_spans_refresh(user_ids=[instance.user_id])
