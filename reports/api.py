"""The coverage feed: aggregate counts per unit, period, kind and course, as JSON.

    GET /api/v1/coverage/                          the units a client may start at
    GET /api/v1/coverage/<unit>/?from=&to=&kind=&course=
    GET /api/v1/coverage/<unit>/outcomes/?from=&to=    people helped, online share

``<unit>`` is a unit's official code (``33`` a province, ``12345`` a commune) or
its path (``33.12345``; ``L34.336.12345`` for a pre-reform unit). The figures are
the dashboard's (``reports.selectors.coverage_dashboard``): counts only, never a
person's name, phone, email or id, and no class (class names may name people).

Who may read what: by default the feed answers only an authenticated official,
by session or by a personal access token (``Authorization: Bearer <token>``,
made on the official's account page or by ``manage.py coverage_feed_token``;
it expires after ``ACCESS_TOKEN_LIFETIME_DAYS``, its owner may revoke it, and a
new password ends it), for the units in their subtree, exactly as
the dashboard does; anyone else gets 401, and a unit outside the subtree answers
404 as an unknown unit does. A province that decides its figures are public sets
``COVERAGE_FEED_PUBLIC = True``: then anonymous clients may read every unit.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.db import replica_reads
from courses.models import CoursePage
from regions.models import Region
from users.models import AccessToken, LearnerKind
from users.scopes import official_units, regions_visible_to
from users.services import access_token_user

from .selectors.cache import cached_coverage_dashboard
from .selectors.filters import Figures, ReportFilters, default_period

CACHE_SECONDS = 300
MAX_PERIOD_DAYS = 3 * 366
LEVELS = {
    Region.Level.PROVINCE: "province",
    Region.Level.DISTRICT: "district",
    Region.Level.COMMUNE: "commune",
}


# Tokens ----------------------------------------------------------------------


def user_for_token(token: str):
    """Return the person a coverage feed token stands for, or None (unknown,
    revoked, expired, or its owner inactive, erased or with a new password)."""
    return access_token_user(token, purpose=AccessToken.Purpose.COVERAGE_FEED)


def _client(request):
    """Return the user the request speaks for (token first, then session), or
    None for an anonymous client."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return user_for_token(header[7:].strip()) or False
    user = request.user
    return user if user.is_authenticated and user.is_active else None


def is_public() -> bool:
    return bool(getattr(settings, "COVERAGE_FEED_PUBLIC", False))


# Responses -------------------------------------------------------------------


def _json(data: dict, *, status: int = 200, public: bool = False) -> JsonResponse:
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 200:
        scope = "public" if public else "private"
        response["Cache-Control"] = f"{scope}, max-age={CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "no-store"
    response["Vary"] = "Authorization, Cookie, Accept-Language"
    return response


