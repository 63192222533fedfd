import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEALTHZ = reverse("healthz")


def test_healthz_answers_ok_when_the_database_answers(client):
    """/healthz answers 200 and status ok, never from a cache."""
    response = client.get(HEALTHZ)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_fails(client):
    """/healthz answers 503 and status error when the database does not answer."""
    with mock.patch("core.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("could not connect")
        response = client.get(HEALTHZ)

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "error",
        "database": "unavailable",
    }


def test_healthz_answers_503_when_the_query_fails(client):
    """/healthz answers 503 when the database accepts the connection but not the
    query."""
    with mock.patch("core.views.connection") as connection:
        cursor = connection.cursor.return_value.__enter__.return_value
        cursor.execute.side_effect = OperationalError("the database is read-only")
        response = client.get(HEALTHZ)

    assert response.status_code == 503


def test_healthz_only_answers_get(client):
    """/healthz refuses a POST."""
    assert client.post(HEALTHZ).status_code == 405
