from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("tim-xa/", views.commune_search, name="commune_search"),
]
