"""Writes of people: accounts, consents, claiming, resets, confirmations,
signed-in sessions, access tokens and erasing an account."""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.net import client_ip
from regions.models import Region

from . import personal_data
from .claim import code_hash, new_code
from .consent import PERSONAL_DATA_CONSENT_TEXT
from .models import (
    ERASED_NAME,
    AccessToken,
    AccountEvent,
    ClaimCode,
    ConsentRecord,
    LearnerKind,
    LoginSession,
    PersonalDataExport,
    RegionRole,
    User,
)
from .selectors import people_with_email
from .sessions import end_stored_sessions
from .sms import send_sms, sms_enabled
from .tokens import (
    PHONE_CODE_LIFETIME,
    SHOWN_PREFIX_LENGTH,
    access_token_hash,
    email_confirm_read,
    email_confirm_token,
    learner_reset_tokens,
    new_access_token,
    new_phone_code,
    password_stamp,
    phone_code_hash,
    phone_code_matches,
)

logger = logging.getLogger(__name__)

# Longest user agent kept for a signed-in session.
USER_AGENT_LENGTH = 200


def _username_for(phone: str | None, email: str) -> str:
    # The username is internal: people log in with their phone or email.
    return phone or email.lower()


def _address(request) -> str | None:
    return (client_ip(request) or None) if request is not None else None


def _mail(*, to: str, subject_template: str, body_template: str, context: dict):
    subject = "".join(render_to_string(subject_template, context).splitlines())
    send_mail(subject, render_to_string(body_template, context), None, [to])


