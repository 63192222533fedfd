"""Back the site up, and rebuild it from a backup (``manage.py backup``,
``manage.py restore``).

A backup is a folder, on disk or under an s3:// prefix, holding:

- ``database.dump``: PostgreSQL's own format (``pg_dump -Fc``), read by
  ``pg_restore``; or ``database.sqlite3``, a copy made with SQLite's backup
  API, for the embedded set-up;
- ``files/default/...`` and ``files/private/...``: every file of the two
  storages (media; bulk ZIPs and print PDFs), read through Django's storage
  API, so a bucket is backed up as a folder is;
- ``manifest.json``: when, the database's vendor, the number of rows of every
  table, the last migration of each app, and the size and SHA-256 of every
  file; ``SHA256SUMS`` lists the same checksums for ``sha256sum -c``.

The counts are taken in the very snapshot that is dumped (PostgreSQL: one
REPEATABLE READ transaction exports its snapshot to pg_dump; SQLite: counted
in the copy), so a restore can check that it holds exactly what was dumped.
Files are copied after the dump: a file written meanwhile is in the backup
with no row naming it, which is harmless; one deleted meanwhile is missing,
and reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
STORAGE_ALIASES = ("default", "private")
SUPPORTED_VENDORS = ("postgresql", "sqlite")
# A private file being written (core.storage.PrivateFileSystemStorage): the
# whole file replaces it when done, and is what is backed up.
_PARTIAL = re.compile(r"\.\d+\.part$")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """What stops a backup or a restore, said for the operator."""


@dataclass
class Outcome:
    """What a backup or a restore did, for the command to report."""

    where: str
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


# Where a backup goes or comes from.


def open_location(target: str, *, create: bool) -> tuple[Storage, str]:
    """Return a storage rooted at the backup folder ``target`` (a path, or
    ``s3://bucket/prefix``) and its description; create the folder when
    ``create``. Raise BackupError when it cannot be used."""
    if target.startswith("s3://"):
        return _s3_location(target)
    folder = Path(target).expanduser().absolute()
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise BackupError(
                _(
                    "Cannot write the backup to the folder %(folder)s "
                    "(%(error)s): choose a folder this user may write to."
                )
                % {"folder": folder, "error": error.strerror or error}
            ) from error
    elif not folder.is_dir():
        raise BackupError(
            _("The backup folder %(folder)s does not exist.") % {"folder": folder}
        )
    return FileSystemStorage(location=folder, allow_overwrite=True), str(folder)


def _s3_location(target: str) -> tuple[Storage, str]:
    """An s3://bucket/prefix in the object store the site's storages use
    (AWS_S3_ENDPOINT_URL and the credentials of AWS_ACCESS_KEY_ID)."""
    from storages.backends.s3 import S3Storage

    from .storage import S3_BACKEND

    bucket, _slash, prefix = target[len("s3://") :].partition("/")
    if not bucket:
        raise BackupError(
            _("Write an object store target as s3://bucket/prefix, not %(target)s.")
            % {"target": target}
        )
    options = {}
    default = settings.STORAGES.get("default", {})
    if default.get("BACKEND") == S3_BACKEND:
        common = ("endpoint_url", "region_name", "access_key", "secret_key")
        options = {
            name: value
            for name, value in default.get("OPTIONS", {}).items()
            if name in (*common, "addressing_style", "signature_version")
        }
    storage = S3Storage(
        **options,
        bucket_name=bucket,
        location=prefix.strip("/"),
        file_overwrite=True,
        default_acl=None,
        querystring_auth=True,
    )
    try:
        storage.connection.meta.client.head_bucket(Bucket=bucket)
    except Exception as error:
        raise BackupError(
            _(
                "The bucket %(bucket)s cannot be used for the backup (%(error)s): "
                "check that it exists and that AWS_ACCESS_KEY_ID, "
                "AWS_SECRET_ACCESS_KEY and AWS_S3_ENDPOINT_URL open it."
            )
            % {"bucket": bucket, "error": error}
        ) from error
    return storage, target


# Files.


def storage_files(storage: Storage, path: str = "") -> Iterator[str]:
    """Yield the name of every file in the storage, folders walked."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        full = f"{path}/{name}" if path else name
        if not _PARTIAL.search(full):
            yield full
    for folder in sorted(folders):
        yield from storage_files(storage, f"{path}/{folder}" if path else folder)


def _vanished(error: Exception) -> bool:
    """Return whether the error says a file is not there (any more): a missing
    file on disk, or S3's 404 for the object (botocore's ClientError, which
    django-storages lets through when a listed object is deleted before it is
    read)."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return False
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


def _spool(source, digest) -> tempfile.SpooledTemporaryFile:
    """Copy an open file into a spooled temporary file, hashing it."""
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * _CHUNK)
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled


def copy_file(source: Storage, name: str, target: Storage, target_name: str) -> dict:
    """Copy one file between storages; return its size and SHA-256."""
    digest = hashlib.sha256()
    with source.open(name, "rb") as opened, _spool(opened, digest) as spooled:
        size = spooled.seek(0, os.SEEK_END)
        spooled.seek(0)
        saved = target.save(target_name, File(spooled, name=target_name))
    if saved != target_name:
        raise BackupError(
            _("The file %(name)s was saved as %(saved)s: the name was taken.")
            % {"name": target_name, "saved": saved}
        )
    return {"size": size, "sha256": digest.hexdigest()}


def _sha256_of(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as opened:
        while chunk := opened.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# The database.


def database_vendor(alias: str = "default") -> str:
    """Return the database's vendor, or raise BackupError when backups do not
    handle it."""
    vendor = connections[alias].vendor
    if vendor not in SUPPORTED_VENDORS:
        raise BackupError(
            _(
                "The database is %(vendor)s: backup and restore handle PostgreSQL "
                "(and SQLite, for the embedded set-up) only. Use the database's "
                "own tools."
            )
            % {"vendor": vendor}
        )
    return vendor


def postgres_tool(name: str) -> str:
    """Return the path of pg_dump or pg_restore, or raise BackupError."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install PostgreSQL's client tools "
                "(apt-get install postgresql-client), of the server's major "
                "version or newer."
            )
            % {"tool": name}
        )
    return path


