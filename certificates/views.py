"""The learner's certificates, the PDF download, revoking, and public verification.

The verification pages are for anyone holding the paper. They show the learner's
name, the course, the issue date, the issuer and the status, nothing else (no
name once the holder withdrew the certificate by deleting their account); they
read everything from the database and nothing from the query string; every
unknown or malformed code and token gets the very same answer; search engines
are told not to index them; lookups are limited per client address.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import throttle
from core.net import client_ip
from courses.models import Enrolment
from users.models import PersonalDataExport
from users.services import personal_data_export_record

from .codes import normalise_code
from .forms import RevokeForm, VerifyForm
from .models import Certificate
from .scopes import can_revoke_certificate, certificates_visible_to
from .selectors import certificate_by_code, certificate_by_token, certificates_of
from .services import certificate_revoke, enrolment_restart

# Longer than any token new_token() makes; anything longer is not looked up.
MAX_TOKEN_LENGTH = 64


@login_required
def my_certificates(request):
    certificates = [
        {
            "certificate": certificate,
            "status": certificate.status,
            "verify_url": request.build_absolute_uri(certificate.get_absolute_url()),
        }
        for certificate in certificates_of(user=request.user)
    ]
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": certificates, "Status": Certificate.Status},
    )


@login_required
def certificate_download(request, pk: int):
    """The certificate's PDF, for whoever may see it; never for a certificate its
    holder withdrew by deleting their account. A copy of someone else's
    certificate is recorded for the officials of its unit (“who looked”)."""
    from .pdf import certificate_pdf

    certificate = get_object_or_404(
        certificates_visible_to(request.user)
        .filter(withdrawn_at__isnull=True)
        .select_related("template", "course", "user", "region"),
        pk=pk,
    )
    if certificate.user_id != request.user.pk:
        personal_data_export_record(
            actor=request.user,
            kind=PersonalDataExport.Kind.CERTIFICATE,
            people=1,
            region=certificate.region,
            description=f"{certificate.code} · "
            f"{certificate.printed.get('course') or certificate.course.title}",
            request=request,
        )
    response = HttpResponse(
        certificate_pdf(certificate), content_type="application/pdf"
    )
    # The code is Crockford base32 and dashes: safe in a header as it is.
    response["Content-Disposition"] = (
        f'attachment; filename="giay-chung-nhan-{certificate.code}.pdf"'
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, pk: int):
    certificate = get_object_or_404(
        Certificate.objects.select_related("course", "revoked_by"), pk=pk
    )
    if not can_revoke_certificate(request.user, certificate):
        if certificates_visible_to(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and certificate.revoked_at is None and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The certificate is revoked. Its verification page says so now."),
            )
            return redirect("certificates:revoke", pk=certificate.pk)
    return render(
        request,
        "certificates/revoke.html",
        {
            "certificate": certificate,
            "status": certificate.status,
            "form": form,
            "Status": Certificate.Status,
        },
    )


@login_required
@require_POST
def course_redo(request, course_pk: int):
    """Start a course over once its certificate has expired."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course"),
        user=request.user,
        course_id=course_pk,
    )
    try:
        enrolment_restart(enrolment=enrolment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "You are starting the course again. Finish it to get a renewed "
                "certificate."
            ),
        )
    return redirect(enrolment.course.url or "/")


# Public verification -------------------------------------------------------------


def _public(response):
    response["X-Robots-Tag"] = "noindex"
    # The status may change (revoked) at any moment: nothing may keep a copy.
    patch_cache_control(response, no_store=True)
    return response


def _rate_limited(request) -> throttle.Refusal | None:
    """Count one lookup for the client address; the refusal when over the limit
    (settings CERTIFICATE_VERIFY_RATE_LIMIT per CERTIFICATE_VERIFY_RATE_WINDOW)."""
    return throttle.hit({"verify:address": client_ip(request)})


def _header_request(request):
    return SimpleNamespace(path=reverse("certificates:verify"), user=request.user)


def _too_many(request, refusal: throttle.Refusal):
    response = render(
        request,
        "certificates/verify_limited.html",
        {
            "csrf_token": "",
            "header_request": _header_request(request),
            "refusal": refusal,
        },
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return _public(response)


def _result(request, certificate: Certificate | None):
    """Render the result: the certificate's public facts, or "not found", which is
    the same page for every unknown or malformed code and token. A certificate
    its holder withdrew (by deleting their account) says so, and names nobody."""
    context = {
        # No form and no CSRF token on the result, and the header's links name
        # the form's address, not this one: the answer to one unknown code or
        # token is byte for byte the answer to any other.
        "csrf_token": "",
        "header_request": _header_request(request),
        "certificate": certificate,
        "Status": Certificate.Status,
    }
    if certificate is not None:
        context["status"] = certificate.status
        context["withdrawn"] = certificate.withdrawn_at is not None
    status = 200 if certificate is not None else 404
    return _public(
        render(request, "certificates/verify_result.html", context, status=status)
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """The form to type a code; the code is posted, so it stays out of addresses
    and access logs."""
    if request.method == "GET":
        return _public(
            render(request, "certificates/verify.html", {"form": VerifyForm()})
        )
    if refusal := _rate_limited(request):
        return _too_many(request, refusal)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _public(render(request, "certificates/verify.html", {"form": form}))
    return _result(
        request, certificate_by_code(normalise_code(form.cleaned_data["code"]))
    )


@require_http_methods(["GET"])
def verify_token(request, token: str):
    """The page the QR code opens."""
    if refusal := _rate_limited(request):
        return _too_many(request, refusal)
    certificate = (
        certificate_by_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    )
    return _result(request, certificate)
