from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from regions.models import Region
from users.forms import resolve_commune
from users.models import User
from users.phone import normalise_phone

from .models import AttendanceStatus, Organisation, TrainingClass
from .scopes import can_create_class

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TrainingClassForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    courses = forms.ModelMultipleChoiceField(
        label=_("Courses"),
        queryset=CoursePage.objects.live().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
    )
    commune_query = forms.CharField(
        label=_("Commune or ward (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "Where the class counts in reports, if not the organisation's unit. "
            "Type a few letters, with or without accents."
        ),
    )
    # Set when the teacher picks one unit from the suggestions.
    commune = forms.ModelChoiceField(
        queryset=Region.objects.current().filter(level=Region.Level.COMMUNE),
        required=False,
        widget=forms.HiddenInput,
    )
    co_teacher_phones = forms.CharField(
        label=_("Co-teachers (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The mobile numbers of the other teachers, one per line."),
    )

    class Meta:
        model = TrainingClass
        fields = [
            "name",
            "organisation",
            "courses",
            "mode",
            "starts_on",
            "ends_on",
            "audience_kind",
        ]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune_choices = []

    def clean_co_teacher_phones(self):
        """Return the teachers the numbers name. Only people who may teach can
        co-teach, and nothing of theirs changes; the message does not say
        whether someone else has the number."""
        teachers = []
        for line in self.cleaned_data["co_teacher_phones"].splitlines():
            if not line.strip():
                continue
            phone = normalise_phone(line)
            user = User.objects.filter(phone=phone, is_active=True).first()
            if user is None or not can_create_class(user):
                raise ValidationError(
                    _(
                        "%(phone)s is not the number of a teacher on the platform. "
                        "Ask them to check the number they log in with."
                    ),
                    params={"phone": line.strip()},
                )
            teachers.append(user)
        return teachers

    def clean(self):
        data = super().clean()
        data["region"] = resolve_commune(self, data)
        if data.get("starts_on") and data.get("ends_on"):
            if data["ends_on"] < data["starts_on"]:
                self.add_error("ends_on", _("The class cannot end before it starts."))
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    day = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start = forms.TimeField(label=_("Starts at"), widget=TIME_INPUT)
    end = forms.TimeField(label=_("Ends at"), widget=TIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The session must end after it starts."))
        return data


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (XLSX or CSV)"),
        help_text=_(
            "Columns: Họ và tên (required), Số điện thoại, Ngày sinh (dd/mm/yyyy), "
            "Lớp, Xã/Phường, Email."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class RosterApplyForm(forms.Form):
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: add nobody if any row has an error"), required=False
    )
    fill_blanks = forms.BooleanField(
        label=_("Fill in the empty details of people already registered"),
        required=False,
    )


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalise_phone(phone) if phone.strip() else ""

    def clean(self):
        data = super().clean()
        if not data.get("full_name", "").strip() and not data.get("phone"):
            raise ValidationError(_("Give at least the full name."))
        return data


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off"}
        ),
    )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
