"""The names of Wagtail's two editorial groups, in Vietnamese.

Wagtail's migrations create them as "Editors" and "Moderators" (data that no
catalogue translates); ``core`` migration 0007 renames them, keeping their
permissions. Code that looks a group up names it through these constants.
"""

EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt viên"

# In a data migration: both names, since Wagtail's migrations make the groups
# under the English ones and ``core`` migration 0007 may not have run yet.
EDITORIAL_GROUPS_ANY_NAME = ["Editors", "Moderators", EDITORS, MODERATORS]


def editors_permissions_operation(app_label: str, codenames: list[str]):
    """Return the RunPython operation of a data migration that gives the
    editorial groups the app's permissions of these codenames (and takes them
    back when unapplied). Permissions are normally created after all
    migrations: the operation makes sure they exist first."""
    from django.contrib.auth.management import create_permissions
    from django.db import migrations

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )

    def groups(apps):
        Group = apps.get_model("auth", "Group")
        return Group.objects.filter(name__in=EDITORIAL_GROUPS_ANY_NAME)

    def grant(apps, schema_editor):
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, verbosity=0, apps=apps)
            app_config.models_module = None
        for group in groups(apps):
            group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        for group in groups(apps):
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
