"""Downloads of the coverage dashboard: XLSX, CSV and a printable PDF.

Each takes the unit's pk and the dashboard's own query string (period, course,
kind, sort), so a download holds exactly what the page showed, and is scoped as
the dashboard is: a unit outside the person's subtree is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from . import exports, pdf
from .forms import ReportFilterForm
from .selectors import (
    Dashboard,
    cached_coverage_dashboard,
    can_view_reports,
    sort_rows,
    units_visible_to,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dashboard_for_request(request, pk) -> Dashboard:
    """Return the dashboard of unit pk for the query string, or raise 404 when
    the person may not see that unit."""
    if not can_view_reports(request.user):
        raise Http404
    region = get_object_or_404(
        units_visible_to(request.user).select_related("parent", "replaced_by"), pk=pk
    )
    filters = ReportFilterForm(request.GET).to_filters(region)
    # The page's own computation when it is fresh: the download then holds the
    # very figures on screen.
    dashboard = cached_coverage_dashboard(filters=filters)
    dashboard.children = sort_rows(
        dashboard.children, request.GET.get("sort", "coverage")
    )
    return dashboard


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Figures of people under an official's unit: kept out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def export_xlsx(request, pk):
    dashboard = dashboard_for_request(request, pk)
    return _download(
        exports.dashboard_xlsx(dashboard), XLSX, exports.filename(dashboard, "xlsx")
    )


@require_GET
@login_required
def export_csv(request, pk):
    dashboard = dashboard_for_request(request, pk)
    return _download(
        exports.dashboard_csv(dashboard),
        "text/csv; charset=utf-8",
        exports.filename(dashboard, "csv"),
    )


@require_GET
@login_required
def export_pdf(request, pk):
    dashboard = dashboard_for_request(request, pk)
    return _download(
        pdf.dashboard_pdf(dashboard),
        "application/pdf",
        exports.filename(dashboard, "pdf"),
    )
