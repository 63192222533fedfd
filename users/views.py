from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from core.net import client_ip

from .forms import ClaimForm, LoginForm, SignupForm
from .services import account_claim, user_register


def _next_url(request) -> str:
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
        return redirect(_next_url(request) or "/")
    return render(
        request, "users/signup.html", {"form": form, "next": _next_url(request)}
    )


class PhoneLoginView(LoginView):
    form_class = LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True


@sensitive_post_parameters("code", "password1", "password2")
def claim(request):
    """“Nhận tài khoản”: a person added by a teacher sets their own password with
    the one-time code on their login card, and is logged in."""
    form = ClaimForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_claim(
                code=data["code"], phone=data["phone"], password=data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="users.backends.PhoneOrEmailBackend")
            messages.success(
                request,
                _("Welcome, %(name)s! Your account is ready.")
                % {"name": user.get_short_name()},
            )
            return redirect("courses:my_learning")
    return render(request, "users/claim.html", {"form": form})
