"""Who sees which helped-person records (outreach.scopes)."""

import pytest

from outreach.scopes import records_reviewable_by, records_visible_to
from users.models import RegionRole
from users.tests.factories import UserFactory

from .factories import HelpRecordFactory, student_of, team_member

pytestmark = pytest.mark.django_db


def test_each_sees_whom_they_should():
    """A helper sees their own; a teacher their students'; a team leader their
    team's; an official and a stranger none; nobody reviews their own."""
    teacher, leader = UserFactory(), UserFactory()
    student = UserFactory()
    klass = student_of(teacher, student)
    member, _team = team_member(leader=leader)
    own_of_teacher = HelpRecordFactory(helper=teacher)
    by_student = HelpRecordFactory(helper=student)
    by_member = HelpRecordFactory(helper=member)
    official = UserFactory()
    RegionRole.objects.create(user=official, region=by_student.region.parent)

    def visible(user):
        return set(records_visible_to(user))

    assert visible(student) == {by_student}
    assert visible(teacher) == {own_of_teacher, by_student}
    assert visible(leader) == {by_member}
    assert visible(official) == set()
    assert visible(UserFactory()) == set()
    assert set(records_reviewable_by(teacher)) == {by_student}
    assert set(records_reviewable_by(student)) == set()
    assert klass.owner == teacher
