from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("ghi/", views.record_create, name="create"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("xem-xet/", views.review_list, name="review_list"),
    path("<int:pk>/xem-xet/", views.review, name="review"),
    path("khen-thuong/", views.recognition, name="recognition"),
    path("khen-thuong/giay-khen/", views.merit_award_view, name="merit_award"),
    path("chien-dich/", views.campaign_list, name="campaign_list"),
    path("chien-dich/tao-moi/", views.campaign_edit, name="campaign_create"),
    path("chien-dich/<int:pk>/", views.campaign_edit, name="campaign_edit"),
]
