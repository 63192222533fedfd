"""Where the bulk downloads live: the ``private`` storage, never under a public URL.

A batch's ZIP and print-ready PDF hold every learner's certificate, so only views
that check who asks may send them (``certificates.bulk_views``): streamed from
the storage, or, from an object store, by a redirect to a signed address that
works for ``PRIVATE_URL_EXPIRE`` seconds. The storage is ``STORAGES["private"]``
(``core.storage``): a bucket every machine shares when the environment names
one, a folder on disk otherwise.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

from core.storage import is_object_storage


class PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up when first used and again after the
    setting changes (as Django's ``default_storage`` is)."""

    def _setup(self):
        self._wrapped = storages["private"]


_storage = PrivateStorage()


def _reset(*, setting, **kwargs):
    if setting == "STORAGES":
        _storage._wrapped = empty


setting_changed.connect(_reset, dispatch_uid="certificates-private-storage")


def private_storage() -> PrivateStorage:
    return _storage


def signed_url(name: str, *, filename: str, content_type: str) -> str | None:
    """Return a short-lived signed address that downloads the private file as
    filename, or None when the file is to be streamed by the app (a folder on
    disk, or PRIVATE_FILES_REDIRECT off)."""
    if not (is_object_storage(_storage) and settings.PRIVATE_FILES_REDIRECT):
        return None
    return _storage.url(
        name,
        parameters={
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
            "ResponseContentType": content_type,
        },
        expire=settings.PRIVATE_URL_EXPIRE,
    )
