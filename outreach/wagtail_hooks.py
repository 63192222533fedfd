from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet

from .models import ProcedureField


class ProcedureFieldViewSet(ModelViewSet):
    """The catalogue of procedure fields: loaded from outreach/data/, extended
    and corrected by editors."""

    model = ProcedureField
    icon = "list-ul"
    menu_label = _("Procedure fields")
    menu_order = 360
    add_to_admin_menu = True
    list_display = [
        "name",
        "code",
        BooleanColumn("active", label=_("active"), sort_key="active"),
        "source",
    ]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    form_fields = ["name", "code", "active", "source"]
    copy_view_enabled = False


register_snippet(ProcedureField, viewset=ProcedureFieldViewSet)
