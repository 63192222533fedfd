"""Rebuild the site's database and files from a backup (manage.py backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database "
        "and empty storages: pg_restore (or the SQLite copy), then every file, "
        "each checked against its checksum, then every table's row count."
    )
    # The database is empty until the restore: the checks would read tables
    # that do not exist yet.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "source", help="The backup's folder, or s3://bucket/prefix."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Restore into a database or storages that are not empty, "
                "replacing the tables and files the backup holds."
            ),
        )

    def handle(self, *args, source, force, **options):
        try:
            outcome = restore(source, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Restored from %(where)s: %(rows)s rows in %(tables)s tables, as "
                "counted at the backup; %(media)s media files, %(private)s private "
                "files. Run `manage.py migrate` if this code is newer than the "
                "backup."
            )
            % {
                "where": outcome.where,
                "rows": sum(outcome.counts.values()),
                "tables": len(outcome.counts),
                "media": outcome.files.get("default", 0),
                "private": outcome.files.get("private", 0),
            }
        )
