from django.urls import path  # noqa: F401

from . import bulk_urls

app_name = "certificates"
# Included at the site root: the public verification pages live at /verify/, the
# learner's and teacher's pages under /chung-chi/.
urlpatterns = []

# Bulk issuing for a class or a unit (certificates.bulk_views).
urlpatterns += bulk_urls.urlpatterns
