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
