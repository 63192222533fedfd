from django.urls import path

from . import bulk_urls, views

app_name = "certificates"
# Included at the site root: the public verification pages live at /verify/, the
# learner's and teacher's pages under /chung-chi/.
urlpatterns = [
    path("chung-chi/", views.my_certificates, name="mine"),
    path("chung-chi/<int:pk>/pdf/", views.certificate_download, name="pdf"),
    path(
        "chung-chi/<int:pk>/open-badge/",
        views.credential_download,
        name="credential",
    ),
    path("chung-chi/<int:pk>/thu-hoi/", views.certificate_revoke_view, name="revoke"),
    path("chung-chi/giay-khen/<int:pk>/pdf/", views.merit_download, name="merit_pdf"),
    path(
        "chung-chi/giay-khen/<int:pk>/thu-hoi/",
        views.merit_revoke_view,
        name="merit_revoke",
    ),
    path(
        "chung-chi/khoa-hoc/<int:course_pk>/hoc-lai/",
        views.course_redo,
        name="redo",
    ),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
    # The issuer's key and the revocation lists, for verifiers (credentials).
    path(".well-known/did.json", views.did_document, name="did"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("credentials/status/<int:number>/", views.status_list, name="status_list"),
]

# Bulk issuing for a class or a unit (certificates.bulk_views).
urlpatterns += bulk_urls.urlpatterns
