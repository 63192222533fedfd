"""The issuer's Ed25519 key: made once, kept outside the repository, published.

The private key is a PKCS#8 PEM file named by the setting
``CREDENTIAL_SIGNING_KEY_FILE`` (made by ``manage.py credential_key_generate``);
every app machine reads the same file (a secret of the deployment, like
``DJANGO_SECRET_KEY``). The public half is published as a DID document
(``did:web``, ``/.well-known/did.json``) and a JWKS (``/.well-known/jwks.json``),
so a verifier checks a credential offline once it holds the key.

Signing is VC-JWT (a compact JWS, ``alg: EdDSA``) with joserfc; see the README's
"Open Badges" section for why.
"""

import os
import warnings
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey

SETTING = "CREDENTIAL_SIGNING_KEY_FILE"
ALGORITHM = "EdDSA"


class KeyUnavailable(ImproperlyConfigured):
    """The signing key is not configured, missing or unreadable."""


def key_path() -> Path | None:
    value = getattr(settings, SETTING, "") or ""
    return Path(value) if str(value) else None


def key_generate(*, path: Path, overwrite: bool = False) -> OKPKey:
    """Write a new Ed25519 private key to path (mode 0600) and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = OKPKey.generate_key("Ed25519", private=True)
    # O_EXCL: two machines running the command at once cannot both write one.
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.as_pem(private=True))
    key_cache_clear()
    return key


def key_problem() -> str | None:
    """Return why the signing key cannot be used, or None when it can."""
    path = key_path()
    if path is None:
        return f"{SETTING} is not set."
    try:
        signing_key()
    except KeyUnavailable as error:
        return str(error)
    return None


def signing_key() -> OKPKey:
    """Return the issuer's private key, read once per process and file version."""
    path = key_path()
    if path is None:
        raise KeyUnavailable(f"{SETTING} is not set.")
    try:
        stat = path.stat()
    except OSError as error:
        raise KeyUnavailable(
            f"{SETTING} names {path}, which cannot be read: {error.strerror}."
        ) from error
    return _load(str(path), stat.st_mtime_ns)


@lru_cache(maxsize=2)
def _load(path: str, _version: int) -> OKPKey:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise KeyUnavailable(
            f"{SETTING} names {path}, which cannot be read: {error.strerror}."
        ) from error
    try:
        key = OKPKey.import_key(data)
    except Exception as error:  # any parse error means "not a key"
        raise KeyUnavailable(
            f"{SETTING} names {path}, which is not an Ed25519 private key in PEM."
        ) from error
    if key.as_dict().get("crv") != "Ed25519" or not key.is_private:
        raise KeyUnavailable(
            f"{SETTING} names {path}, which is not an Ed25519 private key in PEM."
        )
    return key


def key_cache_clear() -> None:
    _load.cache_clear()
    _public.cache_clear()


def issuer_did() -> str:
    """Return the platform's ``did:web``, made from PUBLIC_BASE_URL's host (and
    port, encoded as the method asks). Its document is /.well-known/did.json."""
    host = urlsplit(settings.PUBLIC_BASE_URL).netloc
    return "did:web:" + quote(host, safe="")


def key_id() -> str:
    """Return the key's id: the DID and the key's JWK thumbprint (RFC 7638), so
    a future key gets another id and old credentials still name theirs."""
    return f"{issuer_did()}#{public_jwk()['kid']}"


def public_jwk() -> dict:
    """Return the public key as a JWK, with its thumbprint as ``kid``."""
    key = signing_key()
    return dict(_public(key.thumbprint(), tuple(sorted(key.as_dict().items()))))


@lru_cache(maxsize=2)
def _public(thumbprint: str, members: tuple) -> tuple:
    public = {name: value for name, value in members if name in ("kty", "crv", "x")}
    return tuple({**public, "kid": thumbprint, "alg": ALGORITHM, "use": "sig"}.items())


def jwks() -> dict:
    return {"keys": [public_jwk()]}


def did_document() -> dict:
    """Return the DID document of ``issuer_did()``: one verification method, the
    signing key as a JWK (``JsonWebKey2020``, which did:web resolvers know), for
    assertions (signing credentials)."""
    did = issuer_did()
    jwk = {name: public_jwk()[name] for name in ("kty", "crv", "x")}
    method = {
        "id": key_id(),
        "type": "JsonWebKey2020",
        "controller": did,
        "publicKeyJwk": jwk,
    }
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
        "authentication": [method["id"]],
    }


def sign(claims: dict) -> str:
    """Return claims as a compact JWS signed with the issuer's key.

    The header is what Open Badges 3.0 allows (alg, kid, typ "JWT"); the key id
    dereferences through the DID document.
    """
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": key_id()}
    with warnings.catch_warnings():
        # joserfc warns that RFC 9864 prefers the fully specified name
        # "Ed25519"; Open Badges 3.0 and the verifiers in use today know
        # "EdDSA", which with an Ed25519 key is the very same signature.
        warnings.simplefilter("ignore", SecurityWarning)
        return jwt.encode(header, claims, signing_key(), algorithms=[ALGORITHM])
