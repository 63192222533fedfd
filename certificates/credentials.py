"""Certificates as Open Badges 3.0 credentials, and their revocation list.

- ``credential(certificate)``: the certificate as an ``OpenBadgeCredential``, a
  W3C Verifiable Credential 2.0 document. It says what the public verification
  page says and no more: the course, the issuer, the dates and, for the holder
  to prove it is theirs, a salted hash of the name printed on it.
- ``credential_jwt(certificate)``: that document signed (VC-JWT, ``signing``).
  Nothing is stored: the same certificate always gives the same document, and
  Ed25519 signs it to the same bytes, so a PDF made again carries the same one.
- ``status_list_jwt(number)``: a W3C ``BitstringStatusListCredential`` saying
  which certificates are revoked, built from the database and cached for a short
  while; each credential names its list and its index in ``credentialStatus``.

The index of a certificate in its list is a fixed permutation of its primary
key, so allocating one is the database's own sequence: race-free on any number
of machines, with no lock and no extra query. The permutation scatters
neighbouring certificates over the list, so an index does not read as an issue
order.
"""

import base64
import gzip
import hashlib
import hmac
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import signing

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
# Bits in one status list: the specification's minimum (16 KB), which keeps a
# list from telling much about any one certificate (herd privacy).
LIST_SIZE = 131_072
# The permutation index = (A * position + B) mod LIST_SIZE is a bijection on
# the list because A is odd and LIST_SIZE a power of two.
_A = 0x9E3B
_B = 0x5A5A
STATUS_CACHE_SECONDS = 300


def _base() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _seconds(moment: datetime) -> int:
    return int(moment.astimezone(UTC).replace(microsecond=0).timestamp())


def _derived(purpose: str, certificate) -> bytes:
    """Return bytes only the platform can make for this certificate."""
    message = f"open-badge:{purpose}:{certificate.token}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def status_position(pk: int) -> tuple[int, int]:
    """Return (list number, index in the list) of the certificate with this key."""
    number, position = divmod(pk - 1, LIST_SIZE)
    return number, (_A * position + _B) % LIST_SIZE


def status_list_url(number: int) -> str:
    return _base() + reverse("certificates:status_list", args=[number])


def verification_url(certificate) -> str:
    return _base() + reverse("certificates:verify_token", args=[certificate.token])


def identity_hash(name: str, salt: str) -> str:
    """Return the Open Badges hash of an identity: sha256 of identity + salt."""
    return "sha256$" + hashlib.sha256((name + salt).encode()).hexdigest()


