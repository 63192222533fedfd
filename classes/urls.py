from django.urls import path

from . import views

app_name = "classes"
urlpatterns = [
    path("", views.class_list, name="list"),
    path("tao-moi/", views.class_create_view, name="create"),
    path("loi-moi/", views.invitations, name="invitations"),
    path("loi-moi/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("<int:pk>/", views.class_detail, name="detail"),
    path("<int:pk>/tien-do.xlsx", views.progress_export, name="progress_export"),
    path("<int:pk>/danh-sach/", views.roster_upload, name="roster_upload"),
    path("<int:pk>/danh-sach/mau.xlsx", views.roster_template, name="roster_template"),
    path(
        "<int:pk>/danh-sach/<int:import_pk>/",
        views.roster_preview,
        name="roster_preview",
    ),
    path(
        "<int:pk>/buoi-hoc/tao-moi/", views.session_create_view, name="session_create"
    ),
    path("<int:pk>/the-dang-nhap/", views.login_cards, name="login_cards"),
    path(
        "<int:pk>/the-dang-nhap/<int:user_pk>/",
        views.login_card_reissue,
        name="login_card_reissue",
    ),
    path("buoi-hoc/<int:pk>/", views.session_detail, name="session"),
    path(
        "buoi-hoc/<int:pk>/diem-danh/<int:user_pk>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("buoi-hoc/<int:pk>/khach/", views.walk_in_add, name="walk_in"),
    path("buoi-hoc/<int:pk>/ma-qr/", views.checkin_screen, name="checkin_screen"),
    path("buoi-hoc/<int:pk>/co-mat/", views.check_in, name="check_in"),
]
