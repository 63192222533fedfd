"""The administrative units in the Wagtail admin: listed, searched and inspected,
never added, edited or deleted there (``manage.py load_regions`` loads them from
the official data)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import IndexView

from core.viewsets import ReadOnlyInspectView, ReadOnlyModelViewSet

from .models import Region


class RegionIndexView(IndexView):
    def get_base_queryset(self):
        # A commune's title shows its province: a legacy one's is two levels up.
        return (
            super().get_base_queryset().select_related("parent__parent", "replaced_by")
        )

    def search_queryset(self, queryset):
        """Match every word of the query in the name or its parents' names, with
        or without accents, as everywhere else on the site."""
        if not self.is_searching:
            return queryset
        return queryset.search(self.search_query)


class RegionInspectView(ReadOnlyInspectView):
    def get_parent_display_value(self):
        return self.object.parent or "-"

    def get_is_current_display_value(self):
        return _("Yes") if self.object.is_current else _("No")

    def get_predecessors_display_value(self):
        before = Region.objects.filter(replaced_by=self.object).select_related(
            "parent__parent"
        )
        return ", ".join(str(unit) for unit in before) or "-"

    def get_field_label(self, field_name, field):
        if field_name == "predecessors":
            return _("Rolled up from")
        return super().get_field_label(field_name, field)


class RegionViewSet(ReadOnlyModelViewSet):
    """Vietnam's administrative units, current and pre-reform, read-only."""

    model = Region
    icon = "site"
    menu_label = _("Administrative units")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = RegionIndexView
    inspect_view_class = RegionInspectView
    list_display = [
        "__str__",
        "code",
        "level",
        "division_type",
        BooleanColumn("is_current", label=_("current"), sort_key="is_current"),
    ]
    list_filter = ["level", "is_current"]
    # Enables the search box; RegionIndexView does the matching.
    search_fields = ["name"]
    ordering = "path"
    list_per_page = 50
    inspect_view_fields = [
        "name",
        "code",
        "level",
        "division_type",
        "parent",
        "is_current",
        "valid_until",
        "replaced_by",
        "successors",
        "predecessors",
    ]


@hooks.register("register_admin_viewset")
def register_region_viewset():
    return RegionViewSet("administrative_units")
