from django.db import migrations


def name_the_catalogue(apps, schema_editor):
    """Name, on each home page without one, its first course catalogue child, as
    the home page used to find it; its latest revision too, so that the next
    edit in the admin keeps it."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Revision = apps.get_model("wagtailcore.Revision")
    HomePage = apps.get_model("core.HomePage")

    # Looked up by content type, so core's migrations need none of courses'.
    index_type = ContentType.objects.filter(
        app_label="courses", model="courseindexpage"
    ).first()
    if index_type is None:
        return
    for home in HomePage.objects.filter(catalogue__isnull=True):
        catalogue = (
            Page.objects.filter(
                content_type=index_type,
                path__startswith=home.path,
                depth=home.depth + 1,
            )
            .order_by("path")
            .first()
        )
        if catalogue is None:
            continue
        home.catalogue = catalogue
        home.save(update_fields=["catalogue"])
        if home.latest_revision_id is not None:
            revision = Revision.objects.get(pk=home.latest_revision_id)
            revision.content["catalogue"] = catalogue.pk
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_homepage_catalogue"),
        # The courses app need not be migrated first: before it is, there is no
        # catalogue to name.
    ]

    operations = [
        migrations.RunPython(name_the_catalogue, migrations.RunPython.noop),
    ]
