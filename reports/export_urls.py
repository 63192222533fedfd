"""Addresses of the dashboard's downloads and of the target import, added to
``reports.urls`` (namespace ``reports``)."""

from django.urls import path

from . import exports_views, outcome_exports, outcomes_import, targets_import

urlpatterns = [
    path("don-vi/<int:pk>/tai-ve.xlsx", exports_views.export_xlsx, name="export_xlsx"),
    path("don-vi/<int:pk>/tai-ve.csv", exports_views.export_csv, name="export_csv"),
    path("don-vi/<int:pk>/tai-ve.pdf", exports_views.export_pdf, name="export_pdf"),
    path(
        "don-vi/<int:pk>/ket-qua.xlsx",
        outcome_exports.export_xlsx,
        name="outcomes_xlsx",
    ),
    path(
        "don-vi/<int:pk>/ket-qua.csv", outcome_exports.export_csv, name="outcomes_csv"
    ),
    path(
        "don-vi/<int:pk>/ket-qua.pdf", outcome_exports.export_pdf, name="outcomes_pdf"
    ),
    path(
        "chi-tieu/nhap-tu-tep/",
        targets_import.targets_import_view,
        name="targets_import",
    ),
    path(
        "chi-tieu/tep-mau.xlsx",
        targets_import.targets_template_view,
        name="targets_template",
    ),
    path(
        "ket-qua-dvctt/nhap-tu-tep/",
        outcomes_import.outcomes_import_view,
        name="outcomes_import",
    ),
    path(
        "ket-qua-dvctt/tep-mau.xlsx",
        outcomes_import.outcomes_template_view,
        name="outcomes_template",
    ),
]
