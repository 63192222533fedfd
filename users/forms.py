import datetime

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from core import throttle
from core.net import client_ip
from regions.models import Region
from regions.selectors import MAX_COMMUNE_CHOICES, commune_candidates

from .backends import canonical_identifier, find_user_for_login
from .consent import PERSONAL_DATA_CONSENT_TEXT
from .devices import is_known_device
from .models import LearnerKind, User
from .phone import looks_like_phone, normalise_phone
from .selectors import people_with_email
from .services import admin_password_reset_request


def consent_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=PERSONAL_DATA_CONSENT_TEXT,
        error_messages={
            "required": _("You must agree to the processing of your personal data.")
        },
    )


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("For example 0912 345 678. You log in with it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
        ),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kind = forms.ChoiceField(
        label=_("You are"), choices=LearnerKind.choices, widget=forms.RadioSelect
    )
    commune_query = forms.CharField(
        label=_("Commune or ward where you live"),
        max_length=100,
        help_text=_("Type a few letters, with or without accents, e.g. “dong hung”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Set when the person picks one unit from the suggestions.
    commune = forms.ModelChoiceField(
        queryset=Region.objects.current().filter(level=Region.Level.COMMUNE),
        required=False,
        widget=forms.HiddenInput,
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = consent_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune_choices = []

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise ValidationError(_("Enter your full name."))
        return name

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if User.objects.filter(phone=phone).exists():
            raise ValidationError(
                _(
                    "This mobile number already has an account. Log in, or ask your "
                    "teacher for your login card if they added you."
                ),
                code="phone_taken",
            )
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and people_with_email(email).exists():
            raise ValidationError(_("This email already has an account."))
        return email

    def clean(self):
        cleaned = super().clean()
        self._clean_commune(cleaned)
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(
                full_name=cleaned.get("full_name", ""),
                phone=cleaned.get("phone"),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def _clean_commune(self, cleaned):
        region = resolve_commune(self, cleaned)
        if region is not None:
            cleaned["home_region"] = region


def resolve_commune(form, cleaned) -> Region | None:
    """Return the commune a form's ``commune`` pick or ``commune_query`` names.

    When several units match, they are offered in ``form.commune_choices`` with
    an error on the query, for the person to pick one; nothing is guessed.
    """
    if cleaned.get("commune") is not None:
        return cleaned["commune"]
    query = cleaned.get("commune_query", "")
    if not query or "commune_query" in form.errors:
        return None
    matches = list(commune_candidates(query)[: MAX_COMMUNE_CHOICES + 1])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        form.add_error(
            "commune_query",
            _("No commune or ward matches “%(query)s”. Check the spelling.")
            % {"query": query},
        )
    elif len(matches) > MAX_COMMUNE_CHOICES:
        # The best ones still help: an exact name comes first.
        form.commune_choices = matches[:MAX_COMMUNE_CHOICES]
        form.add_error(
            "commune_query",
            _(
                "Many units match “%(query)s”. Type more of the name, or add the "
                "province, e.g. “dong hung hung yen”."
            )
            % {"query": query},
        )
    else:
        form.commune_choices = matches
        form.add_error(
            "commune_query",
            _("Several units match “%(query)s”. Choose yours below.")
            % {"query": query},
        )
    return None


class LoginLimitsMixin:
    """Refuse logins past the limits on wrong passwords.

    Besides django-axes' lock of one (account, address) pair, wrong passwords
    are counted from one client address across every account (``login:address``,
    password spraying) and against one account from every address
    (``login:account``); past either limit the form refuses before checking the
    password, saying how many minutes to wait. Only failures count; a success
    forgets the account's count. Every login form of the site has it: the
    learners', the Wagtail admin's and Django's admin's.
    """

    def _limits(self, username: str) -> dict[str, str | None]:
        user = find_user_for_login(self.request, username)
        account = (
            f"user:{user.pk}" if user else f"name:{canonical_identifier(username)}"
        )
        address = client_ip(self.request) if self.request is not None else ""
        if user and self.request is not None and is_known_device(self.request, user.pk):
            # The owner's own browser: a stranger's failures elsewhere do not
            # lock them out (users.devices); its address's limits still hold.
            account = None
        return {"login:address": address, "login:account": account}

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        limits = self._limits(username)
        if refusal := throttle.refusal(limits):
            raise ValidationError(refusal.message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record(limits)
            raise
        if user_id := getattr(self.get_user(), "pk", None):
            throttle.reset({"login:account": f"user:{user_id}"})
        return cleaned


class LoginForm(LoginLimitsMixin, AuthenticationForm):
    """Log in with a phone or email, within the limits on wrong passwords."""

    username = forms.CharField(
        label=_("Mobile number or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The mobile number, email or password is not right. Check them and "
            "try again."
        ),
        "inactive": _("This account is disabled."),
    }


class AdminLoginForm(LoginLimitsMixin, WagtailLoginForm):
    """The Wagtail admin's login, within the same limits (a sprayer would
    otherwise go there)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's password field has no label: Django's, from its name, is
        # English past any catalogue.
        self.fields["password"].label = _("Password")


class DjangoAdminLoginForm(LoginLimitsMixin, AdminAuthenticationForm):
    """Django's admin's login, within the same limits."""


class ClaimForm(forms.Form):
    """Claim a light account with the one-time code on its login card."""

    code = forms.CharField(
        label=_("Code on your card"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off"}
        ),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("The number your teacher has for you, if any."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
        ),
    )
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = consent_field()

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalise_phone(phone) if phone.strip() else None

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


# Password resets ---------------------------------------------------------------


class PasswordResetRequestForm(forms.Form):
    """Ask for a link to choose a new password."""

    identifier = forms.CharField(
        label=_("Mobile number or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"].strip()
        if looks_like_phone(identifier):
            normalise_phone(identifier)  # raises the message on the field
        return identifier


class NewPasswordForm(SetPasswordForm):
    """Choose a new password, with the site's words for it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 8 characters, not only digits."
        )
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""


class AccountPasswordChangeForm(NewPasswordForm, PasswordChangeForm):
    """Change the password: the old one first."""

    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("The current password is not right."),
        }


def has_admin_access(user) -> bool:
    return (
        user.is_active
        and user.erased_at is None
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


class AdminPasswordResetForm(WagtailPasswordResetForm):
    """The Wagtail admin's “forgot your password”: a link goes only to an active
    person with access to the admin. Anyone else gets the very same page and no
    mail: a learner resets with a confirmed contact on the site's own page, so
    an address a teacher typed onto their account opens nothing."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if has_admin_access(user))

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"]
        named = list(people_with_email(email).filter(is_active=True))
        sent_to = list(self.get_users(email))
        super().save(*args, request=request, **kwargs)
        admin_password_reset_request(users=named, sent_to=sent_to, request=request)


# My account ---------------------------------------------------------------------


class ProfileForm(forms.Form):
    """The person's own details they may correct."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    kind = forms.ChoiceField(
        label=_("You are"), choices=LearnerKind.choices, widget=forms.RadioSelect
    )
    commune_query = forms.CharField(
        label=_("Commune or ward where you live"),
        max_length=100,
        required=False,
        help_text=_("Type a few letters, with or without accents, e.g. “dong hung”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Set when the person picks one unit from the suggestions.
    commune = forms.ModelChoiceField(
        queryset=Region.objects.current().filter(level=Region.Level.COMMUNE),
        required=False,
        widget=forms.HiddenInput,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        help_text=_("As dd/mm/yyyy, for example 02/09/1990. Optional."),
        error_messages={
            "invalid": _("Write the date as dd/mm/yyyy, for example 02/09/1990.")
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"},
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "kind": user.kind,
                "commune_query": str(user.home_region) if user.home_region else "",
                "date_of_birth": user.date_of_birth,
            },
        )
        super().__init__(*args, **kwargs)
        self.commune_choices = []

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise ValidationError(_("Enter your full name."))
        return name

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born is None:
            return None
        if born > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if born < datetime.date(1900, 1, 1):
            raise ValidationError(_("Check the year of birth."))
        return born

    def clean(self):
        cleaned = super().clean()
        current = self.user.home_region
        query = cleaned.get("commune_query", "")
        if cleaned.get("commune") is not None:
            cleaned["home_region"] = cleaned["commune"]
        elif current is not None and query.strip() == str(current):
            cleaned["home_region"] = current
        elif not query.strip():
            if current is not None:
                self.add_error(
                    "commune_query", _("Type the commune or ward where you live.")
                )
            cleaned["home_region"] = None
        else:
            region = resolve_commune(self, cleaned)
            if region is not None:
                cleaned["home_region"] = region
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_(
            "We send a link to confirm it is yours. Password reset links go only "
            "to a confirmed email."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {"email": user.email})
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and people_with_email(email).exclude(pk=self.user.pk).exists():
            raise ValidationError(
                _("Another account already uses this email."), code="email_taken"
            )
        return email


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code in the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."), code="invalid_code")
        return code


class PasswordConfirmForm(forms.Form):
    """Ask for the person's password before something that cannot be undone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _("The password is not right."), code="password_incorrect"
            )
        return password


class ConsentForm(forms.Form):
    consent = consent_field()


class AccessTokenForm(forms.Form):
    label = forms.CharField(
        label=_("What will use the token"),
        max_length=100,
        help_text=_(
            "For example “Province dashboard” or “Zalo report”, to tell your "
            "tokens apart."
        ),
    )
