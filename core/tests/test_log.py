"""4xx answers are not logged as warnings; 5xx still are, as errors. Every
line of a request carries its id, in the answer's X-Request-ID too."""

import io
import json
import logging
import re
from unittest import mock

import pytest
from django.test import Client

from core.log import (
    AccessJsonFormatter,
    RequestIdFilter,
    json_formatter,
    logging_setting,
)

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_client_errors_are_not_logged(client, caplog):
    """A page not found (404) and a method not allowed (405) write no line."""
    with caplog.at_level(logging.INFO):
        assert client.get("/khong-co-trang-nay/").status_code == 404
        assert client.post("/healthz").status_code == 405

    assert request_records(caplog) == []


def test_server_errors_are_logged_as_errors(caplog):
    """An answer 500 writes an ERROR line with the traceback."""
    client = Client(raise_request_exception=False)
    with (
        caplog.at_level(logging.INFO),
        mock.patch("core.views._database", side_effect=RuntimeError("boom")),
    ):
        assert client.get("/healthz").status_code == 500

    [record] = request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.status_code == 500
    assert record.exc_info[0] is RuntimeError


def json_handler(stream):
    """A handler writing the production format, as LOGGING's console does."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(json_formatter())
    return handler


def test_a_request_id_from_the_proxy_is_kept_and_returned(client):
    """A sane X-Request-ID from nginx is the answer's X-Request-ID."""
    response = client.get("/healthz", headers={"X-Request-ID": "3f2a9c0d-nginx.1"})

    assert response["X-Request-ID"] == "3f2a9c0d-nginx.1"


@pytest.mark.parametrize(
    "header", ["", "two words", 'quote"d', "x" * 129, "line\nbreak", "-lead"]
)
def test_an_unsafe_request_id_is_replaced(client, header):
    """A header that could break a log line or pass for another field is
    replaced by a new id of 32 hexadecimal digits."""
    response = client.get("/healthz", headers={"X-Request-ID": header})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    """Without the header, two requests get two ids."""
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second


def test_every_line_of_a_request_carries_its_id_as_json():
    """The ERROR line of a 500 is one JSON object with the request's id, its
    level, logger, status and traceback; a line outside a request says "-"."""
    stream = io.StringIO()
    handler = json_handler(stream)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    client = Client(raise_request_exception=False)
    try:
        with mock.patch("core.views._database", side_effect=RuntimeError("boom")):
            response = client.get("/healthz", headers={"X-Request-ID": "req-42"})
        logging.getLogger("django.request").error("Outside a request.")
    finally:
        logger.removeHandler(handler)

    assert response["X-Request-ID"] == "req-42"
    during, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert during["request_id"] == "req-42"
    assert during["level"] == "ERROR"
    assert during["logger"] == "django.request"
    assert during["status_code"] == 500
    assert "RuntimeError: boom" in during["exc_info"]
    assert "request" not in during
    assert after["request_id"] == "-"


def test_production_logs_json_and_development_text():
    """LOG_FORMAT chooses the format; production's default is JSON, and an
    unknown value is refused, naming the setting."""
    from django.core.exceptions import ImproperlyConfigured

    text = logging_setting(log_format="text", level="INFO")
    assert "%(request_id)s" in text["formatters"]["site"]["format"]
    as_json = logging_setting(log_format="json", level="INFO")
    assert as_json["formatters"]["site"] == {"()": "core.log.json_formatter"}
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_setting(log_format="xml", level="INFO")


def test_gunicorn_access_lines_are_json_with_the_answers_request_id():
    """An access line of gunicorn is a JSON object with the status, the path,
    the duration and the request id the application answered."""
    from gunicorn.glogging import SafeAtoms

    atoms = SafeAtoms(
        {
            "h": "127.0.0.1",
            "m": "GET",
            "U": "/verify/",
            "q": "",
            "s": "200",
            "B": 512,
            "M": 12,
            "f": "-",
            "a": "curl",
            "{x-request-id}o": "req-7",
        }
    )
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%(m)s %(U)s" %(s)s', atoms, None
    )

    line = json.loads(AccessJsonFormatter().format(record))

    assert line["message"] == '"GET /verify/" 200'
    assert line["status"] == 200
    assert line["path"] == "/verify/"
    assert line["duration_ms"] == 12
    assert line["request_id"] == "req-7"
    assert line["forwarded_for"] == "-"
