"""Factories for people."""

import factory
from django.conf import settings
from factory.django import DjangoModelFactory

from users.consent import PERSONAL_DATA_CONSENT_TEXT
from users.models import ConsentRecord, LearnerKind, User

PASSWORD = "hoc-tap-so-2025"


def consent_given(user: User) -> User:
    """Record that the person agreed to the current consent text, as everyone who
    logs in has (users.middleware asks anyone else first); return them."""
    ConsentRecord.objects.create(
        user=user,
        purpose=ConsentRecord.Purpose.PERSONAL_DATA,
        text_version=settings.PERSONAL_DATA_CONSENT_VERSION,
        text=str(PERSONAL_DATA_CONSENT_TEXT),
    )
    return user


class UserFactory(DjangoModelFactory):
    """A person; one who can log in (a usable password) has agreed to the current
    consent text, as everyone who logs in has. ``consent=False`` leaves it out."""

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Học {n}")
    phone = factory.Sequence(lambda n: f"+8498{n:07d}")
    username = factory.LazyAttribute(lambda user: user.phone)
    kind = LearnerKind.VOLUNTEER
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def consent(user, create, extracted, **kwargs):
        if create and extracted is not False and user.has_usable_password():
            consent_given(user)
