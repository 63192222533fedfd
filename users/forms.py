from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .consent import PERSONAL_DATA_CONSENT_TEXT
from .models import LearnerKind, User
from .phone import normalise_phone

# More candidates than this and the person is asked to type more letters.
MAX_COMMUNE_CHOICES = 8


def commune_candidates(query: str):
    """Return the current communes matching what was typed, best first."""
    return (
        Region.objects.current()
        .filter(level=Region.Level.COMMUNE)
        .search(query)
        .select_related("parent")
        .order_by("name", "path")
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
    consent = forms.BooleanField(
        label=PERSONAL_DATA_CONSENT_TEXT,
        error_messages={
            "required": _("You must agree to the processing of your personal data.")
        },
    )

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
        if email and User.objects.filter(email__iexact=email).exists():
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


class LoginForm(AuthenticationForm):
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

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalise_phone(phone) if phone.strip() else None

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
