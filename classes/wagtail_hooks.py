from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Organisation
from .scopes import organisations_managed_by
from .services import organisation_import


class OrganisationPermissionPolicy(ModelPermissionPolicy):
    """The organisation permissions, limited for a unit official to the
    organisations in their unit's subtree (classes.scopes)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and organisations_managed_by(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return organisations_managed_by(
            user, super().instances_user_has_any_permission_for(user, actions)
        )


register_permission_policy(Organisation, OrganisationPermissionPolicy(Organisation))


class OrganisationIndexView(IndexView):
    def get_base_queryset(self):
        return organisations_managed_by(
            self.request.user,
            super().get_base_queryset().select_related("region", "region__parent"),
        )


class ScopedOrganisationMixin:
    """Answer 404 for an organisation outside the person's scope."""

    def get_object(self, queryset=None):
        organisation = super().get_object(queryset)
        if (
            not organisations_managed_by(self.request.user)
            .filter(pk=organisation.pk)
            .exists()
        ):
            raise Http404
        return organisation


class OrganisationEditView(ScopedOrganisationMixin, EditView):
    pass


class OrganisationDeleteView(ScopedOrganisationMixin, DeleteView):
    pass


class OrganisationViewSet(ModelViewSet):
    """Schools, community digital technology teams and agencies, managed by
    editors and by staff given the organisation permissions; a unit official
    sees and changes only those under their unit."""

    model = Organisation
    index_view_class = OrganisationIndexView
    edit_view_class = OrganisationEditView
    delete_view_class = OrganisationDeleteView
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 340
    add_to_admin_menu = True
    list_display = ["name", "kind", "region", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    form_fields = ["name", "kind", "region", "code"]


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
