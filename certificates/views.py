"""The learner's certificates, the PDF download, revoking, and public verification.

The verification pages are for anyone holding the paper. They show the learner's
name, the course, the issue date, the issuer and the status, nothing else (no
name once the holder withdrew the certificate by deleting their account); they
read everything from the database and nothing from the query string; every
unknown or malformed code and token gets the very same answer; search engines
are told not to index them; lookups are limited per client address. Asked for
JSON (``Accept: application/json``), they answer the same facts as JSON, under
the same limit.

The credentials' public side is here too: the issuer's key as a DID document
and a JWKS under ``/.well-known/``, and the revocation lists (``credentials``).
"""

import base64
import json
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import throttle
from core.net import client_ip
from courses.models import Enrolment
from users.models import PersonalDataExport
from users.services import personal_data_export_record

from . import credentials, signing
from .codes import normalise_code
from .forms import RevokeForm, VerifyForm
from .models import Certificate, MeritCertificate
from .scopes import (
    can_revoke_certificate,
    can_revoke_merit,
    certificates_visible_to,
    merits_visible_to,
)
from .selectors import (
    certificate_by_code,
    certificate_by_token,
    certificates_of,
    merits_of,
)
from .services import certificate_revoke, enrolment_restart, merit_certificate_revoke

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
    merits = [
        {
            "merit": merit,
            "verify_url": request.build_absolute_uri(merit.get_absolute_url()),
        }
        for merit in merits_of(user=request.user)
    ]
    return render(
        request,
        "certificates/my_certificates.html",
        {
            "certificates": certificates,
            "merits": merits,
            "Status": Certificate.Status,
            "credentials_on": signing.key_problem() is None,
        },
    )


