from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import signing


class Command(BaseCommand):
    help = (
        "Make the issuer's Ed25519 key that signs certificates' Open Badges "
        "credentials, in the file CREDENTIAL_SIGNING_KEY_FILE names (or --path). "
        "Keep it outside the repository and back it up: credentials already "
        "issued verify only against its public half."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", help="where to write the key (default: the setting's file)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an existing key (credentials signed with it stop "
            "verifying against the published key)",
        )

    def handle(self, *args, path=None, force=False, **options):
        target = Path(path) if path else signing.key_path()
        if target is None:
            raise CommandError(
                f"Set {signing.SETTING} to the key's file, outside the repository, "
                "or give --path."
            )
        try:
            key = signing.key_generate(path=target, overwrite=force)
        except FileExistsError as error:
            raise CommandError(
                f"{target} already exists; --force replaces it, and credentials "
                "already issued then stop verifying."
            ) from error
        self.stdout.write(
            f"Wrote an Ed25519 key to {target} (key id {key.thumbprint()})."
        )
