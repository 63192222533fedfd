"""Addresses of bulk certificates, added to ``certificates.urls`` (namespace
``certificates``, at the site root)."""

from django.urls import path

from . import bulk_views

urlpatterns = [
    path(
        "chung-chi/lop/<int:class_pk>/cap-hang-loat/",
        bulk_views.class_bulk,
        name="bulk_class",
    ),
    path("chung-chi/don-vi/cap-hang-loat/", bulk_views.unit_bulk, name="bulk_unit"),
    path(
        "chung-chi/cap-hang-loat/<int:pk>/", bulk_views.batch_detail, name="bulk_batch"
    ),
    path(
        "chung-chi/cap-hang-loat/<int:pk>/tiep-tuc/",
        bulk_views.batch_resume,
        name="bulk_resume",
    ),
    path(
        "chung-chi/cap-hang-loat/<int:pk>/chung-chi.zip",
        bulk_views.batch_zip,
        name="bulk_zip",
    ),
    path(
        "chung-chi/cap-hang-loat/<int:pk>/ban-in.pdf",
        bulk_views.batch_print,
        name="bulk_print",
    ),
]
