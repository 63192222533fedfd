"""Factories for people."""

import factory
from factory.django import DjangoModelFactory

from users.models import LearnerKind, User

PASSWORD = "hoc-tap-so-2025"


class UserFactory(DjangoModelFactory):
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Học {n}")
    phone = factory.Sequence(lambda n: f"+8498{n:07d}")
    username = factory.LazyAttribute(lambda user: user.phone)
    kind = LearnerKind.VOLUNTEER
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True