def _public_url(path: str) -> str:
    # Links that go out by mail or text message name the site's public address,
    # never the Host header a request came with.
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@transaction.atomic
def user_register(
    *,
    full_name: str,
    phone: str,
    kind: str,
    home_region: Region,
    password: str,
    email: str = "",
    ip_address: str | None = None,
) -> User:
    """Create an account with its consent to personal-data processing, or nothing."""
    user = User(
        username=_username_for(phone, email),
        full_name=full_name.strip(),
        phone=phone,
        email=email.strip(),
        kind=LearnerKind(kind),
        home_region=home_region,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    consent_record(user=user, ip_address=ip_address)
    return user


@transaction.atomic
def consent_record(
    *,
    user: User,
    ip_address: str | None = None,
    purpose: str = ConsentRecord.Purpose.PERSONAL_DATA,
) -> ConsentRecord:
    """Record that the user agreed to the current consent text, and when."""
    consent = ConsentRecord.objects.create(
        user=user,
        purpose=purpose,
        text_version=settings.PERSONAL_DATA_CONSENT_VERSION,
        text=str(PERSONAL_DATA_CONSENT_TEXT),
        ip_address=ip_address,
    )
    AccountEvent.objects.create(
        subject=user,
        actor=user,
        kind=AccountEvent.Kind.CONSENT_GIVEN,
        ip_address=ip_address,
        detail=settings.PERSONAL_DATA_CONSENT_VERSION,
    )
    return consent


def light_user_create(
    *,
    full_name: str,
    phone: str | None = None,
    kind: str = LearnerKind.CITIZEN,
    home_region: Region | None = None,
    email: str = "",
    date_of_birth=None,
) -> User:
    """Create a person without a password, added by a teacher (a light account).

    They count in classes and reports at once, and may claim the account later
    with a one-time code.
    """
    user = User(
        username=_light_username(phone),
        full_name=" ".join(full_name.split()),
        phone=phone or None,
        email=email.strip(),
        kind=LearnerKind(kind),
        home_region=home_region,
        date_of_birth=date_of_birth,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _light_username(phone: str | None) -> str:
    # People without a phone still need a unique internal username.
    return phone or f"light-{uuid.uuid4().hex[:20]}"


@transaction.atomic
def claim_code_issue(*, user: User, created_by: User | None = None) -> str:
    """Return a new one-time claim code for the user; any older unused code stops
    working."""
    ClaimCode.objects.filter(user=user, used_at__isnull=True).delete()
    code = new_code()
    ClaimCode.objects.create(
        user=user, code_hash=code_hash(code), created_by=created_by
    )
    return code


def claim_code_find(*, code: str) -> ClaimCode | None:
    """Return the unused claim code matching what was typed, or None."""
    return (
        ClaimCode.objects.select_related("user")
        .filter(code_hash=code_hash(code), used_at__isnull=True)
        .first()
    )


@transaction.atomic
def account_claim(*, code: str, phone: str | None, password: str, request=None) -> User:
    """Give the account named by a one-time code its password, use up the code,
    and record the person's consent to the current text (the caller asked for
    it) and the claim.

    When the account has a phone, the same phone must be given: a card found by
    someone else is not enough.
    """
    claim = claim_code_find(code=code)
    if claim is None:
        raise ValidationError(
            _(
                "This code is not valid or has already been used. Ask your teacher "
                "for a new card."
            ),
            code="invalid_code",
        )
    claim = ClaimCode.objects.select_for_update().get(pk=claim.pk)
    if claim.used_at is not None:
        raise ValidationError(_("This code has already been used."), code="used")
    user = claim.user
    if user.phone and phone != user.phone:
        raise ValidationError(
            _("The mobile number does not match the one on this account."),
            code="phone_mismatch",
        )
    if not user.phone and phone:
        if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
            raise ValidationError(
                _("This mobile number belongs to another account."),
                code="phone_taken",
            )
        user.phone = phone
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    claim.used_at = timezone.now()
    claim.save(update_fields=["used_at"])
    consent_record(user=user, ip_address=_address(request))
    account_event_record(
        subject=user, kind=AccountEvent.Kind.CLAIMED, actor=user, request=request
    )
    return user


def account_event_record(
    *,
    subject: User,
    kind: str,
    actor: User | None = None,
    request=None,
    detail: str = "",
) -> AccountEvent:
    """Record something done to the subject's account: who, when, from where."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AccountEvent.objects.create(
        subject=subject,
        kind=AccountEvent.Kind(kind),
        actor=actor,
        ip_address=_address(request),
        detail=detail[:200],
    )


def personal_data_export_record(
    *,
    actor: User,
    kind: str,
    people: int,
    region: Region | None = None,
    description: str = "",
    request=None,
) -> PersonalDataExport:
    """Record that the actor took a file of other people's personal data."""
    return PersonalDataExport.objects.create(
        actor=actor,
        kind=PersonalDataExport.Kind(kind),
        people=people,
        region=region,
        region_path=region.path if region is not None else "",
        description=description[:255],
        ip_address=_address(request),
    )


# Password resets ------------------------------------------------------------------


def _reset_path(user: User, token: str) -> str:
    return reverse(
        "users:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
    )


def password_reset_request(*, user: User | None, request=None) -> list[str]:
    """Send a reset link to each contact the user confirmed themselves, record the
    request, and return the channels used ("email", "sms").

    Nothing is sent to an address or number nobody confirmed: a teacher or a
    roster may have typed it. ``user`` is None when the identifier named nobody;
    then nothing happens, and the caller answers exactly as when it did.
    """
    if user is None or not user.is_active or user.erased_at is not None:
        return []
    link = _public_url(_reset_path(user, learner_reset_tokens.make_token(user)))
    senders = []
    if user.email_confirmed:
        senders.append(
            (
                "email",
                lambda: _mail(
                    to=user.email,
                    subject_template="users/email/password_reset_subject.txt",
                    body_template="users/email/password_reset.txt",
                    context={"user": user, "link": link},
                ),
            )
        )
    if user.phone_confirmed and sms_enabled():
        text = _("To choose a new password, open %(link)s") % {"link": link}
        senders.append(("sms", lambda: send_sms(phone=user.phone, text=text)))
    channels = []
    for channel, send in senders:
        try:
            send()
        # A mail server or SMS gateway that fails must not answer differently
        # (an error page would tell that the account exists): logged, not sent.
        except Exception:
            logger.warning("Reset link not sent by %s.", channel, exc_info=True)
        else:
            channels.append(channel)
    account_event_record(
        subject=user,
        kind=AccountEvent.Kind.RESET_REQUESTED,
        request=request,
        detail=",".join(channels) or "none",
    )
    for channel in channels:
        account_event_record(
            subject=user,
            kind=AccountEvent.Kind.RESET_SENT,
            request=request,
            detail=channel,
        )
    return channels


@transaction.atomic
def user_password_set(
    *,
    user: User,
    password: str,
    kind: str,
    actor: User | None = None,
    request=None,
    keep_session_key: str | None = None,
    detail: str = "",
) -> User:
    """Give the user a new password, end their other signed-in sessions (and, by
    the password stamp, their access tokens) and record it as ``kind``
    (PASSWORD_CHANGED, or PASSWORD_RESET with the way the link came in
    ``detail``)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    login_sessions_end(user=user, keep_session_key=keep_session_key)
    account_event_record(
        subject=user, kind=kind, actor=actor, request=request, detail=detail
    )
    return user


def admin_password_reset_request(*, users: list[User], sent_to: list[User], request):
    """Record a request of the Wagtail admin's reset page: every account the
    address named, and which of them (people with admin access) got a link."""
    sent = {user.pk for user in sent_to}
    for user in users:
        account_event_record(
            subject=user,
            kind=AccountEvent.Kind.RESET_REQUESTED,
            request=request,
            detail="admin" if user.pk in sent else "admin:no-access",
        )
        if user.pk in sent:
            account_event_record(
                subject=user,
                kind=AccountEvent.Kind.RESET_SENT,
                request=request,
                detail="admin:email",
            )


# Signed-in sessions ---------------------------------------------------------------


def login_session_start(*, user: User, request) -> LoginSession | None:
    """Remember the browser the user just signed in on."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return None
    agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
    row, _created = LoginSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": timezone.now(),
            "ip_address": _address(request),
            "user_agent": agent,
        },
    )
    return row


