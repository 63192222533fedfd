"""Bulk downloads in an S3 object store (moto's in-process mock): what one
machine's worker writes another machine serves, only to who may have it, by a
signed address of a few minutes, and nothing is left on the machine's disk."""

import io
import zipfile
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from moto import mock_aws
from storages.backends.s3 import S3Storage

from certificates import bulk, pdf
from certificates.images import template_image_uris
from certificates.models import CertificateBatch
from core.checks import object_storage_check
from core.storage import storages_setting
from users.tests.factories import UserFactory

from .bulk_world import build_world

pytestmark = pytest.mark.django_db

BUCKET = "lms-tinh"
COMMON = {"region_name": "us-east-1", "access_key": "test", "secret_key": "test"}


def s3_storages(bucket: str = BUCKET) -> dict:
    return storages_setting(
        bucket=bucket,
        private_bucket="",
        media_location="media",
        private_location="private",
        common=COMMON,
        media_acl=None,
        media_querystring_auth=False,
        custom_domain=None,
        private_url_expire=300,
    )


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    """Media and private files in one mocked bucket, as the production
    settings make them from AWS_STORAGE_BUCKET_NAME; no local private folder."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.AWS_STORAGE_BUCKET_NAME = BUCKET
        settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "must-stay-empty")
        settings.STORAGES = {**settings.STORAGES, **s3_storages()}
        yield client


@pytest.fixture
def world():
    return build_world()


def run_batch(world) -> CertificateBatch:
    """Issue and render the class's certificates, as the worker does."""
    batch = bulk.certificate_bulk_issue(
        course=world.course,
        created_by=world.teacher,
        training_class=world.training_class,
    )
    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.DONE
    return batch


def another_machine() -> S3Storage:
    """A storage built afresh from the same settings, sharing nothing with the
    worker's but the bucket."""
    return S3Storage(**s3_storages()["private"]["OPTIONS"])


