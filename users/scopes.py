"""Who may see and do what with learner data: the one place that decides.

Every view that lists or shows learner data asks here.

- A teacher is anyone who owns or co-teaches a class: they see and manage those
  classes and their members, and the certificates their members earned in the
  class's courses. A person invited to a class is not a member until they
  accept: the teacher sees their name and nothing else.
- A unit official (``RegionRole`` with role "official") sees, read-only, every
  class whose region lies in their unit's subtree, the members of those classes
  and the people who live there, and the certificates recorded in their unit.
- A superuser sees and manages everything.
- Everyone sees themselves.

Rows outside a person's scope answer 404 (not 403), so their existence does not
leak; rows they may see but not change answer 403 to a change.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from regions.models import Region
from regions.scopes import under_paths

from .models import RegionRole, User

# Replaced whenever a role is saved or deleted (users.receivers): paths cached
# with an older token are stale, so a role granted or taken away is seen by the
# next check even on a User object that already read its roles.
_roles_token = object()


def region_roles_changed() -> None:
    """Make every person's cached official paths stale."""
    global _roles_token
    _roles_token = object()


def official_units(user) -> QuerySet[Region]:
    """Return the units the user is an official of (not the units below them)."""
    if not user.is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(
        pk__in=RegionRole.objects.filter(
            user=user, role=RegionRole.Role.OFFICIAL
        ).values("region_id")
    )


def official_paths(user) -> list[str]:
    """Return the paths of the units the user is an official of."""
    token, paths = getattr(user, "_official_paths", (None, None))
    if token is not _roles_token:
        token = _roles_token
        paths = list(official_units(user).values_list("path", flat=True))
        if user.is_authenticated:
            user._official_paths = (token, paths)
    return paths


def is_official(user) -> bool:
    return bool(official_paths(user))


def regions_under(user) -> QuerySet[Region]:
    """Return the units the user is an official of, and every unit below them."""
    return Region.objects.filter(under_paths(official_paths(user), "path"))


def regions_visible_to(user) -> QuerySet[Region]:
    """Return the units whose figures the user answers for: every unit for a
    superuser, an official's units and everything below them, none otherwise."""
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    return regions_under(user)


def can_act_for_region(user, region) -> bool:
    """Whether the user answers for the unit (see regions_visible_to): may set its
    targets and issue certificates in bulk for everyone under it."""
    return regions_visible_to(user).filter(pk=region.pk).exists()


def classes_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the classes the user may see: taught by them or under their unit."""
    from classes.models import TrainingClass

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
    from classes.models import TrainingClass

    qs = TrainingClass.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(Q(owner=user) | Q(pk__in=_co_taught(user)))


def _co_taught(user):
    from classes.models import TrainingClass

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
        and any(
            training_class.region.path == path
            or training_class.region.path.startswith(path + ".")
            for path in official_paths(user)
        )
    )


def organisations_managed_by(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the organisations the user may manage in the admin (given the
    organisation permissions): every one for editors and superusers, and for a
    unit official those in their unit's subtree."""
    from classes.models import Organisation

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
    from classes.models import ClassMembership

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
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    training_class = get_object_or_404(
        classes_visible_to(user).select_related(
            "organisation", "region", "region__parent", "owner"
        ),
        pk=pk,
    )
    if manage and not can_manage_class(user, training_class):
        raise PermissionDenied
    return training_class


def _official_certificates(user) -> Q:
    """Return a condition: the certificate counts in the official's unit, by the
    unit recorded on it at issue (so a learner who moved away stays where they
    were, and a certificate earned elsewhere stays elsewhere's)."""
    return under_paths(official_paths(user), "region_path")


def _taught_certificates(user) -> Q:
    """Return a condition: the certificate is of a course of a class the user
    teaches, and its holder is a member of that class."""
    from classes.models import ClassMembership

    return Q(
        Exists(
            ClassMembership.objects.filter(
                training_class__in=classes_managed_by(user),
                training_class__courses=OuterRef("course_id"),
                user_id=OuterRef("user_id"),
            )
        )
    )


def certificates_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the certificates the user may see and download.

    Everyone sees their own; a teacher those earned in a course of a class they
    teach by its members, while they are members (not what the same people
    earned in other courses or units); an official those issued in their unit's
    subtree, by the unit recorded on the certificate.
    """
    from certificates.models import Certificate

    qs = Certificate.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = (
        Q(user_id=user.pk) | _taught_certificates(user) | _official_certificates(user)
    )
    return qs.filter(condition)


def can_revoke_certificate(user, certificate) -> bool:
    """Whether the user may revoke the certificate: an editor (the
    ``certificates.revoke_certificate`` permission) any, an official those
    under their unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("certificates.revoke_certificate"):
        return True
    from certificates.models import Certificate

    return Certificate.objects.filter(
        _official_certificates(user), pk=certificate.pk
    ).exists()


def batches_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the batches the user may follow and download: the ones they started,
    those of the classes they may see, and those of the units under their unit."""
    from certificates.models import CertificateBatch

    qs = CertificateBatch.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(created_by=user)
        | Q(training_class__in=classes_visible_to(user).values("pk"))
        | Q(region__in=regions_under(user).values("pk"))
    )