def login_session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """Follow a session whose key changed (a new password cycles it)."""
    if old_key and new_key and old_key != new_key:
        LoginSession.objects.filter(session_key=old_key).update(session_key=new_key)


def login_session_forget(*, session_key: str | None) -> None:
    if session_key:
        LoginSession.objects.filter(session_key=session_key).delete()


def login_sessions_end(
    *,
    user: User,
    keep_session_key: str | None = None,
    only_key: str | None = None,
    request=None,
    record: bool = False,
) -> int:
    """End the user's signed-in sessions (one with ``only_key``, else every one
    but ``keep_session_key``): delete them from the session store and forget
    them. Return how many ended."""
    rows = LoginSession.objects.filter(user=user)
    if only_key is not None:
        rows = rows.filter(session_key=only_key)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    if not keys:
        return 0
    rows.delete()
    # At once, not on commit: a rolled-back caller leaves the browsers signed
    # out, which is the safe side, and their rows are forgotten when listed.
    end_stored_sessions(keys)
    if record:
        account_event_record(
            subject=user,
            kind=AccountEvent.Kind.SESSION_ENDED,
            actor=user,
            request=request,
            detail=str(len(keys)),
        )
    return len(keys)


# Profile, email and phone -----------------------------------------------------------

PROFILE_FIELDS = ("full_name", "home_region", "kind", "date_of_birth")


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    full_name: str,
    home_region: Region | None,
    kind: str,
    date_of_birth: datetime.date | None,
    request=None,
) -> list[str]:
    """Correct the person's own details; record which changed, and return them."""
    values = {
        "full_name": " ".join(full_name.split()),
        "home_region": home_region,
        "kind": LearnerKind(kind),
        "date_of_birth": date_of_birth,
    }
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(user, name, values[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed)
    account_event_record(
        subject=user,
        kind=AccountEvent.Kind.PROFILE_CHANGED,
        actor=user,
        request=request,
        detail=",".join(changed),
    )
    return changed


@transaction.atomic
def user_email_set(*, user: User, email: str, request=None) -> bool:
    """Set the person's email; a new address is not confirmed yet. Return whether
    it changed."""
    email = email.strip()
    if email.lower() == (user.email or "").lower():
        return False
    if email and people_with_email(email).exclude(pk=user.pk).exists():
        raise ValidationError(
            {"email": _("Another account already uses this email.")},
            code="email_taken",
        )
    user.email = email
    user.email_confirmed_at = None
    user.confirmed_email = ""
    user.save(update_fields=["email", "email_confirmed_at", "confirmed_email"])
    account_event_record(
        subject=user,
        kind=AccountEvent.Kind.PROFILE_CHANGED,
        actor=user,
        request=request,
        detail="email",
    )
    return True


def email_confirmation_send(*, user: User) -> None:
    """Mail the person a link that confirms their address is theirs."""
    link = _public_url(reverse("users:email_confirm", args=[email_confirm_token(user)]))
    context = {"user": user, "link": link}
    _mail(
        to=user.email,
        subject_template="users/email/email_confirm_subject.txt",
        body_template="users/email/email_confirm.txt",
        context=context,
    )


@transaction.atomic
def email_confirm(*, token: str, request=None) -> User | None:
    """Confirm the address a link was made for, if the account still has it;
    return the account, or None for a link that does not hold."""
    found = email_confirm_read(token)
    if found is None:
        return None
    user_id, email = found
    user = (
        User.objects.select_for_update()
        .filter(pk=user_id, is_active=True, erased_at__isnull=True)
        .first()
    )
    if user is None or not user.email or user.email.lower() != email:
        return None
    if not user.email_confirmed:
        user.email_confirmed_at = timezone.now()
        user.confirmed_email = user.email
        user.save(update_fields=["email_confirmed_at", "confirmed_email"])
        account_event_record(
            subject=user,
            kind=AccountEvent.Kind.EMAIL_CONFIRMED,
            actor=user,
            request=request,
            detail="email",
        )
    return user


def _phone_code_key(user: User) -> str:
    return f"users:phone-code:{user.pk}"


def phone_code_send(*, user: User) -> None:
    """Text a new 6-digit code to the person's number; it works for 10 minutes
    and replaces any code sent before. Only its keyed hash is kept."""
    code = new_phone_code()
    cache.set(
        _phone_code_key(user),
        {
            "phone": user.phone,
            "hash": phone_code_hash(user_id=user.pk, phone=user.phone, code=code),
        },
        timeout=PHONE_CODE_LIFETIME,
    )
    send_sms(
        phone=user.phone,
        text=_("Your code to confirm your mobile number: %(code)s") % {"code": code},
    )


def phone_code_check(*, user: User, code: str, request=None) -> User:
    """Confirm the person's number with the code sent to it, or raise
    ValidationError when it is wrong or has expired."""
    kept = cache.get(_phone_code_key(user))
    if not kept or kept.get("phone") != user.phone:
        raise ValidationError(
            _("The code has expired. Ask for a new one."), code="expired"
        )
    if not phone_code_matches(
        user_id=user.pk, phone=user.phone, code=code, kept=kept.get("hash", "")
    ):
        raise ValidationError(_("The code is not right."), code="wrong_code")
    cache.delete(_phone_code_key(user))
    return phone_confirm(user=user, request=request)


@transaction.atomic
def phone_confirm(*, user: User, request=None) -> User:
    """Record that the person proved with a text message that the number is
    theirs."""
    user.phone_confirmed_at = timezone.now()
    user.confirmed_phone = user.phone
    user.save(update_fields=["phone_confirmed_at", "confirmed_phone"])
    account_event_record(
        subject=user,
        kind=AccountEvent.Kind.PHONE_CONFIRMED,
        actor=user,
        request=request,
        detail="sms",
    )
    return user


# Access tokens -----------------------------------------------------------------------


@transaction.atomic
def access_token_create(
    *,
    user: User,
    purpose: str,
    label: str = "",
    lifetime: datetime.timedelta | None = None,
    actor: User | None = None,
    request=None,
) -> tuple[AccessToken, str]:
    """Make a personal access token; return it and its text, which is shown once
    and kept nowhere (only its hash is)."""
    if lifetime is None:
        lifetime = datetime.timedelta(days=settings.ACCESS_TOKEN_LIFETIME_DAYS)
    raw = new_access_token()
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user,
        purpose=AccessToken.Purpose(purpose),
        label=label.strip()[:100],
        key_hash=access_token_hash(raw),
        prefix=raw[:SHOWN_PREFIX_LENGTH],
        password_stamp=password_stamp(user),
        created_at=now,
        expires_at=now + lifetime,
    )
    account_event_record(
        subject=user,
        kind=AccountEvent.Kind.TOKEN_CREATED,
        actor=actor,
        request=request,
        detail=token.prefix,
    )
    return token, raw


