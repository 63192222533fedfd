"""Production: PostgreSQL, Redis, gunicorn behind HTTPS. Must pass check --deploy.

Required: DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS, PUBLIC_BASE_URL,
CREDENTIAL_SIGNING_KEY_FILE (checked by `check --deploy`, certificates.E001).
Optional: REDIS_URL, DJANGO_CSRF_TRUSTED_ORIGINS, MEDIA_ROOT, SECURE_SSL_REDIRECT,
LOG_FORMAT (default json), SENTRY_DSN (errors to Sentry; with SENTRY_ENVIRONMENT,
SENTRY_RELEASE, SENTRY_TRACES_SAMPLE_RATE),
AWS_STORAGE_BUCKET_NAME and the other object storage variables (see base).
"""

from core.log import logging_setting

from .base import *  # noqa: F403
from .base import DATABASES, LOG_LEVEL, STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# No default: the address printed under every certificate's QR code must be
# the site's own; the system check core.E001 says when it is missing.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="")

# Media and private files as the base settings say (object storage or disk).
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Keep database connections for a minute rather than one per request (a
# setting of the connection; a top-level CONN_MAX_AGE does nothing), and check
# a kept one before using it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# One JSON object a line unless LOG_FORMAT=text: what a log collector reads.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_setting(log_format=LOG_FORMAT, level=LOG_LEVEL)

# Errors to Sentry when a project is named; nothing is loaded otherwise
# (core.sentry, which keeps personal data out of what is sent).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.sentry import sentry_setup

    sentry_setup(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        # Empty: the SDK's own guess (the checkout's git commit).
        release=env("SENTRY_RELEASE", default=""),
        # Share of requests traced for performance; 0: errors only.
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
