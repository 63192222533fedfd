"""Writes of people and their consents."""

from django.conf import settings
from django.db import transaction

from regions.models import Region

from .consent import PERSONAL_DATA_CONSENT_TEXT
from .models import ConsentRecord, LearnerKind, User


def _username_for(phone: str | None, email: str) -> str:
    # The username is internal: people log in with their phone or email.
    return phone or email.lower()


@transaction.atomic
def user_register(
    *,
    full_name: str,
    phone: str,
    kind: str,
    home_region: Region,
    password: str,
    email: str = "",
    ip_address: str | None = None,
) -> User:
    """Create an account with its consent to personal-data processing, or nothing."""
    user = User(
        username=_username_for(phone, email),
        full_name=full_name.strip(),
        phone=phone,
        email=email.strip(),
        kind=LearnerKind(kind),
        home_region=home_region,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    consent_record(user=user, ip_address=ip_address)
    return user


def consent_record(
    *,
    user: User,
    ip_address: str | None = None,
    purpose: str = ConsentRecord.Purpose.PERSONAL_DATA,
) -> ConsentRecord:
    """Record that the user agreed to the current consent text, and when."""
    return ConsentRecord.objects.create(
        user=user,
        purpose=purpose,
        text_version=settings.PERSONAL_DATA_CONSENT_VERSION,
        text=str(PERSONAL_DATA_CONSENT_TEXT),
        ip_address=ip_address,
    )
