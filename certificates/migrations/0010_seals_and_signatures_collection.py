"""Put the certificate templates' seals and signatures in a collection of their
own (“Con dấu và chữ ký”), which the lessons' image chooser leaves out
(certificates.marks)."""

from django.db import migrations

MARKS_COLLECTION = "Con dấu và chữ ký"


def collect(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Image = apps.get_model("wagtailimages", "Image")
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    collection = Collection.objects.filter(
        depth=2, path__startswith=root.path, name=MARKS_COLLECTION
    ).first()
    if collection is None:
        # treebeard's add_child is not on the historical model: the child's
        # path is the root's followed by the next free step.
        last = (
            Collection.objects.filter(depth=2, path__startswith=root.path)
            .order_by("-path")
            .first()
        )
        step = int(last.path[-4:], 36) + 1 if last else 1
        collection = Collection.objects.create(
            name=MARKS_COLLECTION,
            depth=2,
            path=root.path + _base36(step).rjust(4, "0"),
            numchild=0,
        )
        root.numchild += 1
        root.save(update_fields=["numchild"])
    ids = set()
    for seal, signature in CertificateTemplate.objects.values_list(
        "seal", "signature"
    ):
        ids.update(pk for pk in (seal, signature) if pk)
    Image.objects.filter(pk__in=ids).update(collection=collection)


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text or "0"


def scatter(apps, schema_editor):
    """Move the seals and signatures back to the root collection and remove
    theirs."""
    Collection = apps.get_model("wagtailcore", "Collection")
    Image = apps.get_model("wagtailimages", "Image")
    root = Collection.objects.filter(depth=1).first()
    collection = Collection.objects.filter(depth=2, name=MARKS_COLLECTION).first()
    if root is None or collection is None:
        return
    Image.objects.filter(collection=collection).update(collection=root)
    collection.delete()
    root.numchild = Collection.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0009_merit_certificate"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(collect, scatter)]
