"""Let Wagtail's editors design certificate templates, look certificates up and
revoke them (issue 5: "an official or editor revokes a certificate")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Wagtail's own groups (created by its migrations), under their English names
# or the Vietnamese ones core's migration 0007 gives them, whichever runs first.
EDITOR_GROUPS = ["Editors", "Moderators", "Biên tập viên", "Kiểm duyệt viên"]
CODENAMES = [
    "add_certificatetemplate",
    "change_certificatetemplate",
    "delete_certificatetemplate",
    "view_certificatetemplate",
    "view_certificate",
    "revoke_certificate",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="certificates", codename__in=CODENAMES
    )
    for editors in Group.objects.filter(name__in=EDITOR_GROUPS):
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="certificates", codename__in=CODENAMES
    )
    for editors in Group.objects.filter(name__in=EDITOR_GROUPS):
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_batch_private_files_heartbeat"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
