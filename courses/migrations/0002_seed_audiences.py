from django.db import migrations

KINDS = ["volunteer", "student", "teacher", "official", "citizen"]


def seed(apps, schema_editor):
    Audience = apps.get_model("courses.Audience")
    for kind in KINDS:
        Audience.objects.get_or_create(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
