from django.urls import path  # noqa: F401

app_name = "certificates"
# Included at the site root: the public verification pages live at /verify/, the
# learner's and teacher's pages under /chung-chi/.
urlpatterns = []
