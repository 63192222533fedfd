"""Downloads of the coverage dashboard: XLSX, CSV and a printable PDF.

Each takes the unit's pk and the dashboard's own query string (period, course,
kind, sort), so a download holds exactly what the page showed, and is scoped as
the dashboard is: a unit outside the person's subtree is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from core.db import reads_from_replica

from . import exports, pdf
from .views import dashboard_for_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Figures of people under an official's unit: kept out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
@reads_from_replica
def export_xlsx(request, pk):
    _form, dashboard, _sort = dashboard_for_request(request, pk)
    return _download(
        exports.dashboard_xlsx(dashboard), XLSX, exports.filename(dashboard, "xlsx")
    )


@require_GET
@login_required
@reads_from_replica
def export_csv(request, pk):
    _form, dashboard, _sort = dashboard_for_request(request, pk)
    return _download(
        exports.dashboard_csv(dashboard),
        "text/csv; charset=utf-8",
        exports.filename(dashboard, "csv"),
    )


@require_GET
@login_required
@reads_from_replica
def export_pdf(request, pk):
    _form, dashboard, _sort = dashboard_for_request(request, pk)
    return _download(
        pdf.dashboard_pdf(dashboard),
        "application/pdf",
        exports.filename(dashboard, "pdf"),
    )
