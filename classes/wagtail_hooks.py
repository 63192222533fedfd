from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Organisation
from .services import organisation_import


class OrganisationViewSet(ModelViewSet):
    """Schools, community digital technology teams and agencies, managed by
    editors and by staff given the organisation permissions."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 340
    add_to_admin_menu = True
    list_display = ["name", "kind", "region", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    form_fields = ["name", "kind", "region", "code"]

    def get_queryset(self, request):
        return Organisation.objects.select_related("region", "region__parent")


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_(
            "Columns: Tên, Loại (Trường, Tổ công nghệ số cấp xã, Tổ công nghệ số "
            "cấp thôn, Cơ quan), Mã đơn vị hành chính, and optionally Mã (your "
            "own code, to update rows on a later import)."
        ),
    )


class OrganisationImportView(WagtailAdminTemplateMixin, View):
    template_name = "classes/admin/organisation_import.html"
    page_title = _("Import organisations")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("classes.add_organisation"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(form=OrganisationImportForm())
        )

    def post(self, request):
        form = OrganisationImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            try:
                result = organisation_import(upload=form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
        return self.render_to_response(self.get_context_data(form=form, result=result))


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


@hooks.register("register_admin_urls")
def register_organisation_import_url():
    return [
        path(
            "organisations-import/",
            OrganisationImportView.as_view(),
            name="classes_organisation_import",
        )
    ]


class OrganisationImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("classes.add_organisation")


@hooks.register("register_admin_menu_item")
def register_organisation_import_menu_item():
    return OrganisationImportMenuItem(
        _("Import organisations"),
        reverse("classes_organisation_import"),
        icon_name="download",
        order=345,
    )
