"""`make run`'s settings: the embedded set-up, on one machine, with nothing else.

manage.py defaults to production; by hand, set
DJANGO_SETTINGS_MODULE=lms.settings.dev.
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import env

# Mail is printed on the console unless EMAIL_URL names a server.
globals().update(
    {
        name: value
        for name, value in env.email_url("EMAIL_URL", default="consolemail://").items()
        if value not in (None, "")
    }
)
# Text messages are printed on the console unless SMS_BACKEND names a gateway.
SMS_BACKEND = env("SMS_BACKEND", default="users.sms.ConsoleBackend")

DEBUG = True
# Outside the repository, in the developer's home.
CREDENTIAL_SIGNING_KEY_FILE = env(
    "CREDENTIAL_SIGNING_KEY_FILE",
    default=str(Path.home() / ".config" / "lms" / "credential-ed25519.pem"),
)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-7c1f0d0e9a")
ALLOWED_HOSTS = ["*"]

# Static files come from the finders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
