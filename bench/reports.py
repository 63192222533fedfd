"""Coverage reports at a province's scale (the reports issue's budgets): the
dashboard of a province and of one commune over 200,000 people, 1,000,000
enrolments and 100,000 certificates on PostgreSQL, the province's XLSX export,
and the province's outcomes view over the same training, its helped-person
records and two years of weekly one-stop-shop figures.

Seeding that much data (``manage.py seed_scale``) takes minutes, so it is done
once into a database of its own that outlives the run: ``<name>_reports`` beside
the database DATABASE_URL_BENCH names (``lms_bench_reports`` for
postgres://postgres@127.0.0.1:5432/lms_bench). Each run migrates it (a no-op when
up to date), and seeds it only when the seed data is not there yet or was made
by an older ``seed_scale`` (its ``SEED_VERSION``); drop it
(``dropdb lms_bench_reports``) to seed afresh. BENCH_REPORTS_DATABASE names
another database to use instead. Without DATABASE_URL_BENCH these
metrics are skipped: the budgets are stated for PostgreSQL, and measuring SQLite
instead would say nothing about them.

Times are server time through Django's test client (middleware, view, template),
the median of the runs, for a province official on the default dashboard: the
92 days up to the last day of the seeded campaign, every course and kind. The
dashboard's one-minute cache is off while timing (the budget is for computing
the figures); the cached time is logged beside it.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import statistics
import time
from functools import cache

from django.core.cache import cache as django_cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from .measure import captured_queries, format_queries, get_ok, median_ms
from .registry import Context, MetricSkipped, metric

PEOPLE = 200_000
ENROLMENTS = 1_000_000
CERTIFICATES = 100_000
PROVINCE_CODE = "33"  # Tỉnh Hưng Yên
OFFICIAL_USERNAME = "bench-report-official"
# The dashboards are heavier than a lesson page: fewer timed runs.
MAX_RUNS = 15
EXPORT_RUNS = 3
SEED_SUFFIX = "_reports"


def _require_postgres() -> None:
    if connection.vendor != "postgresql":
        raise MetricSkipped("needs PostgreSQL (set DATABASE_URL_BENCH)")


def _seed_database_name() -> str:
    import os

    from django.conf import settings

    return os.environ.get("BENCH_REPORTS_DATABASE") or (
        settings.DATABASES["default"]["NAME"].removeprefix("test_") + SEED_SUFFIX
    )


def _create_database(name: str, log) -> None:
    import psycopg
    from psycopg import sql

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            log(f"  creating the database {name}...")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextlib.contextmanager
def _on_seed_database():
    """Point the default connection at the seed database for the duration."""
    from django.contrib.contenttypes.models import ContentType

    settings_dict = connection.settings_dict
    saved = settings_dict["NAME"]
    connection.close()
    settings_dict["NAME"] = _seed_database_name()
    ContentType.objects.clear_cache()
    django_cache.clear()
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = saved
        ContentType.objects.clear_cache()
        django_cache.clear()


@cache
def report_world(ctx: Context):
    """Seed (once) and describe the data the report metrics read."""
    from demo.management.commands.seed_scale import (
        USERNAME_PREFIX,
        seed_exists,
        seed_is_current,
    )
    from regions.loader import load_current_regions, load_legacy_regions
    from regions.models import Region
    from users.models import RegionRole, User
    from users.selectors import consent_is_current
    from users.services import consent_record

    _require_postgres()
    name = _seed_database_name()
    _create_database(name, ctx.log)
    with _on_seed_database():
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        ctx.log(f"  {name} migrated in {time.perf_counter() - started:.1f} s")
        if not Region.objects.filter(level=Region.Level.PROVINCE).exists():
            started = time.perf_counter()
            load_current_regions()
            load_legacy_regions()
            ctx.log(f"  regions loaded in {time.perf_counter() - started:.1f} s")
        seeded = User.objects.filter(username__startswith=USERNAME_PREFIX).count()
        if seeded != PEOPLE or not seed_exists() or not seed_is_current():
            ctx.log(
                f"  seeding {PEOPLE:,} people, {ENROLMENTS:,} enrolments, "
                f"{CERTIFICATES:,} certificates (once; kept in {name})..."
            )
            started = time.perf_counter()
            out = io.StringIO()
            call_command(
                "seed_scale",
                people=PEOPLE,
                enrolments=ENROLMENTS,
                certificates=CERTIFICATES,
                province=PROVINCE_CODE,
                seed=1,
                reset=seed_exists(),
                stdout=out,
                skip_checks=True,
            )
            ctx.log(out.getvalue())
            ctx.log(f"  seeded in {time.perf_counter() - started:.1f} s")
        else:
            ctx.log(f"  reusing the seed data in {name}")
        province = Region.objects.get(
            level=Region.Level.PROVINCE, code=PROVINCE_CODE, is_current=True
        )
        official, _created = User.objects.get_or_create(
            username=OFFICIAL_USERNAME,
            defaults={"full_name": "Cán bộ Sở Khoa học và Công nghệ"},
        )
        RegionRole.objects.get_or_create(
            user=official, region=province, role=RegionRole.Role.OFFICIAL
        )
        # Everyone who logs in has agreed to the current consent text; without
        # it every page sends the official to the consent page.
        if not consent_is_current(official):
            consent_record(user=official)
        from certificates.models import Certificate

        last = Certificate.objects.filter(province=province).aggregate(
            last=Max("issued_at")
        )["last"]
        end = timezone.localtime(last).date() if last else timezone.localdate()
        commune_id = (
            Certificate.objects.filter(province=province, commune__is_current=True)
            .values("commune")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("commune", flat=True)
            .first()
        )
        return {
            "province": province.pk,
            "commune": commune_id,
            "official": official.pk,
            "query": {
                "start": (end - datetime.timedelta(days=91)).isoformat(),
                "end": end.isoformat(),
            },
        }


def _client(world) -> Client:
    from users.models import User

    client = Client()
    client.force_login(User.objects.get(pk=world["official"]))
    return client


def _dashboard_ms(ctx: Context, unit_key: str, view: str = "reports:unit") -> float:
    world = report_world(ctx)
    with _on_seed_database():
        client = _client(world)
        url = reverse(view, args=[world[unit_key]])

        def request():
            get_ok(client, url, data=world["query"])

        runs = min(ctx.runs, MAX_RUNS)
        # The page shares a computation for a minute between officials
        # (reports.selectors.cached_coverage_dashboard); the budget is for the
        # computation itself, so it is measured with that cache off. The cached
        # page is logged for comparison.
        with override_settings(REPORTS_CACHE_SECONDS=0):
            if ctx.explain_queries:
                queries = captured_queries(request)
                slow = sorted(queries, key=lambda q: -float(q["time"]))[:5]
                ctx.log(f"{url}: {len(queries)} queries; the slowest:")
                ctx.log(format_queries(slow))
            cold = median_ms(request, runs=runs, log=ctx.log)
        warm = median_ms(request, runs=runs)
        ctx.log(f"  from the page's one-minute cache: median {warm:.1f} ms")
        return cold


@metric("report_province_ms_pg", unit="ms", under=300)
def report_province_ms_pg(ctx: Context) -> float:
    return _dashboard_ms(ctx, "province")


@metric("report_province_outcomes_ms_pg", unit="ms", under=300)
def report_province_outcomes_ms_pg(ctx: Context) -> float:
    """The province's outcomes view (people trained beside people helped and
    the one-stop shops' online share) over the seeded data, PostgreSQL."""
    from outreach.models import HelpRecord
    from reports.models import OutcomeFigure

    report_world(ctx)
    with _on_seed_database():
        ctx.log(
            f"  {HelpRecord.objects.count():,} helped-person records, "
            f"{OutcomeFigure.objects.count():,} weeks of one-stop-shop figures"
        )
    return _dashboard_ms(ctx, "province", "reports:outcomes_unit")


@metric("report_commune_ms_pg", unit="ms", under=100)
def report_commune_ms_pg(ctx: Context) -> float:
    return _dashboard_ms(ctx, "commune")


@metric("report_export_xlsx_s", unit="s", under=10)
def report_export_xlsx_s(ctx: Context) -> float:
    """The province's XLSX export over the seeded data, PostgreSQL."""
    world = report_world(ctx)
    with _on_seed_database():
        client = _client(world)
        url = reverse("reports:export_xlsx", args=[world["province"]])
        timings = []
        # Computed afresh, not taken from the page's one-minute cache.
        with override_settings(REPORTS_CACHE_SECONDS=0):
            get_ok(client, url, data=world["query"])  # warm-up
            for _ in range(EXPORT_RUNS):
                started = time.perf_counter()
                response = get_ok(client, url, data=world["query"])
                timings.append(time.perf_counter() - started)
        ctx.log(
            f"  {len(response.content):,} bytes; seconds "
            + ", ".join(f"{t:.2f}" for t in timings)
        )
        return statistics.median(timings)
