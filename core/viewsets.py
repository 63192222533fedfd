from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .permissions import ReadOnlyPermissionPolicy


class ReadOnlyInspectView(InspectView):
    """Wagtail's inspect view, with an empty value, yes and no in words of the
    catalogue instead of Python's “None”, “True” and “False”."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None:
            return "-"
        if value is True or value is False:
            return _("Yes") if value else _("No")
        return value


class ReadOnlyModelViewSet(ModelViewSet):
    """List and inspect rows that services write (learner activity, official
    data): nobody may add, change, copy or delete them in the admin, and they stay
    out of Wagtail's reference index, since they reference no content."""

    inspect_view_enabled = True
    inspect_view_class = ReadOnlyInspectView
    copy_view_enabled = False
    add_to_reference_index = False
    # ModelViewSet builds a form for its add and edit views; the read-only
    # permission policy lets nobody open them.
    exclude_form_fields = []

    def on_register(self):
        register_permission_policy(self.model, ReadOnlyPermissionPolicy(self.model))
        super().on_register()
