"""“Bài này có giúp bạn không?” in the Wagtail admin: a report of the lessons
learners answered, the most "no" answers first, for editors to improve.

Only people who may view lesson feedback (the Editors and Moderators groups,
courses migration 0012) open it; learners never see the comments.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from .models import CoursePage, LessonFeedback, LessonPage

# Comments shown for each lesson, the latest first.
LATEST_COMMENTS = 3


class LessonFeedbackFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.order_by("path"),
        method="filter_course",
        empty_label=_("All courses"),
    )

    class Meta:
        model = LessonPage
        fields = []

    def filter_course(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset


class LessonFeedbackReportView(ReportView):
    page_title = _("Lesson feedback")
    header_icon = "help"
    index_url_name = "lesson_feedback_report"
    index_results_url_name = "lesson_feedback_report_results"
    filterset_class = LessonFeedbackFilterSet
    permission_policy = ModelPermissionPolicy(LessonFeedback)
    permission_required = "view"
    columns = [
        TitleColumn("title", label=_("Lesson"), url_name="wagtailadmin_pages:edit"),
        Column("course_title", label=_("Course")),
        Column("no_count", label=_("No")),
        Column("yes_count", label=_("Yes")),
        Column("yes_share", label=_("Share of yes")),
        Column("latest_comments", label=_("Latest comments")),
    ]
    list_export = [
        "title",
        "course_title",
        "no_count",
        "yes_count",
        "yes_share",
        "latest_comments",
    ]
    export_headings = {
        "title": _("Lesson"),
        "course_title": _("Course"),
        "no_count": _("No"),
        "yes_count": _("Yes"),
        "yes_share": _("Share of yes"),
        "latest_comments": _("Latest comments"),
    }

    def get_filename(self):
        return "y-kien-bai-hoc"

    def get_base_queryset(self):
        return (
            LessonPage.objects.annotate(
                no_count=Count("feedback", filter=Q(feedback__helpful=False)),
                yes_count=Count("feedback", filter=Q(feedback__helpful=True)),
                last_answer_at=Max("feedback__updated_at"),
            )
            .filter(last_answer_at__isnull=False)
            .defer_streamfields()
        )

    def order_queryset(self, queryset):
        return queryset.order_by("-no_count", "-last_answer_at", "path")

    def decorate_paginated_queryset(self, object_list):
        lessons = list(object_list)
        steplen = Page.steplen
        courses = dict(
            Page.objects.filter(
                path__in={lesson.path[:-steplen] for lesson in lessons}
            ).values_list("path", "title")
        )
        comments = _latest_comments([lesson.pk for lesson in lessons])
        for lesson in lessons:
            lesson.course_title = courses.get(lesson.path[:-steplen], "")
            answers = lesson.no_count + lesson.yes_count
            lesson.yes_share = f"{round(100 * lesson.yes_count / answers)} %"
            lesson.latest_comments = " · ".join(comments.get(lesson.pk, []))
        return lessons


def _latest_comments(lesson_ids: list[int]) -> dict[int, list[str]]:
    """Return {lesson id: its latest comments}, in one query."""
    found: dict[int, list[str]] = {}
    rows = (
        LessonFeedback.objects.filter(lesson_id__in=lesson_ids)
        .exclude(comment="")
        .order_by("lesson_id", "-updated_at", "-pk")
        .values_list("lesson_id", "helpful", "comment")
    )
    for lesson_id, helpful, comment in rows.iterator():
        kept = found.setdefault(lesson_id, [])
        if len(kept) < LATEST_COMMENTS:
            mark = "+" if helpful else "−"
            kept.append(f"({mark}) {comment}")
    return found