def _postgres_connection(alias: str) -> tuple[list[str], dict[str, str]]:
    """Return the connection options of pg_dump and pg_restore (user, host,
    port, --dbname) and their environment (password, SSL), from DATABASES."""
    connection = connections[alias]
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    options = args[1:]
    dbname = connection.settings_dict.get("NAME")
    if dbname and options and options[-1] == dbname:
        options = [*options[:-1], "--dbname", dbname]
    return options, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s failed (exit %(code)s): %(error)s")
            % {
                "what": what,
                "code": result.returncode,
                "error": result.stderr.strip() or result.stdout.strip(),
            }
        )


def model_tables() -> list[str]:
    """Return the table of every model the site's database holds."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def count_rows(cursor, tables, quote: Callable[[str], str]) -> dict[str, int]:
    """Return the number of rows of each table that exists."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _existing_tables(alias: str) -> set[str]:
    with connections[alias].cursor() as cursor:
        return set(connections[alias].introspection.table_names(cursor))


def _dump_postgres(alias: str, path: Path) -> dict[str, int]:
    """Dump the database to ``path`` with pg_dump, counting every table in the
    same snapshot; return the counts."""
    pg_dump = postgres_tool("pg_dump")
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError(_("A backup cannot run inside a transaction."))
    options, env = _postgres_connection(alias)
    tables = sorted(set(model_tables()) & _existing_tables(alias))
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(cursor, tables, connection.ops.quote_name)
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={path}",
                *options,
            ],
            env,
            "pg_dump",
        )
    return counts


def _dump_sqlite(alias: str, path: Path) -> dict[str, int]:
    """Copy the database to ``path`` with SQLite's backup API (a consistent
    copy while others write); return the counts read in the copy."""
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        existing = {
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
        }
        tables = sorted(set(model_tables()) & existing)
        counts = count_rows(cursor, tables, connection.ops.quote_name)
    copy.close()
    return counts


def _migrations(alias: str) -> dict[str, str]:
    """Return the last applied migration of each app."""
    from django.db.migrations.recorder import MigrationRecorder

    last = {}
    for app, name in (
        MigrationRecorder(connections[alias])
        .migration_qs.order_by("app", "name")
        .values_list("app", "name")
    ):
        last[app] = name
    return last


# Backup.


