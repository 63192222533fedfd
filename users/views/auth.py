"""Signing up, logging in, claiming a light account and resetting a password."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, LoginView
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views import account as wagtail_account

from core import throttle
from core.net import client_ip

from ..backends import canonical_identifier, find_user_by_identifier
from ..forms import (
    ClaimForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignupForm,
    has_admin_access,
)
from ..models import AccountEvent
from ..services import (
    account_claim,
    account_event_record,
    claim_code_find,
    login_sessions_end,
    password_reset_request,
    user_password_set,
    user_register,
)
from ..tokens import learner_reset_tokens

# Claim errors that are a wrong guess (of the code, or of the phone that goes
# with it), counted by the claim limits; a weak password is not a guess.
CLAIM_GUESSES = {"invalid_code", "used", "phone_mismatch", "phone_taken"}


def safe_next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return ""


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("courses:my_learning")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = user_register(
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            kind=data["kind"],
            home_region=data["home_region"],
            password=data["password1"],
            ip_address=client_ip(request),
        )
        login(request, user, backend="users.backends.PhoneOrEmailBackend")
        messages.success(
            request,
            _("Welcome, %(name)s! Your account is ready.")
            % {"name": user.get_short_name()},
        )
        return redirect(safe_next_url(request) or "/")
    return render(
        request, "users/signup.html", {"form": form, "next": safe_next_url(request)}
    )


class PhoneLoginView(LoginView):
    form_class = LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """A teacher lands on their classes; everyone else on their learning."""
        if self.request.user.has_perm("classes.add_trainingclass"):
            return resolve_url("classes:list")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


def _claim_limits(request, data) -> dict[str, str | list[str]]:
    """Return the claim limits for what was typed: the client address, and the
    targets (the phone typed, the account the code names)."""
    targets = []
    if data.get("phone"):
        targets.append(f"phone:{data['phone']}")
    found = claim_code_find(code=data["code"])
    if found is not None:
        targets.append(f"user:{found.user_id}")
    return {"claim:address": client_ip(request), "claim:target": targets}


@sensitive_post_parameters("code", "password1", "password2")
def claim(request):
    """“Nhận tài khoản”: a person added by a teacher sets their own password with
    the one-time code on their login card, agrees to the processing of their
    data, and is logged in.

    Wrong codes are limited per client address and per target (the phone typed,
    and the account when the code names one).
    """
    form = ClaimForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        limits = _claim_limits(request, data)
        if refusal := throttle.refusal(limits):
            form.add_error(None, refusal.message)
            status = 429
        else:
            try:
                user = account_claim(
                    code=data["code"],
                    phone=data["phone"],
                    password=data["password1"],
                    request=request,
                )
            except ValidationError as error:
                if error.code in CLAIM_GUESSES:
                    throttle.record(limits)
                form.add_error(None, error)
            else:
                login(request, user, backend="users.backends.PhoneOrEmailBackend")
                messages.success(
                    request,
                    _("Welcome, %(name)s! Your account is ready.")
                    % {"name": user.get_short_name()},
                )
                return redirect("courses:my_learning")
    return render(request, "users/claim.html", {"form": form}, status=status)


# Password reset for learners --------------------------------------------------------


def password_reset(request):
    """“Quên mật khẩu?”: a link goes to each contact the person confirmed
    themselves. The answer is the same whether the account exists or not, and
    whatever contacts it has."""
    form = PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        refusal = throttle.hit(
            {
                "password_reset:address": client_ip(request),
                "password_reset:account": canonical_identifier(identifier),
            }
        )
        if refusal:
            form.add_error(None, refusal.message)
            status = 429
        else:
            password_reset_request(
                user=find_user_by_identifier(identifier), request=request
            )
            return redirect("users:password_reset_sent")
    return render(request, "users/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request):
    return render(request, "users/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password with a learner's reset link. It ends the person's
    other signed-in sessions and their access tokens, and is recorded."""

    form_class = NewPasswordForm
    token_generator = learner_reset_tokens
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active or user.erased_at is not None:
            return None
        return user

    def form_valid(self, form):
        user_password_set(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            kind=AccountEvent.Kind.PASSWORD_RESET,
            request=self.request,
            detail="link",
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            _("Your new password is set. Log in with it."),
        )
        return HttpResponseRedirect(self.get_success_url())


# Password reset of the Wagtail admin ------------------------------------------------


class AdminPasswordResetView(wagtail_account.PasswordResetView):
    """The admin's “forgot your password”, within the reset limits (the form,
    users.forms.AdminPasswordResetForm, sends only to people with admin access)."""

    def form_valid(self, form):
        refusal = throttle.hit(
            {
                "password_reset:address": client_ip(self.request),
                "password_reset:account": form.cleaned_data["email"].lower(),
            }
        )
        if refusal:
            form.add_error("email", refusal.message)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class AdminPasswordResetConfirmView(wagtail_account.PasswordResetConfirmView):
    """The admin's reset link: only for people with admin access; the new
    password ends their other sessions and is recorded."""

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and has_admin_access(user) else None

    def form_valid(self, form):
        response = super().form_valid(form)
        login_sessions_end(user=self.user)
        account_event_record(
            subject=self.user,
            kind=AccountEvent.Kind.PASSWORD_RESET,
            request=self.request,
            detail="admin",
        )
        return response
