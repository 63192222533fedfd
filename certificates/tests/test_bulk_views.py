"""The bulk pages as a teacher and an official use them, and who may not."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from certificates import bulk
from certificates.models import CertificateBatch
from core.testing import vi
from users.models import RegionRole
from users.tests.factories import UserFactory

from .bulk_world import build_world

pytestmark = pytest.mark.django_db

Status = CertificateBatch.Status


@pytest.fixture
def world():
    return build_world()


def class_page(world):
    return reverse("certificates:bulk_class", args=[world.training_class.pk])


def start_for_class(client, world):
    return client.post(class_page(world), {"course": world.course.pk})


def test_the_teacher_sees_the_counts_starts_and_downloads(client, world):
    client.force_login(world.teacher)

    page = client.get(class_page(world))
    assertContains(page, world.course.title)
    assert page.context["preview"].eligible == 3
    assert len(page.context["preview"].ineligible) == 2
    assertContains(page, vi("The course is not complete yet."))

    response = start_for_class(client, world)
    batch = CertificateBatch.objects.get()
    assertRedirects(response, reverse("certificates:bulk_batch", args=[batch.pk]))
    detail = client.get(response.url)
    assertContains(detail, reverse("certificates:bulk_zip", args=[batch.pk]))
    assertContains(detail, reverse("certificates:bulk_print", args=[batch.pk]))
    assertContains(detail, vi("Not enrolled in this course."))
    assertNotContains(detail, "hx-trigger")  # done: no more polling

    archive = client.get(reverse("certificates:bulk_zip", args=[batch.pk]))
    assert archive["Content-Type"] == "application/zip"
    assert "attachment" in archive["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert len(names) == 3
    printed = client.get(reverse("certificates:bulk_print", args=[batch.pk]))
    assert printed["Content-Type"] == "application/pdf"
    assert b"".join(printed.streaming_content).startswith(b"%PDF")


def test_the_outputs_live_outside_media_and_have_no_url(client, world):
    client.force_login(world.teacher)
    start_for_class(client, world)
    batch = CertificateBatch.objects.get()

    path = Path(batch.zip_file.path).resolve()
    assert path.is_file()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        batch.zip_file.url  # noqa: B018


def test_another_teacher_can_neither_start_nor_see_nor_download(client, world):
    client.force_login(world.teacher)
    start_for_class(client, world)
    batch = CertificateBatch.objects.get()

    client.force_login(UserFactory(full_name="Thầy Lạ"))
    assert client.get(class_page(world)).status_code == 404
    assert start_for_class(client, world).status_code == 404
    for name in ("bulk_batch", "bulk_zip", "bulk_print"):
        url = reverse(f"certificates:{name}", args=[batch.pk])
        assert client.get(url).status_code == 404, name
    resume = reverse("certificates:bulk_resume", args=[batch.pk])
    assert client.post(resume).status_code == 404
    assert CertificateBatch.objects.count() == 1


def test_an_official_follows_a_class_batch_but_cannot_start_one(client, world):
    client.force_login(world.teacher)
    start_for_class(client, world)
    batch = CertificateBatch.objects.get()

    client.force_login(world.official)
    assert client.get(class_page(world)).status_code == 403
    assert start_for_class(client, world).status_code == 403
    zip_url = reverse("certificates:bulk_zip", args=[batch.pk])
    assert client.get(zip_url).status_code == 200


def test_an_official_issues_for_their_unit(client, world):
    client.force_login(world.official)
    unit_page = reverse("certificates:bulk_unit")

    page = client.get(unit_page, {"khoa": world.course.pk})
    assert page.context["region"] == world.province
    assert page.context["preview"].eligible == 3
    response = client.post(
        unit_page, {"region": world.province.pk, "course": world.course.pk}
    )

    batch = CertificateBatch.objects.get()
    assertRedirects(response, reverse("certificates:bulk_batch", args=[batch.pk]))
    assert batch.region == world.province
    assert batch.status == Status.DONE
    assert batch.items.count() == 3  # only who completed, under the unit


def test_a_province_official_follows_a_run_started_under_their_province(client, world):
    """A run a commune official starts for their commune is open to the
    province's official above them, and to no sibling commune's official."""
    commune_official = UserFactory(full_name="Bà Trần Cán Bộ Xã")
    RegionRole.objects.create(user=commune_official, region=world.commune)
    sibling = UserFactory(full_name="Ông Lê Cán Bộ Phường")
    RegionRole.objects.create(user=sibling, region=world.other_commune)
    client.force_login(commune_official)
    client.post(
        reverse("certificates:bulk_unit"),
        {"region": world.commune.pk, "course": world.course.pk},
    )
    batch = CertificateBatch.objects.get()
    assert (batch.region, batch.created_by) == (world.commune, commune_official)

    for who, status in ((world.official, 200), (sibling, 404)):
        client.force_login(who)
        for name in ("bulk_batch", "bulk_zip"):
            url = reverse(f"certificates:{name}", args=[batch.pk])
            assert client.get(url).status_code == status, (who, name)


def test_an_official_cannot_issue_outside_their_subtree(client, world):
    other = UserFactory(full_name="Bà Lê Tỉnh Khác")
    RegionRole.objects.create(user=other, region=world.other_province)
    client.force_login(other)
    unit_page = reverse("certificates:bulk_unit")

    assert client.get(unit_page, {"don-vi": world.province.pk}).status_code == 404
    response = client.post(
        unit_page, {"region": world.province.pk, "course": world.course.pk}
    )
    assert response.status_code == 404
    assert CertificateBatch.objects.count() == 0


def test_the_unit_page_is_for_officials_only(client, world):
    client.force_login(world.teacher)
    assert client.get(reverse("certificates:bulk_unit")).status_code == 404


def test_an_official_of_two_units_picks_one(client, world):
    RegionRole.objects.create(user=world.official, region=world.other_province)
    client.force_login(world.official)

    page = client.get(reverse("certificates:bulk_unit"))
    assert page.context["region"] is None
    assertContains(page, str(world.province))
    assertContains(page, str(world.other_province))


def test_a_running_batch_refreshes_itself_and_answers_htmx_with_the_status_only(
    client, world, monkeypatch
):
    monkeypatch.setattr(bulk, "_enqueue", lambda batch: None)  # no worker yet
    client.force_login(world.teacher)
    start_for_class(client, world)
    batch = CertificateBatch.objects.get()
    url = reverse("certificates:bulk_batch", args=[batch.pk])

    page = client.get(url)
    assertContains(page, 'hx-trigger="every 2s"')
    assertContains(page, '<progress class="progress" max="100" value="0"')
    assertContains(page, 'http-equiv="refresh"')  # without JavaScript too

    bulk.certificate_batch_run(batch_id=batch.pk)
    partial = client.get(url, headers={"HX-Request": "true"})
    assertNotContains(partial, "<html")
    assertNotContains(partial, "hx-trigger")
    assertContains(partial, reverse("certificates:bulk_zip", args=[batch.pk]))


def test_a_failed_batch_is_resumed_from_its_page(client, world, monkeypatch):
    from certificates import pdf

    def broken(certificates, **kwargs):
        raise RuntimeError("out of memory")
        yield  # pragma: no cover

    monkeypatch.setattr(pdf, "certificates_pdfs", broken)
    client.force_login(world.teacher)
    start_for_class(client, world)
    batch = CertificateBatch.objects.get()
    url = reverse("certificates:bulk_batch", args=[batch.pk])
    page = client.get(url)
    assertContains(page, "out of memory")
    assertContains(page, reverse("certificates:bulk_resume", args=[batch.pk]))
    assert client.get(
        reverse("certificates:bulk_zip", args=[batch.pk])
    ).status_code == (404)

    monkeypatch.undo()
    response = client.post(reverse("certificates:bulk_resume", args=[batch.pk]))

    assertRedirects(response, url)
    batch.refresh_from_db()
    assert batch.status == Status.DONE


def test_the_class_page_offers_bulk_issuing_to_its_teacher_only(client, world):
    link = reverse("certificates:bulk_class", args=[world.training_class.pk])
    client.force_login(world.teacher)
    assertContains(client.get(world.training_class.get_absolute_url()), link)
    client.force_login(world.official)
    assertNotContains(client.get(world.training_class.get_absolute_url()), link)
