"""Targets in the Wagtail admin, for editors given the target permissions and
superusers; officials set theirs on /bao-cao/chi-tieu/."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Target


class _RecordsWhoSetIt:
    """Record who set the target, as target_set does on the officials' page."""

    def save_instance(self):
        self.form.instance.set_by = self.request.user
        return super().save_instance()


class TargetCreateView(_RecordsWhoSetIt, CreateView):
    pass


class TargetEditView(_RecordsWhoSetIt, EditView):
    pass


class TargetViewSet(ModelViewSet):
    model = Target
    icon = "list-ol"
    menu_label = _("Targets")
    add_to_admin_menu = True
    menu_order = 610
    add_view_class = TargetCreateView
    edit_view_class = TargetEditView
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["region", "kind", "course", "due_on", "people"]
    list_display = ["region", "kind", "course", "due_on", "people", "set_by", "set_at"]
    list_filter = ["kind", "due_on"]
    search_fields = ["region__name"]


@hooks.register("register_admin_viewset")
def register_target_viewset():
    return TargetViewSet("coverage_targets")