def backup(target: str, *, alias: str = "default", force: bool = False) -> Outcome:
    """Write the database and every file of the storages to ``target``."""
    vendor = database_vendor(alias)
    location, where = open_location(target, create=True)
    if location.exists(MANIFEST) and not force:
        raise BackupError(
            _(
                "%(where)s already holds a backup: choose a new folder (or add "
                "--force to replace it)."
            )
            % {"where": where}
        )
    outcome = Outcome(where=where)
    dump_name = PG_DUMP_FILE if vendor == "postgresql" else SQLITE_FILE
    with tempfile.TemporaryDirectory(prefix="lms-backup-") as scratch:
        dump_path = Path(scratch) / dump_name
        if vendor == "postgresql":
            outcome.counts = _dump_postgres(alias, dump_path)
        else:
            outcome.counts = _dump_sqlite(alias, dump_path)
        local = FileSystemStorage(location=scratch)
        database = copy_file(local, dump_name, location, dump_name)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": dump_name, **database},
        "counts": outcome.counts,
        "migrations": _migrations(alias),
        "files": {},
    }
    for storage_alias in STORAGE_ALIASES:
        storage = storages[storage_alias]
        listed = manifest["files"][storage_alias] = {}
        for name in storage_files(storage):
            try:
                listed[name] = copy_file(
                    storage, name, location, f"files/{storage_alias}/{name}"
                )
            except Exception as error:
                if not _vanished(error):
                    raise
                # Deleted since it was listed: nothing names it any more.
                outcome.missing.append(f"{storage_alias}/{name}")
        outcome.files[storage_alias] = len(listed)
    checksums = [f"{database['sha256']}  {dump_name}"] + [
        f"{entry['sha256']}  files/{storage_alias}/{name}"
        for storage_alias, listed in manifest["files"].items()
        for name, entry in listed.items()
    ]
    _write_text(location, CHECKSUMS, "\n".join(checksums) + "\n")
    # Written last: a folder with a manifest holds a whole backup.
    _write_text(location, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return outcome


def _write_text(location: Storage, name: str, text: str) -> None:
    with tempfile.SpooledTemporaryFile() as spooled:
        spooled.write(text.encode())
        spooled.seek(0)
        location.save(name, File(spooled, name=name))


# Restore.


def read_manifest(location: Storage, where: str) -> dict:
    """Return the backup's manifest, or raise BackupError."""
    if not location.exists(MANIFEST):
        raise BackupError(
            _("%(where)s holds no backup (no %(manifest)s).")
            % {"where": where, "manifest": MANIFEST}
        )
    with location.open(MANIFEST, "rb") as opened:
        try:
            manifest = json.loads(opened.read())
        except ValueError as error:
            raise BackupError(
                _("The backup's %(manifest)s is damaged (%(error)s).")
                % {"manifest": MANIFEST, "error": error}
            ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("The backup's format (%(found)s) is not one this version reads.")
            % {"found": manifest.get("format")}
        )
    return manifest


def _verified(location: Storage, name: str, entry: dict) -> None:
    if _sha256_of(location, name) != entry["sha256"]:
        raise BackupError(
            _("The backup's file %(name)s does not match its checksum: it is damaged.")
            % {"name": name}
        )


def restore(source: str, *, alias: str = "default", force: bool = False) -> Outcome:
    """Rebuild the database and the storages from the backup at ``source``,
    into an empty database and storages (``force``: replace what is there)."""
    vendor = database_vendor(alias)
    location, where = open_location(source, create=False)
    manifest = read_manifest(location, where)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            _("The backup is of a %(found)s database; this site's is %(vendor)s.")
            % {"found": manifest["database"]["vendor"], "vendor": vendor}
        )
    tables = _existing_tables(alias)
    if tables and not force:
        raise BackupError(
            _(
                "The database is not empty (%(count)s tables): restore into a new, "
                "empty database, or add --force to replace what the backup holds."
            )
            % {"count": len(tables)}
        )
    conflicts = _file_conflicts(manifest)
    if conflicts and not force:
        raise BackupError(
            _(
                "%(count)s files of the backup already exist in the storages (first: "
                "%(first)s): restore into empty storages, or add --force to "
                "replace them."
            )
            % {"count": len(conflicts), "first": conflicts[0]}
        )
    dump = manifest["database"]
    _verified(location, dump["file"], dump)
    with tempfile.TemporaryDirectory(prefix="lms-restore-") as scratch:
        local = FileSystemStorage(location=scratch)
        copy_file(location, dump["file"], local, dump["file"])
        if vendor == "postgresql":
            _restore_postgres(alias, Path(scratch) / dump["file"], clean=bool(tables))
        else:
            _restore_sqlite(alias, Path(scratch) / dump["file"])
    outcome = Outcome(where=where)
    for storage_alias, listed in manifest["files"].items():
        storage = storages[storage_alias]
        for name, entry in listed.items():
            stored = f"files/{storage_alias}/{name}"
            if force and storage.exists(name):
                storage.delete(name)
            copied = copy_file(location, stored, storage, name)
            if copied["sha256"] != entry["sha256"]:
                raise BackupError(
                    _(
                        "The backup's file %(name)s does not match its checksum: "
                        "it is damaged."
                    )
                    % {"name": stored}
                )
        outcome.files[storage_alias] = len(listed)
    outcome.counts = _check_counts(alias, manifest["counts"])
    return outcome


def _file_conflicts(manifest: dict) -> list[str]:
    return [
        f"{storage_alias}/{name}"
        for storage_alias, listed in manifest["files"].items()
        for name in listed
        if storages[storage_alias].exists(name)
    ]


def _restore_postgres(alias: str, dump: Path, *, clean: bool) -> None:
    pg_restore = postgres_tool("pg_restore")
    options, env = _postgres_connection(alias)
    connections[alias].close()
    _run(
        [
            pg_restore,
            # Owned by the user restoring: the new machine's role may have
            # another name than the old one's.
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            # All or nothing: a failed restore leaves the database as it was.
            "--single-transaction",
            "--no-password",
            *(["--clean", "--if-exists"] if clean else []),
            *options,
            str(dump),
        ],
        env,
        "pg_restore",
    )


def _restore_sqlite(alias: str, dump: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(dump) as copy:
        copy.backup(connection.connection)
    copy.close()


def _check_counts(alias: str, expected: dict[str, int]) -> dict[str, int]:
    """Count the restored tables; raise BackupError unless each holds the
    rows the backup counted."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        found = count_rows(cursor, sorted(expected), connection.ops.quote_name)
    differ = [
        f"{table}: {found[table]} / {count}"
        for table, count in expected.items()
        if found[table] != count
    ]
    if differ:
        raise BackupError(
            _("The restored database does not hold what the backup counted: %(list)s")
            % {"list": "; ".join(differ)}
        )
    return found
