"""Forms of the reports: the dashboard's filters, a unit's target and a unit's
outcome figures."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from regions.models import Region
from users.models import LearnerKind

from .models import OutcomeFigure, OutcomePeriod, Target, TargetKind
from .selectors.filters import ReportFilters, default_period
from .services import outcome_counts_errors, outcome_period_error

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A report over more than this many days is refused: it is no longer weekly work.
MAX_PERIOD_DAYS = 3 * 366


class ReportFilterForm(forms.Form):
    """The dashboard's filters, read from the query string.

    Every field is optional; a bad value gets a message on its field and its
    default is used instead (``to_filters``), so the page still shows figures.
    """

    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.live().order_by("title"),
        required=False,
        empty_label=_("All courses"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of learner"),
        choices=[("", _("Everyone")), *LearnerKind.choices],
        required=False,
    )

    def __init__(self, data=None, *, today: datetime.date | None = None, **kwargs):
        self.default_start, self.default_end = default_period(today)
        # The date fields show the period the figures are for, the default one
        # too, rather than standing empty while it is in force.
        data = {key: data.get(key) for key in data} if data is not None else {}
        for name, default in (("start", self.default_start), ("end", self.default_end)):
            if not data.get(name):
                data[name] = default.isoformat()
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start") or self.default_start
        end = cleaned.get("end") or self.default_end
        if "start" in cleaned and "end" in cleaned and start > end:
            self.add_error("end", _("The end date must not be before the start date."))
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("start", _("Choose a period of at most three years."))
        return cleaned

    def to_filters(self, region: Region) -> ReportFilters:
        """Return the filters, with the default in place of any bad or missing
        value."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        start = cleaned.get("start") if "start" not in self.errors else None
        end = cleaned.get("end") if "end" not in self.errors else None
        start, end = start or self.default_start, end or self.default_end
        if start > end:
            start, end = self.default_start, self.default_end
        return ReportFilters(
            region=region,
            start=start,
            end=end,
            course=cleaned.get("course") if "course" not in self.errors else None,
            kind=(cleaned.get("kind") or None) if "kind" not in self.errors else None,
        )


class TargetForm(forms.ModelForm):
    """A target for one unit of the official's subtree."""

    class Meta:
        model = Target
        fields = ["region", "kind", "course", "due_on", "people"]
        widgets = {"due_on": DATE_INPUT}

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(is_current=True).order_by(
            "path"
        )
        self.fields["region"].label_from_instance = _unit_label
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["course"].empty_label = _("Any course")
        self.fields["kind"].choices = TargetKind.choices

    def validate_unique(self):
        # target_set replaces the number of a target set for the same four.
        pass


class OutcomeFigureForm(forms.ModelForm):
    """One unit's one-stop-shop figures of a week or month."""

    class Meta:
        model = OutcomeFigure
        fields = [
            "region",
            "period",
            "period_start",
            "received",
            "received_online",
            "processed_online",
            "paid_online",
        ]
        widgets = {"period_start": DATE_INPUT}

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(is_current=True).order_by(
            "path"
        )
        self.fields["region"].label_from_instance = _unit_label
        self.fields["period"].choices = OutcomePeriod.choices
        for name in ("received", "received_online", "processed_online", "paid_online"):
            self.fields[name].widget.attrs.update(inputmode="numeric", min=0)

    def clean(self):
        cleaned = super().clean()
        period, start = cleaned.get("period"), cleaned.get("period_start")
        if period and start:
            problem = outcome_period_error(period, start)
            if problem:
                self.add_error("period_start", problem)
        counts = {
            name: cleaned.get(name)
            for name in (
                "received",
                "received_online",
                "processed_online",
                "paid_online",
            )
        }
        if all(value is not None for value in counts.values()):
            for name, message in outcome_counts_errors(counts).items():
                self.add_error(name, message)
        return cleaned

    def validate_unique(self):
        # outcome_figure_set replaces the figures set for the same period.
        pass

    def _post_clean(self):
        # The database's checks are said above, field by field; the model's own
        # constraint validation would repeat them without naming the field.
        pass


def _unit_label(region: Region) -> str:
    if region.level == Region.Level.PROVINCE:
        return region.name
    return f"— {region.name}"
