"""Create the "Giáo viên" group, whose members may create classes, and let
Wagtail's editors manage organisations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Giáo viên"
# Wagtail's own groups (created by its migrations), under their English names
# or the Vietnamese ones core's migration 0007 gives them, whichever runs first.
EDITOR_GROUPS = ["Editors", "Moderators", "Biên tập viên", "Kiểm duyệt viên"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="classes", codename="add_trainingclass"
        )
    )
    organisation_permissions = Permission.objects.filter(
        content_type__app_label="classes",
        codename__in=[
            "add_organisation",
            "change_organisation",
            "view_organisation",
            "delete_organisation",
        ],
    )
    for editors in Group.objects.filter(name__in=EDITOR_GROUPS):
        editors.permissions.add(*organisation_permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
