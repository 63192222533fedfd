"""Settings for the benchmarks: the test settings with DEBUG off and a database of
their own, so nothing they build touches the development or test databases.

The database is a fresh SQLite file in a temporary folder (BENCH_TMP, made and
deleted by ``bench/run.py``), the embedded default the budgets are stated for. When
DATABASE_URL_BENCH names a PostgreSQL database, for example
postgres://postgres@127.0.0.1:5432/bench, the benchmarks run in ``test_<name>``
beside it instead, created and dropped by Django's test-database utilities.
"""

import os
import tempfile
from pathlib import Path

from django.conf import global_settings

from lms.settings import base
from lms.settings.test import *  # noqa: F403
from lms.settings.test import INSTALLED_APPS, env

DEBUG = False
# Background work is queued as in production (the database backend): a request
# measured costs what it costs on a site, and the work a worker does after it
# is measured on its own (attendance.report_refresh_queries).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

BENCH_TMP = Path(os.environ.get("BENCH_TMP") or tempfile.mkdtemp(prefix="lms-bench-"))
MEDIA_ROOT = BENCH_TMP / "media"
# An empty folder, so that WhiteNoise does not warn that collectstatic never ran;
# the page-weight benchmark reads static files through the finders.
STATIC_ROOT = BENCH_TMP / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The certificates' signing key, made by bench/certificates.py on first use.
CREDENTIAL_SIGNING_KEY_FILE = str(BENCH_TMP / "credential-ed25519.pem")

_bench_url = env("DATABASE_URL_BENCH", default="")
if _bench_url:
    DATABASES = {"default": env.db_url_config(_bench_url)}
else:
    _sqlite_file = str(BENCH_TMP / "bench.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_file,
            # The test-database utilities create and delete this very file.
            "TEST": {"NAME": _sqlite_file},
            # The same options as the embedded default in lms/settings/base.py.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# gunicorn started by bench/throughput.py serves the test database run.py made.
if os.environ.get("BENCH_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
# bench/throughput.py's gunicorn keeps its connections as production does
# (lms.settings.production: CONN_MAX_AGE 60 with health checks).
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# lms.settings.base decided on django.contrib.postgres from DATABASE_URL, which
# need not be the database the benchmarks use.
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django.contrib.postgres"]
if IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")


def production_password_hashers() -> list[str]:
    """Return the password hashers production uses (lms.settings.base's, or
    Django's default when it names none)."""
    return list(getattr(base, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS))


# The login benchmark's gunicorn (bench/throughput.py) checks passwords as
# production does, not with the test suite's MD5.
if os.environ.get("BENCH_PRODUCTION_HASHERS"):
    PASSWORD_HASHERS = production_password_hashers()

# bench/throughput.py's gunicorn shares one Redis between its workers, as
# production does (lms.settings.base with REDIS_URL), when redis-server is here.
if os.environ.get("BENCH_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": os.environ["BENCH_REDIS_URL"],
            "KEY_PREFIX": "lms",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
