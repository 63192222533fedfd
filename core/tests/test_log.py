"""4xx answers are not logged as warnings; 5xx still are, as errors."""

import logging
from unittest import mock

import pytest
from django.test import Client

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
