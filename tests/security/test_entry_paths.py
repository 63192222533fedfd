"""Every way an existing account can enter a class leaves the account as it
was: a roster (with "fill blanks"), the join code, a walk-in, the co-teacher
field and the check-in QR. Only a light account the class itself made may have
its blanks filled, and that is not an existing person's account."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from classes import checkin
from classes.models import ClassMembership, TrainingClass
from classes.tests.factories import ClassSessionFactory

from .helpers import account, apply_roster, phone_as_typed, upload_roster

pytestmark = pytest.mark.django_db

PATHS = ["roster", "join_code", "walk_in", "co_teacher", "check_in"]


def _blank(user):
    """Leave blanks a careless path could fill."""
    user.email = ""
    user.date_of_birth = None
    user.home_region = None
    user.save()


def enter(client, world, path, person):
    klass = world.a.training_class
    if path == "roster":
        client.force_login(world.a.teacher)
        preview = upload_roster(
            client,
            klass,
            [
                {
                    "full_name": "Tên Khác Hẳn",
                    "phone": phone_as_typed(person),
                    "date_of_birth": "02/02/2002",
                    "commune": "Xã Đông Hưng",
                    "email": "khac@example.net",
                }
            ],
        )
        apply_roster(client, preview, fill_blanks=True)
    elif path == "join_code":
        client.force_login(person)
        client.post(reverse("class_join"), {"code": klass.join_code})
    elif path == "walk_in":
        client.force_login(world.a.teacher)
        session = ClassSessionFactory(training_class=klass)
        client.post(
            reverse("classes:walk_in", args=[session.pk]),
            {"full_name": "Tên Khác Hẳn", "phone": phone_as_typed(person)},
        )
    elif path == "co_teacher":
        person.groups.add(Group.objects.get(name="Giáo viên"))
        client.force_login(world.a.teacher)
        client.post(
            reverse("classes:create"),
            {
                "name": "Lớp mới",
                "organisation": klass.organisation.pk,
                "courses": [world.course.pk],
                "mode": "in_person",
                "starts_on": "2026-09-01",
                "ends_on": "2026-09-30",
                "audience_kind": "student",
                "co_teacher_phones": phone_as_typed(person),
            },
        )
        assert person in TrainingClass.objects.get(name="Lớp mới").co_teachers.all()
    elif path == "check_in":
        ClassMembership.objects.get_or_create(
            training_class=klass, user=person, defaults={"source": "join_code"}
        )
        session = ClassSessionFactory(training_class=klass)
        client.force_login(person)
        code = checkin.checkin_code(session.pk, checkin.current_window())
        client.post(reverse("classes:check_in", args=[session.pk]), {"ma": code})
        assert session.attendance.filter(user=person).exists()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["learner", "official", "teacher"])
def test_no_way_into_a_class_changes_an_account(client, world, path, who):
    person = getattr(world.b, who)
    _blank(person)
    groups = set(person.groups.values_list("pk", flat=True))
    before = account(person)

    enter(client, world, path, person)

    after = account(person)
    assert after == before, path
    if path != "co_teacher":
        assert set(person.groups.values_list("pk", flat=True)) == groups


@pytest.mark.parametrize("path", ["roster", "walk_in"])
def test_a_light_account_of_another_class_is_not_changed_either(client, world, path):
    person = world.b.light
    before = account(person)

    enter(client, world, path, person)

    assert account(person) == before
    assert ClassMembership.objects.filter(
        training_class=world.a.training_class, user=person, created_account=False
    ).exists()
