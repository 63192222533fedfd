"""manage.py backup and restore: a backup rebuilds a fresh database and fresh
storages holding the same rows and files, where certificates still verify by
their code; an operator's mistakes get a clear message and a non-zero exit."""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from moto import mock_aws

from certificates.tests.factories import CertificateFactory
from core import backup
from core.testing import vi

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
KEY_TABLES = (
    "users_user",
    "certificates_certificate",
    "certificates_certificatetemplate",
    "regions_region",
    "wagtailcore_page",
)
MEDIA_FILE = "original_images/bang-khen.png"
PRIVATE_FILE = "certificates/batches/1/giay-chung-nhan.zip"

# Run in a fresh process on the production settings, on the restored database:
# the certificate is found by its code, and the public page says it is valid.
VERIFY_SCRIPT = """
import json, os
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from certificates.selectors import certificate_by_code
found = certificate_by_code(os.environ["CODE"])
# collectstatic has not run here: the page links static files by their names.
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
with override_settings(STORAGES=storages):
    page = Client().post("/verify/", {"code": os.environ["CODE"]}, secure=True)
with connection.cursor() as cursor:
    counts = {}
    for table in json.loads(os.environ["TABLES"]):
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
print("RESULT", json.dumps({
    "found": found is not None and found.printed["learner_name"],
    "status": page.status_code,
    "page": page.content.decode(),
    "counts": counts,
}))
"""


def production(
    database_url: str, tmp_path: Path, *args: str, **extra: str
) -> subprocess.CompletedProcess:
    """Run manage.py as an operator would on the new machine: production
    settings, the fresh database, empty media and private folders."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "DJANGO_", "SENTRY_", "REDIS_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "k" * 64,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "PUBLIC_BASE_URL": "https://kynangso.example.gov.vn",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "restored" / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored" / "private"),
        "LOG_FORMAT": "text",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def site_with_files():
    """A certificate, an uploaded picture and a bulk run's ZIP."""
    certificate = CertificateFactory()
    storages["default"].save(MEDIA_FILE, ContentFile(b"\x89PNG picture"))
    storages["private"].save(PRIVATE_FILE, ContentFile(b"PK zip of certificates"))
    return certificate


def source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in KEY_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


def round_trip(database_url: str, tmp_path: Path):
    """Back the site up, restore it into ``database_url`` and fresh folders,
    and check what an official would: same counts, same files, and the
    certificate verifies by its code."""
    certificate = site_with_files()
    expected = source_counts()
    folder = tmp_path / "backup"

    call_command("backup", str(folder))

    manifest = json.loads((folder / "manifest.json").read_text())
    assert {table: manifest["counts"][table] for table in KEY_TABLES} == expected
    assert set(manifest["files"]["default"]) == {MEDIA_FILE}
    assert set(manifest["files"]["private"]) == {PRIVATE_FILE}

    restored = production(database_url, tmp_path, "restore", str(folder))
    assert restored.returncode == 0, restored.stderr

    checked = production(
        database_url,
        tmp_path,
        "shell",
        "-c",
        VERIFY_SCRIPT,
        CODE=certificate.code,
        TABLES=json.dumps(KEY_TABLES),
    )
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.split("RESULT ", 1)[1])
    assert result["counts"] == expected
    assert result["found"] == certificate.printed["learner_name"]
    assert result["status"] == 200
    assert certificate.printed["learner_name"] in result["page"]
    assert vi("This certificate is genuine and valid.") in result["page"]
    media = tmp_path / "restored" / "media" / MEDIA_FILE
    private = tmp_path / "restored" / "private" / PRIVATE_FILE
    assert media.read_bytes() == b"\x89PNG picture"
    assert private.read_bytes() == b"PK zip of certificates"

    # A second restore would mix two sites: refused, with a reason.
    again = production(database_url, tmp_path, "restore", str(folder))
    assert again.returncode == 1
    assert "--force" in again.stderr


@pytest.fixture
def fresh_postgres():
    """A new, empty PostgreSQL database beside the test database, dropped after."""
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"
    conninfo = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    conninfo = {key: value for key, value in conninfo.items() if value}
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = conninfo.get("user", "")
    password = f":{conninfo['password']}" if conninfo.get("password") else ""
    at = f"{user}{password}@" if user else ""
    host = conninfo.get("host", "")
    port = f":{conninfo['port']}" if conninfo.get("port") else ""
    yield f"postgres://{at}{host}{port}/{name}"
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "pg_dump and pg_restore need PostgreSQL: this run's database is "
        "SQLite (set DATABASE_URL=postgres://... to run it; CI does)."
    ),
)
def test_postgres_backup_restores_into_a_fresh_database(tmp_path, fresh_postgres):
    """pg_dump, then pg_restore into a new database and new folders: the same
    rows in every key table, the same files, and the certificate verifies by
    its code on the public page."""
    round_trip(fresh_postgres, tmp_path)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="The SQLite copy is tested on SQLite runs; PostgreSQL runs test pg_dump.",
)
def test_sqlite_backup_restores_into_a_fresh_file(tmp_path):
    """The embedded set-up's database is copied with SQLite's backup API and
    restored into a new file, with the same rows, files and verification."""
    round_trip(f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path)


