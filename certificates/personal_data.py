"""A person's certificates, for their data download, and what of them is erased
with their account (users.personal_data).

A deleted account's certificates stay, so the reports still count them by the
unit and kind they snapshot; they are marked withdrawn by the holder, and the
name, date of birth and body text printed on them are blanked. Their
verification pages then say "withdrawn by the holder" and name nobody, and
their PDF is no longer given to anyone.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users.personal_data import Section, register

from .models import Certificate, MeritCertificate

# What a certificate prints that names its holder.
PRINTED_PERSONAL_KEYS = ("learner_name", "date_of_birth", "body")


def _certificates(user) -> list[dict]:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return [
        {
            "course": certificate.printed.get("course") or certificate.course.title,
            "code": certificate.code,
            "learner_name": certificate.printed.get("learner_name", ""),
            "date_of_birth": certificate.printed.get("date_of_birth", ""),
            "issued_at": certificate.issued_at,
            "expires_at": certificate.expires_at,
            "status": Certificate.Status(certificate.status).label,
            "revoked_at": certificate.revoked_at,
            "revoked_reason": certificate.revoked_reason,
            "region": str(certificate.region) if certificate.region else "",
            "learner_kind": certificate.get_learner_kind_display(),
            "verify_url": base + certificate.get_absolute_url(),
        }
        for certificate in Certificate.objects.filter(user=user)
        .select_related("course", "region", "region__parent")
        .order_by("issued_at", "pk")
    ]


def _erase(user) -> None:
    now = timezone.now()
    for model in (Certificate, MeritCertificate):
        for certificate in model.objects.filter(user=user):
            for key in PRINTED_PERSONAL_KEYS:
                if key in certificate.printed:
                    certificate.printed[key] = ""
            certificate.withdrawn_at = certificate.withdrawn_at or now
            certificate.save(update_fields=["printed", "withdrawn_at"])


def _merits(user) -> list[dict]:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return [
        {
            "reason": merit.reason,
            "code": merit.code,
            "learner_name": merit.printed.get("learner_name", ""),
            "issued_at": merit.issued_at,
            "status": Certificate.Status(merit.status).label,
            "revoked_at": merit.revoked_at,
            "revoked_reason": merit.revoked_reason,
            "region": str(merit.region),
            "verify_url": base + merit.get_absolute_url(),
        }
        for merit in MeritCertificate.objects.filter(user=user)
        .select_related("region", "region__parent")
        .order_by("issued_at", "pk")
    ]


register(
    Section(
        name="certificates",
        title=_("Certificates"),
        columns=[
            ("course", _("Course")),
            ("code", _("Code")),
            ("learner_name", _("Name printed")),
            ("date_of_birth", _("Date of birth printed")),
            ("issued_at", _("Issued on")),
            ("expires_at", _("Valid until")),
            ("status", _("Status")),
            ("revoked_at", _("Revoked on")),
            ("revoked_reason", _("Reason for revoking")),
            ("region", _("Unit at issue")),
            ("learner_kind", _("Kind at issue")),
            ("verify_url", _("Verification address")),
        ],
        rows=_certificates,
        erase=_erase,
    )
)


register(
    Section(
        name="merit_certificates",
        title=_("Certificates of merit (giấy khen)"),
        columns=[
            ("reason", _("Reason")),
            ("code", _("Code")),
            ("learner_name", _("Name printed")),
            ("issued_at", _("Issued on")),
            ("status", _("Status")),
            ("revoked_at", _("Revoked on")),
            ("revoked_reason", _("Reason for revoking")),
            ("region", _("Unit")),
            ("verify_url", _("Verification address")),
        ],
        rows=_merits,
    )
)
