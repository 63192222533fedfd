"""The person's data: their consent, downloading it, deleting the account, and,
for officials, the record of files of personal data taken in their units."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from core.net import client_ip

from .. import personal_data
from ..forms import ConsentForm, PasswordConfirmForm
from ..middleware import remember_consent
from ..models import AccountEvent
from ..selectors import can_see_data_exports, data_exports_visible_to
from ..services import account_event_record, consent_record, user_erase
from .auth import safe_next_url

DATA_LOG_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    """Ask the person to agree to the current consent text; until they do, every
    page brings them here (users.middleware). They may log out or delete their
    account instead."""
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_record(user=request.user, ip_address=client_ip(request) or None)
        remember_consent(request, request.user)
        messages.success(request, _("Thank you. Your consent is recorded."))
        return redirect(safe_next_url(request) or "courses:my_learning")
    return render(
        request,
        "users/consent.html",
        {
            "form": form,
            "next": safe_next_url(request),
            "version": settings.PERSONAL_DATA_CONSENT_VERSION,
        },
    )


@login_required
@require_GET
def data_download(request, fmt: str):
    """Everything the platform holds about the person, as JSON or XLSX."""
    user = request.user
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        body, content_type = personal_data.as_json(user), "application/json"
    else:
        body, content_type = personal_data.as_xlsx(user), XLSX
    account_event_record(
        subject=user,
        kind=AccountEvent.Kind.DATA_DOWNLOADED,
        actor=user,
        request=request,
        detail=fmt,
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="du-lieu-cua-toi-{stamp}.{fmt}"'
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Withdraw consent and delete the account, with the password to confirm."""
    user = request.user
    if user.is_superuser:
        return render(request, "users/delete_account.html", {"refused": True})
    form = PasswordConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user_erase(user=user, actor=user, reason="self")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            return redirect("users:deleted")
    return render(request, "users/delete_account.html", {"form": form})


@require_GET
def deleted(request):
    return render(request, "users/deleted.html")


@login_required
@require_GET
def data_log(request):
    """“Who looked”: the files of personal data taken about people of the
    official's units, newest first."""
    if not can_see_data_exports(request.user):
        raise Http404
    page = Paginator(
        data_exports_visible_to(request.user), DATA_LOG_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "users/data_log.html", {"page": page})
