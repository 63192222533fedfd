"""Reads of people: consent, signed-in sessions, account history, and the
record of who took files of personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower

from regions.scopes import under_paths

from .models import (
    AccessToken,
    AccountEvent,
    ConsentRecord,
    LoginSession,
    PersonalDataExport,
    User,
)
from .scopes import is_official, official_paths
from .sessions import describe_user_agent, session_alive


def people_with_email(email: str) -> QuerySet[User]:
    """Return the people whose email is this one, letter case aside (at most
    one: users_user's unique index on lower(email) keeps it so). The lookup goes
    through that index, which an ``email__iexact`` filter (UPPER() on
    PostgreSQL) cannot use: it would read the whole table at every login with an
    email, a million rows in a province."""
    return (
        User.objects.alias(email_folded=Lower("email"))
        .filter(email_folded=Lower(Value(email)))
        .exclude(email="")
    )


def consent_is_current(user: User) -> bool:
    """Whether the person's latest consent is to the current text and stands."""
    latest = (
        ConsentRecord.objects.filter(
            user=user, purpose=ConsentRecord.Purpose.PERSONAL_DATA
        )
        .order_by("-given_at", "-pk")
        .values_list("text_version", "withdrawn_at")
        .first()
    )
    return (
        latest is not None
        and latest[0] == settings.PERSONAL_DATA_CONSENT_VERSION
        and latest[1] is None
    )


@dataclass(frozen=True)
class SignedInSession:
    row: LoginSession
    browser: str
    current: bool


def signed_in_sessions(*, user: User, current_key: str | None) -> list[SignedInSession]:
    """Return the person's signed-in sessions, newest first, the current one
    marked; rows whose session has ended (expired, signed out elsewhere, an old
    password) are forgotten on the way."""
    alive, dead = [], []
    for row in LoginSession.objects.filter(user=user).order_by("-created_at", "-pk"):
        if row.session_key == current_key or session_alive(row.session_key, user):
            alive.append(
                SignedInSession(
                    row=row,
                    browser=describe_user_agent(row.user_agent),
                    current=row.session_key == current_key,
                )
            )
        else:
            dead.append(row.pk)
    if dead:
        LoginSession.objects.filter(pk__in=dead).delete()
    return alive


def access_tokens_of(*, user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def account_history(*, user: User) -> QuerySet[AccountEvent]:
    """Return what was done to the person's account, newest first."""
    return (
        AccountEvent.objects.filter(subject=user)
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def can_see_data_exports(user) -> bool:
    """Whether the user may see the record of files of personal data taken: an
    official (for their units) or a superuser (for all)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or is_official(user)


def data_exports_visible_to(user) -> QuerySet[PersonalDataExport]:
    """Return the files of personal data taken about people of the user's units
    and every unit below them (every file for a superuser), newest first."""
    qs = PersonalDataExport.objects.select_related("actor", "region", "region__parent")
    if not can_see_data_exports(user):
        return qs.none()
    if not user.is_superuser:
        qs = qs.filter(under_paths(official_paths(user), "region_path"))
    return qs.order_by("-at", "-pk")
