"""Where the bulk downloads live: on disk, outside MEDIA_ROOT, never under a URL.

A batch's ZIP and print-ready PDF hold every learner's certificate, so only views
that check who asks may send them (``certificates.bulk_views``). The folder is
``settings.PRIVATE_MEDIA_ROOT``, or, when that is empty, ``private`` beside
MEDIA_ROOT (so each test, which has its own MEDIA_ROOT, has its own too).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage whose root follows the settings and which has no URL."""

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


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
