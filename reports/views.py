"""Pages of the coverage reports, for unit officials and superusers.

Every unit comes from ``users.scopes.regions_visible_to`` and every class from
``classes.scopes``: a unit or class outside the person's scope is a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certificates.storage import signed_url
from classes.scopes import class_for
from core.db import reads_from_replica
from core.pagecache import render_with_personal_parts
from outreach.models import Campaign
from regions.models import Region
from users.models import LearnerKind
from users.scopes import may_see_region, regions_visible_to

from . import charts
from .forms import OutcomeFigureForm, ReportFilterForm, TargetForm
from .models import CampaignCard, CampaignReport, OutcomeFigure, Target
from .selectors.access import can_view_reports, dashboard_root_for
from .selectors.cache import (
    cache_seconds,
    cached_coverage_dashboard,
    cached_outcomes_dashboard,
    dashboard_key,
)
from .selectors.coverage import SORTS, sort_rows
from .selectors.filters import Dashboard, ReportFilters
from .selectors.learners import class_learners
from .selectors.outcomes import outcomes_dashboard
from .services import outcome_figure_set, target_delete, target_set


def _require_reports(user) -> None:
    if not can_view_reports(user):
        raise Http404


@login_required
def index(request):
    """“Báo cáo”: open the dashboard at the user's unit; a superuser picks one."""
    _require_reports(request.user)
    root = dashboard_root_for(request.user)
    if root is not None:
        url = reverse("reports:unit", args=[root.pk])
        if request.GET:
            url += "?" + request.GET.urlencode()
        return redirect(url)
    provinces = Region.objects.current().filter(level=Region.Level.PROVINCE)
    return render(
        request, "reports/index.html", {"provinces": provinces.order_by("name")}
    )


def _unit_for(user, pk) -> Region:
    """Return unit pk when the user may see it, else 404. The unit (with its
    parent and successor) is kept in the shared cache as long as a
    dashboard's figures are (cache_seconds), which the officials of a
    province open again and again."""
    seconds = cache_seconds()
    key = f"reports:unit:{int(pk)}"
    region = cache.get(key) if seconds else None
    if region is None:
        region = (
            Region.objects.select_related("parent", "replaced_by").filter(pk=pk).first()
        )
        if region is not None and seconds:
            cache.set(key, region, seconds)
    if region is None or not may_see_region(user, region):
        raise Http404
    return region


def dashboard_for_request(request, pk) -> tuple[ReportFilterForm, Dashboard, str]:
    """Return the filter form, the dashboard of unit pk for the query string with
    its child units in the order asked, and that order; 404 when the person may
    not see the unit. The page and its downloads both use it, so a download holds
    exactly what the page showed."""
    form, filters = _filters_for_request(request, pk)
    return form, *_sorted_dashboard(request, filters)


def _filters_for_request(request, pk) -> tuple[ReportFilterForm, ReportFilters]:
    """Return the filter form and the filters of the query string for unit pk;
    404 when the person may not see the unit."""
    _require_reports(request.user)
    region = _unit_for(request.user, pk)
    form = ReportFilterForm(request.GET)
    return form, form.to_filters(region)


def _sort_asked(request) -> str:
    sort = request.GET.get("sort", "coverage")
    return sort if sort.lstrip("-") in SORTS else "coverage"


def _sorted_dashboard(request, filters, key=None) -> tuple[Dashboard, str]:
    # The page's own computation when it is fresh.
    dashboard = cached_coverage_dashboard(filters=filters, key=key)
    sort = _sort_asked(request)
    dashboard.children = sort_rows(dashboard.children, sort)  # a copy, not cached
    return dashboard, sort


def _breadcrumb(user, region: Region) -> list[Region]:
    """Return the units above region that the user may open, top first."""
    ancestors = region.ancestors() if region.parent_id else []
    if not ancestors:
        return []
    visible = set(
        regions_visible_to(user)
        .filter(pk__in=[r.pk for r in ancestors])
        .values_list("pk", flat=True)
    )
    return [r for r in ancestors if r.pk in visible]


