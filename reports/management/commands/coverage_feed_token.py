from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from users.models import AccessToken, User
from users.phone import normalise_phone
from users.services import access_token_create


class Command(BaseCommand):
    help = (
        "Make a personal access token for the coverage feed (/api/v1/coverage/) "
        "and print it, once. The token reads what the person may see on the "
        "dashboard, no more; it expires after ACCESS_TOKEN_LIFETIME_DAYS, the "
        "person can revoke it on their account page, and a new password ends it."
    )

    def add_arguments(self, parser):
        parser.add_argument("login", help="The person's username, phone or email.")
        parser.add_argument(
            "--label",
            default="manage.py coverage_feed_token",
            help="What will use the token, shown on the person's account page.",
        )

    def handle(self, *args, login, label, **options):
        condition = Q(username=login) | Q(email__iexact=login)
        try:
            condition |= Q(phone=normalise_phone(login))
        except ValidationError:
            pass  # Not a phone number: a username or an email.
        user = User.objects.filter(
            condition, is_active=True, erased_at__isnull=True
        ).first()
        if user is None:
            raise CommandError(f"No active person signs in as {login!r}.")
        token, raw = access_token_create(
            user=user, purpose=AccessToken.Purpose.COVERAGE_FEED, label=label
        )
        self.stdout.write(raw)
        expires = timezone.localtime(token.expires_at).strftime("%d/%m/%Y")
        self.stderr.write(f"Expires on {expires}. Shown once: keep it safe.")
