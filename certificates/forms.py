from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    # No length or pattern check here: a malformed code must be answered exactly
    # as an unknown one (see views.verify).
    code = forms.CharField(
        label=_("Certificate code"),
        help_text=_("The code printed under the QR code, for example K7QM-4XPD-9HT2."),
        error_messages={"required": _("Type the code printed on the certificate.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        ),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        help_text=_("Shown on the public verification page. Write it plainly."),
        max_length=500,
        error_messages={"required": _("Give the reason for revoking the certificate.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