def access_token_user(raw: str, *, purpose: str) -> User | None:
    """Return the person a token stands for, or None when it is unknown, revoked,
    expired, of another purpose, or its owner is inactive, erased or has a new
    password. Note when it was used, at most once an hour."""
    if not raw or len(raw) > 200:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(key_hash=access_token_hash(raw), purpose=purpose)
        .first()
    )
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = token.user
    if not user.is_active or user.erased_at is not None:
        return None
    if token.password_stamp != password_stamp(user):
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(
        hours=1
    ):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


def access_token_revoke(*, token: AccessToken, actor: User, request=None) -> None:
    """Stop a token working at once."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    account_event_record(
        subject=token.user,
        kind=AccountEvent.Kind.TOKEN_REVOKED,
        actor=actor,
        request=request,
        detail=token.prefix,
    )


# Erasing an account -------------------------------------------------------------------


def erased_name() -> str:
    """Return the placeholder an erased account's name becomes, in the site's
    language, so every page that prints the name prints it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(ERASED_NAME)


@transaction.atomic
def user_erase(*, user: User, actor: User | None = None, reason: str) -> User:
    """Withdraw the person's consent and erase what names them, keeping what the
    reports count.

    Every app's personal-data section erases its part first (free text the person
    wrote, pending invitations, the name printed on certificates); then the
    account loses its name, phone, email, username, date of birth, home commune,
    password, claim codes, access tokens, signed-in sessions and roles. The row
    stays, so enrolments, attendance and certificates still count.
    """
    if user.is_superuser:
        raise ValidationError(
            gettext_lazy(
                "An administrator's account cannot be deleted here. Ask another "
                "administrator to remove your administrator rights first."
            ),
            code="superuser",
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        return user
    now = timezone.now()
    for section in personal_data.sections():
        section.erase(user)
    login_sessions_end(user=user)
    user.claim_codes.all().delete()
    user.access_tokens.all().delete()
    RegionRole.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    user.consents.update(ip_address=None)
    AccountEvent.objects.filter(subject=user).update(ip_address=None)

    user.full_name = erased_name()
    user.first_name = user.last_name = ""
    user.username = f"erased-{uuid.uuid4().hex}"
    user.phone = None
    user.email = ""
    user.email_confirmed_at = user.phone_confirmed_at = None
    user.confirmed_email = user.confirmed_phone = ""
    user.date_of_birth = None
    user.home_region = None
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.erased_at = now
    user.save()
    if actor is not None and actor.pk == user.pk:
        actor = user
    for kind in (AccountEvent.Kind.CONSENT_WITHDRAWN, AccountEvent.Kind.ERASED):
        AccountEvent.objects.create(
            subject=user, actor=actor, kind=kind, at=now, detail=reason[:200]
        )
    return user
