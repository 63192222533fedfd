from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from reports.api import feed_token_for
from users.models import User
from users.phone import normalise_phone


class Command(BaseCommand):
    help = (
        "Print a personal token for the coverage feed (/api/v1/coverage/). The "
        "token reads what the person may see on the dashboard, no more; changing "
        "their password revokes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("login", help="The person's username, phone or email.")

    def handle(self, *args, login, **options):
        condition = Q(username=login) | Q(email__iexact=login)
        try:
            condition |= Q(phone=normalise_phone(login))
        except ValidationError:
            pass  # Not a phone number: a username or an email.
        user = User.objects.filter(condition, is_active=True).first()
        if user is None:
            raise CommandError(f"No active person signs in as {login!r}.")
        self.stdout.write(feed_token_for(user))
