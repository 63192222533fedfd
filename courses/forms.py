from django import forms


class LessonCompleteForm(forms.Form):
    # "1" marks the lesson done, "0" takes the mark back.
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", initial="1"
    )
