"""Who may see, download and revoke which certificates, and follow which bulk
runs.

- Everyone sees their own certificates.
- A teacher (``classes.scopes``) sees the certificates their classes' members
  earned in the class's courses, while they are members.
- A unit official (``users.scopes``) sees the certificates recorded in their
  unit's subtree, and may revoke them.
- An editor with the ``certificates.revoke_certificate`` permission may revoke
  any; a superuser sees and does everything.
- A certificate of merit (giấy khen) is seen by its holder, by whoever awarded
  it and by the officials over its unit; the last two may revoke it, as may
  an editor with the permission above.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from classes.models import ClassMembership
from classes.scopes import classes_managed_by, classes_visible_to
from regions.scopes import under_paths
from users.scopes import official_paths, regions_under

from .models import Certificate, CertificateBatch, MeritCertificate


def _official_certificates(user) -> Q:
    """Return a condition: the certificate counts in the official's unit, by the
    unit recorded on it at issue (so a learner who moved away stays where they
    were, and a certificate earned elsewhere stays elsewhere's)."""
    return under_paths(official_paths(user), "region_path")


def _taught_certificates(user) -> Q:
    """Return a condition: the certificate is of a course of a class the user
    teaches, and its holder is a member of that class."""
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
    return Certificate.objects.filter(
        _official_certificates(user), pk=certificate.pk
    ).exists()


def merits_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the certificates of merit the user may see and download: their
    own, those they awarded, those of units under their unit."""
    qs = MeritCertificate.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(user_id=user.pk) | Q(awarded_by_id=user.pk) | _official_certificates(user)
    )


def can_revoke_merit(user, merit: MeritCertificate) -> bool:
    """Whether the user may revoke the certificate of merit: whoever awarded
    it, the officials over its unit, an editor who may revoke certificates."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("certificates.revoke_certificate"):
        return True
    return MeritCertificate.objects.filter(
        Q(awarded_by_id=user.pk) | _official_certificates(user), pk=merit.pk
    ).exists()


def batches_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Return the batches the user may follow and download: the ones they started,
    those of the classes they may see, and those of the units under their unit."""
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
