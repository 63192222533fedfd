"""One login, as a learner on a phone signs in with their number and password
(the campaign-peak issue's budget): the CPU of the whole request, the password
check under the production hasher (PASSWORD_HASHERS of lms.settings.base, not
the tests' fast one) included."""

import statistics
import time
from functools import cache
from itertools import count

from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings
from django.urls import reverse

from lms.settings import base

from .fixtures import learner
from .registry import Context, metric

PASSWORD = "hoc-dvc-2025"
_numbers = count(1)


@cache
def _encoded() -> str:
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        return make_password(PASSWORD)


@cache
def _client() -> Client:
    """One browser, its cookies cleared before each login: a fresh client would
    count the loading of the middleware, which a server does once."""
    return Client()


def _one_login() -> float:
    """Log a fresh learner in from a fresh browser; return the CPU seconds of
    this process for the request (a fresh person, so no throttle counts)."""
    number = next(_numbers)
    user = learner(username=f"bench-dang-nhap-{number}")
    user.phone = f"+8491{number:07d}"
    user.password = _encoded()
    user.save(update_fields=["phone", "password"])
    client = _client()
    client.cookies.clear()
    start = time.process_time()
    response = client.post(
        reverse("users:login"),
        {"username": user.phone, "password": PASSWORD},
        REMOTE_ADDR=f"10.1.{number // 250}.{number % 250 + 1}",
    )
    spent = time.process_time() - start
    if response.status_code != 302 or "_auth_user_id" not in client.session:
        raise AssertionError(f"The login failed ({response.status_code}).")
    return spent


@metric("login_cpu_ms", at_most=50, unit="ms")
def login_cpu_ms(ctx: Context) -> float:
    """The median CPU time of a login request with the production hasher."""
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        _one_login()  # warm-up
        runs = [_one_login() for _ in range(max(5, min(ctx.runs, 15)))]
    if ctx.explain_queries:
        ctx.log(f"login CPU ms: {[round(r * 1000, 1) for r in runs]}")
    return statistics.median(runs) * 1000
