import logging
import uuid
from functools import cache as memoise

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import InvalidStorageError, storages
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from .storage import round_trip_problem

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
UNKNOWN = "unknown"

# Browsers ask for /favicon.ico on every site whatever the page says; a day's
# cache keeps the 2 KB icon off every later page view.
FAVICON_MAX_AGE = 24 * 60 * 60


@memoise
def _favicon() -> bytes | None:
    found = finders.find("favicon.ico")
    if not found:
        return None
    with open(found, "rb") as icon:
        return icon.read()


@require_GET
@cache_control(public=True, max_age=FAVICON_MAX_AGE)
def favicon(request):
    """Serve the site's icon at the address browsers ask for."""
    icon = _favicon()
    if icon is None:
        raise Http404
    return HttpResponse(icon, content_type="image/x-icon")


# The brand's red (static/css/site.css, --brand): the phone's bar over the
# installed app, and behind its icon while it starts.
THEME_COLOUR = "#b3261e"
# Where the installed app opens (a URL name: core knows no app's views).
START_URL_NAME = "courses:my_learning"


@require_GET
@cache_control(public=True, max_age=FAVICON_MAX_AGE)
def manifest(request):
    """The web app manifest, with which a phone installs the site as an app."""
    icon = {"type": "image/png"}
    data = {
        "id": "/",
        "name": str(settings.WAGTAIL_SITE_NAME),
        "short_name": _("Digital skills"),
        "description": _(
            "Free step-by-step lessons on using online public services and "
            "digital skills, with certificates anyone can verify."
        ),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": reverse(START_URL_NAME),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {**icon, "src": static("icons/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("icons/icon-512.png"), "sizes": "512x512"},
            {
                **icon,
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@never_cache
@require_GET
def healthz(request):
    """Say how each part the site depends on answers; 503 only when the
    database does not, since the site serves nothing without it and serves
    everything, more slowly, without the rest."""
    database = _database()
    report = {
        "status": OK,
        "database": database,
        "cache": _cache(),
        "storage": _storage(),
        "private_storage": _private_storage(),
        "workers": _workers() if database == OK else UNKNOWN,
    }
    if database != OK:
        report["status"] = "error"
    elif UNAVAILABLE in (
        report["cache"],
        report["storage"],
        report["private_storage"],
    ):
        report["status"] = "degraded"
    return JsonResponse(report, status=200 if database == OK else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return UNAVAILABLE
    return OK


def _cache() -> str:
    """Write a value and read it back (core.cache answers a miss, not an error,
    when Redis is down)."""
    key = f"core:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, timeout=10)
        found = cache.get(key)
        cache.delete(key)
    # Any backend's failure, whatever its kind, is what is asked about.
    except Exception:
        logger.warning("Health check: the cache failed.", exc_info=True)
        return UNAVAILABLE
    return OK if found == 1 else UNAVAILABLE


def _storage() -> str:
    """Write a tiny file to the default storage, read it back and delete it, as
    ``manage.py check_storage`` does."""
    problem = round_trip_problem("default")
    if problem is not None:
        logger.warning("Health check: %s", problem)
        return UNAVAILABLE
    return OK


def _private_storage() -> str:
    """Ask the private storage (bulk ZIPs and print PDFs) whether a file exists:
    a read that reaches its disk or bucket and writes nothing, as a probe
    every few seconds should."""
    try:
        private = storages["private"]
    except InvalidStorageError:
        return UNKNOWN  # No private storage configured (STORAGES without it).
    try:
        private.exists("healthz-probe")
    # Disks raise OSError, object stores their client's own errors.
    except Exception:
        logger.warning("Health check: the private storage failed.", exc_info=True)
        return UNAVAILABLE
    return OK


def _workers() -> dict | str:
    """How many task workers beat (core.workers), when one last did (stopped
    ones too: when the last went away), when a task last finished, and how many
    tasks are due and waiting."""
    if not apps.is_installed("django_tasks_db"):
        return UNKNOWN
    from django.db.models import Max
    from django_tasks_db.models import DBTaskResult

    from .models import TaskWorker
    from .workers import dead_after

    now = timezone.now()
    try:
        last = DBTaskResult.objects.finished().aggregate(last=Max("finished_at"))[
            "last"
        ]
        waiting = DBTaskResult.objects.ready().count()
        beat = TaskWorker.objects.aggregate(last=Max("beat_at"))["last"]
        alive = TaskWorker.objects.filter(
            stopped_at__isnull=True, beat_at__gte=now - dead_after()
        ).count()
    except DatabaseError:
        return UNKNOWN
    return {
        "alive": alive,
        "last_heartbeat_at": beat.isoformat() if beat else UNKNOWN,
        "last_heartbeat_seconds_ago": _seconds_since(beat, now),
        "last_finished_at": last.isoformat() if last else UNKNOWN,
        "last_finished_seconds_ago": _seconds_since(last, now),
        "waiting": waiting,
    }


def _seconds_since(moment, now) -> int | None:
    return int((now - moment).total_seconds()) if moment else None
