"""The certificates in the Wagtail admin: editors design templates (with a preview
that is the real PDF, ``CertificateTemplate.serve_preview``) and look certificates
up by code or name, each row leading to its revoke page."""

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.viewsets import ReadOnlyInspectView, ReadOnlyModelViewSet

from .marks import (
    MARKS_COLLECTION,
    MarksChooser,
    certificate_marks_collect,
    is_marks_chooser,
    marks_chooser,
)
from .models import (
    MERIT_PLACEHOLDERS,
    PLACEHOLDERS,
    Certificate,
    CertificateTemplate,
)
from .scopes import certificates_visible_to


def _listed(placeholders: dict) -> str:
    return "; ".join(f"{{{name}}}: {meaning}" for name, meaning in placeholders.items())


def _body_help() -> str:
    return (
        gettext(
            "The text of the certificate, under the learner's name. Placeholders in "
            "braces are filled in for each learner: %(placeholders)s."
        )
        % {"placeholders": _listed(PLACEHOLDERS)}
        + " "
        + gettext(
            "A template of merit (giấy khen) uses these instead: %(placeholders)s."
        )
        % {"placeholders": _listed(MERIT_PLACEHOLDERS)}
    )


class CertificateTemplateViewSet(SnippetViewSet):
    """The designs certificates are printed with; a course names its own."""

    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Certificate templates")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "kind", "title", "issuer", "orientation", "updated_at"]
    list_filter = ["kind", "orientation"]
    search_fields = ["name", "title", "issuer"]
    copy_view_enabled = True
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldPanel("issuer_parent"),
                FieldPanel("issuer"),
                FieldPanel("motto_country"),
                FieldPanel("motto"),
                FieldPanel("logo"),
            ],
            heading=_("Header"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("body", help_text=lazy(_body_help, str)()),
                FieldPanel("place"),
            ],
            heading=_("Text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_title"),
                FieldPanel("signatory_name"),
                FieldPanel("signature", widget=MarksChooser),
                FieldPanel("seal", widget=MarksChooser),
            ],
            heading=_("Signatory"),
        ),
        MultiFieldPanel(
            [FieldPanel("background"), FieldPanel("orientation")],
            heading=pgettext_lazy("certificate paper", "Page"),
        ),
    ]


register_snippet(CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_marks_chooser():
    return marks_chooser


@hooks.register("construct_image_chooser_queryset")
def keep_marks_to_certificates(images, request):
    """Offer seals and signatures only to the template's seal and signature, and
    every other picture everywhere else (lessons, rich text, the logo)."""
    # By name under the root, so opening a chooser creates nothing.
    marks = {"collection__depth": 2, "collection__name": MARKS_COLLECTION}
    if is_marks_chooser(request):
        return images.filter(**marks)
    return images.exclude(**marks)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def collect_template_marks(request, instance):
    """Keep a template's seal and signature in their collection, whichever way
    they were chosen."""
    if isinstance(instance, CertificateTemplate):
        certificate_marks_collect(template=instance)


def _revoke_url(certificate) -> str | None:
    """Return the staff page of the certificate, where it may be revoked."""
    try:
        return reverse("certificates:revoke", args=[certificate.pk])
    except NoReverseMatch:
        return None


def _scoped(request, queryset):
    """Return the certificates the person may see: all for those who may revoke
    any, else those of their classes and unit (certificates.scopes)."""
    if request.user.has_perm("certificates.revoke_certificate"):
        return queryset
    return certificates_visible_to(request.user, queryset)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return _scoped(self.request, super().get_base_queryset())


class CertificateInspectView(ReadOnlyInspectView):
    def get_object(self, queryset=None):
        certificate = super().get_object(queryset)
        if not _scoped(self.request, Certificate.objects.filter(pk=certificate.pk)):
            raise Http404
        return certificate


class CertificateViewSet(ReadOnlyModelViewSet):
    """Certificates as issued; written only by the issuing services, so
    read-only here. Each row leads to the page where it can be revoked."""

    model = Certificate
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 305
    add_to_admin_menu = True
    list_display = [
        TitleColumn("code", label=_("code"), get_url=_revoke_url),
        Column(
            "learner_name",
            label=_("learner"),
            accessor=lambda certificate: certificate.printed.get("learner_name", ""),
        ),
        Column(
            "course_title",
            label=_("course"),
            accessor=lambda certificate: certificate.printed.get("course", ""),
        ),
        DateColumn("issued_at", label=_("issued at"), sort_key="issued_at"),
        Column(
            "status",
            label=_("status"),
            accessor=lambda certificate: Certificate.Status(certificate.status).label,
        ),
    ]
    search_fields = ["code", "user__full_name"]
    inspect_view_fields = [
        "code",
        "user",
        "course",
        "training_class",
        "issued_at",
        "issued_by",
        "expires_at",
        "revoked_at",
        "revoked_reason",
        "region",
        "learner_kind",
    ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("issued_certificates")
