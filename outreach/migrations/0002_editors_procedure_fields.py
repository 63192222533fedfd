"""Let Wagtail's editors add to and correct the catalogue of procedure fields."""

from django.db import migrations

from core.groups import editors_permissions_operation

CODENAMES = [
    "add_procedurefield",
    "change_procedurefield",
    "view_procedurefield",
]


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [editors_permissions_operation("outreach", CODENAMES)]
