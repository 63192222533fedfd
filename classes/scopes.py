"""Who may see and manage which classes and their learners.

- A teacher is anyone who owns or co-teaches a class: they see and manage those
  classes and their members. A person invited to a class is not a member until
  they accept: the teacher sees their name and nothing else.
- A unit official (``users.scopes``) sees, read-only, every class whose region
  lies in their unit's subtree, the members of those classes and the people who
  live there.
- A superuser sees and manages everything.
- Everyone sees themselves.

Rows outside a person's scope answer 404 (not 403), so their existence does not
leak; rows they may see but not change answer 403 to a change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from regions.scopes import is_under, under_paths
from users.models import User
from users.scopes import official_paths

from .models import ClassMembership, Organisation, TrainingClass


def classes_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the classes the user may see: taught by them or under their unit."""
    qs = TrainingClass.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(owner=user) | Q(pk__in=_co_taught(user))
    paths = official_paths(user)
    if paths:
        condition |= under_paths(paths, "region__path")
    return qs.filter(condition)


def classes_managed_by(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the classes the user may change: the ones they own or co-teach."""
    qs = TrainingClass.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(Q(owner=user) | Q(pk__in=_co_taught(user)))


def _co_taught(user):
    return TrainingClass.co_teachers.through.objects.filter(user=user).values(
        "trainingclass_id"
    )


def can_manage_class(user, training_class) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or training_class.owner_id == user.pk:
        return True
    return training_class.co_teachers.filter(pk=user.pk).exists()


def can_issue_login_cards(user, training_class) -> bool:
    """Whether the user may print login cards for the light accounts the class
    made: its teachers, and the officials over its unit."""
    if can_manage_class(user, training_class):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and is_under(training_class.region.path, official_paths(user))
    )


def organisations_managed_by(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the organisations the user may manage in the admin (given the
    organisation permissions): every one for editors and superusers, and for a
    unit official those in their unit's subtree."""
    qs = Organisation.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    paths = official_paths(user)
    if user.is_superuser or not paths:
        return qs
    return qs.filter(under_paths(paths, "region__path"))


def can_create_class(user) -> bool:
    return user.is_authenticated and user.has_perm("classes.add_trainingclass")


def learners_visible_to(user, qs: QuerySet | None = None) -> QuerySet[User]:
    """Return the people whose learning data the user may see.

    A teacher sees the members of their classes; an official the members of the
    classes under their unit and the people living in it; everyone sees
    themselves.
    """
    qs = User.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    members = ClassMembership.objects.filter(
        training_class__in=classes_visible_to(user)
    ).values("user_id")
    condition = Q(pk=user.pk) | Q(pk__in=members)
    paths = official_paths(user)
    if paths:
        condition |= under_paths(paths, "home_region__path")
    return qs.filter(condition)


def can_view_learner(user, learner) -> bool:
    return learners_visible_to(user).filter(pk=learner.pk).exists()


def class_for(user, pk, *, manage: bool = False):
    """Return the class with this id if the user may see it, else raise Http404;
    with ``manage``, raise PermissionDenied when they may see but not change it."""
    training_class = get_object_or_404(
        classes_visible_to(user).select_related(
            "organisation", "region", "region__parent", "owner"
        ),
        pk=pk,
    )
    if manage and not can_manage_class(user, training_class):
        raise PermissionDenied
    return training_class
