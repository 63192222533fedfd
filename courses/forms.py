from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FEEDBACK_COMMENT_LENGTH


class LessonCompleteForm(forms.Form):
    # "1" marks the lesson done, "0" takes the mark back.
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", initial="1"
    )


class LessonFeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Did this lesson help you?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Yes or No.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=FEEDBACK_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the people who write the lessons read it."),
        error_messages={
            "max_length": _(
                "Keep the comment under %(limit_value)d characters "
                "(it has %(show_value)d)."
            )
        },
    )
