"""Flow 5: behind a proxy every request comes from the proxy's address. The
client's own address is read from the forwarded header, as far as the site's
trusted proxies wrote it, so one client's limit is not everyone's."""

import pytest
from django.urls import reverse

from .conftest import certificate

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def test_each_client_behind_the_proxy_has_its_own_verify_limit(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.THROTTLE_RATES = {"verify:address": (3, 600)}
    url = certificate(world.a.learner, world.course, world.a.region).get_absolute_url()

    def check(forwarded):
        return client.get(
            url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [check("203.0.113.7") for _ in range(3)] == [200] * 3
    assert check("203.0.113.7") == 429
    # A forged address in front of the one nginx wrote changes nothing.
    assert check("198.51.100.1, 203.0.113.7") == 429
    # Another client behind the same proxy is still answered.
    assert check("198.51.100.4") == 200


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit(
    client, world, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.THROTTLE_RATES = {"verify:address": (2, 600)}
    url = reverse("certificates:verify")
    answers = [
        client.post(
            url,
            {"code": "ZZZZ-ZZZZ-ZZZZ"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]
    assert answers == [404, 404, 429]
