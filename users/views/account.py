"""“Tài khoản của tôi”: the person's own details, contacts, password, signed-in
sessions, access tokens and account history."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core import throttle

from ..forms import (
    AccessTokenForm,
    AccountPasswordChangeForm,
    EmailForm,
    PhoneCodeForm,
    ProfileForm,
)
from ..models import AccessToken, AccountEvent, LoginSession, User
from ..scopes import is_official
from ..selectors import (
    access_tokens_of,
    account_history,
    can_see_data_exports,
    signed_in_sessions,
)
from ..services import (
    access_token_create,
    access_token_revoke,
    email_confirm,
    email_confirmation_send,
    login_session_rekey,
    login_sessions_end,
    phone_code_check,
    phone_code_send,
    user_email_set,
    user_password_set,
    user_profile_update,
)
from ..sms import sms_enabled

HISTORY_PAGE_SIZE = 30


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "users/account.html",
        {
            "account": user,
            "sms_enabled": sms_enabled(),
            "is_official": is_official(user),
            "has_tokens": access_tokens_of(user=user).exists(),
            "sees_data_exports": can_see_data_exports(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = user_profile_update(
                user=request.user,
                full_name=data["full_name"],
                home_region=data["home_region"],
                kind=data["kind"],
                date_of_birth=data["date_of_birth"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("Your details are saved."))
            return redirect("users:account")
    return render(request, "users/profile.html", {"form": form})


def _send_email_confirmation(request) -> bool:
    """Send the confirmation link within the limit; say what happened."""
    if refusal := throttle.hit({"confirm:account": request.user.pk}):
        messages.error(request, refusal.message)
        return False
    email_confirmation_send(user=request.user)
    messages.success(
        request,
        _(
            "We sent a link to %(email)s. Open it to confirm the address; it works "
            "for 3 days."
        )
        % {"email": request.user.email},
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def email(request):
    """Set or change the email, and send the link that confirms it."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "resend":
        if user.email and not user.email_confirmed:
            _send_email_confirmation(request)
        return redirect("users:email")
    form = EmailForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = user_email_set(
                user=user, email=form.cleaned_data["email"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed and user.email:
                _send_email_confirmation(request)
            elif changed:
                messages.success(request, _("Your email is removed."))
            return redirect("users:email")
    return render(request, "users/email.html", {"form": form, "account": user})


@require_http_methods(["GET", "POST"])
def email_confirm_view(request, token: str):
    """The link in the confirmation mail: a button confirms (a mail scanner that
    opens links confirms nothing)."""
    if request.method == "POST":
        user = email_confirm(token=token, request=request)
        if user is not None:
            return render(request, "users/email_confirmed.html", {"confirmed": True})
        return render(
            request, "users/email_confirmed.html", {"confirmed": False}, status=400
        )
    return render(request, "users/email_confirm.html", {"token": token})


@login_required
@require_http_methods(["GET", "POST"])
def phone(request):
    """Confirm the mobile number with a 6-digit code sent by text message."""
    user = request.user
    if not sms_enabled() or not user.phone:
        raise Http404
    form = PhoneCodeForm(
        request.POST if request.POST.get("action") == "check" else None
    )
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send":
        if refusal := throttle.hit({"confirm:account": user.pk}):
            messages.error(request, refusal.message)
        else:
            phone_code_send(user=user)
            messages.success(
                request,
                _("We sent a 6-digit code to %(phone)s. It works for 10 minutes.")
                % {"phone": user.phone_display},
            )
        return redirect("users:phone")
    if request.method == "POST" and form.is_valid():
        limit = {"confirm_code:account": user.pk}
        if refusal := throttle.refusal(limit):
            form.add_error("code", refusal.message)
            status = 429
        else:
            try:
                phone_code_check(
                    user=user, code=form.cleaned_data["code"], request=request
                )
            except ValidationError as error:
                throttle.record(limit)
                form.add_error("code", error)
            else:
                messages.success(request, _("Your mobile number is confirmed."))
                return redirect("users:account")
    return render(
        request, "users/phone.html", {"form": form, "account": user}, status=status
    )


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = AccountPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        user = user_password_set(
            user=request.user,
            password=form.cleaned_data["new_password1"],
            kind=AccountEvent.Kind.PASSWORD_CHANGED,
            actor=request.user,
            request=request,
            keep_session_key=old_key,
        )
        # A new session key for this browser; its row follows it.
        update_session_auth_hash(request, user)
        login_session_rekey(old_key=old_key, new_key=request.session.session_key)
        messages.success(
            request,
            _(
                "Your password is changed. Your other signed-in browsers and your "
                "access tokens no longer work."
            ),
        )
        return redirect("users:account")
    return render(request, "users/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request):
    """The browsers the person is signed in on; end one, or every other."""
    current = request.session.session_key
    if request.method == "POST":
        end = request.POST.get("end", "")
        if end == "others":
            ended = login_sessions_end(
                user=request.user,
                keep_session_key=current,
                request=request,
                record=True,
            )
        else:
            # Rows are named by their id: a session key is a password.
            row = get_object_or_404(
                LoginSession, pk=end if end.isdigit() else 0, user=request.user
            )
            ended = (
                login_sessions_end(
                    user=request.user,
                    only_key=row.session_key,
                    request=request,
                    record=True,
                )
                if row.session_key != current
                else 0
            )
        if ended:
            messages.success(request, _("Signed out there."))
        return redirect("users:sessions")
    return render(
        request,
        "users/sessions.html",
        {"sessions": signed_in_sessions(user=request.user, current_key=current)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The person's access tokens: revoke any; an official may make a coverage
    feed token, shown once."""
    user = request.user
    may_create = is_official(user) or user.is_superuser
    form = AccessTokenForm(
        request.POST if request.POST.get("action") == "create" else None
    )
    made = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(
            AccessToken, pk=request.POST.get("token") or 0, user=user
        )
        access_token_revoke(token=token, actor=user, request=request)
        messages.success(request, _("The token no longer works."))
        return redirect("users:tokens")
    if request.method == "POST" and request.POST.get("action") == "create":
        if not may_create:
            raise Http404
        if form.is_valid():
            token, raw = access_token_create(
                user=user,
                purpose=AccessToken.Purpose.COVERAGE_FEED,
                label=form.cleaned_data["label"],
                actor=user,
                request=request,
            )
            made = {"token": token, "raw": raw}
            form = AccessTokenForm()
    response = render(
        request,
        "users/tokens.html",
        {
            "tokens": access_tokens_of(user=user),
            "form": form if may_create else None,
            "made": made,
        },
    )
    # The page may show a token once: no cache keeps it.
    response["Cache-Control"] = "no-store"
    return response


# How the details recorded with an event read (channels, reasons, formats).
DETAILS = {
    "email": gettext_lazy("by email"),
    "sms": gettext_lazy("by text message"),
    "link": gettext_lazy("with a link sent to you"),
    "admin": gettext_lazy("from the administration site"),
    "admin:email": gettext_lazy("by email, from the administration site"),
    "admin:no-access": gettext_lazy("from the administration site; nothing was sent"),
    "none": gettext_lazy("nothing was sent: no confirmed email or mobile number"),
    "self": gettext_lazy("by yourself"),
    "retention": gettext_lazy("never used, after the period kept"),
    "json": "JSON",
    "xlsx": "Excel",
}


def _detail(event: AccountEvent) -> str:
    """Return the event's detail as the person reads it."""
    detail = event.detail
    if detail in DETAILS:
        return str(DETAILS[detail])
    if event.kind == AccountEvent.Kind.PROFILE_CHANGED:
        names = []
        for name in detail.split(","):
            try:
                names.append(str(User._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                names.append(name)
        return ", ".join(names)
    if event.kind == AccountEvent.Kind.RESET_REQUESTED:
        return ", ".join(str(DETAILS.get(part, part)) for part in detail.split(","))
    return detail


@login_required
def history(request):
    """What was done to the person's account, by whom and when."""
    page = Paginator(account_history(user=request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = [
        {
            "event": event,
            "by_self": event.actor_id == request.user.pk,
            "detail": _detail(event),
        }
        for event in page.object_list
    ]
    return render(request, "users/history.html", {"page": page, "events": events})
