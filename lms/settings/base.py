"""Settings shared by every environment; values that differ come from the environment.

Environment variables: DATABASE_URL (default: SQLite beside manage.py), REDIS_URL
(enables the Redis cache), DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
WAGTAILADMIN_BASE_URL, PUBLIC_BASE_URL, MEDIA_ROOT, PRIVATE_MEDIA_ROOT,
CONN_MAX_AGE, DISABLE_SERVER_SIDE_CURSORS, DJANGO_LOG_LEVEL, LOG_FORMAT, EMAIL_URL,
DEFAULT_FROM_EMAIL, SMS_BACKEND, ACCESS_TOKEN_LIFETIME_DAYS,
LIGHT_ACCOUNT_RETENTION_DAYS, PASSWORD_RESET_TIMEOUT, TRUSTED_PROXY_COUNT,
METRICS_ALLOWED_NETWORKS, METRICS_TOKEN, THROTTLE_RATES,
CERTIFICATE_VERIFY_RATE_LIMIT, CERTIFICATE_VERIFY_RATE_WINDOW, COVERAGE_FEED_PUBLIC,
REPORTS_PARALLEL_QUERIES, REPORTS_PARALLEL_MIN_UNITS, CREDENTIAL_SIGNING_KEY_FILE,
OUTREACH_DAILY_LIMIT, OUTREACH_PHONE_REPEAT_LIMIT, OUTREACH_CONFIRM_DAYS;
object storage:
AWS_STORAGE_BUCKET_NAME (enables it), AWS_PRIVATE_STORAGE_BUCKET_NAME, AWS_LOCATION,
AWS_PRIVATE_LOCATION, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_S3_ADDRESSING_STYLE, AWS_DEFAULT_ACL,
AWS_QUERYSTRING_AUTH, AWS_S3_CUSTOM_DOMAIN, PRIVATE_URL_EXPIRE,
PRIVATE_FILES_REDIRECT.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from core.log import logging_setting
from core.metrics import DEFAULT_NETWORKS as METRICS_DEFAULT_NETWORKS
from core.storage import storages_setting

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "core",
    "users",
    "regions",
    "courses",
    "quizzes",
    "classes",
    "certificates",
    "outreach",
    "reports",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_prometheus",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: every log line of a request, redirects included, carries its id.
    "core.middleware.RequestIdMiddleware",
    # Counts every request and times it (Prometheus, at /metrics: core.metrics).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # Before anything that checks the Host header (core.middleware).
    "core.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous visitors' pages from the shared cache, before any lookup of the
    # session's user (core.pagecache); inside CSRF, which sets their cookie.
    "core.pagecache.AnonymousPageCacheMiddleware",
    # After the page cache: a page served from it needs no Site.
    "core.routing.CachedSiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session and the user: keeps a person whose consent is not of the
    # current text on the consent page until they agree.
    "users.middleware.ConsentMiddleware",
    # Remembers the browser someone logged in on (users.devices).
    "users.middleware.KnownDeviceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Counts answers by view, method and status.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

# A load balancer checks each machine over plain HTTP, by its address: /healthz
# is never redirected to HTTPS (and answers whatever the Host header says);
# nor is /metrics, which Prometheus scrapes the same way.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Who may read /metrics (core.metrics): clients in these networks (their
# address as core.net.client_ip reads it, behind TRUSTED_PROXY_COUNT proxies),
# or any client sending "Authorization: Bearer <METRICS_TOKEN>" (empty: none).
METRICS_ALLOWED_NETWORKS = env.list(
    "METRICS_ALLOWED_NETWORKS", default=list(METRICS_DEFAULT_NETWORKS)
)
METRICS_TOKEN = env("METRICS_TOKEN", default="")

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite beside manage.py unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# True behind PgBouncer in transaction pooling, where a cursor cannot outlive
# its transaction (Django's .iterator() then fetches in chunks instead).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False
)
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # Wagtail's PostgreSQL search backend needs it.
    INSTALLED_APPS.append("django.contrib.postgres")
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the task worker and the web server write without blocking readers.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

# A PostgreSQL streaming replica the reports and the feed read from (core/db.py);
# every write, and every read that must see one, goes to the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, answering as an empty cache while Redis is
            # down (core/cache.py): pages are still served, without it.
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
            # Seconds; a Redis that stops answering costs a request this much
            # at most, then is left alone for a few seconds.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds without a heartbeat after which a task worker counts as gone: its
# running tasks are marked failed and their jobs resume (core/workers.py).
TASK_WORKER_DEAD_AFTER = env.int("TASK_WORKER_DEAD_AFTER", default=60)

AUTH_USER_MODEL = "users.User"
# Argon2id at OWASP's minimum (core/hashers.py); the others verify older hashes,
# which are upgraded at their owner's next login.
PASSWORD_HASHERS = [
    "core.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before any password is checked.
    "axes.backends.AxesBackend",
    "users.backends.PhoneOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "users:login"
# How long a password reset link works, in seconds (the learner's link and the
# Wagtail admin's alike).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)
# The Wagtail admin's "forgot your password" sends a link only to active people
# with access to the admin; learners reset theirs at /tai-khoan/quen-mat-khau/.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "users.forms.AdminPasswordResetForm"
# The admin's login counts wrong passwords as the learners' does.
WAGTAILADMIN_USER_LOGIN_FORM = "users.forms.AdminLoginForm"
LOGIN_REDIRECT_URL = "courses:my_learning"
LOGOUT_REDIRECT_URL = "/"

# Login throttling. Locking on the (account, address) pair means a stranger who
# guesses wrong from elsewhere cannot lock the real owner out, and the lock lifts
# after a short cool-off.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "users.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "users/locked_out.html"
AXES_VERBOSE = False
# The client's address behind the proxies (core.net.client_ip), as every limit
# and record of the site reads it.
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

# How many reverse proxies of the site's own stand in front of it (nginx, a load
# balancer): the client's address is read from that many entries of
# X-Forwarded-For, counted from the right. 0: no proxy, the connection's
# address is the client's. Never more than there are: a client could then
# choose its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Limits on guessing codes and passwords (core.throttle, where each is
# described): {name: (attempts, seconds)} over core.throttle.DEFAULT_RATES.
# THROTTLE_RATES in the environment: "login:address=20/900,join:address=10/900".
CERTIFICATE_VERIFY_RATE_LIMIT = env.int("CERTIFICATE_VERIFY_RATE_LIMIT", default=30)
CERTIFICATE_VERIFY_RATE_WINDOW = env.int("CERTIFICATE_VERIFY_RATE_WINDOW", default=600)
THROTTLE_RATES = {
    "verify:address": (CERTIFICATE_VERIFY_RATE_LIMIT, CERTIFICATE_VERIFY_RATE_WINDOW),
    **{
        name.strip(): tuple(int(n) for n in value.split("/", 1))
        for name, value in (
            item.split("=", 1) for item in env.list("THROTTLE_RATES", default=[])
        )
    },
}

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/: the project's strings (makemessages); locale_wagtail/: Wagtail's own,
# where its Vietnamese catalogue has gaps (edited by hand).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Off: with it on, every integer a template prints is grouped, ids included, and a
# form value of 14.167 names no row. Numbers meant for people are grouped where
# they are shown ({{ n|intcomma }}, number_format(n, force_grouping=True)).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["lms.formats"]
WAGTAIL_I18N_ENABLED = False
# Slugs in ASCII (“dung-vi-dien-tu-an-toan”): a shared link stays readable, not
# percent codes. The admin's script and core.slugs both fold the accents.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files that only views checking who asks may send (bulk certificate downloads),
# never served under MEDIA_URL. Empty: a "private" folder beside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default="")
# Media and private files in an S3-compatible object store when a bucket is
# named, shared by every app machine and worker; on disk otherwise (core.storage).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# Empty: the private files go in AWS_STORAGE_BUCKET_NAME under AWS_PRIVATE_LOCATION.
AWS_PRIVATE_STORAGE_BUCKET_NAME = env("AWS_PRIVATE_STORAGE_BUCKET_NAME", default="")
# Seconds a signed address of a private file works (a bulk download's redirect).
PRIVATE_URL_EXPIRE = env.int("PRIVATE_URL_EXPIRE", default=300)
# False: private files are streamed through the app instead of redirecting the
# browser to the object store (for a store that browsers cannot reach).
PRIVATE_FILES_REDIRECT = env.bool("PRIVATE_FILES_REDIRECT", default=True)
STORAGES = {
    **storages_setting(
        bucket=AWS_STORAGE_BUCKET_NAME,
        private_bucket=AWS_PRIVATE_STORAGE_BUCKET_NAME,
        media_location=env("AWS_LOCATION", default="media"),
        private_location=env("AWS_PRIVATE_LOCATION", default="private"),
        common={
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
        },
        media_acl=env("AWS_DEFAULT_ACL", default="") or None,
        media_querystring_auth=env.bool("AWS_QUERYSTRING_AUTH", default=False),
        custom_domain=env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        private_url_expire=PRIVATE_URL_EXPIRE,
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail.
WAGTAIL_SITE_NAME = _("Digital skills for everyone")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")

# The public address of the site, printed under the QR code of every certificate:
# a paper handed out today must still open the verification page years later.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# The issuer's Ed25519 private key (PEM), which signs every certificate's Open
# Badges credential: a file outside the repository, the same on every app machine,
# made once by `manage.py credential_key_generate`. Without it certificates are
# issued and printed as before, without a digital credential.
CREDENTIAL_SIGNING_KEY_FILE = env("CREDENTIAL_SIGNING_KEY_FILE", default="")
# Wagtail's search in the database: PostgreSQL's full text search there, SQLite's
# FTS5 on the embedded default. "simple" splits words and stems none: Vietnamese
# has no stems, and English stop words such as "so", "do" and "no" are
# Vietnamese words once their accents are folded (core.search).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "xlsx", "xls", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Content Security Policy for the public site. The Wagtail admin sets its own
# inline styles and scripts, so it is excluded.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The web app manifest and the service worker (courses.offline), ours only.
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

# Browser features no page uses, switched off for the site and what it embeds
# (the Permissions-Policy header; core.middleware.PermissionsPolicyMiddleware).
# Learners scan QR codes with their phone's own camera app, not in a page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # learners stay signed in on their own phone
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Version of the personal-data consent text (users/consent.py, under the
# Personal Data Protection Law 91/2025/QH15). Bump it whenever the text changes:
# everyone is asked to agree to the new text at their next visit.
PERSONAL_DATA_CONSENT_VERSION = "2026-01-01"

# Pages a person whose consent is not of the current text may still open
# (users.middleware.ConsentMiddleware; their own consent, logout, deletion and
# data download pages are open too).
CONSENT_EXEMPT_PATHS = [
    "/verify/",
    "/healthz",
    "/favicon.ico",
    # A browser fetches these on its own, and refuses a redirected worker.
    "/manifest.webmanifest",
    "/sw.js",
    "/i18n/",
    "/admin/login/",
    "/admin/logout/",
    "/django-admin/login/",
    "/django-admin/logout/",
]

# Mail: EMAIL_URL as django-environ reads it ("smtp+tls://user:password@host:587",
# "consolemail://"); by default an SMTP server on this machine. Password reset
# links and email confirmations go out this way.
globals().update(
    {
        name: value
        for name, value in env.email_url(
            "EMAIL_URL", default="smtp://localhost:25"
        ).items()
        if value not in (None, "")
    }
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages: the dotted path of a class with send(phone, text), set by a
# province that has an SMS gateway (users/sms.py). Empty: no text messages, so
# phones are not confirmed and resets go by confirmed email only.
SMS_BACKEND = env("SMS_BACKEND", default="")

# Personal access tokens (the coverage feed) stop working after this many days.
ACCESS_TOKEN_LIFETIME_DAYS = env.int("ACCESS_TOKEN_LIFETIME_DAYS", default=365)

# True: anonymous clients may read the coverage feed of every unit, and its
# answers are cacheable by shared caches (reports/api.py). A province's choice.
COVERAGE_FEED_PUBLIC = env.bool("COVERAGE_FEED_PUBLIC", default=False)

# How many groups of a dashboard's aggregations run at once on PostgreSQL, each
# on a connection of its own (count them in max_connections; 1: one after the
# other), and how many units, former ones included, a dashboard must cover for
# that to pay (reports.selectors).
REPORTS_PARALLEL_QUERIES = env.int("REPORTS_PARALLEL_QUERIES", default=5)
REPORTS_PARALLEL_MIN_UNITS = env.int("REPORTS_PARALLEL_MIN_UNITS", default=50)

# Helped-person records (outreach): a helper's records beyond this many in one
# day, and a helped phone number in more than this many records, are flagged for
# their team leader or teacher to review; a confirmation link works this many days.
OUTREACH_DAILY_LIMIT = env.int("OUTREACH_DAILY_LIMIT", default=30)
OUTREACH_PHONE_REPEAT_LIMIT = env.int("OUTREACH_PHONE_REPEAT_LIMIT", default=3)
OUTREACH_CONFIRM_DAYS = env.int("OUTREACH_CONFIRM_DAYS", default=30)

# Light accounts (added by a teacher, never claimed, never logged in) are erased
# by `manage.py erase_unclaimed_accounts` this many days after their last class
# ended, or after they were made when they are in no class.
LIGHT_ACCOUNT_RETENTION_DAYS = env.int("LIGHT_ACCOUNT_RETENTION_DAYS", default=730)

# Log lines: "text" for a person at a terminal, "json" (one object a line,
# production's default) for a log collector; each names its request's id.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = logging_setting(log_format=LOG_FORMAT, level=LOG_LEVEL)
