"""Name Wagtail's default workflow and its task in Vietnamese.

Wagtail's migration names both “Moderators approval”, data no catalogue
translates, so editors read “Gửi duyệt: Moderators approval”.
"""

from django.db import migrations

ENGLISH = "Moderators approval"
VIETNAMESE = "Biên tập viên duyệt"


def rename(apps, schema_editor, old=ENGLISH, new=VIETNAMESE):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old).update(name=new)
    apps.get_model("wagtailcore", "Task").objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=VIETNAMESE, new=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_add_task_worker"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
