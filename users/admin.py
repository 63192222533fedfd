from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord, User


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = [
        "purpose",
        "text_version",
        "given_at",
        "withdrawn_at",
        "ip_address",
    ]
    fields = readonly_fields


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["full_name", "phone", "email", "kind", "home_region", "is_staff"]
    list_filter = ["kind", "is_staff", "is_active"]
    search_fields = ["full_name", "phone", "email", "username"]
    raw_id_fields = ["home_region"]
    ordering = ["full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Person"),
            {
                "fields": [
                    "full_name",
                    "phone",
                    "email",
                    "kind",
                    "home_region",
                    "date_of_birth",
                ]
            },
        ),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [ConsentInline]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "text_version", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "text_version"]
    search_fields = ["user__full_name", "user__phone"]
    readonly_fields = [f.name for f in ConsentRecord._meta.fields]

    def has_add_permission(self, request):
        return False
