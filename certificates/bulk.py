"""Bulk certificates: everyone eligible in a class, or under a unit, in one action.

``certificate_bulk_issue`` checks who asks, writes a ``CertificateBatch`` with one
``CertificateBatchItem`` per person in roster order, and enqueues the job
(``certificates.tasks.certificate_batch_task``), which calls
``certificate_batch_run``. The job has two steps:

1. Issue, item by item: each pending item becomes ``issued`` (through
   ``certificate_issue``, which returns the certificate a completion already has,
   so a re-run never duplicates one nor changes its code) or ``ineligible`` with
   the reason.
2. Render, in chunks: the individual PDFs go into a ZIP and every certificate,
   in roster order, becomes one page of the print-ready PDF. Both are built in
   the machine's temporary folder and saved, whole, into the batch's own folder
   of private storage (``STORAGES["private"]``, shared by every machine) only
   when complete.

A run that fails, or whose worker is killed, resumes on the next call: items
already issued keep their certificate, pending ones are issued, and the outputs
are rebuilt from scratch after any leftover file in the batch's folder is
removed. So no certificate is duplicated, no code changes and no file is orphaned.
When the worker dies, the other task workers notice within about a minute
(``core.workers``) and ``certificate_batch_worker_lost`` enqueues the run again.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from classes.models import ClassMembership, TrainingClass
from classes.scopes import can_manage_class, classes_managed_by
from classes.selectors import class_roll
from core.text import fold
from core.workers import AUTO_RESUMES
from courses.models import CoursePage, Enrolment
from regions.models import Region
from regions.scopes import under_paths
from users.models import User
from users.names import roll_order_key
from users.scopes import can_act_for_region
from users.scopes import official_units as units_held

from .models import Certificate, CertificateBatch, CertificateBatchItem
from .selectors import certificate_eligibility_many, course_policy
from .services import certificate_issue
from .storage import private_storage

Item = CertificateBatchItem

# Certificates rendered between two saves of progress.
RENDER_CHUNK = 100
# Items issued between two heartbeats.
ISSUE_HEARTBEAT = 50
# A queued or running batch with no sign of life for this long was stopped (its
# worker killed, its task lost) and may be resumed.
STALE_AFTER = timedelta(minutes=5)
ACTIVE = (CertificateBatch.Status.QUEUED, CertificateBatch.Status.RUNNING)


# Who may do what ----------------------------------------------------------------


def official_units(user) -> QuerySet[Region]:
    """Return the units the user is an official of (not the units below them),
    every current province for a superuser."""
    if user.is_superuser:
        return Region.objects.filter(parent__isnull=True, is_current=True)
    return units_held(user)


def can_run_batch(user, batch: CertificateBatch) -> bool:
    """Return whether the user may resume the batch: whoever may start it."""
    if batch.training_class_id:
        return classes_managed_by(user).filter(pk=batch.training_class_id).exists()
    return can_act_for_region(user, batch.region)


# Who is in a batch --------------------------------------------------------------


def certificate_courses(qs: QuerySet | None = None) -> QuerySet[CoursePage]:
    """Return the courses that give a certificate, in catalogue order."""
    qs = CoursePage.objects.all() if qs is None else qs
    return qs.filter(certificate_policies__isnull=False).order_by("path")


def class_roster(*, training_class: TrainingClass) -> list[User]:
    """Return the class's members in roll order, as the class page lists them."""
    return [m.user for m in class_roll(training_class=training_class)]


def unit_roster(*, region: Region, course: CoursePage) -> list[User]:
    """Return the people under the unit who completed the course, by unit (in the
    order of the official codes) then by name.

    Under the unit: living there, or a member of a class held there. Each person
    is listed under their home unit when it is in the unit's subtree, else under
    the unit of their class.
    """
    completed = Enrolment.objects.filter(
        course=course, completed_at__isnull=False
    ).values("user_id")
    in_classes = ClassMembership.objects.filter(
        under_paths([region.path], "training_class__region__path"),
        user_id__in=completed,
    )
    class_units: dict[int, str] = {}
    for user_id, path in in_classes.order_by(
        "training_class__region__path"
    ).values_list("user_id", "training_class__region__path"):
        class_units.setdefault(user_id, path)
    users = User.objects.filter(
        Q(pk__in=completed)
        & (
            under_paths([region.path], "home_region__path")
            | Q(pk__in=in_classes.values("user_id"))
        )
    ).select_related("home_region")

    def unit_path(user: User) -> str:
        home = user.home_region
        if home is not None and (
            home.path == region.path or home.path.startswith(region.path + ".")
        ):
            return home.path
        return class_units[user.pk]

    return sorted(
        users, key=lambda u: (unit_path(u), roll_order_key(u.full_name), u.pk)
    )


