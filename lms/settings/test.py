"""Settings for the test suite: fast hashers, local memory cache, immediate tasks."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, STORAGES, env
from .base import LOGGING as BASE_LOGGING

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The replica is the test database itself, on a connection of its own (a test
# mirror), unless DATABASE_REPLICA_URL names a real one; reads go to it only
# where DATABASE_REPLICA_URL is set (core.db), as tests of it do.
DATABASES.setdefault("replica", {**DATABASES["default"]})
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No text messages unless a test sets users.sms.LocmemBackend.
SMS_BACKEND = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"
# Files on disk whatever the environment says; the object storage tests mock S3.
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Throttling is switched on by the tests that exercise it.
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# Nothing printed, but the loggers and their filters as everywhere else.
LOGGING = {
    **BASE_LOGGING,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

# Static files come from the finders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
