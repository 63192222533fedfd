from django.contrib.auth.views import LogoutView
from django.urls import path

from .views import account, auth, data

app_name = "users"
urlpatterns = [
    path("dang-ky/", auth.signup, name="signup"),
    path("dang-nhap/", auth.PhoneLoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("nhan-tai-khoan/", auth.claim, name="claim"),
    path("quen-mat-khau/", auth.password_reset, name="password_reset"),
    path("quen-mat-khau/da-gui/", auth.password_reset_sent, name="password_reset_sent"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # My account.
    path("", account.account, name="account"),
    path("thong-tin/", account.profile, name="profile"),
    path("email/", account.email, name="email"),
    path(
        "email/xac-nhan/<str:token>/", account.email_confirm_view, name="email_confirm"
    ),
    path("so-dien-thoai/", account.phone, name="phone"),
    path("mat-khau/", account.password_change, name="password_change"),
    path("phien-dang-nhap/", account.sessions, name="sessions"),
    path("ma-truy-cap/", account.tokens, name="tokens"),
    path("lich-su/", account.history, name="history"),
    # My data.
    path("dong-y/", data.consent, name="consent"),
    path("du-lieu-cua-toi.json", data.data_download, {"fmt": "json"}, name="data_json"),
    path("du-lieu-cua-toi.xlsx", data.data_download, {"fmt": "xlsx"}, name="data_xlsx"),
    path("xoa-tai-khoan/", data.delete_account, name="delete"),
    path("da-xoa/", data.deleted, name="deleted"),
    path("nhat-ky-du-lieu/", data.data_log, name="data_log"),
]
