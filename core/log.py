"""Logging filters of the site (LOGGING in lms/settings/base.py)."""

import logging


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
