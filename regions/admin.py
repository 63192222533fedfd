from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Read-only: the units are loaded from official data, never typed. Registered
    so that fields pointing at a unit (a person's commune) can look one up."""

    list_display = ["__str__", "code", "level", "division_type", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["search_name"]
    list_select_related = ["parent__parent"]
    list_per_page = 50
    readonly_fields = [
        "name",
        "code",
        "level",
        "division_type",
        "parent",
        "path",
        "is_current",
        "valid_until",
        "replaced_by",
        "successors",
    ]
    fields = readonly_fields

    def get_search_results(self, request, queryset, search_term):
        """Match every word in the name or its parents' names, accents optional."""
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
