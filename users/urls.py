from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "users"
urlpatterns = [
    path("dang-ky/", views.signup, name="signup"),
    path("dang-nhap/", views.PhoneLoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("nhan-tai-khoan/", views.claim, name="claim"),
]
