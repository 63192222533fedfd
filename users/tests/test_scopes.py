"""A person's unit roles, as the scopes of every app read them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from users import scopes
from users.models import RegionRole

pytestmark = pytest.mark.django_db


def test_a_role_granted_or_taken_away_is_seen_by_the_same_user_object(
    lan, hung_yen, dong_hung
):
    """The User object that already answered "not an official" answers "an
    official of Hưng Yên" once the role is granted, and no longer once it is
    taken away, without being loaded again."""
    assert scopes.is_official(lan) is False

    role = RegionRole.objects.create(user_id=lan.pk, region=hung_yen)
    assert scopes.is_official(lan) is True
    assert scopes.official_paths(lan) == [hung_yen.path]
    assert scopes.can_act_for_region(lan, dong_hung) is True

    RegionRole.objects.filter(pk=role.pk).delete()
    assert scopes.is_official(lan) is False
    assert list(scopes.regions_under(lan)) == []
    assert scopes.can_act_for_region(lan, dong_hung) is False


def test_official_paths_are_read_once_while_no_role_changes(
    lan, hung_yen, django_assert_num_queries
):
    """Checks on one User object ask the database once between role changes."""
    RegionRole.objects.create(user=lan, region=hung_yen)
    with django_assert_num_queries(1):
        assert scopes.is_official(lan) is True
        assert scopes.official_paths(lan) == [hung_yen.path]


def test_an_anonymous_visitor_is_an_official_of_nothing(hung_yen, dong_hung):
    visitor = AnonymousUser()

    assert list(scopes.official_units(visitor)) == []
    assert scopes.is_official(visitor) is False
    assert scopes.can_act_for_region(visitor, dong_hung) is False


def test_a_disabled_account_answers_for_no_unit(lan, hung_yen, dong_hung):
    """An official or a superuser whose account is disabled sees no unit."""
    RegionRole.objects.create(user_id=lan.pk, region=hung_yen)
    lan.is_active = False
    lan.save()
    assert list(scopes.regions_visible_to(lan)) == []
    assert scopes.can_act_for_region(lan, dong_hung) is False

    lan.is_superuser = True
    lan.save()
    assert list(scopes.regions_visible_to(lan)) == []


def test_official_paths_are_shared_between_requests_until_a_role_changes(
    lan, hung_yen, dong_hung, django_assert_num_queries
):
    """A person's paths read once are kept in the shared cache: the next
    request's User object asks the database nothing for them, until a role is
    granted or taken away, which the next request sees at once."""
    from users.models import User

    RegionRole.objects.create(user=lan, region=hung_yen)
    assert scopes.official_paths(User.objects.get(pk=lan.pk)) == [hung_yen.path]

    next_request = User.objects.get(pk=lan.pk)
    with django_assert_num_queries(0):
        assert scopes.official_paths(next_request) == [hung_yen.path]
        assert scopes.may_see_region(next_request, dong_hung) is True

    RegionRole.objects.filter(user=lan).delete()
    assert scopes.official_paths(User.objects.get(pk=lan.pk)) == []
    RegionRole.objects.create(user=lan, region=dong_hung)
    assert scopes.official_paths(User.objects.get(pk=lan.pk)) == [dong_hung.path]
    assert scopes.may_see_region(User.objects.get(pk=lan.pk), hung_yen) is False
