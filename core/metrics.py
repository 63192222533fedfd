"""Prometheus metrics at /metrics, for the site's own network or a token.

django-prometheus counts requests, answers by status and view, latencies and
exceptions (its two middleware in MIDDLEWARE); ``metrics`` hands them to a
Prometheus server. They say how busy the site is and which views are slow,
which is nobody else's business: the page answers a client whose address
(``core.net.client_ip``, behind the site's proxies) is in
``METRICS_ALLOWED_NETWORKS``, or one that sends ``Authorization: Bearer
<METRICS_TOKEN>``; anyone else gets 404, as for a page that does not exist.

Under gunicorn each worker process counts on its own: with
``PROMETHEUS_MULTIPROC_DIR`` set (deploy/gunicorn.conf.py empties it at
start and forgets the workers that exit) the page adds up every worker's.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.cache import never_cache

from .net import client_ip

# Loopback and the private ranges: a Prometheus server of the site's own network.
DEFAULT_NETWORKS = (
    "127.0.0.0/8",
    "::1/128",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "fc00::/7",
)


def parse_networks(values) -> tuple[list, list[str]]:
    """Return the networks among ``values`` and the values that are none."""
    networks, invalid = [], []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            invalid.append(str(value))
    return networks, invalid


@lru_cache(maxsize=4)
def _networks(values: tuple[str, ...]) -> list:
    return parse_networks(values)[0]


def may_read_metrics(request: HttpRequest) -> bool:
    """Return whether the client is on an allowed network or sends the token."""
    token = getattr(settings, "METRICS_TOKEN", "") or ""
    if token:
        scheme, _space, sent = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            sent.strip().encode(), token.encode()
        ):
            return True
    address = client_ip(request)
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    allowed = tuple(getattr(settings, "METRICS_ALLOWED_NETWORKS", DEFAULT_NETWORKS))
    return any(ip in network for network in _networks(allowed))


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Answer the metrics in Prometheus's text format, or 404 to a stranger."""
    if not may_read_metrics(request):
        return HttpResponseNotFound()
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
