from django.urls import path

from . import export_urls, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi/<int:pk>/", views.unit_dashboard, name="unit"),
    path("lop/<int:pk>/", views.class_report, name="class"),
    path("chi-tieu/", views.target_list, name="targets"),
    path("chi-tieu/<int:pk>/xoa/", views.target_delete_view, name="target_delete"),
    path("ket-qua-dvctt/", views.outcome_list, name="outcomes"),
    path("don-vi/<int:pk>/ket-qua/", views.outcomes_unit, name="outcomes_unit"),
    path("chien-dich/<int:pk>/", views.campaign_dashboard, name="campaign"),
    path(
        "chien-dich/<int:pk>/bao-cao-tuan/",
        views.campaign_reports,
        name="campaign_reports",
    ),
    path(
        "bao-cao-tuan/<int:pk>.pdf",
        views.campaign_report_pdf,
        name="campaign_report_pdf",
    ),
    path("the-tom-tat/<int:pk>.png", views.campaign_card, name="campaign_card"),
]
urlpatterns += export_urls.urlpatterns
