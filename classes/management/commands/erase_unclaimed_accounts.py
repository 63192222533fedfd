"""Erase light accounts nobody claimed, once their classes are long over.

A light account (made by a teacher's roster or walk-in list, with no password)
that was never claimed and never logged in is erased (users.services.user_erase)
``LIGHT_ACCOUNT_RETENTION_DAYS`` after the end of its last class, or after it
was made when it is in no class. Its enrolments, attendance and certificates
stay and keep counting, without a name. Run it daily from the scheduler.
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand
from django.db.models import Max, Q
from django.utils import timezone

from users.models import User
from users.services import user_erase


def unclaimed_accounts(*, today: datetime.date | None = None):
    """Return the light accounts past their retention period."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.LIGHT_ACCOUNT_RETENTION_DAYS)
    joined_before = timezone.make_aware(
        datetime.datetime.combine(cutoff, datetime.time.min)
    )
    return (
        User.objects.filter(
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            last_login__isnull=True,
            erased_at__isnull=True,
            is_superuser=False,
            is_staff=False,
        )
        .exclude(claim_codes__used_at__isnull=False)
        .annotate(last_class_ended=Max("class_memberships__training_class__ends_on"))
        .filter(
            Q(last_class_ended__lt=cutoff)
            | Q(last_class_ended__isnull=True, date_joined__lt=joined_before)
        )
        .order_by("pk")
    )


class Command(BaseCommand):
    help = (
        "Erase light accounts never claimed nor used, LIGHT_ACCOUNT_RETENTION_DAYS "
        "after their last class ended (or after they were made, when in no "
        "class). Their training keeps counting, without a name."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many accounts would be erased.",
        )

    def handle(self, *args, dry_run=False, **options):
        ids = list(unclaimed_accounts().values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(f"{len(ids)} unclaimed accounts would be erased.")
            return
        erased = 0
        for user in User.objects.filter(pk__in=ids).iterator():
            user_erase(user=user, reason="retention")
            erased += 1
        self.stdout.write(f"{erased} unclaimed accounts erased.")
