"""Writes of people, their consents and the claiming of light accounts."""

import uuid

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.net import client_ip
from regions.models import Region

from .claim import code_hash, new_code
from .consent import PERSONAL_DATA_CONSENT_TEXT
from .models import (
    AccountEvent,
    ClaimCode,
    ConsentRecord,
    LearnerKind,
    PersonalDataExport,
    User,
)


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


def light_user_create(
    *,
    full_name: str,
    phone: str | None = None,
    kind: str = LearnerKind.CITIZEN,
    home_region: Region | None = None,
    email: str = "",
    date_of_birth=None,
) -> User:
    """Create a person without a password, added by a teacher (a light account).

    They count in classes and reports at once, and may claim the account later
    with a one-time code.
    """
    user = User(
        username=_light_username(phone),
        full_name=" ".join(full_name.split()),
        phone=phone or None,
        email=email.strip(),
        kind=LearnerKind(kind),
        home_region=home_region,
        date_of_birth=date_of_birth,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _light_username(phone: str | None) -> str:
    # People without a phone still need a unique internal username.
    return phone or f"light-{uuid.uuid4().hex[:20]}"


@transaction.atomic
def claim_code_issue(*, user: User, created_by: User | None = None) -> str:
    """Return a new one-time claim code for the user; any older unused code stops
    working."""
    ClaimCode.objects.filter(user=user, used_at__isnull=True).delete()
    code = new_code()
    ClaimCode.objects.create(
        user=user, code_hash=code_hash(code), created_by=created_by
    )
    return code


def claim_code_find(*, code: str) -> ClaimCode | None:
    """Return the unused claim code matching what was typed, or None."""
    return (
        ClaimCode.objects.select_related("user")
        .filter(code_hash=code_hash(code), used_at__isnull=True)
        .first()
    )


@transaction.atomic
def account_claim(*, code: str, phone: str | None, password: str) -> User:
    """Give the account named by a one-time code its password, and use up the code.

    When the account has a phone, the same phone must be given: a card found by
    someone else is not enough.
    """
    claim = claim_code_find(code=code)
    if claim is None:
        raise ValidationError(
            _(
                "This code is not valid or has already been used. Ask your teacher "
                "for a new card."
            ),
            code="invalid_code",
        )
    claim = ClaimCode.objects.select_for_update().get(pk=claim.pk)
    if claim.used_at is not None:
        raise ValidationError(_("This code has already been used."), code="used")
    user = claim.user
    if user.phone and phone != user.phone:
        raise ValidationError(
            _("The mobile number does not match the one on this account."),
            code="phone_mismatch",
        )
    if not user.phone and phone:
        if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            raise ValidationError(
                _("This mobile number belongs to another account."),
                code="phone_taken",
            )
        user.phone = phone
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    claim.used_at = timezone.now()
    claim.save(update_fields=["used_at"])
    return user


def _address(request) -> str | None:
    return (client_ip(request) or None) if request is not None else None


def account_event_record(
    *,
    subject: User,
    kind: str,
    actor: User | None = None,
    request=None,
    detail: str = "",
) -> AccountEvent:
    """Record something done to the subject's account: who, when, from where."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AccountEvent.objects.create(
        subject=subject,
        kind=AccountEvent.Kind(kind),
        actor=actor,
        ip_address=_address(request),
        detail=detail[:200],
    )


def personal_data_export_record(
    *,
    actor: User,
    kind: str,
    people: int,
    region: Region | None = None,
    description: str = "",
    request=None,
) -> PersonalDataExport:
    """Record that the actor took a file of other people's personal data."""
    return PersonalDataExport.objects.create(
        actor=actor,
        kind=PersonalDataExport.Kind(kind),
        people=people,
        region=region,
        region_path=region.path if region is not None else "",
        description=description[:255],
        ip_address=_address(request),
    )
