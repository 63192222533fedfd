"""Write a backup of the site: the database and every media and private file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump -Fc; SQLite: a copy) and "
        "every file of the media and private storages into a new folder, or "
        "under s3://bucket/prefix, with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "target", help="A new folder, or s3://bucket/prefix in the object store."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a backup already in the target.",
        )

    def handle(self, *args, target, force, **options):
        try:
            outcome = backup(target, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for missing in outcome.missing:
            self.stderr.write(
                _("Deleted while the backup ran, not in it: %(name)s")
                % {"name": missing}
            )
        self.stdout.write(
            _(
                "Backup written to %(where)s: %(rows)s rows in %(tables)s tables, "
                "%(media)s media files, %(private)s private files."
            )
            % {
                "where": outcome.where,
                "rows": sum(outcome.counts.values()),
                "tables": len(outcome.counts),
                "media": outcome.files.get("default", 0),
                "private": outcome.files.get("private", 0),
            }
        )