@dataclass
class BulkPreview:
    """What a bulk run would do now, before it is started."""

    eligible: int = 0  # would get a new certificate
    already_certified: int = 0  # eligible, and already hold this completion's
    ineligible: list[tuple[User, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.eligible + self.already_certified + len(self.ineligible)


def certificate_bulk_preview(
    *, users: list[User], course: CoursePage, training_class=None
) -> BulkPreview:
    """Count who would get a certificate, who has one and who is not eligible."""
    preview = BulkPreview()
    if not users:
        return preview
    ids = [u.pk for u in users]
    eligibility = certificate_eligibility_many(
        users=ids, course=course, training_class=training_class
    )
    completions = dict(
        Enrolment.objects.filter(course=course, user_id__in=ids).values_list(
            "user_id", "completed_at"
        )
    )
    certified = set(
        Certificate.objects.filter(course=course, user_id__in=ids).values_list(
            "user_id", "completed_at"
        )
    )
    for user in users:
        verdict = eligibility[user.pk]
        if not verdict.eligible:
            preview.ineligible.append((user, verdict.reason))
        elif (user.pk, completions.get(user.pk)) in certified:
            preview.already_certified += 1
        else:
            preview.eligible += 1
    return preview


# Starting and resuming ----------------------------------------------------------


def _enqueue(batch: CertificateBatch) -> None:
    from .tasks import certificate_batch_task

    result = certificate_batch_task.enqueue(batch.pk)
    CertificateBatch.objects.filter(pk=batch.pk).update(task_id=result.id)


def certificate_bulk_issue(
    *,
    course: CoursePage,
    created_by: User,
    training_class: TrainingClass | None = None,
    region: Region | None = None,
) -> CertificateBatch:
    """Start a bulk run for everyone in the class, or under the unit, who completed
    the course; return its batch.

    Raise PermissionDenied when the person may not issue for that class or unit,
    ValidationError when the course gives no certificate or is not the class's.
    While a run for the same course and class (or unit) is still going, return
    that one instead of starting a second.
    """
    if (training_class is None) == (region is None):
        raise ValueError("Give a class or a unit, not both.")
    if training_class is not None:
        if not can_manage_class(created_by, training_class):
            raise PermissionDenied
        if not training_class.courses.filter(pk=course.pk).exists():
            raise ValidationError(
                _("This course is not taught in this class."), code="course"
            )
    elif not can_act_for_region(created_by, region):
        raise PermissionDenied
    if course_policy(course) is None:
        raise ValidationError(_("This course gives no certificate."), code="course")

    scope = Q(training_class=training_class) if training_class else Q(region=region)
    running = (
        CertificateBatch.objects.filter(scope, course=course, status__in=ACTIVE)
        .order_by("-created_at")
        .first()
    )
    if running is not None and not is_stalled(running):
        return running

    users = (
        class_roster(training_class=training_class)
        if training_class
        else unit_roster(region=region, course=course)
    )
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            course=course,
            training_class=training_class,
            region=region,
            created_by=created_by,
        )
        Item.objects.bulk_create(
            Item(batch=batch, user=user, position=position)
            for position, user in enumerate(users, start=1)
        )
    _enqueue(batch)
    batch.refresh_from_db()
    return batch


def is_stalled(batch: CertificateBatch, now=None) -> bool:
    """Return whether a batch that should be going shows no sign of life."""
    if batch.status not in ACTIVE:
        return False
    last = batch.heartbeat_at or batch.created_at
    return last < (now or timezone.now()) - STALE_AFTER


def can_resume(batch: CertificateBatch) -> bool:
    return batch.status == CertificateBatch.Status.FAILED or is_stalled(batch)


def certificate_batch_resume(*, batch: CertificateBatch, by: User) -> CertificateBatch:
    """Run a failed or stopped batch again from where it stopped."""
    if not can_run_batch(by, batch):
        raise PermissionDenied
    if not can_resume(batch):
        raise ValidationError(_("This run is not stopped."), code="not_stopped")
    return certificate_batch_requeue(batch=batch)


def certificate_batch_requeue(*, batch: CertificateBatch) -> CertificateBatch:
    """Enqueue the batch's job again (for a run that stopped); no scope check."""
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.QUEUED, heartbeat_at=timezone.now()
    )
    _enqueue(batch)
    batch.refresh_from_db()
    return batch


