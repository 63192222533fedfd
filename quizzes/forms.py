from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import answer_key_errors


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
