from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from classes import views as classes_views
from core import views as core_views
from courses import views as courses_views
from outreach import views as outreach_views
from users.forms import DjangoAdminLoginForm
from users.views import auth as users_auth

# Django's admin logs in within the limits on wrong passwords, as every login.
admin.site.login_form = DjangoAdminLoginForm

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # The installed app: its manifest, and the service worker that keeps the
    # learner's lessons for reading offline, at the root to serve every page.
    path("manifest.webmanifest", core_views.manifest, name="manifest"),
    path("sw.js", courses_views.service_worker, name="service_worker"),
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own: its password reset, within limits, recorded, and only
    # for people with admin access (same paths and names).
    path(
        "admin/password_reset/",
        users_auth.AdminPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        users_auth.AdminPasswordResetConfirmView.as_view(),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("users.urls")),
    path("hoc-tap-cua-toi/", include("courses.urls")),
    path("tim-kiem/", courses_views.search, name="search"),
    # Its prefix is the path of the cookie it sets (courses.views).
    path(
        "y-kien/<int:lesson_id>/",
        courses_views.lesson_feedback,
        name="lesson_feedback",
    ),
    path("ket-qua-kiem-tra/", include("quizzes.urls")),
    path("don-vi/", include("regions.urls")),
    path("lop-hoc/", include("classes.urls")),
    path("tham-gia/", classes_views.class_join_view, name="class_join"),
    path("ho-tro/", include("outreach.urls")),
    # The short link a helped person opens to confirm the help (outreach).
    path("xn/<str:token>/", outreach_views.confirm, name="outreach_confirm"),
    # The short address of a lesson, printed under its QR codes (on paper).
    path("b/<int:pk>/", courses_views.lesson_short_link, name="lesson_short"),
    path("bao-cao/", include("reports.urls")),
    path("api/v1/coverage/", include("reports.api_urls")),
    path("", include("certificates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