def certificate_batch_worker_lost(
    *, task_id: str, times: int
) -> CertificateBatch | None:
    """Resume the run whose task was on a worker that died (core.workers marked
    the task failed); return its batch, or None when no run going had that task.

    Resumed at once, from where it stopped, as certificate_batch_requeue does. A
    run whose worker died more than AUTO_RESUMES times is failed instead, with a
    message its page shows: something in it may be what kills the workers, and
    a person resumes it.
    """
    batch = CertificateBatch.objects.filter(task_id=task_id, status__in=ACTIVE).first()
    if batch is None:
        return None
    if times <= AUTO_RESUMES:
        return certificate_batch_requeue(batch=batch)
    with translation.override(settings.LANGUAGE_CODE):
        error = _(
            "The worker doing this run stopped %(times)d times before finishing "
            "it. Resume the run when the cause has been fixed."
        ) % {"times": times}
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.FAILED, error=error, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# The job ------------------------------------------------------------------------


def _claim(batch_id: int) -> CertificateBatch | None:
    """Mark the batch running and return it, unless it is done or another worker
    is at it (running with a recent heartbeat)."""
    now = timezone.now()
    Status = CertificateBatch.Status
    claimed = CertificateBatch.objects.filter(
        Q(status__in=[Status.QUEUED, Status.FAILED])
        | Q(status=Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        | Q(status=Status.RUNNING, heartbeat_at__isnull=True),
        pk=batch_id,
    ).update(status=Status.RUNNING, heartbeat_at=now, error="", finished_at=None)
    if not claimed:
        return None
    return CertificateBatch.objects.select_related(
        "course", "training_class", "created_by"
    ).get(pk=batch_id)


def _beat(batch: CertificateBatch) -> None:
    CertificateBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())


def certificate_batch_run(*, batch_id: int) -> CertificateBatch | None:
    """Do (or finish) the batch's work; return it, or None when there was nothing
    to do (done already, or running elsewhere).

    On an error the batch is marked failed with the message, its folder is left
    without any file, and the error is raised again for the task's record.
    """
    batch = _claim(batch_id)
    if batch is None:
        return None
    try:
        # Reasons are stored as read: in the site's language, whoever runs it.
        with translation.override(settings.LANGUAGE_CODE):
            _clear_folder(batch)
            _issue_pending(batch)
            _render(batch)
    except BaseException as error:
        _clear_folder(batch)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.FAILED,
            error=(str(error) or error.__class__.__name__)[:2000],
            finished_at=timezone.now(),
            zip_file="",
            print_file="",
        )
        raise
    batch.refresh_from_db()
    return batch


def _issue_pending(batch: CertificateBatch) -> None:
    pending = list(
        batch.items.filter(status=Item.Status.PENDING)
        .select_related("user")
        .order_by("position")
    )
    if not pending:
        return
    eligibility = certificate_eligibility_many(
        users=[item.user_id for item in pending],
        course=batch.course,
        training_class=batch.training_class,
    )
    enrolments = {
        e.user_id: e
        for e in Enrolment.objects.filter(
            course=batch.course, user_id__in=[item.user_id for item in pending]
        )
    }
    ineligible = []
    for done, item in enumerate(pending, start=1):
        verdict = eligibility[item.user_id]
        if not verdict.eligible:
            item.status, item.reason = Item.Status.INELIGIBLE, verdict.reason[:300]
            ineligible.append(item)
            continue
        # One transaction per person: a crash leaves every item either pending
        # (and certificate_issue returns what it may have issued) or issued.
        with transaction.atomic():
            try:
                certificate = certificate_issue(
                    enrolment=enrolments[item.user_id],
                    issued_by=batch.created_by,
                    training_class=batch.training_class,
                )
            except ValidationError as error:
                item.status = Item.Status.INELIGIBLE
                item.reason = " ".join(error.messages)[:300]
            else:
                item.status, item.certificate = Item.Status.ISSUED, certificate
            item.save(update_fields=["status", "reason", "certificate"])
        if done % ISSUE_HEARTBEAT == 0:
            if ineligible:
                Item.objects.bulk_update(ineligible, ["status", "reason"])
                ineligible = []
            _beat(batch)
    if ineligible:
        Item.objects.bulk_update(ineligible, ["status", "reason"])


# Rendering ----------------------------------------------------------------------

TEMPORARY_SUFFIX = ".part"


def _folder(batch: CertificateBatch) -> str:
    return f"certificate-batches/{batch.pk}"


