"""`manage.py erase_unclaimed_accounts`: light accounts nobody claimed are erased
LIGHT_ACCOUNT_RETENTION_DAYS after their last class ended, their training still
counted."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from classes.models import ClassMembership
from classes.tests.factories import TrainingClassFactory
from users.models import AccountEvent, User
from users.services import account_claim, claim_code_issue, light_user_create
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RETENTION = 730


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.LIGHT_ACCOUNT_RETENTION_DAYS = RETENTION


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def light_in_class(name: str, *, ended: datetime.date) -> User:
    person = light_user_create(full_name=name)
    training_class = TrainingClassFactory(
        starts_on=ended - datetime.timedelta(days=30), ends_on=ended
    )
    ClassMembership.objects.create(
        training_class=training_class,
        user=person,
        source=ClassMembership.Source.ROSTER,
        created_account=True,
    )
    return person


def run(*args) -> str:
    out = StringIO()
    call_command("erase_unclaimed_accounts", *args, stdout=out)
    return out.getvalue()


def erased(user) -> bool:
    return User.objects.get(pk=user.pk).erased_at is not None


def test_accounts_are_erased_only_once_the_period_after_their_last_class_is_over():
    past = light_in_class("Em Đã Xong", ended=days_ago(RETENTION + 1))
    boundary = light_in_class("Em Vừa Đủ", ended=days_ago(RETENTION))
    recent = light_in_class("Em Còn Học", ended=days_ago(RETENTION - 1))
    # A later class keeps an account whose first class is long over.
    both = light_in_class("Em Học Lại", ended=days_ago(RETENTION + 300))
    ClassMembership.objects.create(
        training_class=TrainingClassFactory(
            starts_on=days_ago(40), ends_on=days_ago(10)
        ),
        user=both,
        source=ClassMembership.Source.ROSTER,
    )

    assert run("--dry-run") == "1 unclaimed accounts would be erased.\n"
    assert not erased(past)

    assert run() == "1 unclaimed accounts erased.\n"
    assert erased(past) is True
    assert [erased(u) for u in (boundary, recent, both)] == [False, False, False]
    # Still a member, still counted; the reason is recorded.
    assert ClassMembership.objects.filter(user=past).exists()
    assert (
        AccountEvent.objects.get(subject=past, kind=AccountEvent.Kind.ERASED).detail
        == "retention"
    )


def test_an_account_in_no_class_counts_from_when_it_was_made():
    old = light_user_create(full_name="Em Không Lớp")
    new = light_user_create(full_name="Em Mới")
    User.objects.filter(pk=old.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=RETENTION + 1)
    )
    User.objects.filter(pk=new.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=RETENTION - 1)
    )

    run()

    assert erased(old) is True
    assert erased(new) is False


def test_claimed_used_or_real_accounts_are_kept():
    claimed = light_in_class("Em Đã Nhận", ended=days_ago(RETENTION + 5))
    code = claim_code_issue(user=claimed)
    account_claim(code=code, phone=None, password="hoc-tap-so-2025")
    logged_in = light_in_class("Em Đã Vào", ended=days_ago(RETENTION + 5))
    User.objects.filter(pk=logged_in.pk).update(last_login=timezone.now())
    real = UserFactory()
    User.objects.filter(pk=real.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=RETENTION * 3)
    )

    assert run() == "0 unclaimed accounts erased.\n"
    assert [erased(u) for u in (claimed, logged_in, real)] == [False, False, False]
