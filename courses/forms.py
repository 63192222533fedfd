from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FEEDBACK_COMMENT_LENGTH, CoursePage, LessonPage
from .paper import POSTER_MAX


class LessonCompleteForm(forms.Form):
    # "1" marks the lesson done, "0" takes the mark back.
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", initial="1"
    )


class PosterFilterForm(forms.Form):
    """Which lessons the poster form lists."""

    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("path"),
        required=False,
        empty_label=_("All courses"),
    )
    q = forms.CharField(label=_("Lesson title contains"), required=False)


class QrPosterForm(forms.Form):
    """A poster of lessons' QR codes: its title, and the lessons, ticked in the
    list the filters show or all of that list at once."""

    title = forms.CharField(
        label=_("Poster title"),
        max_length=150,
        initial=_("Guides to online public services at the one-stop shop"),
    )
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons"),
        queryset=LessonPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_shown = forms.BooleanField(
        label=_("Every published lesson in the list"), required=False
    )

    def __init__(self, *args, shown: list[LessonPage], **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown
        self.fields["lessons"].queryset = LessonPage.objects.filter(
            pk__in=[lesson.pk for lesson in shown]
        )
        self.fields["lessons"].choices = [
            (
                lesson.pk,
                lesson.title
                if lesson.live
                else _("%(title)s (not published)") % {"title": lesson.title},
            )
            for lesson in shown
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = {lesson.pk: lesson for lesson in cleaned.get("lessons") or []}
        if cleaned.get("all_shown"):
            chosen.update({lesson.pk: lesson for lesson in self.shown if lesson.live})
        if not chosen:
            self.add_error(
                "lessons", _("Choose at least one lesson: tick it in the list.")
            )
            return cleaned
        drafts = [lesson.title for lesson in chosen.values() if not lesson.live]
        if drafts:
            self.add_error(
                "lessons",
                _(
                    "Not published yet, so its QR code would open nothing: "
                    "%(titles)s. Publish it first or leave it out."
                )
                % {"titles": "; ".join(f"“{title}”" for title in drafts)},
            )
        if len(chosen) > POSTER_MAX:
            self.add_error(
                "lessons",
                _(
                    "A poster holds at most %(max)s QR codes; %(count)s lessons "
                    "are chosen. Make two posters."
                )
                % {"max": POSTER_MAX, "count": len(chosen)},
            )
        cleaned["chosen"] = list(chosen.values())
        return cleaned


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
