"""What happens when someone logs in or out: their signed-in sessions, whether
their consent is of the current text, and the browser they logged in on; and
when a person's unit role changes: the paths cached for their scopes."""

from . import scopes
from .backends import forget_cached_user
from .devices import note_login
from .middleware import remember_consent
from .services import login_session_forget, login_session_start


def remember_login(sender, request, user, **kwargs):
    """Keep the browser in the person's signed-in sessions, and note in the
    session whether their consent is current, so no page asks the database."""
    if request is None or not hasattr(request, "session"):
        return
    login_session_start(user=user, request=request)
    remember_consent(request, user)
    note_login(request, user)


def forget_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    login_session_forget(session_key=request.session.session_key)


def region_roles_changed(sender, **kwargs):
    """A role granted or taken away: every cached official path is stale."""
    scopes.region_roles_changed()


def user_changed(sender, instance, **kwargs):
    """A person saved or deleted: their row kept for their sessions is stale."""
    forget_cached_user(instance.pk)
