"""Certificates as Open Badges 3.0 credentials: what a verifier elsewhere checks.

The credentials are signed with joserfc; these tests verify them from scratch
with ``cryptography``'s Ed25519 and the key the site publishes, as a verifier
that knows nothing of this platform would.
"""

import base64
import datetime
import gzip
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from certificates import credentials, signing
from certificates.checks import signing_key_check
from certificates.models import Certificate
from certificates.pdf import certificate_pdf, certificates_pdfs
from certificates.services import certificate_revoke
from core.testing import vi
from users.tests.factories import UserFactory

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


# A verifier's own tools -------------------------------------------------------


def b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def parts(token: str) -> tuple[dict, dict]:
    header, payload, _signature = token.split(".")
    return json.loads(b64url(header)), json.loads(b64url(payload))


def verify(token: str, jwk: dict) -> dict:
    """Check an EdDSA compact JWS against an OKP JWK (RFC 8037) and return its
    payload; raise InvalidSignature when it does not hold."""
    header, payload, signature = token.split(".")
    assert json.loads(b64url(header))["alg"] == "EdDSA"
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    key = Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
    key.verify(b64url(signature), f"{header}.{payload}".encode("ascii"))
    return json.loads(b64url(payload))


def published_key(client, kid: str) -> dict:
    """Return the key the site publishes under kid, from its JWKS."""
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    thumbprint = kid.split("#", 1)[1]
    (key,) = [key for key in keys if key["kid"] == thumbprint]
    assert "d" not in key
    return key