# The columns of the units table, in the order of figure_cells.html.
COLUMNS = [
    ("name", gettext_lazy("Unit")),
    ("trained", gettext_lazy("Trained")),
    ("target", gettext_lazy("Target")),
    ("coverage", gettext_lazy("Coverage")),
    ("certificates_issued", gettext_lazy("Certificates issued")),
    ("certificates_revoked", gettext_lazy("Revoked")),
    ("enrolled", gettext_lazy("Enrolled")),
    ("in_progress", gettext_lazy("In progress")),
    ("completed", gettext_lazy("Completed")),
    ("participations", gettext_lazy("Participations")),
    ("participants", gettext_lazy("People attending")),
]


def _columns(filters, sort: str) -> list[dict]:
    """Return the units table's columns, each with the link that sorts by it
    (the other way round when it is the current sort)."""
    columns = []
    for key, label in COLUMNS:
        aria_sort = ""
        if sort == key:
            aria_sort = "ascending"
        elif sort == f"-{key}":
            aria_sort = "descending"
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": key not in ("name", "coverage"),
                "aria_sort": aria_sort,
                "url": "?"
                + filters.querystring(sort=f"-{key}" if sort == key else key),
            }
        )
    return columns


def _export_urls(region, filters, sort: str) -> dict[str, str] | None:
    """Return the export links of the dashboard, in the page's order of rows, so a
    download holds exactly what is on screen."""
    query = filters.querystring()
    if sort != "coverage":
        query += "&" + urlencode({"sort": sort})
    try:
        return {
            kind: reverse(f"reports:export_{kind}", args=[region.pk]) + "?" + query
            for kind in ("xlsx", "csv", "pdf")
        }
    except NoReverseMatch:
        return None


@login_required
@reads_from_replica
def unit_dashboard(request, pk):
    """The coverage dashboard of one unit, with its child units, trend and
    splits, for the period, course and kind in the query string.

    The page is the same for every official who sees the same units above it
    (the breadcrumb): while its computation is kept (reports.selectors.cache)
    it is kept too, rendered once, with each official's own menu and messages
    rendered for them (core.pagecache.render_with_personal_parts)."""
    form, filters = _filters_for_request(request, pk)
    breadcrumb = _breadcrumb(request.user, filters.region)
    if not cache_seconds():
        dashboard, sort = _sorted_dashboard(request, filters)
        return render(
            request,
            "reports/dashboard.html",
            _dashboard_context(form, dashboard, sort, breadcrumb),
        )
    key = dashboard_key(filters=filters)

    def context() -> dict:
        dashboard, sort = _sorted_dashboard(request, filters, key)
        return _dashboard_context(form, dashboard, sort, breadcrumb)

    return render_with_personal_parts(
        request,
        "reports/dashboard.html",
        context,
        shared_key=key + ":" + ",".join(str(unit.pk) for unit in breadcrumb),
        personal_key="",
        timeout=_seconds_left,
    )


def _seconds_left(context: dict) -> int:
    """Return how long the page may be kept: no longer than its computation."""
    dashboard = context["dashboard"]
    if dashboard.computed_at is None:
        return 1
    age = (timezone.now() - dashboard.computed_at).total_seconds()
    return max(1, int(dashboard.cache_seconds - age))


def _dashboard_context(form, dashboard, sort, breadcrumb) -> dict:
    filters, region = dashboard.filters, dashboard.filters.region
    return {
        "form": form,
        "filters": filters,
        "dashboard": dashboard,
        "region": region,
        "breadcrumb": breadcrumb,
        "sort": sort,
        "columns": _columns(filters, sort),
        "kind_label": (
            LearnerKind(filters.kind).label if filters.kind else _("Everyone")
        ),
        "course_rows": [
            (course, figures, "?" + filters.querystring(course=str(course.pk)))
            for course, figures in dashboard.by_course
        ],
        "export_urls": _export_urls(region, filters, sort),
        "trend_chart": charts.trend_chart(dashboard.trend),
        "kind_chart": charts.bar_chart(
            [(label, figures.trained) for _v, label, figures in dashboard.by_kind],
            title=_("People trained by kind"),
            ident="kind-chart",
        ),
        "course_chart": charts.bar_chart(
            [
                (course.title, figures.trained)
                for course, figures in dashboard.by_course
            ],
            title=_("People trained by course"),
            ident="course-chart",
        ),
        "query": filters.querystring(),
        "can_set_targets": region.is_current,
    }