def _unauthorised() -> JsonResponse:
    response = _json(
        {
            "error": _(
                "Sign in as an official, or send your feed token as "
                "“Authorization: Bearer <token>”."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="coverage"'
    return response


def _not_found(unit: str) -> JsonResponse:
    return _json(
        {"error": _("No unit “%(unit)s” was found.") % {"unit": unit}}, status=404
    )


def _access(request):
    """Return (units the client may read, whether the answer is public), or an
    error response."""
    client = _client(request)
    if client is False:
        return _unauthorised()
    if client is None:
        if is_public():
            return Region.objects.all(), True
        return _unauthorised()
    return regions_visible_to(client), False


def _unit(region: Region, request) -> dict:
    return {
        "code": region.code,
        "path": region.path,
        "name": region.name,
        "type": region.division_type,
        "level": LEVELS.get(region.level, str(region.level)),
        "current": region.is_current,
        "url": request.build_absolute_uri(
            reverse("coverage_api:unit", args=[region.path])
        ),
    }


def _figures(figures: Figures) -> dict:
    data = {name: getattr(figures, name) for name in Figures.COUNTS}
    data["target"] = figures.target
    coverage = figures.coverage
    data["coverage"] = None if coverage is None else round(coverage, 4)
    return data


# Parameters --------------------------------------------------------------------


class FeedParams(forms.Form):
    """The query string of the feed; every parameter is optional."""

    from_ = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    kind = forms.ChoiceField(required=False, choices=[("", ""), *LearnerKind.choices])
    course = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data):
        data = data.copy()
        if "from" in data:
            data["from_"] = data.pop("from")[-1]
        super().__init__(data)
        # Name the fields as the query string does.
        self.fields["from_"].error_messages["invalid"] = gettext_lazy(
            "Write the date as YYYY-MM-DD."
        )
        self.fields["to"].error_messages["invalid"] = gettext_lazy(
            "Write the date as YYYY-MM-DD."
        )

    def clean_course(self):
        pk = self.cleaned_data.get("course")
        if pk is None:
            return None
        course = CoursePage.objects.live().filter(pk=pk).first()
        if course is None:
            raise forms.ValidationError(
                _("No published course has the id %(id)s.") % {"id": pk}
            )
        return course

    def clean(self):
        cleaned = super().clean()
        default_start, default_end = default_period()
        start = cleaned.get("from_") or default_start
        end = cleaned.get("to") or default_end
        if not self.errors:
            if start > end:
                self.add_error("to", _("“to” must not be before “from”."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("from_", _("Ask for a period of at most three years."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def error_dict(self) -> dict[str, list[str]]:
        return {
            ("from" if field == "from_" else field): [str(m) for m in messages]
            for field, messages in self.errors.items()
        }


def _find_unit(text: str) -> Region | None:
    """Return the unit a code or path names: a bare code is a current unit."""
    if "." in text or text.startswith("L"):
        return Region.objects.filter(path=text).first()
    if not text.isdigit():
        return None
    level = {2: Region.Level.PROVINCE, 5: Region.Level.COMMUNE}.get(len(text))
    if level is None:
        return None
    return Region.objects.filter(code=text, level=level, is_current=True).first()


# Views -----------------------------------------------------------------------


@require_GET
def index(request):
    """The units a client may start at: every current province for a public feed
    or a superuser, else the units the official is responsible for."""
    access = _access(request)
    if isinstance(access, JsonResponse):
        return access
    visible, public = access
    client = _client(request)
    if public or (client and client.is_superuser):
        units = Region.objects.current().filter(level=Region.Level.PROVINCE)
    else:
        units = official_units(client)
    return _json(
        {
            "units": [_unit(region, request) for region in units.order_by("path")],
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        },
        public=public,
    )


def _unit_asked(request, unit: str):
    """Return (the unit, the checked parameters, whether the feed is public)
    for a request about one unit, or the JSON answer refusing it: no access,
    a unit the client may not see, or wrong parameters."""
    access = _access(request)
    if isinstance(access, JsonResponse):
        return access
    visible, public = access
    region = _find_unit(unit)
    if region is None or not visible.filter(pk=region.pk).exists():
        return _not_found(unit)
    params = FeedParams(request.GET)
    if not params.is_valid():
        return _json(
            {"error": _("Some parameters are wrong."), "errors": params.error_dict()},
            status=400,
        )
    return region, params.cleaned_data, public


@require_GET
def unit_coverage(request, unit: str):
    """The coverage figures of one unit and of each unit under it."""
    asked = _unit_asked(request, unit)
    if isinstance(asked, JsonResponse):
        return asked
    region, data, public = asked
    # The client was found on the primary; the figures may come from a replica.
    with replica_reads():
        payload = _payload(request, region, data)
    return _json(payload, public=public)


def _payload(request, region: Region, data: dict) -> dict:
    filters = ReportFilters(
        region=region,
        start=data["start"],
        end=data["end"],
        course=data["course"],
        kind=data["kind"] or None,
    )
    # Shared with the dashboard page: at most a minute old, and stale at once
    # when a counted row is saved.
    dashboard = cached_coverage_dashboard(filters=filters)
    return {
        "unit": _unit(region, request),
        "period": {
            "from": filters.start.isoformat(),
            "to": filters.end.isoformat(),
            "days": (filters.end - filters.start).days + 1,
        },
        "filters": {
            "kind": filters.kind,
            "course": (
                {"id": filters.course.pk, "title": filters.course.title}
                if filters.course
                else None
            ),
        },
        "totals": _figures(dashboard.totals),
        "children": [
            {"unit": _unit(row.region, request), **_figures(row.figures)}
            for row in sorted(dashboard.children, key=lambda row: row.region.path)
        ],
        "direct": _figures(dashboard.direct) if dashboard.direct else None,
        "by_kind": [
            {"kind": value, "label": label, **_figures(figures)}
            for value, label, figures in dashboard.by_kind
        ],
        "by_course": [
            {
                "course": {"id": course.pk, "title": course.title},
                **_figures(figures),
            }
            for course, figures in dashboard.by_course
        ],
        "trend": [
            {
                "week_start": point.week_start.isoformat(),
                "trained": point.trained,
                "trained_cumulative": point.trained_cumulative,
                "certificates": point.certificates,
            }
            for point in dashboard.trend
        ],
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


@require_GET
def unit_outcomes(request, unit: str):
    """The outcome figures of one unit and of each unit under it: people
    trained and helped, dossiers filed with help, the one-stop shops' online
    share (``reports.selectors.outcomes``). Aggregates only, under the same
    access as the coverage figures."""
    from .selectors.outcomes import COUNTS, outcomes_dashboard

    asked = _unit_asked(request, unit)
    if isinstance(asked, JsonResponse):
        return asked
    region, data, public = asked

    def figures(f) -> dict:
        values = {name: getattr(f, name) for name in COUNTS}
        share = f.online_share
        values["online_share"] = None if share is None else round(share, 4)
        values["online_share_change_points"] = f.share_change
        return values

    with replica_reads():
        board = outcomes_dashboard(
            filters=ReportFilters(region=region, start=data["start"], end=data["end"])
        )
        payload = {
            "unit": _unit(region, request),
            "period": {
                "from": board.filters.start.isoformat(),
                "to": board.filters.end.isoformat(),
                "days": (board.filters.end - board.filters.start).days + 1,
                "figures_by": board.period_kind,
            },
            "totals": figures(board.totals),
            "children": [
                {"unit": _unit(row.region, request), **figures(row.figures)}
                for row in sorted(board.children, key=lambda row: row.region.path)
            ],
            "direct": figures(board.direct) if board.direct else None,
            "trend": [
                {
                    "week_start": point.week_start.isoformat(),
                    "trained": point.trained,
                    "helped": point.helped,
                    "helped_confirmed": point.helped_confirmed,
                }
                for point in board.trend
            ],
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        }
    return _json(payload, public=public)
