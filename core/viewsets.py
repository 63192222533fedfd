from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .permissions import ReadOnlyPermissionPolicy


class ReadOnlyModelViewSet(ModelViewSet):
    """List and inspect rows that services write (learner activity, official
    data): nobody may add, change, copy or delete them in the admin, and they stay
    out of Wagtail's reference index, since they reference no content."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    # ModelViewSet builds a form for its add and edit views; the read-only
    # permission policy lets nobody open them.
    exclude_form_fields = []

    def on_register(self):
        register_permission_policy(self.model, ReadOnlyPermissionPolicy(self.model))
        super().on_register()
