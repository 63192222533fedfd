"""/metrics answers Prometheus on the site's own network or with the token,
and 404 to anyone else, whatever the Host header and over plain HTTP."""

import pytest
from django.core.checks import run_checks

pytestmark = pytest.mark.django_db

PUBLIC = "203.0.113.7"


def scrape(client, remote="127.0.0.1", **headers):
    return client.get("/metrics", REMOTE_ADDR=remote, headers=headers)


def test_the_internal_network_reads_the_metrics(client):
    """A Prometheus server on a private address reads the request counters,
    in Prometheus's text format, never from a cache."""
    client.get("/khong-co-trang-nay/")

    response = scrape(client, remote="10.1.2.3")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert b"django_http_requests_total_by_method_total" in response.content
    assert b'django_http_responses_total_by_status_total{status="404"}' in (
        response.content
    )


def test_a_stranger_gets_not_found(client):
    """A public address without the token gets 404 and no figure."""
    response = scrape(client, remote=PUBLIC)

    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_the_address_is_the_clients_behind_the_proxy(client, settings):
    """Behind nginx (one trusted proxy) the connection comes from loopback but
    the client is the address nginx forwarded: a public one is refused, and a
    forged entry before it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1

    refused = scrape(client, **{"X-Forwarded-For": f"10.0.0.1, {PUBLIC}"})
    allowed = scrape(client, **{"X-Forwarded-For": "192.168.1.20"})

    assert refused.status_code == 404
    assert allowed.status_code == 200


def test_the_token_opens_the_metrics_from_anywhere(client, settings):
    """With METRICS_TOKEN set, the right bearer token is read from a public
    address; a wrong one, or none, is not."""
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"

    right = scrape(
        client, remote=PUBLIC, Authorization="Bearer s3cret-token-for-prometheus"
    )
    wrong = scrape(client, remote=PUBLIC, Authorization="Bearer guessed")
    other_scheme = scrape(
        client, remote=PUBLIC, Authorization="Basic s3cret-token-for-prometheus"
    )

    assert right.status_code == 200
    assert wrong.status_code == 404
    assert other_scheme.status_code == 404


def test_no_token_is_accepted_when_none_is_set(client, settings):
    """An empty METRICS_TOKEN opens nothing, an empty bearer included."""
    settings.METRICS_TOKEN = ""

    assert scrape(client, remote=PUBLIC, Authorization="Bearer ").status_code == 404


def test_the_allowed_networks_come_from_the_settings(client, settings):
    """METRICS_ALLOWED_NETWORKS replaces the private ranges: loopback is then
    refused, the named network allowed."""
    settings.METRICS_ALLOWED_NETWORKS = ["198.51.100.0/24"]

    assert scrape(client, remote="127.0.0.1").status_code == 404
    assert scrape(client, remote="198.51.100.9").status_code == 200


def test_prometheus_scrapes_by_address_over_plain_http(client, settings):
    """A Host header that is not the site's, over plain HTTP, with the HTTPS
    redirect on: still answered."""
    settings.ALLOWED_HOSTS = ["kynangso.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/metrics", REMOTE_ADDR="10.0.0.5", HTTP_HOST="10.0.0.8")

    assert response.status_code == 200


def test_a_network_that_is_none_stops_the_checks(settings):
    """A mistyped METRICS_ALLOWED_NETWORKS entry is a system check error naming
    the setting, not a network silently ignored."""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "10.0.0.0/33", "intranet"]

    errors = [error for error in run_checks() if error.id == "core.E003"]

    assert len(errors) == 1
    assert "METRICS_ALLOWED_NETWORKS" in errors[0].msg
    assert "'intranet'" in errors[0].msg
