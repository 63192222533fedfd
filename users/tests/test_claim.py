"""Light accounts and claiming them with a one-time code."""

import pytest
from django.core.exceptions import ValidationError

from users.claim import CODE_ALPHABET, code_hash
from users.models import ClaimCode
from users.services import account_claim, claim_code_issue, light_user_create

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "hoc-tap-so-2025"


def test_a_light_account_has_no_password_and_a_username_of_its_own():
    first = light_user_create(full_name="  Em   Nhỏ ")
    second = light_user_create(full_name="Em Nhỏ")

    assert first.full_name == "Em Nhỏ"
    assert first.is_light is True
    assert first.username != second.username


def test_the_code_is_stored_only_as_a_hash():
    user = light_user_create(full_name="Em Nhỏ")

    code = claim_code_issue(user=user)

    assert len(code) == 10
    assert set(code) <= set(CODE_ALPHABET)
    stored = ClaimCode.objects.get(user=user)
    assert stored.code_hash == code_hash(code)
    assert code not in stored.code_hash


def test_a_new_code_replaces_the_old_one():
    user = light_user_create(full_name="Em Nhỏ")
    old = claim_code_issue(user=user)
    new = claim_code_issue(user=user)

    with pytest.raises(ValidationError):
        account_claim(code=old, phone=None, password=PASSWORD)
    claimed = account_claim(code=new, phone=None, password=PASSWORD)

    assert claimed == user
    assert claimed.check_password(PASSWORD) is True


def test_the_code_works_once():
    user = light_user_create(full_name="Em Nhỏ")
    code = claim_code_issue(user=user)
    account_claim(code=code, phone=None, password=PASSWORD)

    with pytest.raises(ValidationError):
        account_claim(code=code, phone=None, password="mat-khau-khac-2025")

    user.refresh_from_db()
    assert user.check_password(PASSWORD) is True


def test_an_account_with_a_phone_needs_that_phone():
    user = light_user_create(full_name="Em Nhỏ", phone="+84912000999")
    code = claim_code_issue(user=user)

    with pytest.raises(ValidationError) as caught:
        account_claim(code=code, phone="+84912000998", password=PASSWORD)

    assert caught.value.code == "phone_mismatch"
    user.refresh_from_db()
    assert user.is_light is True


def test_a_phone_of_someone_else_cannot_be_taken():
    UserFactory(phone="+84912000777")
    user = light_user_create(full_name="Em Nhỏ")
    code = claim_code_issue(user=user)

    with pytest.raises(ValidationError) as caught:
        account_claim(code=code, phone="+84912000777", password=PASSWORD)

    assert caught.value.code == "phone_taken"


def test_a_weak_password_is_refused_and_the_code_stays_usable():
    user = light_user_create(full_name="Em Nhỏ")
    code = claim_code_issue(user=user)

    with pytest.raises(ValidationError):
        account_claim(code=code, phone=None, password="12345678")

    assert account_claim(code=code, phone=None, password=PASSWORD) == user
