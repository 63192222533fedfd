"""Where files live: two storages, both named in ``settings.STORAGES``.

- ``default``: media (uploaded images and documents, their renditions), public.
- ``private``: files only views that check who asks may send (bulk certificate
  ZIPs and print-ready PDFs), never under a public URL.

Each is an S3-compatible bucket (django-storages) when the environment names one
(``AWS_STORAGE_BUCKET_NAME``), so that every app machine and worker reads what
another wrote; otherwise a folder on this machine, as on a single machine or in
development. The settings build both with ``storages_setting``.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

S3_BACKEND = "storages.backends.s3.S3Storage"


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage whose root follows the settings and which has no URL.

    The folder is ``settings.PRIVATE_MEDIA_ROOT``, or, when that is empty,
    ``private`` beside MEDIA_ROOT (so each test, which has its own MEDIA_ROOT,
    has its own too). A file saved under a name that exists replaces it.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        root = getattr(settings, "PRIVATE_MEDIA_ROOT", "")
        return str(root or Path(settings.MEDIA_ROOT).parent / "private")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def _save(self, name, content):
        # Written beside, then moved into place whole: a download being sent
        # from the old file never reads half of the new one.
        partial = super()._save(f"{name}.{os.getpid()}.part", content)
        os.replace(self.path(partial), self.path(name))
        return name


def storages_setting(
    *,
    bucket: str,
    private_bucket: str,
    media_location: str,
    private_location: str,
    common: dict,
    media_acl: str | None,
    media_querystring_auth: bool,
    custom_domain: str | None,
    private_url_expire: int,
) -> dict:
    """Return the "default" and "private" entries of STORAGES: on S3 when a
    bucket is named, on disk otherwise."""
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
        }
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                "signature_version": "s3v4",
                **common,
                "bucket_name": bucket,
                "location": media_location,
                # Two uploads of "photo.jpg" are two files, as on disk.
                "file_overwrite": False,
                "default_acl": media_acl,
                "querystring_auth": media_querystring_auth,
                "custom_domain": custom_domain,
            },
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                # Signed addresses say how long they last (X-Amz-Expires).
                "signature_version": "s3v4",
                **common,
                "bucket_name": private_bucket or bucket,
                "location": private_location,
                # A batch's outputs are rebuilt under the same names.
                "file_overwrite": True,
                # Never public: no ACL granted, every URL signed and short-lived.
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": private_url_expire,
                "custom_domain": None,
            },
        },
    }


def is_object_storage(storage) -> bool:
    """Return whether the storage is an S3 bucket rather than a local folder."""
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


# What each storage's bucket is named by, for messages an operator can act on.
BUCKET_SETTINGS = {
    "default": ("AWS_STORAGE_BUCKET_NAME",),
    "private": ("AWS_PRIVATE_STORAGE_BUCKET_NAME", "AWS_STORAGE_BUCKET_NAME"),
}
FOLDER_SETTINGS = {"default": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


def _bucket_setting(alias: str) -> str:
    names = BUCKET_SETTINGS[alias]
    return next((name for name in names if getattr(settings, name, "")), names[-1])


def describe(alias: str) -> str:
    """Return where the storage keeps its files, in words."""
    from django.core.files.storage import storages

    storage = storages[alias]
    if is_object_storage(storage):
        where = storage.endpoint_url or "AWS"
        prefix = f"/{storage.location}" if storage.location else ""
        return f"S3 bucket {storage.bucket_name}{prefix} at {where}"
    return f"folder {storage.location} (on this machine only)"


def bucket_problem(alias: str) -> str | None:
    """Ask the object store whether the storage's bucket exists and the
    credentials open it; return what is wrong, naming the setting to fix, or
    None. A few seconds at most: one attempt, short timeouts."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
    from django.core.files.storage import storages

    storage = storages[alias]
    bucket_setting = _bucket_setting(alias)
    session = boto3.session.Session(
        aws_access_key_id=storage.access_key,
        aws_secret_access_key=storage.secret_key,
        aws_session_token=storage.security_token,
    )
    client = session.client(
        "s3",
        endpoint_url=storage.endpoint_url,
        region_name=storage.region_name,
        use_ssl=storage.use_ssl,
        verify=storage.verify,
        config=Config(
            connect_timeout=5,
            read_timeout=10,
            retries={"max_attempts": 1},
            s3={"addressing_style": storage.addressing_style},
        ),
    )
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except NoCredentialsError:
        return (
            f"No credentials for the bucket {storage.bucket_name!r}: set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchBucket"):
            return (
                f"The bucket {storage.bucket_name!r} does not exist at "
                f"{storage.endpoint_url or 'AWS'}: check {bucket_setting} "
                "(and AWS_S3_ENDPOINT_URL)."
            )
        if code in ("403", "401", "AccessDenied", "InvalidAccessKeyId"):
            return (
                f"The object store refused the credentials for the bucket "
                f"{storage.bucket_name!r} ({bucket_setting}): check "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
            )
        return (
            f"The bucket {storage.bucket_name!r} ({bucket_setting}) answered "
            f"{code or error}."
        )
    except (BotoCoreError, ValueError) as error:
        return (
            f"The object store of the bucket {storage.bucket_name!r} cannot be "
            f"reached ({error}): check AWS_S3_ENDPOINT_URL and AWS_S3_REGION_NAME."
        )
    return None


def round_trip_problem(alias: str) -> str | None:
    """Write a tiny file through the storage, read it back and delete it;
    return what went wrong, naming the setting to fix, or None."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    storage = storages[alias]
    body = f"check-storage {os.getpid()} {os.urandom(8).hex()}".encode()
    setting = (
        _bucket_setting(alias) if is_object_storage(storage) else FOLDER_SETTINGS[alias]
    )
    try:
        name = storage.save(
            f"check-storage/{os.urandom(8).hex()}.txt", ContentFile(body)
        )
        try:
            with storage.open(name, "rb") as stored:
                read = stored.read()
        finally:
            storage.delete(name)
    except Exception as error:  # noqa: BLE001 -- reported, naming the setting
        return (
            f"Cannot write, read and delete a file in {describe(alias)} "
            f"({error}): check {setting}."
        )
    if read != body:
        return (
            f"A file written to {describe(alias)} read back different: check {setting}."
        )
    return None