def test_the_counts_are_those_of_the_dumped_snapshot(tmp_path):
    """The manifest counts every table of the site's models, and the
    checksum list names the dump and every file."""
    site_with_files()

    call_command("backup", str(tmp_path / "backup"))

    folder = tmp_path / "backup"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["certificates_certificate"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["certificates"]
    sums = (folder / "SHA256SUMS").read_text().splitlines()
    assert sums[0].endswith(f"  {manifest['database']['file']}")
    assert any(line.endswith(f"  files/default/{MEDIA_FILE}") for line in sums)
    entry = manifest["files"]["private"][PRIVATE_FILE]
    assert entry["size"] == len(b"PK zip of certificates")


def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    """A target under a file (no folder can be made there) stops the backup
    with a message naming the folder, and nothing is dumped."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "backup"

    with pytest.raises(CommandError) as raised:
        call_command("backup", str(target))

    assert str(raised.value) == vi(
        "Cannot write the backup to the folder %(folder)s (%(error)s): choose "
        "a folder this user may write to.",
        folder=target,
        error="Not a directory",
    )


def test_a_folder_holding_a_backup_is_not_overwritten(tmp_path):
    call_command("backup", str(tmp_path / "backup"))

    with pytest.raises(CommandError, match="--force"):
        call_command("backup", str(tmp_path / "backup"))


def test_pg_dump_missing_is_named_with_the_package_to_install():
    with (
        mock.patch.object(backup.shutil, "which", return_value=None),
        pytest.raises(backup.BackupError) as raised,
    ):
        backup.postgres_tool("pg_dump")

    assert "pg_dump" in str(raised.value)
    assert "postgresql-client" in str(raised.value)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump is used on PostgreSQL only."
)
def test_the_backup_command_says_when_pg_dump_is_missing(tmp_path):
    with (
        mock.patch.object(backup.shutil, "which", return_value=None),
        pytest.raises(CommandError, match="pg_dump"),
    ):
        call_command("backup", str(tmp_path / "backup"))
    assert not (tmp_path / "backup" / "manifest.json").exists()


def test_another_database_is_named_plainly(tmp_path):
    """A database other than PostgreSQL or SQLite: the message says which, and
    that only those two are handled."""
    with (
        mock.patch.object(connection, "vendor", "mysql"),
        pytest.raises(CommandError) as raised,
    ):
        call_command("backup", str(tmp_path / "backup"))

    assert "mysql" in str(raised.value)
    assert "PostgreSQL" in str(raised.value)


def test_restore_needs_a_backup_folder(tmp_path):
    missing = tmp_path / "khong-co"
    (tmp_path / "empty").mkdir()

    with pytest.raises(CommandError) as no_folder:
        call_command("restore", str(missing))
    with pytest.raises(CommandError) as no_backup:
        call_command("restore", str(tmp_path / "empty"))

    assert str(no_folder.value) == vi(
        "The backup folder %(folder)s does not exist.", folder=missing
    )
    assert "manifest.json" in str(no_backup.value)


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    """Restoring over a working site is refused unless asked for with --force."""
    call_command("backup", str(tmp_path / "backup"))

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(tmp_path / "backup"))


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path):
    """A dump whose bytes no longer match the manifest's checksum is refused."""
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    dump = tmp_path / "backup" / manifest["database"]["file"]
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    location = FileSystemStorage(location=tmp_path / "backup")

    with pytest.raises(backup.BackupError, match="checksum"):
        backup._verified(location, dump.name, manifest["database"])


def test_a_backup_goes_to_a_bucket(tmp_path, monkeypatch):
    """An s3:// target receives the dump, the files and the manifest, whose
    checksums match what is stored."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    site_with_files()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="lms-backups")

        call_command("backup", "s3://lms-backups/2026-12-07")

        keys = {
            item["Key"]
            for item in client.list_objects_v2(Bucket="lms-backups")["Contents"]
        }
        location, where = backup.open_location(
            "s3://lms-backups/2026-12-07", create=False
        )
        manifest = backup.read_manifest(location, where)
        backup._verified(
            location,
            f"files/private/{PRIVATE_FILE}",
            manifest["files"]["private"][PRIVATE_FILE],
        )
    assert {
        "2026-12-07/manifest.json",
        "2026-12-07/SHA256SUMS",
        f"2026-12-07/{manifest['database']['file']}",
        f"2026-12-07/files/default/{MEDIA_FILE}",
        f"2026-12-07/files/private/{PRIVATE_FILE}",
    } <= keys


def test_a_bucket_that_does_not_exist_is_named(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws(), pytest.raises(CommandError, match="khong-co-bucket"):
        call_command("backup", "s3://khong-co-bucket/x")


def test_files_being_written_are_left_out(tmp_path):
    """A private file half-written (name.<pid>.part) is not backed up; the
    whole file that replaces it is."""
    folder = FileSystemStorage(location=tmp_path)
    folder.save("a/b.zip", ContentFile(b"whole"))
    folder.save("a/b.zip.123.part", ContentFile(b"half"))
    folder.save("c.txt", ContentFile(b"c"))

    assert list(backup.storage_files(folder)) == ["c.txt", "a/b.zip"]


def test_a_file_deleted_while_the_backup_runs_is_left_out_on_s3_too():
    """A file listed and then deleted before it is read (a ZIP pruned by the
    worker, say) is left out, whether the disk or S3 says it is gone; any other
    error stops the backup."""
    from botocore.exceptions import ClientError

    from core.backup import _vanished

    def s3_error(code):
        return ClientError({"Error": {"Code": code, "Message": ""}}, "HeadObject")

    assert _vanished(FileNotFoundError("gone"))
    assert _vanished(s3_error("404"))
    assert _vanished(s3_error("NoSuchKey"))
    assert not _vanished(s3_error("403"))
    assert not _vanished(s3_error("AccessDenied"))
    assert not _vanished(ValueError("404"))
