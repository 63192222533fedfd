from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from classes import views as classes_views
from core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("users.urls")),
    path("hoc-tap-cua-toi/", include("courses.urls")),
    path("ket-qua-kiem-tra/", include("quizzes.urls")),
    path("don-vi/", include("regions.urls")),
    path("lop-hoc/", include("classes.urls")),
    path("tham-gia/", classes_views.class_join_view, name="class_join"),
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
