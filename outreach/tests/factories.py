"""Factories for helped-person records and their helpers."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from certificates.tests.factories import CertificateFactory
from classes.models import ClassMembership, Organisation
from classes.tests.factories import OrganisationFactory, TrainingClassFactory
from outreach.models import HelpAction, HelpRecord, HelpRelation, ProcedureField
from regions.tests.factories import CommuneFactory
from users.tests.factories import UserFactory


class ProcedureFieldFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    source = "thử nghiệm"

    class Meta:
        model = ProcedureField


class HelpRecordFactory(DjangoModelFactory):
    """A record written straight to the table (the service is tested apart)."""

    helper = factory.SubFactory(UserFactory)
    helped_on = factory.LazyFunction(timezone.localdate)
    region = factory.SubFactory(CommuneFactory)
    region_path = factory.LazyAttribute(lambda r: r.region.path)
    action = HelpAction.ACCOUNT
    relation = HelpRelation.PARENT

    class Meta:
        model = HelpRecord


def certified_helper(*, issued_days_ago: int = 10, **user_fields):
    """A person holding one valid certificate issued that many days ago."""
    issued = timezone.now() - datetime.timedelta(days=issued_days_ago)
    certificate = CertificateFactory(
        completed_at=issued, issued_at=issued, **_prefixed(user_fields)
    )
    return certificate.user


def _prefixed(fields: dict) -> dict:
    return {f"user__{name}": value for name, value in fields.items()}


def team_member(*, leader=None, user=None):
    """A member of a commune digital technology team's class; return (member,
    class)."""
    team = OrganisationFactory(kind=Organisation.Kind.COMMUNE_TEAM)
    klass = TrainingClassFactory(
        organisation=team, **({"owner": leader} if leader else {})
    )
    user = user or UserFactory()
    ClassMembership.objects.create(training_class=klass, user=user, source="teacher")
    return user, klass


def student_of(teacher, user):
    """Put user in a school class taught by teacher; return the class."""
    klass = TrainingClassFactory(owner=teacher)
    ClassMembership.objects.create(training_class=klass, user=user, source="teacher")
    return klass
