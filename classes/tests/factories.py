"""Factories for organisations, classes and sessions."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from classes.models import ClassSession, Organisation, TrainingClass
from regions.tests.factories import CommuneFactory
from users.tests.factories import UserFactory


class OrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Trường THPT Thử Nghiệm {n}")
    kind = Organisation.Kind.SCHOOL
    region = factory.SubFactory(CommuneFactory)

    class Meta:
        model = Organisation


class TrainingClassFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Lớp DVCTT {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda c: c.organisation.region)
    # Around today, so sessions made relative to now fall within the class.
    starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=100)
    )
    ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=100)
    )
    owner = factory.SubFactory(UserFactory)

    class Meta:
        model = TrainingClass
        skip_postgeneration_save = True

    @factory.post_generation
    def courses(self, create, extracted, **kwargs):
        if create and extracted:
            self.courses.set(extracted)


class ClassSessionFactory(DjangoModelFactory):
    training_class = factory.SubFactory(TrainingClassFactory)
    title = factory.Sequence(lambda n: f"Buổi {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(hours=1)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    place = "Phòng máy"

    class Meta:
        model = ClassSession
