"""Let Wagtail's editors design certificate templates, look certificates up and
revoke them (issue 5: "an official or editor revokes a certificate")."""

from django.db import migrations

from core.groups import editors_permissions_operation

CODENAMES = [
    "add_certificatetemplate",
    "change_certificatetemplate",
    "delete_certificatetemplate",
    "view_certificatetemplate",
    "view_certificate",
    "revoke_certificate",
]


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_batch_private_files_heartbeat"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [editors_permissions_operation("certificates", CODENAMES)]
