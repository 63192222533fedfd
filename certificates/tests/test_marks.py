"""Seals and signatures sit in their own collection: the template's seal and
signature chooser offers them, and no other image chooser (a lesson's) does."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from certificates.marks import MARKS_COLLECTION, marks_collection
from core.groups import EDITORS
from users.tests.factories import UserFactory

from .factories import CertificateTemplateFactory
from .test_templates_admin import _form

pytestmark = pytest.mark.django_db

LESSON_CHOOSER = "wagtailimages_chooser:choose"
LESSON_RESULTS = "wagtailimages_chooser:choose_results"
MARKS_CHOOSER = "certificate_marks_chooser:choose"
MARKS_RESULTS = "certificate_marks_chooser:choose_results"
EDIT = "wagtailsnippets_certificates_certificatetemplate:edit"


def _picture(title: str, collection=None):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(buffer, name=f"{title}.png"),
        collection=collection or Collection.get_first_root_node(),
    )


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return user


@pytest.fixture
def pictures():
    """A lesson's screenshot in the general library, a seal in its collection."""
    return {
        "screenshot": _picture("Ảnh chụp màn hình VNeID"),
        "seal": _picture("Con dấu Sở KH&CN", marks_collection()),
    }


def _titles(response) -> set[str]:
    html = response.json()["html"] if "json" in response["Content-Type"] else ""
    html = html or response.content.decode()
    return {
        title
        for title in ("Ảnh chụp màn hình VNeID", "Con dấu Sở KH&amp;CN")
        if title in html
    }


def test_a_lesson_s_image_chooser_leaves_the_seals_out(client, editor, pictures):
    """The chooser a lesson opens (and its search) offers the screenshot, not
    the seal."""
    for name in (LESSON_CHOOSER, LESSON_RESULTS):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert _titles(response) == {"Ảnh chụp màn hình VNeID"}, name


def test_the_seal_chooser_offers_only_seals_and_signatures(client, editor, pictures):
    """The template's seal and signature chooser offers the seal, not the
    lesson's screenshot, and uploads into the seals' collection."""
    for name in (MARKS_CHOOSER, MARKS_RESULTS):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert _titles(response) == {"Con dấu Sở KH&amp;CN"}, name
    upload = client.get(reverse(MARKS_CHOOSER)).json()["html"]
    assert f'<option value="{marks_collection().pk}" selected>' in upload


def test_the_template_s_seal_and_signature_open_the_seal_chooser(client, editor):
    """The seal and signature fields open the seals' chooser; the logo opens the
    general one."""
    template = CertificateTemplateFactory()
    html = client.get(reverse(EDIT, args=[template.pk])).content.decode()
    marks_url = reverse(MARKS_CHOOSER)
    assert html.count(f'data-chooser-url="{marks_url}"') == 2
    assert f'data-chooser-url="{reverse(LESSON_CHOOSER)}"' in html


def test_saving_a_template_moves_its_seal_into_the_collection(client, editor):
    """A seal chosen from the general library (before this collection existed)
    moves into the seals' collection when the template is saved; the logo
    stays."""
    template = CertificateTemplateFactory()
    seal, logo = _picture("Con dấu cũ"), _picture("Biểu trưng")
    response = client.post(
        reverse(EDIT, args=[template.pk]),
        _form(name=template.name, seal=seal.pk, logo=logo.pk),
    )
    assert response.status_code == 302
    seal.refresh_from_db()
    logo.refresh_from_db()
    assert seal.collection.name == MARKS_COLLECTION
    assert logo.collection == Collection.get_first_root_node()


def test_the_migration_moves_existing_seals_and_signatures():
    """The data migration makes the collection once and moves every template's
    seal and signature there, and nothing else."""
    migration = importlib.import_module(
        "certificates.migrations.0010_seals_and_signatures_collection"
    )
    Collection.objects.filter(name=MARKS_COLLECTION).delete()
    Collection.fix_tree()
    seal, signature, logo = _picture("Dấu"), _picture("Chữ ký"), _picture("Logo")
    CertificateTemplateFactory(seal=seal, signature=signature, logo=logo)

    migration.collect(apps, None)
    migration.collect(apps, None)

    assert Collection.objects.filter(name=MARKS_COLLECTION).count() == 1
    marks = Collection.objects.get(name=MARKS_COLLECTION)
    assert marks.get_parent() == Collection.get_first_root_node()
    assert Collection.find_problems() == ([], [], [], [], [])
    moved = set(
        get_image_model()
        .objects.filter(collection=marks)
        .values_list("title", flat=True)
    )
    assert moved == {"Dấu", "Chữ ký"}
    assert marks_collection() == marks
