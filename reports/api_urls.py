"""The open coverage feed, at /api/v1/coverage/ (see ``reports.api``)."""

from django.urls import path

from . import api

app_name = "coverage_api"
urlpatterns = [
    path("", api.index, name="index"),
    path("<str:unit>/", api.unit_coverage, name="unit"),
    path("<str:unit>/outcomes/", api.unit_outcomes, name="unit_outcomes"),
]
