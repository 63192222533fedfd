"""Log in with a phone number written any common way, or with an email; the
signed-in person of a session read from the shared cache."""

import functools
import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError

from core.cache import forget

from .phone import looks_like_phone, normalise_phone
from .selectors import people_with_email


def find_user_by_identifier(identifier: str):
    """Return the user a login identifier names, or None."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if looks_like_phone(identifier):
        try:
            phone = normalise_phone(identifier)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).first()
    return people_with_email(identifier).first() or (
        User.objects.filter(username=identifier).first()
    )


# Where a request keeps the user its login identifier named: the login forms'
# limits (users.forms.LoginLimitsMixin) and the backend both need them, and a
# class logging in together should not pay the lookup twice.
_LOOKUP_ATTR = "_users_login_lookup"


def find_user_for_login(request, identifier: str):
    """Return find_user_by_identifier(identifier), looked up once per request."""
    if request is None:
        return find_user_by_identifier(identifier)
    found = getattr(request, _LOOKUP_ATTR, None)
    if found is not None and found[0] == identifier:
        return found[1]
    user = find_user_by_identifier(identifier)
    setattr(request, _LOOKUP_ATTR, (identifier, user))
    return user


def canonical_identifier(identifier: str) -> str:
    """Return the identifier in the form throttling counts it by."""
    identifier = (identifier or "").strip()
    if looks_like_phone(identifier):
        try:
            return normalise_phone(identifier)
        except ValidationError:
            return identifier
    return identifier.lower()


def axes_username(request, credentials):
    """Let django-axes count 0912 345 678 and +84912345678 as one account."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return canonical_identifier(raw)


# How long a signed-in person's row is kept in the shared cache at most; every
# save or delete of it forgets it (users.receivers.user_changed), so a change
# through the ORM's update(), which sends no signal, shows within this time.
USER_CACHE_TIMEOUT = 5 * 60


@functools.cache
def _user_fields_version() -> str:
    """Return a digest of the person model's columns: a release that adds or
    renames one reads none of the rows the last release kept."""
    names = ",".join(field.attname for field in get_user_model()._meta.concrete_fields)
    return hashlib.sha256(names.encode()).hexdigest()[:8]


def user_cache_key(user_id) -> str:
    return f"users:user:{_user_fields_version()}:{user_id}"


def forget_cached_user(user_id) -> None:
    """Forget the person's kept row, now and once the transaction commits (a
    request meanwhile may have kept the row as it was)."""
    forget(user_cache_key(user_id))


class PhoneOrEmailBackend(ModelBackend):
    def get_user(self, user_id):
        """Return the session's user, from the shared cache when kept: every
        page of a signed-in person needs their row, which changes seldom.
        Django still checks the session against the password (its auth hash)
        and the backend whether the account may log in."""
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, USER_CACHE_TIMEOUT)
            return user
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user_for_login(request, username)
        if user is None:
            # Spend the same time as a real check so timing does not tell.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