@login_required
@reads_from_replica
def class_report(request, pk):
    """A class of the dashboard: its figures and, for those who may see them,
    its learners."""
    _require_reports(request.user)
    training_class = class_for(request.user, pk)
    form = ReportFilterForm(request.GET)
    filters = form.to_filters(training_class.region)
    learners = class_learners(
        training_class=training_class, filters=filters, viewer=request.user
    )
    unit_url = None
    if regions_visible_to(request.user).filter(pk=training_class.region_id).exists():
        unit_url = (
            reverse("reports:unit", args=[training_class.region_id])
            + "?"
            + filters.querystring()
        )
    return render(
        request,
        "reports/class_report.html",
        {
            "training_class": training_class,
            "filters": filters,
            "form": form,
            "learners": learners,
            "unit_url": unit_url,
        },
    )


@login_required
def target_list(request):
    """“Chỉ tiêu”: the targets of the official's units, and a form to set one."""
    _require_reports(request.user)
    regions = regions_visible_to(request.user)
    form = TargetForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target_set(
                region=data["region"],
                kind=data["kind"],
                course=data["course"],
                due_on=data["due_on"],
                people=data["people"],
                set_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target is saved."))
            return redirect("reports:targets")
    targets = (
        Target.objects.filter(region__in=regions)
        .select_related("region", "course", "set_by")
        .order_by("region__path", "due_on", "kind")
    )
    try:
        import_url = reverse("reports:targets_import")
    except NoReverseMatch:
        import_url = None
    return render(
        request,
        "reports/target_list.html",
        {"form": form, "targets": targets, "import_url": import_url},
    )


@require_POST
@login_required
def target_delete_view(request, pk):
    _require_reports(request.user)
    target = get_object_or_404(
        Target.objects.filter(region__in=regions_visible_to(request.user)), pk=pk
    )
    try:
        target_delete(target=target, deleted_by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The target is deleted."))
    return redirect("reports:targets")


# How many of the latest figures the figures page lists.
OUTCOME_LIST_LIMIT = 200


@login_required
def outcome_list(request):
    """“Kết quả DVCTT”: the one-stop-shop figures of the official's units, and
    a form to enter one unit's figures of a week or month."""
    _require_reports(request.user)
    regions = regions_visible_to(request.user)
    form = OutcomeFigureForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome_figure_set(
                region=data["region"],
                period=data["period"],
                period_start=data["period_start"],
                received=data["received"],
                received_online=data["received_online"],
                processed_online=data["processed_online"],
                paid_online=data["paid_online"],
                set_by=request.user,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The figures are saved."))
            return redirect("reports:outcomes")
    figures = (
        OutcomeFigure.objects.filter(region__in=regions)
        .select_related("region", "set_by")
        .order_by("-period_start", "region__path")[:OUTCOME_LIST_LIMIT]
    )
    return render(
        request, "reports/outcome_list.html", {"form": form, "figures": figures}
    )


def campaigns_visible_to(user):
    """Return the campaigns over the units the person may see."""
    return Campaign.objects.filter(region__in=regions_visible_to(user))


def _campaign_for(request):
    """Return the campaign named in the query string, when the person may see
    it; None when none is named. A campaign they may not see is a 404."""
    value = request.GET.get("campaign", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(
        campaigns_visible_to(request.user).select_related("region"), pk=int(value)
    )


def _campaign_progress(campaign, totals) -> list[dict]:
    """Return the campaign's targets beside the figures reached."""
    share = totals.online_percent
    rows = [
        {
            "label": _("People trained"),
            "value": totals.trained,
            "target": campaign.target_trained,
        },
        {
            "label": _("People helped"),
            "value": totals.helped,
            "target": campaign.target_helped,
        },
    ]
    for row in rows:
        row["percent"] = (
            round(100 * row["value"] / row["target"]) if row["target"] else None
        )
    rows.append(
        {
            "label": _("Share of dossiers filed online"),
            "value": share,
            "target": float(campaign.target_online_share),
            "percent": None,
            "is_share": True,
        }
    )
    return rows


def outcomes_for_request(request, pk, *, cached: bool = False):
    """Return the outcomes view's figures of unit pk for the query string (or
    the campaign it names); 404 when the person may not see the unit or the
    campaign. The page (``cached``, shared for CACHE_SECONDS) and its
    downloads (always afresh) both use it."""
    _require_reports(request.user)
    region = _unit_for(request.user, pk)
    campaign = _campaign_for(request)
    form = ReportFilterForm(request.GET)
    filters = form.to_filters(region)
    if campaign is not None:
        filters = filters.replace(start=campaign.starts_on, end=campaign.ends_on)
    compute = cached_outcomes_dashboard if cached else outcomes_dashboard
    board = compute(filters=filters, campaign=campaign)
    board.form = form
    return board


@login_required
@reads_from_replica
def outcomes_unit(request, pk):
    """The outcomes view of a unit: people trained beside people helped and
    the one-stop-shop figures, per child unit, for the period or the
    campaign in the query string. Aggregates only."""
    dashboard = outcomes_for_request(request, pk, cached=True)
    filters, region, campaign = (
        dashboard.filters,
        dashboard.filters.region,
        dashboard.campaign,
    )
    query = filters.querystring()
    if campaign is not None:
        query += f"&campaign={campaign.pk}"
    return render(
        request,
        "reports/outcomes.html",
        {
            "form": dashboard.form,
            "filters": filters,
            "dashboard": dashboard,
            "region": region,
            "breadcrumb": _breadcrumb(request.user, region),
            "campaign": campaign,
            "progress": (
                _campaign_progress(campaign, dashboard.totals)
                if campaign is not None and campaign.region_id == region.pk
                else None
            ),
            "campaigns": campaigns_visible_to(request.user)
            .select_related("region")
            .order_by("-starts_on", "name")[:10],
            "trend_chart": charts.outcome_trend_chart(dashboard.trend),
            "query": query,
            "export_urls": {
                kind: reverse(f"reports:outcomes_{kind}", args=[region.pk])
                + "?"
                + query
                for kind in ("xlsx", "csv", "pdf")
            },
            "coverage_url": reverse("reports:unit", args=[region.pk])
            + "?"
            + filters.querystring(),
        },
    )


@login_required
def campaign_dashboard(request, pk):
    """Open the outcomes view for a campaign: its unit and its dates."""
    _require_reports(request.user)
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    query = urlencode(
        {
            "start": campaign.starts_on.isoformat(),
            "end": campaign.ends_on.isoformat(),
            "campaign": campaign.pk,
        }
    )
    return redirect(
        reverse("reports:outcomes_unit", args=[campaign.region_id]) + "?" + query
    )


@login_required
def campaign_reports(request, pk):
    """The weekly reports of a campaign: each week's PDF and its cards."""
    _require_reports(request.user)
    campaign = get_object_or_404(
        campaigns_visible_to(request.user).select_related("region"), pk=pk
    )
    reports = CampaignReport.objects.filter(campaign=campaign).prefetch_related(
        "cards__region"
    )
    return render(
        request,
        "reports/campaign_reports.html",
        {"campaign": campaign, "reports": reports},
    )


def _campaign_file(file, filename: str, content_type: str):
    """Answer with a private file once the view has checked who asks: a
    redirect to a signed address of a few minutes from an object store, else
    streamed from storage (as the bulk certificate downloads are)."""
    url = signed_url(file.name, filename=filename, content_type=content_type)
    if url:
        response = HttpResponseRedirect(url)
        patch_cache_control(response, private=True, no_store=True)
        return response
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )


@login_required
def campaign_report_pdf(request, pk):
    _require_reports(request.user)
    report = get_object_or_404(
        CampaignReport.objects.filter(
            campaign__in=campaigns_visible_to(request.user)
        ).exclude(pdf=""),
        pk=pk,
    )
    return _campaign_file(
        report.pdf, f"bao-cao-tuan-{report.week_start:%d-%m-%Y}.pdf", "application/pdf"
    )


@login_required
def campaign_card(request, pk):
    _require_reports(request.user)
    card = get_object_or_404(
        CampaignCard.objects.filter(
            report__campaign__in=campaigns_visible_to(request.user)
        ).select_related("report", "region"),
        pk=pk,
    )
    return _campaign_file(
        card.image,
        f"the-tom-tat-{card.region.code}-{card.report.week_start:%d-%m-%Y}.png",
        "image/png",
    )
