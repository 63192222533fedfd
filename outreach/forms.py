from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from users.forms import resolve_commune
from users.models import User
from users.scopes import regions_visible_to

from .consent import CONSENT_TEXT
from .models import Campaign, HelpAction, HelpRelation, ProcedureField

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class HelpRecordForm(forms.Form):
    """One helped person, in a few taps: the date and commune come filled in."""

    helped_on = forms.DateField(
        label=_("Date"),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Write the date as dd/mm/yyyy, for example 02/09/2026."),
        },
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    commune_query = forms.CharField(
        label=_("Commune or ward of the helped person"),
        max_length=100,
        help_text=_("Type a few letters, with or without accents, e.g. “dong hung”."),
        error_messages={"required": _("Enter the commune or ward.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    commune = forms.ModelChoiceField(
        queryset=Region.objects.current().filter(level=Region.Level.COMMUNE),
        required=False,
        widget=forms.HiddenInput,
    )
    action = forms.ChoiceField(
        label=_("What was done"),
        choices=HelpAction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was done.")},
    )
    procedure_field = forms.ModelChoiceField(
        label=_("Procedure field of the dossier"),
        queryset=ProcedureField.objects.filter(active=True),
        required=False,
        empty_label=_("— Choose —"),
    )
    relation = forms.ChoiceField(
        label=_("The helped person is"),
        choices=HelpRelation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the helped person is.")},
    )
    consent = forms.BooleanField(
        label=_("The helped person agrees to give their name and phone"),
        required=False,
        help_text=CONSENT_TEXT,
    )
    helped_name = forms.CharField(
        label=_("Name of the helped person (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    helped_phone = forms.CharField(
        label=_("Phone of the helped person (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "type": "tel", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        # The helper's commune with its province, in one query (its name shows).
        self.home = (
            Region.objects.select_related("parent")
            .filter(pk=user.home_region_id, level=Region.Level.COMMUNE)
            .first()
            if user.home_region_id
            else None
        )
        kwargs.setdefault(
            "initial",
            {
                "helped_on": timezone.localdate(),
                "commune_query": str(self.home) if self.home else "",
            },
        )
        super().__init__(*args, **kwargs)
        self.commune_choices = []

    def clean(self):
        cleaned = super().clean()
        home = self.home
        if (
            cleaned.get("commune") is None
            and home is not None
            and cleaned.get("commune_query") == str(home)
        ):
            # The default, left as it was: the helper's own commune.
            region = home
        else:
            region = resolve_commune(self, cleaned)
        if region is not None:
            cleaned["region"] = region
        return cleaned


class CampaignForm(forms.ModelForm):
    """A campaign over one of the units the official answers for."""

    starts_on = forms.DateField(
        label=_("Starts on"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "region",
            "starts_on",
            "ends_on",
            "target_trained",
            "target_helped",
            "target_online_share",
        ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user).filter(
            is_current=True
        )
        self.fields["region"].error_messages["invalid_choice"] = _(
            "Choose a unit you answer for."
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The campaign must end on or after its start."))
        share = cleaned.get("target_online_share")
        if share is not None and not 0 <= share <= 100:
            self.add_error(
                "target_online_share", _("Enter a percentage from 0 to 100.")
            )
        return cleaned
