from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("", views.my_results, name="my_results"),
    path("bat-thuong/lop/<int:pk>/", views.unusual_attempts_view, name="unusual"),
    path(
        "bat-thuong/don-vi/<int:pk>/",
        views.unusual_attempts_unit_view,
        name="unusual_unit",
    ),
]
