"""The client's address, as every limit, lock and record of the site reads it.

Behind a reverse proxy every request comes from the proxy, and the client's own
address is in the ``X-Forwarded-For`` header the proxies append to. A client can
write anything it likes into that header, so only the entries the site's own
proxies appended are believed: with ``TRUSTED_PROXY_COUNT = n`` (0 by default:
no proxy, the connection's address is the client's), the client is the n-th
address from the right. django-axes (``AXES_CLIENT_IP_CALLABLE``), every rate
limit (``core.throttle``) and the consent records all call ``client_ip``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    address = address.strip()
    # "[2001:db8::1]:443" and "203.0.113.7:51234" as some proxies write them.
    if address.startswith("[") and "]" in address:
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str:
    """Return the address of the client the request came from ("" if unknown)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "") or ""
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [
        part
        for header in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if (part := header.strip())
    ]
    # The last proxy appended the address it was connected from; each proxy
    # before it did the same. Fewer entries than proxies: the request did not
    # come through all of them, so the leftmost entry is the best there is.
    if not forwarded:
        return remote
    candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _valid(candidate) or remote