@login_required
def credential_download(request, pk: int):
    """The holder's certificate as a signed Open Badges 3.0 credential (VC-JWT).
    Only for the holder, and only while the certificate is valid: a revoked,
    expired or withdrawn one gets the reason and no credential."""
    from .pdf import credential_filename

    certificate = get_object_or_404(
        Certificate.objects.select_related("course"), pk=pk, user=request.user
    )
    try:
        token = credentials.certificate_credential(certificate=certificate)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("certificates:mine")
    except signing.KeyUnavailable:
        messages.error(
            request,
            _(
                "Digital credentials are not available on this site yet. The PDF "
                "certificate is still valid."
            ),
        )
        return redirect("certificates:mine")
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = (
        f'attachment; filename="{credential_filename(certificate)}"'
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _pdf_download(request, document, *, name: str, description: str):
    """The PDF of a certificate or a certificate of merit the person may see,
    named ``<name>-<code>.pdf``. A copy of someone else's is recorded for the
    officials of its unit (“who looked”)."""
    from .pdf import certificate_pdf

    if document.user_id != request.user.pk:
        personal_data_export_record(
            actor=request.user,
            kind=PersonalDataExport.Kind.CERTIFICATE,
            people=1,
            region=document.region,
            description=f"{document.code} · {description}",
            request=request,
        )
    response = HttpResponse(certificate_pdf(document), content_type="application/pdf")
    # The code is Crockford base32 and dashes: safe in a header as it is.
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{document.code}.pdf"'
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def certificate_download(request, pk: int):
    """The certificate's PDF, for whoever may see it; never for a certificate its
    holder withdrew by deleting their account."""
    certificate = get_object_or_404(
        certificates_visible_to(request.user)
        .filter(withdrawn_at__isnull=True)
        .select_related("template", "course", "user", "region"),
        pk=pk,
    )
    return _pdf_download(
        request,
        certificate,
        name="giay-chung-nhan",
        description=certificate.printed.get("course") or certificate.course.title,
    )


@login_required
def merit_download(request, pk: int):
    """The certificate of merit's PDF, for its holder, whoever awarded it and
    the officials over its unit; never once its holder withdrew it."""
    merit = get_object_or_404(
        merits_visible_to(request.user)
        .filter(withdrawn_at__isnull=True)
        .select_related("template", "region"),
        pk=pk,
    )
    return _pdf_download(
        request, merit, name="giay-khen", description=merit.printed.get("title", "")
    )


def _revoke_page(request, document, *, may: bool, visible, revoke, again: str):
    """The revoke page of a certificate or a certificate of merit: 403 for who
    may see it (``visible()``) and not revoke it, 404 for anyone else."""
    if not may:
        if visible():
            raise PermissionDenied
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and document.revoked_at is None and form.is_valid():
        try:
            revoke(document, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The certificate is revoked. Its verification page says so now."),
            )
            return redirect(again, pk=document.pk)
    return render(
        request,
        "certificates/revoke.html",
        {
            "certificate": document,
            "status": document.status,
            "form": form,
            "Status": Certificate.Status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def merit_revoke_view(request, pk: int):
    merit = get_object_or_404(
        MeritCertificate.objects.select_related("revoked_by"), pk=pk
    )
    return _revoke_page(
        request,
        merit,
        may=can_revoke_merit(request.user, merit),
        visible=merits_visible_to(request.user).filter(pk=pk).exists,
        revoke=lambda merit, **kw: merit_certificate_revoke(merit=merit, **kw),
        again="certificates:merit_revoke",
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, pk: int):
    certificate = get_object_or_404(
        Certificate.objects.select_related("course", "revoked_by"), pk=pk
    )
    return _revoke_page(
        request,
        certificate,
        may=can_revoke_certificate(request.user, certificate),
        visible=certificates_visible_to(request.user).filter(pk=pk).exists,
        revoke=lambda certificate, **kw: certificate_revoke(
            certificate=certificate, **kw
        ),
        again="certificates:revoke",
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
    if _wants_json(request):
        response = _json(
            request,
            {"status": "rate_limited", "retry_after": refusal.retry_after},
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response
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


def _wants_json(request) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == (
        "application/json"
    )


def _json(request, data: dict, *, status: int = 200):
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False}
    )
    patch_vary_headers(response, ["Accept"])
    return _public(response)


def _local_date(moment) -> str | None:
    if moment is None:
        return None
    return timezone.localdate(moment, timezone.get_default_timezone()).isoformat()


def _result_json(request, certificate: Certificate | None):
    """The result as JSON: the very facts the page shows, dates as ISO 8601 on
    the site's calendar; the same answer for every unknown code or token."""
    if certificate is None:
        return _json(request, {"status": "not_found"}, status=404)
    printed = certificate.printed
    if getattr(certificate, "is_merit", False):
        # A certificate of merit names what it is for instead of a course.
        data = {"kind": "merit", "reason": certificate.reason}
        if certificate.withdrawn_at is None:
            data["unit"] = printed.get("unit", "")
    else:
        data = {"course": printed.get("course") or certificate.course.title}
    data = {
        **data,
        "issuer": {
            "name": printed.get("issuer", ""),
            "governing_body": printed.get("issuer_parent", ""),
        },
        "issued_on": _local_date(certificate.issued_at),
    }
    if certificate.withdrawn_at is not None:
        return _json(
            request,
            {
                "status": "withdrawn",
                **data,
                "withdrawn_on": _local_date(certificate.withdrawn_at),
            },
        )
    status = certificate.status
    data = {
        "status": str(status),
        "awarded_to": printed.get("learner_name", ""),
        **data,
    }
    if status == Certificate.Status.REVOKED:
        data["revoked_on"] = _local_date(certificate.revoked_at)
        data["revoked_reason"] = certificate.revoked_reason
    elif certificate.expires_at is not None:
        key = "expired_on" if status == Certificate.Status.EXPIRED else "valid_until"
        data[key] = _local_date(certificate.expires_at)
    return _json(request, data)


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
        "merit": getattr(certificate, "is_merit", False),
        "Status": Certificate.Status,
    }
    if _wants_json(request):
        return _result_json(request, certificate)
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
        if _wants_json(request):
            return _json(
                request,
                {"status": "invalid", "errors": form.errors.get_json_data()},
                status=400,
            )
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


# The credentials' public side ------------------------------------------------

# A verifier may keep the key for a day; a status list for a minute, which is
# how soon a revocation reaches one that keeps it.
KEY_MAX_AGE = 24 * 60 * 60
STATUS_MAX_AGE = 60


def _published(data, *, content_type: str, max_age: int):
    if isinstance(data, dict):
        response = JsonResponse(data, content_type=content_type)
    else:
        response = HttpResponse(data, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _key_or_404():
    if signing.key_problem() is not None:
        raise Http404


@require_http_methods(["GET"])
def did_document(request):
    """The issuer's DID document (did:web), which a credential's key id names."""
    _key_or_404()
    return _published(
        signing.did_document(), content_type="application/did+json", max_age=KEY_MAX_AGE
    )


@require_http_methods(["GET"])
def jwks(request):
    """The issuer's public keys as a JSON Web Key Set."""
    _key_or_404()
    return _published(
        signing.jwks(), content_type="application/jwk-set+json", max_age=KEY_MAX_AGE
    )


@require_http_methods(["GET"])
def status_list(request, number: int):
    """A revocation list: a signed BitstringStatusListCredential (VC-JWT), or
    its JSON payload when asked for JSON."""
    _key_or_404()
    token = credentials.status_list_jwt(number)
    if token is None:
        raise Http404
    response = (
        _published(
            json.loads(base64.urlsafe_b64decode(_padded(token.split(".")[1]))),
            content_type="application/json",
            max_age=STATUS_MAX_AGE,
        )
        if request.get_preferred_type(["application/vc+jwt", "application/json"])
        == "application/json"
        else _published(
            token, content_type="application/vc+jwt", max_age=STATUS_MAX_AGE
        )
    )
    patch_vary_headers(response, ["Accept"])
    return response


def _padded(segment: str) -> str:
    return segment + "=" * (-len(segment) % 4)
