import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from users.backends import axes_username, canonical_identifier
from users.models import User
from users.phone import display_phone, looks_like_phone, normalise_phone

INVALID_PHONE = (
    "Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678."
)


@pytest.mark.parametrize(
    "written",
    [
        "0912 345 678",
        "0912345678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "0084 912 345 678",
        "0084 0912 345 678",
        "(+84) 912-345-678",
        "+84 0912 345 678",
        " 0912 345 678 ",
    ],
)
def test_a_mobile_number_written_any_common_way(written):
    """A mobile number is stored as +84 and nine digits however it was written."""
    assert normalise_phone(written) == "+84912345678"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("0351 234 567", "+84351234567"),
        ("0561 234 567", "+84561234567"),
        ("0771 234 567", "+84771234567"),
        ("0861 234 567", "+84861234567"),
    ],
)
def test_every_mobile_network_prefix(written, canonical):
    """Numbers of the 03, 05, 07, 08 and 09 networks are mobile numbers."""
    assert normalise_phone(written) == canonical


@pytest.mark.parametrize(
    "written",
    [
        "",
        "0912 345 67",  # nine digits
        "0912 345 6789",  # eleven digits
        "024 3825 1234",  # a Hà Nội landline
        "0112345678",  # no mobile network starts with 01 since 2018
        "0412345678",
        "0612 345 678",  # 06 is not a mobile network
        "0912 abc 678",
        "số điện thoại",
        "849123456",  # 84 without enough digits
        "+1 912 345 678",
    ],
)
def test_a_number_that_is_not_a_vietnamese_mobile(written):
    """Anything but a Vietnamese mobile number is refused with a message saying
    what to type."""
    with pytest.raises(ValidationError) as raised:
        normalise_phone(written)

    assert raised.value.code == "invalid_phone"
    with translation.override("vi"):
        assert raised.value.messages == [translation.gettext(INVALID_PHONE)]


@pytest.mark.parametrize(
    ("canonical", "shown"),
    [("+84912345678", "0912 345 678"), ("+84351234567", "0351 234 567"), ("", "")],
)
def test_display_phone(canonical, shown):
    """A stored number is shown the way Vietnamese people write it."""
    assert display_phone(canonical) == shown


def test_a_users_phone_is_shown_the_vietnamese_way():
    """A user's number shows as 0912 345 678."""
    assert User(phone="+84912345678").phone_display == "0912 345 678"
    assert User(phone=None).phone_display == ""


@pytest.mark.parametrize(
    ("written", "counted_as"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84 912.345.678", "+84912345678"),
        ("Lan@Example.COM ", "lan@example.com"),
        ("0912", "0912"),
    ],
)
def test_throttling_counts_one_account_however_it_is_written(written, counted_as):
    """Login throttling counts a phone written any way, or an email in any case,
    as one account."""
    assert canonical_identifier(written) == counted_as
    assert axes_username(None, {"username": written}) == counted_as


@pytest.mark.parametrize(
    ("identifier", "is_phone"),
    [
        ("0912 345 678", True),
        ("+84912345678", True),
        ("0912", True),
        ("lan@example.com", False),
        ("lan1990@example.com", False),
        ("0912345678@example.com", False),
        ("lan", False),
    ],
)
def test_an_email_with_digits_is_not_a_phone(identifier, is_phone):
    """A login identifier with digits is a phone number unless it has an @: an
    email such as lan1990@example.com stays an email."""
    assert looks_like_phone(identifier) is is_phone


def test_an_email_with_digits_is_counted_as_an_email():
    """Login throttling counts Lan1990@Example.COM as the email lan1990@example.com,
    not as a badly written phone number."""
    assert canonical_identifier("Lan1990@Example.COM") == "lan1990@example.com"
