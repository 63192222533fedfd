"""Pages of bulk certificates: start a run for a class or a unit, follow its
progress, download its ZIP and print-ready PDF.

Classes come from ``classes.scopes`` and batches from ``certificates.scopes`` (a
class outside the person's scope is a 404, one they may see but not manage a
403); the downloads are sent from private storage by these views only, never
from /media/: streamed, or redirected to a signed address of a few minutes when
they are in an object store (``certificates.storage.signed_url``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from classes.scopes import class_for
from core.text import fold
from courses.models import CoursePage
from regions.models import Region
from users.models import PersonalDataExport
from users.scopes import can_act_for_region, is_official
from users.services import personal_data_export_record

from . import bulk
from .models import CertificateBatch, CertificateBatchItem
from .scopes import batches_visible_to
from .storage import signed_url

RECENT_BATCHES = 10


class StartForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": gettext_lazy("Choose a course of the list.")},
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


def _chosen(queryset, value):
    """Return the row of the queryset whose id is value, the only row when value
    is empty and there is one, else None."""
    if value:
        try:
            return queryset.filter(pk=int(value)).first()
        except ValueError:
            return None
    rows = list(queryset[:2])
    return rows[0] if len(rows) == 1 else None


def _start(request, *, courses, training_class=None, region=None):
    """Start a run from a POSTed StartForm; return a redirect, or None with the
    error shown as a message."""
    form = StartForm(request.POST, courses=courses)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return None
    try:
        batch = bulk.certificate_bulk_issue(
            course=form.cleaned_data["course"],
            created_by=request.user,
            training_class=training_class,
            region=region,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    return redirect("certificates:bulk_batch", pk=batch.pk)


@login_required
def class_bulk(request, class_pk):
    """“Cấp chứng chỉ” of a class: pick a course, see who would get a
    certificate, start the run."""
    training_class = class_for(request.user, class_pk, manage=True)
    courses = bulk.certificate_courses(training_class.courses.all())
    if request.method == "POST":
        response = _start(request, courses=courses, training_class=training_class)
        if response is not None:
            return response
    course = _chosen(courses, request.POST.get("course") or request.GET.get("khoa"))
    preview = None
    if course is not None:
        preview = bulk.certificate_bulk_preview(
            users=bulk.class_roster(training_class=training_class),
            course=course,
            training_class=training_class,
        )
    batches = training_class.certificate_batches.select_related("course")
    return render(
        request,
        "certificates/bulk/class_bulk.html",
        {
            "training_class": training_class,
            "courses": courses,
            "course": course,
            "preview": preview,
            "batches": batches[:RECENT_BATCHES],
        },
    )


@login_required
def unit_bulk(request):
    """“Cấp chứng chỉ” of a unit official: pick the unit (of several), a course,
    see who completed it under the unit, start the run."""
    if not (request.user.is_superuser or is_official(request.user)):
        raise Http404
    units = bulk.official_units(request.user).order_by("path")
    value = request.POST.get("region") or request.GET.get("don-vi")
    region = None
    if value:
        try:
            region = Region.objects.filter(pk=int(value)).first()
        except ValueError:
            region = None
        if region is None or not can_act_for_region(request.user, region):
            raise Http404
    else:
        region = _chosen(units, None)
    courses = bulk.certificate_courses(CoursePage.objects.live())
    if request.method == "POST" and region is not None:
        response = _start(request, courses=courses, region=region)
        if response is not None:
            return response
    course = _chosen(courses, request.POST.get("course") or request.GET.get("khoa"))
    preview = None
    if region is not None and course is not None:
        preview = bulk.certificate_bulk_preview(
            users=bulk.unit_roster(region=region, course=course), course=course
        )
    batches = batches_visible_to(
        request.user, CertificateBatch.objects.filter(region__isnull=False)
    ).select_related("course", "region")
    return render(
        request,
        "certificates/bulk/unit_bulk.html",
        {
            "units": units,
            "region": region,
            "courses": courses,
            "course": course,
            "preview": preview,
            "batches": batches[:RECENT_BATCHES],
        },
    )


def _batch_for(user, pk) -> CertificateBatch:
    return get_object_or_404(
        batches_visible_to(user).select_related(
            "course", "training_class", "region", "created_by"
        ),
        pk=pk,
    )


@login_required
def batch_detail(request, pk):
    """A run: its progress bar, which refreshes itself while it goes; then the
    downloads, the counts and who was not eligible, with the reason."""
    batch = _batch_for(request.user, pk)
    progress = bulk.batch_progress(batch)
    stalled = bulk.is_stalled(batch)
    context = {
        "batch": batch,
        "progress": progress,
        "polling": batch.status in bulk.ACTIVE and not stalled,
        "stalled": stalled,
        "can_resume": bulk.can_resume(batch)
        and bulk.can_run_batch(request.user, batch),
        "ineligible": batch.items.filter(
            status=CertificateBatchItem.Status.INELIGIBLE
        ).select_related("user"),
    }
    if request.htmx:
        return render(request, "certificates/bulk/includes/batch_status.html", context)
    return render(request, "certificates/bulk/batch_detail.html", context)


@login_required
@require_POST
def batch_resume(request, pk):
    batch = _batch_for(request.user, pk)
    try:
        bulk.certificate_batch_resume(batch=batch, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("certificates:bulk_batch", args=[batch.pk]))


def _scope_name(batch: CertificateBatch) -> str:
    return batch.training_class.name if batch.training_class_id else batch.region.name


def _download_name(batch: CertificateBatch, suffix: str) -> str:
    slug = fold(f"{batch.course.title} {_scope_name(batch)}").replace(" ", "-")[:80]
    return f"chung-chi-{slug}{suffix}"


def _record_download(request, batch: CertificateBatch) -> None:
    """Record who took the run's certificates, for the officials of its unit."""
    unit = batch.training_class.region if batch.training_class_id else batch.region
    personal_data_export_record(
        actor=request.user,
        kind=PersonalDataExport.Kind.CERTIFICATE_BATCH,
        people=batch.items.filter(certificate__isnull=False).count(),
        region=unit,
        description=f"{batch.course.title} · {_scope_name(batch)}",
        request=request,
    )


@login_required
def batch_zip(request, pk):
    """The ZIP of the run's individual PDFs."""
    batch = _batch_for(request.user, pk)
    if batch.status != CertificateBatch.Status.DONE or not batch.zip_file:
        raise Http404
    _record_download(request, batch)
    return _send(batch.zip_file, _download_name(batch, ".zip"), "application/zip")


@login_required
def batch_print(request, pk):
    """The run's print-ready PDF: one page per person, in roster order."""
    batch = _batch_for(request.user, pk)
    if batch.status != CertificateBatch.Status.DONE or not batch.print_file:
        raise Http404
    _record_download(request, batch)
    return _send(
        batch.print_file, _download_name(batch, "-ban-in.pdf"), "application/pdf"
    )


def _send(file, filename: str, content_type: str):
    """Answer with a private file: a redirect to a signed address that works for
    a few minutes when it is in an object store, else streamed from storage.
    Either way only after the view has checked who asks."""
    url = signed_url(file.name, filename=filename, content_type=content_type)
    if url:
        response = HttpResponseRedirect(url)
        # The address is the person's alone for a few minutes: no cache keeps it.
        patch_cache_control(response, private=True, no_store=True)
        return response
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
