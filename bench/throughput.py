"""Throughput through gunicorn, as a deployment serves (DESIGN.md, Budgets; issue 15).

Each ``rps_per_core_*`` metric starts gunicorn with production's configuration
(deploy/gunicorn.conf.py: its sync workers, ``WORKERS`` of them as on this
machine, its backlog, timeouts and access log; on 127.0.0.1 and a free port,
one of ``BENCH_PORTS`` such as "18700-18749" when that is set)
against the bench's own database, drives one address with ``wrk``
(``CONNECTIONS`` connections) until each worker is warm (``_warm_up``), then for
``SECONDS``, and divides the requests completed in that second period by the CPU
seconds (user + system, from /proc) that gunicorn's master and workers spent in
it: requests per CPU-second of the app, a figure that holds on a machine other
people are using too. wrk's and Redis's CPU are not counted.

gunicorn keeps its database connections between requests, as production's
settings do (``CONN_MAX_AGE`` 60).

``class_login_100_p95_s`` is 100 learners of one class logging in at the same
moment, each with their own account, through the production password hashers
(``lms.settings.base``; the bench settings otherwise use the test suite's MD5):
the 95th percentile of the seconds each waited for the answer to the POST, wall
time, on this machine's cores.

Logged-in requests carry the session cookie of a session made in this process
(the test client's ``force_login``) and a CSRF cookie, as a browser that came
back would. The workers share one cache, as in production: a Redis of their own
(``redis-server`` on another free port, without persistence), started with
gunicorn and stopped with it; where Debian's redis-server is not installed,
each worker has its own local-memory cache, and the log says so.

``wrk`` is Debian's package: when it is missing it is installed with apt-get if
this runs as root, otherwise the metrics fail and say what to install.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from .fixtures import SITE_LOGIN_BACKEND
from .measure import get_ok
from .registry import Context, metric

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = REPO_ROOT / "deploy" / "gunicorn.conf.py"
# As many sync workers as production starts on this machine (the default of
# deploy/gunicorn.conf.py: 2 per CPU + 1).
WORKERS = multiprocessing.cpu_count() * 2 + 1
CONNECTIONS = 10
WARMUP_SECONDS = 3
# Requests each worker serves before the measured period, within at most
# WARMUP_MAX_SECONDS (see _warm_up).
WARMUP_REQUESTS_PER_WORKER = 50
WARMUP_MAX_SECONDS = 60
SECONDS = 10
CLASS_SIZE = 100
LOGIN_PASSWORD = "mat-khau-lop-hoc-2025"
# The dashboard's data: small beside bench/reports.py's, enough for every
# figure of a province's page to have rows behind it.
DASHBOARD_SEED = {"people": 3000, "enrolments": 12000, "certificates": 1500}
PROVINCE_CODE = "33"
# The title of bench.fixtures.course_with_lessons's course.
COURSE_TITLE = "Dùng dịch vụ công trực tuyến"
TICKS = os.sysconf("SC_CLK_TCK")


# Load generator and processes.


def require_wrk(ctx: Context) -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        ctx.log("  wrk is missing: apt-get install -y wrk")
        subprocess.run(
            ["apt-get", "install", "-y", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        found = shutil.which("wrk")
        if found:
            return found
    raise RuntimeError(
        "wrk is not installed: install Debian's package (apt-get install wrk) and "
        "run again."
    )


# Ports of BENCH_PORTS already handed out: gunicorn's is free until it starts,
# and Redis's must not be the same.
_ports_given: set[int] = set()


def free_port() -> int:
    """Return a free port on 127.0.0.1: one of BENCH_PORTS ("18700-18749")
    when set, for a machine whose users share out the ports, else any."""
    first, _dash, last = os.environ.get("BENCH_PORTS", "").partition("-")
    if not first:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    candidates = range(int(first), int(last or first) + 1)
    if _ports_given.issuperset(candidates):
        _ports_given.clear()
    for port in candidates:
        if port in _ports_given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ports_given.add(port)
        return port
    raise RuntimeError(f"no free port in BENCH_PORTS {os.environ['BENCH_PORTS']}")


def _process_cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # Fields 14-17 of proc(5), counted from after the command: utime, stime,
    # cutime, cstime.
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    ticks = utime + stime + (cutime + cstime if with_children else 0)
    return ticks / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def app_cpu_seconds(master: int) -> float:
    """Return the CPU seconds gunicorn's master and its workers have used: the
    live workers' own, and the master's reaped children's (a worker that was
    replaced)."""
    return _process_cpu_seconds(master, with_children=True) + sum(
        _process_cpu_seconds(pid) for pid in _children(master)
    )


class Gunicorn:
    """gunicorn serving the bench's database on 127.0.0.1, as a context manager."""

    def __init__(self, ctx: Context, *, env: dict | None = None, workers=WORKERS):
        self.ctx = ctx
        self.port = free_port()
        self.workers = workers
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            # The test database run.py made, which the settings alone do not name.
            "BENCH_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "PYTHONPATH": str(REPO_ROOT),
            # Database connections kept between requests, as in production.
            "BENCH_CONN_MAX_AGE": "60",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.redis: subprocess.Popen | None = None
        self.log_file = Path(settings.BENCH_TMP) / f"gunicorn-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _start_redis(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            self.ctx.log(
                "  redis-server is not installed: each gunicorn worker has a "
                "cache of its own (apt-get install redis-server for a shared one)"
            )
            return
        port = free_port()
        self.redis = subprocess.Popen(
            [
                redis_server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(settings.BENCH_TMP),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                time.sleep(0.1)
                continue
            self.env["BENCH_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
            return
        raise RuntimeError("redis-server did not answer in 10 s")

    def __enter__(self) -> Gunicorn:
        try:
            self._start_redis()
            self._start_gunicorn()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_gunicorn(self) -> None:
        # Production's own configuration (workers, timeouts, backlog, worker
        # recycling, the access log), the address and workers through the
        # variables it reads.
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
        self.env.update(
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(self.workers),
        )
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "gunicorn stopped: " + self.log_file.read_text()[-2000:]
                )
            try:
                self.request("GET", "/healthz")
            except OSError:
                time.sleep(0.2)
                continue
            if len(_children(self.process.pid)) >= self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in 60 s")

    def __exit__(self, *exc) -> None:
        for process in (self.process, self.redis):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def request(self, method: str, path: str, *, headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def cpu_seconds(self) -> float:
        assert self.process is not None
        return app_cpu_seconds(self.process.pid)


_REQUESTS = re.compile(r"(\d+) requests in ([\d.]+)(m?s)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_ERRORS = re.compile(r"Socket errors: (.*)")


def run_wrk(ctx: Context, url: str, *, seconds: int, headers: dict) -> int:
    """Drive the address for that many seconds; return the requests completed."""
    command = [
        require_wrk(ctx),
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds * 3
    ).stdout
    found = _REQUESTS.search(output)
    if not found:
        raise RuntimeError(f"wrk said: {output}")
    bad = _NON_2XX.search(output)
    if bad and int(bad.group(1)):
        raise RuntimeError(f"{bad.group(1)} answers were not 2xx: {output}")
    errors = _ERRORS.search(output)
    if errors:
        ctx.log(f"  wrk: socket errors {errors.group(1)}")
    return int(found.group(1))


def _warm_up(ctx: Context, server: Gunicorn, url: str, *, headers: dict) -> None:
    """Drive the address until every worker has had its first requests (which
    load templates, translations and connections once per worker) behind it:
    WARMUP_SECONDS at a time, until WARMUP_REQUESTS_PER_WORKER per worker or
    WARMUP_MAX_SECONDS. On a busy machine a few seconds are a few requests
    each, and the measured period would count each worker's start-up."""
    served, started = 0, time.monotonic()
    while (
        served < WARMUP_REQUESTS_PER_WORKER * server.workers
        and time.monotonic() - started < WARMUP_MAX_SECONDS
    ):
        served += run_wrk(ctx, url, seconds=WARMUP_SECONDS, headers=headers)


def rps_per_core(ctx: Context, path: str, *, headers: dict, expect: str) -> float:
    """Serve the address through gunicorn and return requests per CPU-second."""
    with Gunicorn(ctx) as server:
        status, _headers, body = server.request("GET", path, headers=headers)
        text = body.decode("utf-8", "replace")
        if status != 200 or expect not in text:
            raise AssertionError(
                f"GET {path} answered {status} without {expect!r}: {text[:300]}"
            )
        url = server.base + path
        _warm_up(ctx, server, url, headers=headers)
        cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
        requests = run_wrk(ctx, url, seconds=SECONDS, headers=headers)
        cpu = server.cpu_seconds() - cpu_before
        wall = time.monotonic() - wall_before
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    ctx.log(
        f"  {requests} requests in {wall:.1f} s ({requests / wall:.0f}/s), "
        f"{cpu:.2f} CPU s of gunicorn ({1000 * cpu / requests:.2f} ms each); "
        f"load average {load}"
    )
    return round(requests / cpu, 1)


# What the pages are served with.


def cookie_header(client: Client) -> str:
    return "; ".join(
        f"{name}={morsel.value}" for name, morsel in client.cookies.items()
    )


@dataclass(frozen=True)
class Pages:
    lesson: str
    catalogue: str
    learner_cookie: str


@cache
def pages() -> Pages:
    from courses.models import CourseIndexPage

    from .lessons import lesson_world

    world = lesson_world()
    # The client now holds the CSRF cookie the page set, as a browser that
    # came back does.
    get_ok(world.client, world.url)
    return Pages(
        lesson=world.url,
        catalogue=CourseIndexPage.objects.get().url,
        learner_cookie=cookie_header(world.client),
    )


@metric("rps_per_core_lesson_learner", unit="req/CPU-s", at_least=300)
def rps_per_core_lesson_learner(ctx: Context) -> float:
    world = pages()
    return rps_per_core(
        ctx,
        world.lesson,
        headers={"Cookie": world.learner_cookie},
        expect=reverse("users:logout"),
    )


@metric("rps_per_core_lesson_anon", unit="req/CPU-s", at_least=600)
def rps_per_core_lesson_anon(ctx: Context) -> float:
    world = pages()
    return rps_per_core(ctx, world.lesson, headers={}, expect=reverse("users:login"))


@metric("rps_per_core_catalogue_anon", unit="req/CPU-s", at_least=600)
def rps_per_core_catalogue_anon(ctx: Context) -> float:
    world = pages()
    return rps_per_core(ctx, world.catalogue, headers={}, expect=COURSE_TITLE)


# The province dashboard.


@cache
def dashboard(ctx: Context) -> tuple[str, str]:
    """Seed a province's data (small) and return the dashboard's address and the
    cookie of an official of the province."""
    import io

    from django.core.management import call_command

    from regions.loader import load_current_regions, load_legacy_regions
    from regions.models import Region
    from users.models import RegionRole, User
    from users.services import consent_record

    started = time.perf_counter()
    if not Region.objects.exists():
        load_current_regions()
        load_legacy_regions()
    call_command(
        "seed_scale",
        **DASHBOARD_SEED,
        province=PROVINCE_CODE,
        seed=1,
        stdout=io.StringIO(),
        skip_checks=True,
    )
    ctx.log(f"  regions and seed data in {time.perf_counter() - started:.1f} s")
    province = Region.objects.get(
        level=Region.Level.PROVINCE, code=PROVINCE_CODE, is_current=True
    )
    official = User.objects.create_user(
        username="bench-province-official", full_name="Cán bộ Sở"
    )
    RegionRole.objects.create(
        user=official, region=province, role=RegionRole.Role.OFFICIAL
    )
    consent_record(user=official)
    client = Client()
    client.force_login(official, backend=SITE_LOGIN_BACKEND)
    url = reverse("reports:unit", args=[province.pk])
    get_ok(client, url)
    get_ok(client, url)
    return url, cookie_header(client)


@metric("rps_per_core_dashboard_province", unit="req/CPU-s", at_least=150)
def rps_per_core_dashboard_province(ctx: Context) -> float:
    url, cookie = dashboard(ctx)
    return rps_per_core(
        ctx, url, headers={"Cookie": cookie}, expect=reverse("users:logout")
    )


# A class logging in together.


def _production_hashers_env() -> dict:
    return {"BENCH_PRODUCTION_HASHERS": "1", "AXES_ENABLED": "true"}


def _class_learners(count: int) -> list[str]:
    """Create the class's learners with the production hasher's hash of the same
    password (hashed once: each learner's costs the same to check); return what
    each logs in with."""
    from django.utils.module_loading import import_string

    from bench.settings import production_password_hashers
    from users.models import LearnerKind, User
    from users.services import consent_record

    hasher = import_string(production_password_hashers()[0])()
    encoded = hasher.encode(LOGIN_PASSWORD, hasher.salt())
    logins = []
    for number in range(count):
        # Learners log in with their phone number, as they write it.
        user = User.objects.create(
            username=f"bench-lop-{number:03}",
            phone=f"+84980000{number:03}",
            password=encoded,
            full_name=f"Học sinh {number}",
            kind=LearnerKind.STUDENT,
        )
        consent_record(user=user)
        logins.append(f"0980 000 {number:03}")
    return logins


_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _login(server: Gunicorn, login: str, barrier: threading.Barrier, out: list):
    path = reverse("users:login")
    status, headers, body = server.request("GET", path)
    cookies = [
        value.split(";", 1)[0] for name, value in headers if name == "Set-Cookie"
    ]
    token = _CSRF_INPUT.search(body)
    if status != 200 or token is None:
        barrier.abort()
        raise RuntimeError(f"GET {path} answered {status}")
    form = urlencode(
        {
            "username": login,
            "password": LOGIN_PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
    )
    barrier.wait()
    started = time.perf_counter()
    status, headers, body = server.request(
        "POST",
        path,
        body=form,
        headers={
            "Cookie": "; ".join(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    elapsed = time.perf_counter() - started
    logged_in = status == 302 and any(
        name == "Set-Cookie" and value.startswith(settings.SESSION_COOKIE_NAME + "=")
        for name, value in headers
    )
    out.append((elapsed, logged_in, status if logged_in else body[:2000]))


@metric("class_login_100_p95_s", unit="s", at_most=3)
def class_login_100_p95_s(ctx: Context) -> float:
    from bench.settings import production_password_hashers

    logins = _class_learners(CLASS_SIZE)
    ctx.log(f"  password hasher: {production_password_hashers()[0]}")
    results: list = []
    barrier = threading.Barrier(CLASS_SIZE)
    with Gunicorn(ctx, env=_production_hashers_env()) as server:
        cpu_before = server.cpu_seconds()
        threads = [
            threading.Thread(target=_login, args=(server, login, barrier, results))
            for login in logins
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        cpu = server.cpu_seconds() - cpu_before
    failed = [r for r in results if not r[1]]
    if len(results) != CLASS_SIZE or failed:
        raise AssertionError(
            f"{len(results) - len(failed)} of {CLASS_SIZE} logins succeeded; "
            f"answers of the others: {[r[2] for r in failed][:10]}"
        )
    times = sorted(r[0] for r in results)
    p95 = times[int(0.95 * len(times)) - 1]
    ctx.log(
        f"  seconds: p50 {statistics.median(times):.2f}, p95 {p95:.2f}, max "
        f"{times[-1]:.2f}; {1000 * cpu / CLASS_SIZE:.0f} ms of gunicorn CPU per "
        "login (the login pages' GETs included)"
    )
    return round(p95, 2)