def credential(certificate) -> dict:
    """Return the certificate as an OpenBadgeCredential (unsigned), in the
    site's language (Vietnamese), whoever asks for it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _credential(certificate)


def _credential(certificate) -> dict:
    printed = certificate.printed
    course = printed.get("course", "")
    hours = printed.get("hours", "")
    salt = _derived("salt", certificate)[:16].hex()
    subject_id = f"urn:uuid:{uuid.UUID(bytes=_derived('subject', certificate)[:16])}"
    achievement_id = "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{_base()}/courses/{certificate.course_id}")
    )
    number, index = status_position(certificate.pk)
    list_url = status_list_url(number)
    issuer = {
        "id": signing.issuer_did(),
        "type": ["Profile"],
        "name": printed.get("issuer", ""),
        "url": _base() + "/",
    }
    if printed.get("issuer_parent"):
        issuer["description"] = printed["issuer_parent"]
    if printed.get("place"):
        issuer["address"] = {
            "type": ["Address"],
            "addressCountry": "Việt Nam",
            "addressCountryCode": "VN",
            "addressRegion": printed["place"],
        }
    subject = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion",
            "name": course,
            "description": _(
                "Completed the course “%(course)s” (%(hours)s hours) and met the "
                "rule for its certificate."
            )
            % {"course": course, "hours": hours},
            "criteria": {
                "narrative": _(
                    "Complete every lesson and the final quiz of the course, and "
                    "attend the class sessions the course asks for."
                )
            },
            "inLanguage": "vi",
        },
    }
    if printed.get("learner_name"):
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(printed["learner_name"], salt),
                "identityType": "name",
                "hashed": True,
                "salt": salt,
            }
        ]
    document = {
        "@context": CONTEXT,
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("Certificate – %(course)s") % {"course": course},
        "issuer": issuer,
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialSchema": [SCHEMA],
        "credentialStatus": {
            "id": f"{list_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        },
    }
    if certificate.expires_at is not None:
        document["validUntil"] = _iso(certificate.expires_at)
    return document


def credential_jwt(certificate) -> str:
    """Return the certificate's credential, signed: a compact JWS (VC-JWT) whose
    payload is the credential with the registered claims Open Badges 3.0 asks
    for (iss, sub, jti, nbf, exp)."""
    document = credential(certificate)
    claims = {
        **document,
        "iss": document["issuer"]["id"],
        "sub": document["credentialSubject"]["id"],
        "jti": document["id"],
        "nbf": _seconds(certificate.issued_at),
    }
    if certificate.expires_at is not None:
        claims["exp"] = _seconds(certificate.expires_at)
    return signing.sign(claims)


def certificate_credential(*, certificate, now: datetime | None = None) -> str:
    """Return the signed credential of a valid certificate; refuse, with the
    reason, for a revoked, expired or withdrawn one, issuing nothing."""
    status = certificate.status_at(now or timezone.now())
    if certificate.withdrawn_at is not None:
        raise ValidationError(
            _(
                "This certificate was withdrawn when its holder deleted their "
                "account; it no longer gives a digital credential."
            ),
            code="withdrawn",
        )
    if status == certificate.Status.REVOKED:
        raise ValidationError(
            _(
                "This certificate has been revoked, so no digital credential is "
                "issued for it."
            ),
            code="revoked",
        )
    if status == certificate.Status.EXPIRED:
        raise ValidationError(
            _(
                "This certificate has expired, so no digital credential is issued "
                "for it. Take the course again to get a renewed certificate."
            ),
            code="expired",
        )
    return credential_jwt(certificate)


# The revocation list ---------------------------------------------------------


def _cache_key(number: int) -> str:
    return f"certificates:status-list:{number}"


def status_list_forget(number: int) -> None:
    """Drop the cached list, so the next request rebuilds it from the database."""
    cache.delete(_cache_key(number))


def revoked_indexes(number: int) -> list[int]:
    """Return the indexes set in status list ``number``: its revoked
    certificates', read from the database."""
    from .models import Certificate

    first = number * LIST_SIZE + 1
    keys = Certificate.objects.filter(
        pk__gte=first, pk__lt=first + LIST_SIZE, revoked_at__isnull=False
    ).values_list("pk", flat=True)
    return sorted(status_position(pk)[1] for pk in keys)


def encode_bitstring(indexes: list[int], size: int = LIST_SIZE) -> str:
    """Return the bitstring with these indexes set, GZIP-compressed and
    multibase-encoded (base64url, no padding, prefix "u"). Index 0 is the
    first byte's most significant bit, as the specification says."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def status_list(number: int, *, now: datetime | None = None) -> dict:
    """Return status list ``number`` as a BitstringStatusListCredential."""
    url = status_list_url(number)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": signing.issuer_did(),
        "validFrom": _iso(now or timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_indexes(number)),
            # How long a verifier may keep it, in milliseconds.
            "ttl": STATUS_CACHE_SECONDS * 1000,
        },
    }


def status_list_jwt(number: int) -> str | None:
    """Return status list ``number``, signed, from the cache when fresh; None
    for a list no certificate has reached yet."""
    from .models import Certificate

    if number * LIST_SIZE >= 2**63:  # past any primary key (a bigint)
        return None
    key = _cache_key(number)
    token = cache.get(key)
    if token is None:
        if not Certificate.objects.filter(pk__gt=number * LIST_SIZE).exists():
            return None
        document = status_list(number)
        token = signing.sign(
            {
                **document,
                "iss": document["issuer"],
                "jti": document["id"],
                "nbf": _seconds(datetime.fromisoformat(document["validFrom"])),
            }
        )
        cache.set(key, token, STATUS_CACHE_SECONDS)
    return token