def test_a_zip_written_by_the_worker_is_read_by_another_machine(s3, world, tmp_path):
    batch = run_batch(world)

    with another_machine().open(batch.zip_file.name, "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert len(names) == 3
    with another_machine().open(batch.print_file.name, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    keys = {
        item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }
    assert keys == {
        f"private/certificate-batches/{batch.pk}/chung-chi-{batch.pk}.zip",
        f"private/certificate-batches/{batch.pk}/ban-in-{batch.pk}.pdf",
    }
    assert not (tmp_path / "must-stay-empty").exists()


def test_the_private_files_have_no_public_grant(s3, world):
    batch = run_batch(world)

    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"private/{batch.zip_file.name}")
    grantees = [grant["Grantee"] for grant in grants["Grants"]]
    assert [grantee["Type"] for grantee in grantees] == ["CanonicalUser"]
    # The private storage makes no address that works without a signature.
    assert "X-Amz-Signature=" in batch.zip_file.url
    assert "X-Amz-Expires=300" in batch.zip_file.url


def test_the_download_redirects_to_an_address_signed_for_five_minutes(
    client, s3, world
):
    batch = run_batch(world)
    client.force_login(world.teacher)

    response = client.get(reverse("certificates:bulk_zip", args=[batch.pk]))

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert url.path.endswith(f"/private/{batch.zip_file.name}")
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert query["response-content-type"] == ["application/zip"]
    signed = boto3.client("s3", region_name="us-east-1")
    body = signed.get_object(Bucket=BUCKET, Key=f"private/{batch.zip_file.name}")
    assert zipfile.ZipFile(io.BytesIO(body["Body"].read())).namelist()


def test_without_redirects_the_app_streams_from_the_bucket(client, s3, world, settings):
    settings.PRIVATE_FILES_REDIRECT = False
    batch = run_batch(world)
    client.force_login(world.teacher)

    response = client.get(reverse("certificates:bulk_print", args=[batch.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_outsider_gets_404_and_no_address(client, s3, world):
    batch = run_batch(world)
    client.force_login(UserFactory(full_name="Thầy Lạ"))

    for name in ("certificates:bulk_zip", "certificates:bulk_print"):
        response = client.get(reverse(name, args=[batch.pk]))
        assert response.status_code == 404
        assert "Location" not in response


def test_a_rerun_replaces_the_outputs_in_place(s3, world):
    batch = run_batch(world)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.RUNNING, heartbeat_at=None
    )
    s3.put_object(
        Bucket=BUCKET,
        Key=f"private/certificate-batches/{batch.pk}/chung-chi-{batch.pk}.zip.part",
        Body=b"half a zip",
    )

    bulk.certificate_batch_run(batch_id=batch.pk)

    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.DONE
    keys = sorted(
        Path(item["Key"]).name for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    )
    assert keys == [f"ban-in-{batch.pk}.pdf", f"chung-chi-{batch.pk}.zip"]


def test_the_deploy_check_names_the_bucket_setting_when_it_is_missing(s3, settings):
    assert object_storage_check(None) == []

    settings.AWS_STORAGE_BUCKET_NAME = "khong-co"
    settings.STORAGES = {**settings.STORAGES, **s3_storages("khong-co")}
    errors = object_storage_check(None)

    assert [error.id for error in errors] == ["core.E002", "core.E002"]
    assert "AWS_STORAGE_BUCKET_NAME" in errors[0].msg
    assert "'khong-co' does not exist" in errors[0].msg


def test_the_deploy_check_names_the_credentials_when_they_are_refused(s3, settings):
    from moto.core import set_initial_no_auth_action_count

    # From now on the mock checks credentials, and "test" is no known key.
    errors = set_initial_no_auth_action_count(0)(object_storage_check)(None)

    assert errors
    assert "AWS_ACCESS_KEY_ID" in errors[0].msg


def test_check_storage_writes_reads_and_deletes_in_both(s3, capsys):
    call_command("check_storage")

    out = capsys.readouterr().out
    assert f"default: S3 bucket {BUCKET}/media" in out
    assert f"private: S3 bucket {BUCKET}/private" in out
    assert "KeyCount" not in out
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_check_storage_fails_naming_the_setting(s3, settings):
    settings.STORAGES = {**settings.STORAGES, **s3_storages("khong-co")}

    with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME"):
        call_command("check_storage")


def test_the_deploy_check_is_not_run_by_a_plain_check():
    from django.core.checks import registry

    assert object_storage_check not in registry.registry.get_checks(False)
    assert object_storage_check in registry.registry.get_checks(True)


def test_a_template_with_pictures_in_the_bucket_renders(s3, settings, tmp_path):
    """Pictures uploaded to the bucket are resized there and copied to this
    machine's temporary folder for WeasyPrint; nothing goes under MEDIA_ROOT."""
    from PIL import Image as PILImage

    from .test_pdf import _certificate, _image, _template

    local_tmp = tmp_path / "tmp"
    local_tmp.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    photo = PILImage.new("RGB", (1800, 1200), (30, 120, 60))
    stamp = PILImage.new("RGBA", (900, 900), (200, 20, 20, 255))
    template = _template(
        background=_image("nen.jpg", photo, "JPEG"),
        seal=_image("dau.png", stamp, "PNG"),
    )
    template.save()

    with mock.patch("tempfile.tempdir", str(local_tmp)):
        uris = template_image_uris(template)
        data = pdf.certificate_pdf(_certificate(template))

    assert data.startswith(b"%PDF-")
    assert set(uris) == {"background", "seal"}
    for uri in uris.values():
        path = Path(uri.removeprefix("file://"))
        assert path.is_file() and path.is_relative_to(local_tmp), uri
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(key.startswith("media/images/nen.max-1600x1600") for key in keys), keys
    assert not settings.MEDIA_ROOT.exists()