def output_names(batch: CertificateBatch) -> tuple[str, str]:
    """Return the storage names of the batch's ZIP and print-ready PDF."""
    folder = _folder(batch)
    return (
        f"{folder}/chung-chi-{batch.pk}.zip",
        f"{folder}/ban-in-{batch.pk}.pdf",
    )


def _clear_folder(batch: CertificateBatch) -> None:
    """Remove every file of the batch's folder that its record does not name:
    temporaries of a run that crashed, or an output moved into place by a run
    that died before saving it."""
    storage = private_storage()
    folder = _folder(batch)
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    kept = {
        name
        for name in CertificateBatch.objects.filter(pk=batch.pk).values_list(
            "zip_file", "print_file"
        )[0]
        if name
    }
    for file in files:
        if f"{folder}/{file}" not in kept:
            storage.delete(f"{folder}/{file}")


def zip_entry_name(number: int, certificate: Certificate) -> str:
    """Return the name of a certificate's PDF in the ZIP: its page number in the
    print-ready PDF, the learner's name without marks, and the code."""
    name = fold(certificate.printed.get("learner_name", "")).replace(" ", "-")
    return f"{number:04d}-{name or 'chung-chi'}-{certificate.code}.pdf"


def _render(batch: CertificateBatch) -> None:
    from . import pdf

    # The outputs are rebuilt whole, so nothing counts as rendered any more.
    batch.items.filter(status=Item.Status.RENDERED).update(status=Item.Status.ISSUED)
    items = list(
        batch.items.filter(status=Item.Status.ISSUED, certificate__isnull=False)
        .select_related("certificate", "certificate__template", "certificate__course")
        .order_by("position")
    )
    now = timezone.now()
    if not items:
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.DONE, finished_at=now, heartbeat_at=now
        )
        return

    storage = private_storage()
    zip_name, print_name = output_names(batch)

    certificates = [item.certificate for item in items]
    by_certificate = {item.certificate_id: item for item in items}
    chunk: list[int] = []
    # Built in this machine's temporary folder, then saved whole to the private
    # storage, which every machine reads: a download never sees half a file.
    with tempfile.TemporaryDirectory(prefix=f"lms-batch-{batch.pk}-") as work:
        zip_part = Path(work) / f"chung-chi{TEMPORARY_SUFFIX}"
        with zipfile.ZipFile(zip_part, "w", zipfile.ZIP_STORED) as archive:
            for number, (certificate, data) in enumerate(
                pdf.certificates_pdfs(certificates), start=1
            ):
                archive.writestr(zip_entry_name(number, certificate), data)
                chunk.append(by_certificate[certificate.pk].pk)
                if len(chunk) >= RENDER_CHUNK:
                    _mark_rendered(batch, chunk)
                    chunk = []
        _mark_rendered(batch, chunk)
        with zip_part.open("rb") as content:
            zip_name = storage.save(zip_name, File(content))
    # After the individual PDFs, not alongside: both steps use every core.
    print_name = storage.save(
        print_name, ContentFile(pdf.certificates_print_pdf(certificates))
    )
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.DONE,
        zip_file=zip_name,
        print_file=print_name,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def _mark_rendered(batch: CertificateBatch, item_ids: list[int]) -> None:
    if item_ids:
        Item.objects.filter(pk__in=item_ids).update(status=Item.Status.RENDERED)
    _beat(batch)


# Progress -----------------------------------------------------------------------


@dataclass
class BatchProgress:
    total: int
    pending: int
    issued: int
    ineligible: int
    rendered: int
    done: bool

    @property
    def checked(self) -> int:
        """Return how many people the issuing step has dealt with."""
        return self.total - self.pending

    @property
    def certified(self) -> int:
        return self.issued + self.rendered

    @property
    def percent(self) -> int:
        """Return how far the run is: each person is issued (or found ineligible),
        then each certificate rendered; 100 only once the downloads are ready."""
        if self.done:
            return 100
        steps = 2 * self.total - self.ineligible
        if not steps:
            return 0
        made = (self.total - self.pending) + self.rendered
        return min(99, made * 100 // steps)

    @property
    def rendering(self) -> bool:
        return not self.pending and not self.done


def batch_progress(batch: CertificateBatch) -> BatchProgress:
    """Return the items' counts by status, in one query."""
    counts = dict(
        batch.items.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return BatchProgress(
        total=sum(counts.values()),
        pending=counts.get(Item.Status.PENDING, 0),
        issued=counts.get(Item.Status.ISSUED, 0),
        ineligible=counts.get(Item.Status.INELIGIBLE, 0),
        rendered=counts.get(Item.Status.RENDERED, 0),
        done=batch.status == CertificateBatch.Status.DONE,
    )
