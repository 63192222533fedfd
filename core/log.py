"""How the site logs: the LOGGING setting, its filters and formatters.

- ``logging_setting`` builds LOGGING (lms/settings) in one of two formats:
  ``text`` lines for a person at a terminal (development), or ``json``, one
  JSON object a line for a log collector (production's default; ``LOG_FORMAT``).
- Every line written while a request is served carries that request's id
  (``request_id``, set by ``core.middleware.RequestIdMiddleware`` and added to
  the record by ``RequestIdFilter``), the id the response returns in its
  ``X-Request-ID`` header and nginx writes in its own log: one id finds every
  line of one request across nginx, gunicorn and the application.
- ``gunicorn_logging`` gives gunicorn (deploy/gunicorn.conf.py) the same
  format for its own lines and its access log, with the request id the
  application answered.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

# The id of the request being served in this thread or task; "-" outside one
# (a worker's task, a management command).
NO_REQUEST = "-"
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=NO_REQUEST
)

# An id a proxy may hand on (X-Request-ID): letters, digits and ._:- only, so a
# client's header can neither break a log line nor pass for another field.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMED = {"levelname": "level", "name": "logger"}
# Record attributes never written as fields: the log record's own, and objects
# Django attaches that are no data (the request of a django.request line).
_NOT_FIELDS = (
    "args",
    "asctime",
    "created",
    "exc_info",
    "exc_text",
    "filename",
    "funcName",
    "levelname",
    "levelno",
    "lineno",
    "module",
    "msecs",
    "message",
    "msg",
    "name",
    "pathname",
    "process",
    "processName",
    "relativeCreated",
    "stack_info",
    "taskName",
    "thread",
    "threadName",
    "request",
    "server_time",
)


def request_id_from(header: str | None) -> str:
    """Return the id a proxy sent when it is a sane token, else a new one."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every record: the id of the request being served,
    or "-" outside one. Set on the handlers, so records of every logger get it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class ServerErrorsOnly(logging.Filter):
    """Pass django.request's records of 5xx answers, drop those of 4xx.

    Django writes a WARNING for every 4xx answer: a wrong address, a refused
    permission, a limit reached. They are the clients' doing, not faults of
    the site, and under load they bury the errors (41,000 lines in one run).
    The access log of gunicorn or nginx still has every answer.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return not (isinstance(status, int) and 400 <= status < 500)


def json_formatter(**kwargs):
    """Return the JSON formatter of the site's lines: time (UTC, ISO 8601),
    level, logger, message, request_id, and whatever else the record holds."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        JSON_FIELDS,
        rename_fields=JSON_RENAMED,
        timestamp="time",
        reserved_attrs=_NOT_FIELDS,
        **kwargs,
    )


class AccessJsonFormatter(logging.Formatter):
    """Write gunicorn's access lines as the site's JSON lines, with the request
    id the application answered and the answer's figures as fields.

    gunicorn logs each answer with its "atoms" (a dict: ``h`` the address,
    ``s`` the status...) as the record's arguments.
    """

    ATOMS = {
        "remote_addr": "h",
        "forwarded_for": "{x-forwarded-for}i",
        "method": "m",
        "path": "U",
        "query": "q",
        "status": "s",
        "bytes": "B",
        "duration_ms": "M",
        "referer": "f",
        "user_agent": "a",
        "request_id": "{x-request-id}o",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.json = json_formatter()

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, dict) else {}
        for field, atom in self.ATOMS.items():
            value = atoms.get(atom, "-") if atoms else "-"
            if field == "status" and str(value).isdigit():
                value = int(value)
            setattr(record, field, value)
        return self.json.format(record)


def logging_setting(*, log_format: str, level: str) -> dict:
    """Return LOGGING: lines in ``log_format`` ("text" or "json") on the
    console at ``level``, each with its request's id; 4xx answers unlogged."""
    from django.core.exceptions import ImproperlyConfigured

    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
        )
    formatter = (
        {"()": "core.log.json_formatter"}
        if log_format == "json"
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "core.log.RequestIdFilter"},
            "server_errors_only": {"()": "core.log.ServerErrorsOnly"},
        },
        "formatters": {"site": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "site",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # 4xx answers are not logged as warnings; 5xx still are, as errors.
            "django.request": {"filters": ["server_errors_only"]},
        },
    }


def gunicorn_logging(*, log_format: str) -> dict:
    """Return gunicorn's ``logconfig_dict``: its own lines and its access log on
    the console, in the site's format ("json": one object a line)."""
    if log_format not in LOG_FORMATS:
        log_format = "json"
    if log_format == "json":
        formatters = {
            "site": {"()": "core.log.json_formatter"},
            "access": {"()": "core.log.AccessJsonFormatter"},
        }
    else:
        formatters = {
            "site": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "access": {"format": "%(message)s"},
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "core.log.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "site",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            },
            "access_console": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stdout",
            },
        },
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {
                "level": "INFO",
                "handlers": ["error_console"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            "gunicorn.access": {
                "level": "INFO",
                "handlers": ["access_console"],
                "propagate": False,
                "qualname": "gunicorn.access",
            },
        },
    }
