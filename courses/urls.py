from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    # Reading offline (courses.offline).
    path("ngoai-tuyen/", views.offline_help, name="offline"),
    path("ngoai-tuyen/bai-kiem-tra/", views.offline_quiz, name="offline_quiz"),
    path("ngoai-tuyen/danh-sach.json", views.offline_list, name="offline_list"),
]
