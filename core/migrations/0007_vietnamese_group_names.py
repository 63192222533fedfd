"""Name Wagtail's editorial groups, its root page and root collection in
Vietnamese, and its default workflow after the group that approves.

Wagtail's migrations create the groups "Editors" and "Moderators", the root
page and collection "Root": data that no catalogue translates, which editors
read in the admin (“Chỉnh sửa: Editors”, “Exploring: Root”). Renaming keeps
each row, so permissions and members stay. Migration 0006 named the workflow
“Biên tập viên duyệt” (editors approve), but the moderators approve; now that
the editors' group is “Biên tập viên”, that name would mislead.
"""

from django.db import migrations

GROUPS = [("Editors", "Biên tập viên"), ("Moderators", "Kiểm duyệt viên")]
ROOT = ("Root", "Gốc")
WORKFLOW = ("Biên tập viên duyệt", "Duyệt trước khi xuất bản")
TASK = ("Biên tập viên duyệt", "Kiểm duyệt viên duyệt")


def _rename(apps, pairs):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in pairs["groups"]:
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    old, new = pairs["root"]
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)
    Collection.objects.filter(depth=1, name=old).update(name=new)
    Workflow.objects.filter(name=pairs["workflow"][0]).update(
        name=pairs["workflow"][1]
    )
    Task.objects.filter(name=pairs["task"][0]).update(name=pairs["task"][1])


def rename(apps, schema_editor):
    _rename(
        apps, {"groups": GROUPS, "root": ROOT, "workflow": WORKFLOW, "task": TASK}
    )


def rename_back(apps, schema_editor):
    def back(pair):
        return pair[1], pair[0]

    _rename(
        apps,
        {
            "groups": [back(pair) for pair in GROUPS],
            "root": back(ROOT),
            "workflow": back(WORKFLOW),
            "task": back(TASK),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_vietnamese_workflow_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # Wagtail's migrations that find the groups by their English names.
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
