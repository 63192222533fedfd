"""Let Wagtail's editors read what learners answered under the lessons."""

from django.db import migrations

from core.groups import editors_permissions_operation

CODENAMES = ["view_lessonfeedback"]


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_add_lesson_feedback"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [editors_permissions_operation("courses", CODENAMES)]