def bit(encoded_list: str, index: int) -> int:
    assert encoded_list.startswith("u")
    bits = gzip.decompress(b64url(encoded_list[1:]))
    assert len(bits) >= 16 * 1024
    return (bits[index // 8] >> (7 - index % 8)) & 1


def download(client, certificate):
    client.force_login(certificate.user)
    return client.get(reverse("certificates:credential", args=[certificate.pk]))


@pytest.fixture
def certificate():
    return CertificateFactory(
        printed_extra={"learner_name": "Nguyễn Thị Hồng Nhung"},
        issued_at=timezone.make_aware(datetime.datetime(2026, 11, 21, 9, 0)),
        expires_at=timezone.make_aware(datetime.datetime(2028, 11, 21, 9, 0)),
    )


# The credential ---------------------------------------------------------------


def test_an_issued_credential_verifies_offline_and_shows_revoked_once_revoked(
    client, certificate
):
    """The holder downloads the credential; a verifier checks it with the
    published key and the status list says valid; revoked, the list says so."""
    response = download(client, certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert (
        f'filename="open-badge-{certificate.code}.jwt"'
        in (response["Content-Disposition"])
    )
    token = response.content.decode()
    header, _ = parts(token)
    document = verify(token, published_key(client, header["kid"]))

    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert document["issuer"]["id"] == "did:web:127.0.0.1%3A8000"
    assert document["issuer"]["name"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert document["iss"] == document["issuer"]["id"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.printed["course"]
    assert document["validFrom"] == "2026-11-21T02:00:00Z"
    assert document["validUntil"] == "2028-11-21T02:00:00Z"
    assert document["nbf"] == 1795226400
    assert document["jti"] == document["id"]
    assert document["sub"] == document["credentialSubject"]["id"]
    status = document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"

    def status_bit():
        listed = client.get(status["statusListCredential"])
        assert listed["Content-Type"] == "application/vc+jwt"
        listed_header, _ = parts(listed.content.decode())
        payload = verify(
            listed.content.decode(), published_key(client, listed_header["kid"])
        )
        assert "BitstringStatusListCredential" in payload["type"]
        assert payload["id"] == status["statusListCredential"]
        subject = payload["credentialSubject"]
        assert subject["statusPurpose"] == "revocation"
        return bit(subject["encodedList"], int(status["statusListIndex"]))

    assert status_bit() == 0

    certificate_revoke(certificate=certificate, by=UserFactory(), reason="Cấp nhầm.")

    assert status_bit() == 1


def test_the_same_certificate_always_gives_the_same_credential(certificate):
    """Nothing is stored: a PDF made again carries the very same credential."""
    first = credentials.credential_jwt(certificate)
    again = credentials.credential_jwt(Certificate.objects.get(pk=certificate.pk))
    other = credentials.credential_jwt(CertificateFactory())

    assert first == again
    assert first != other


def test_a_tampered_credential_fails(client, certificate):
    token = download(client, certificate).content.decode()
    header, payload, signature = token.split(".")
    document = json.loads(b64url(payload))
    document["credentialSubject"]["achievement"]["name"] = "Khóa học khác"
    forged = base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=")
    key = published_key(client, parts(token)[0]["kid"])

    with pytest.raises(InvalidSignature):
        verify(f"{header}.{forged.decode()}.{signature}", key)
    verify(token, key)  # the genuine one still holds


def test_the_key_id_resolves_through_the_did_document(client, certificate):
    """did:web:host resolves to https://host/.well-known/did.json; its
    verification method for assertions verifies the credential."""
    token = download(client, certificate).content.decode()
    kid = parts(token)[0]["kid"]
    document = client.get("/.well-known/did.json").json()

    assert kid.startswith(document["id"] + "#")
    assert kid in document["assertionMethod"]
    (method,) = [m for m in document["verificationMethod"] if m["id"] == kid]
    assert method["type"] == "JsonWebKey2020"
    assert "d" not in method["publicKeyJwk"]
    verify(token, method["publicKeyJwk"])


def test_a_key_that_is_not_the_issuers_does_not_verify(client, certificate, tmp_path):
    token = download(client, certificate).content.decode()
    other = signing.key_generate(path=tmp_path / "other.pem")

    with pytest.raises(InvalidSignature):
        verify(token, other.as_dict(private=False))


def test_the_learner_is_identified_only_by_a_salted_hash_of_the_printed_name(
    client, certificate
):
    token = download(client, certificate).content.decode()
    text = b64url(token.split(".")[1]).decode()
    document = json.loads(text)
    (identity,) = document["credentialSubject"]["identifier"]

    assert identity["hashed"] is True
    assert identity["identityHash"] == credentials.identity_hash(
        "Nguyễn Thị Hồng Nhung", identity["salt"]
    )
    assert "Nguyễn Thị Hồng Nhung" not in text
    assert certificate.user.username not in text
    assert certificate.code not in text


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_no_credential_for_a_revoked_or_expired_certificate(client, state):
    certificate = CertificateFactory()
    if state == "revoked":
        certificate_revoke(certificate=certificate, by=UserFactory(), reason="Sai.")
        expected = vi(
            "This certificate has been revoked, so no digital credential is issued "
            "for it."
        )
    else:
        certificate.expires_at = timezone.now() - datetime.timedelta(days=1)
        certificate.save()
        expected = vi(
            "This certificate has expired, so no digital credential is issued for "
            "it. Take the course again to get a renewed certificate."
        )

    response = download(client, certificate)

    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:mine")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    assert "không" in expected  # in Vietnamese


def test_only_the_holder_downloads_the_credential(client, certificate):
    client.force_login(UserFactory())
    response = client.get(reverse("certificates:credential", args=[certificate.pk]))
    assert response.status_code == 404


def test_my_certificates_offers_the_credential_only_for_a_valid_certificate(
    client, certificate
):
    revoked = CertificateFactory(user=certificate.user)
    certificate_revoke(certificate=revoked, by=UserFactory(), reason="Sai.")
    client.force_login(certificate.user)

    page = client.get(reverse("certificates:mine")).content.decode()

    assert reverse("certificates:credential", args=[certificate.pk]) in page
    assert reverse("certificates:credential", args=[revoked.pk]) not in page
    assert vi("Download the digital credential (Open Badges)") in page


# In the PDF -------------------------------------------------------------------


def attachments(pdf: bytes, tmp_path: Path) -> dict[str, bytes]:
    """Return the PDF's embedded files by name, as poppler's pdfdetach saves
    them, after qpdf has checked the file."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    out = tmp_path / "attached"
    out.mkdir()
    subprocess.run(
        ["pdfdetach", "-saveall", "-o", str(out), str(path)],
        check=True,
        capture_output=True,
    )
    return {name: (out / name).read_bytes() for name in os.listdir(out)}


def test_the_pdf_carries_the_signed_credential(client, certificate, tmp_path):
    files = attachments(certificate_pdf(certificate), tmp_path)

    token = files[f"open-badge-{certificate.code}.jwt"].decode()
    payload = verify(token, published_key(client, parts(token)[0]["kid"]))
    assert payload["id"].endswith(f"/verify/{certificate.token}/")


def test_each_pdf_of_a_bulk_run_carries_its_own_credential(certificate, tmp_path):
    other = CertificateFactory()

    pdfs = dict(certificates_pdfs([certificate, other], workers=1))

    for issued in (certificate, other):
        folder = tmp_path / str(issued.pk)
        folder.mkdir()
        files = attachments(pdfs[issued], folder)
        assert list(files) == [f"open-badge-{issued.code}.jwt"]
        assert parts(files[f"open-badge-{issued.code}.jwt"].decode())[1]["id"].endswith(
            f"/verify/{issued.token}/"
        )


def test_a_revoked_certificates_pdf_carries_no_credential(certificate, tmp_path):
    certificate = certificate_revoke(
        certificate=certificate, by=UserFactory(), reason="Sai."
    )

    assert attachments(certificate_pdf(certificate), tmp_path) == {}


# The status list ----------------------------------------------------------------


def test_status_indexes_are_a_permutation_of_the_keys():
    """No two certificates of one list share an index, whatever the order or
    machine that created them: the index is a bijection of the primary key."""
    indexes = {
        credentials.status_position(pk)[1] for pk in range(1, credentials.LIST_SIZE + 1)
    }
    assert len(indexes) == credentials.LIST_SIZE
    assert credentials.status_position(credentials.LIST_SIZE + 1)[0] == 1
    # Neighbouring certificates are not neighbours in the list.
    first, second = (credentials.status_position(pk)[1] for pk in (1, 2))
    assert abs(second - first) > 1


def test_a_list_no_certificate_reached_is_not_found(client, certificate):
    number = credentials.status_position(certificate.pk)[0]
    assert client.get(f"/credentials/status/{number}/").status_code == 200
    assert client.get(f"/credentials/status/{number + 1}/").status_code == 404
    assert client.get(f"/credentials/status/{10**30}/").status_code == 404


def test_the_status_list_answers_json_when_asked(client, certificate):
    number = credentials.status_position(certificate.pk)[0]
    response = client.get(
        f"/credentials/status/{number}/", HTTP_ACCEPT="application/json"
    )
    assert response["Content-Type"] == "application/json"
    assert response.json()["credentialSubject"]["type"] == "BitstringStatusList"


# The key ------------------------------------------------------------------------


def test_the_command_makes_a_private_key_file_and_keeps_an_existing_one(tmp_path):
    path = tmp_path / "keys" / "issuer.pem"

    out = io.StringIO()
    call_command("credential_key_generate", path=str(path), stdout=out)

    assert path.stat().st_mode & 0o777 == 0o600
    assert b"BEGIN PRIVATE KEY" in path.read_bytes()
    assert str(path) in out.getvalue()
    first = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("credential_key_generate", path=str(path))
    assert path.read_bytes() == first


@pytest.mark.parametrize("problem", ["unset", "missing", "not a key"])
def test_the_deploy_check_names_the_setting(settings, tmp_path, problem):
    if problem == "unset":
        settings.CREDENTIAL_SIGNING_KEY_FILE = ""
    elif problem == "missing":
        settings.CREDENTIAL_SIGNING_KEY_FILE = str(tmp_path / "absent.pem")
    else:
        (tmp_path / "junk.pem").write_text("not a key")
        settings.CREDENTIAL_SIGNING_KEY_FILE = str(tmp_path / "junk.pem")

    (error,) = signing_key_check(None)

    assert error.id == "certificates.E001"
    assert "CREDENTIAL_SIGNING_KEY_FILE" in error.msg


def test_the_deploy_check_passes_with_the_key():
    assert signing_key_check(None) == []


def test_without_a_key_nothing_is_published_and_the_pdf_still_renders(
    client, certificate, settings, tmp_path
):
    settings.CREDENTIAL_SIGNING_KEY_FILE = ""

    assert client.get("/.well-known/jwks.json").status_code == 404
    assert client.get("/.well-known/did.json").status_code == 404
    assert attachments(certificate_pdf(certificate), tmp_path) == {}
