from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .interchange import GIFT, MOODLE_XML
from .models import QuestionCategory, answer_key_errors
from .services import question_file_size_check


class QuestionAdminForm(WagtailAdminModelForm):
    """Check the answer key against the choices and accepted answers being saved,
    which the model's own ``clean()`` cannot see yet."""

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        if kind is None:
            return cleaned_data
        choices = self._kept_rows("choices")
        accepted = self._kept_rows("accepted_answers")
        errors = answer_key_errors(
            kind=kind,
            correct_flags=[bool(row.get("is_correct")) for row in choices],
            accepted_count=len(accepted),
            steps=len(self._kept_rows("steps")),
            pairs=[
                (row.get("prompt") or "", row.get("answer") or "")
                for row in self._kept_rows("pairs")
            ],
            gap_text=cleaned_data.get("text") or "",
            gap_words=len(self._kept_rows("gap_words")),
            numbers=[
                (row.get("value"), row.get("tolerance"), row.get("grade"))
                for row in self._kept_rows("numbers")
            ],
            regions=[
                (
                    bool(row.get("is_correct")),
                    row.get("x"),
                    row.get("y"),
                    row.get("width"),
                    row.get("height"),
                )
                for row in self._kept_rows("regions")
            ],
            has_image=cleaned_data.get("image") is not None,
        )
        if errors:
            raise ValidationError(errors)
        return cleaned_data

    def _kept_rows(self, name: str) -> list[dict]:
        formset = self.formsets.get(name)
        if formset is None:
            return []
        # The form is cleaned before its formsets; clean them now (it is cached).
        formset.is_valid()
        rows = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            rows.append(data)
        return rows


class EssayMarkForm(forms.Form):
    points = forms.DecimalField(
        label=_("points"), min_value=0, max_digits=5, decimal_places=2
    )
    comment = forms.CharField(
        label=_("comment for the learner"), required=False, widget=forms.Textarea
    )


class QuestionImportForm(forms.Form):
    AUTO = ""
    FORMAT_CHOICES = [
        (AUTO, _("Recognise from the file")),
        (GIFT, "GIFT"),
        (MOODLE_XML, "Moodle XML"),
    ]

    file = forms.FileField(
        label=_("question file"),
        help_text=_("Questions exported from Moodle, in Moodle XML or GIFT format."),
    )
    format = forms.ChoiceField(
        label=_("format"), choices=FORMAT_CHOICES, required=False
    )
    category = forms.ModelChoiceField(
        label=_("import beneath"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        help_text=_("Leave empty to keep the file's own categories at the top level."),
    )
    valid_only = forms.BooleanField(
        label=_("add the valid questions only"),
        required=False,
        help_text=_(
            "Unticked, one refused question means that none is added. A file with "
            "errors never adds anything."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        question_file_size_check(size=upload.size)
        return upload


class QuestionExportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        empty_label=_("The whole bank"),
        help_text=_("Its sub-categories are included."),
    )
