"""Courses and what learners do in them.

Editorial content is Wagtail pages: ``CourseIndexPage`` (the catalogue) >
``CoursePage`` > ``LessonPage``. Learner activity is ordinary models, kept apart
from what was assigned: ``Enrolment`` (a person is taking a course) and
``LessonProgress`` (what they did in each lesson). ``LessonFeedback`` is
whether a lesson helped, as learners and visitors answer under it.
"""

import hashlib

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.pagecache import mark_anonymous_cacheable, render_with_personal_parts
from core.routing import FastViewRestrictionsMixin
from core.search import FoldedSearchField
from core.slugs import AsciiSlugMixin
from users.models import LearnerKind

from .blocks import LessonStreamBlock, OutcomeStreamBlock


class Audience(models.Model):
    """A kind of learner a course is written for (seeded from LearnerKind)."""

    kind = models.CharField(
        _("kind of learner"), max_length=20, choices=LearnerKind.choices, unique=True
    )

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["id"]

    def __str__(self):
        return str(self.get_kind_display())

    @classmethod
    def ensure_all(cls) -> None:
        """Create the row of every learner kind that has none."""
        for kind in LearnerKind.values:
            cls.objects.get_or_create(kind=kind)


# How much more a word of a course's or a lesson's title weighs in search than
# a word of its text (Wagtail's own pages weigh their titles 2).
TITLE_BOOST = 5
# Letters of a comment on a lesson at most.
FEEDBACK_COMMENT_LENGTH = 500


class CourseIndexPage(AsciiSlugMixin, FastViewRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_courses

        context = super().get_context(request, *args, **kwargs)
        audience = request.GET.get("audience", "")
        if audience not in LearnerKind.values:
            audience = ""
        context["audience"] = audience
        context["audiences"] = LearnerKind.choices
        context["courses"] = catalogue_courses(
            index=self, user=request.user, audience=audience or None
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated:
            mark_anonymous_cacheable(response)
        return response


class CompletionRule(models.TextChoices):
    ALL_LESSONS = "all_lessons", _("Every lesson is marked done")
    LESSONS_AND_QUIZ = (
        "lessons_and_quiz",
        _("Every lesson is done and the final quiz passed"),
    )


class CoursePage(AsciiSlugMixin, FastViewRestrictionsMixin, RoutablePageMixin, Page):
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("Two or three sentences shown in the catalogue."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audiences = ParentalManyToManyField(
        Audience,
        verbose_name=_("audiences"),
        blank=True,
        help_text=_("Who the course is written for. Leave empty for everyone."),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"),
        default=30,
        help_text=_("About how long a learner needs for the whole course, in minutes."),
    )
    outcomes = StreamField(
        OutcomeStreamBlock(),
        verbose_name=_("learning outcomes"),
        blank=True,
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=30,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL_LESSONS,
        help_text=_("What a learner must do for the course to count as complete."),
    )
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("estimated_minutes"),
                FieldPanel("completion_rule"),
            ],
            heading=_("Audience and completion"),
        ),
    ]
    # Found with or without accents (core.search), the title weighing most.
    search_fields = [
        *Page.search_fields,
        FoldedSearchField("title", boost=TITLE_BOOST),
        index.SearchField("summary"),
        FoldedSearchField("summary"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(course_overview(course=self, user=request.user))
        context["quizzes"] = self.quizzes()
        return context

    @path("")
    def overview(self, request):
        response = self.render(request)
        if not request.user.is_authenticated:
            mark_anonymous_cacheable(response)
        return response

    @path("enrol/", name="enrol")
    def enrol(self, request):
        from .views import course_enrol

        return course_enrol(request, course=self)

    def lessons(self):
        """Return the course's live lessons in the order the editor gave them."""
        return LessonPage.objects.live().child_of(self).order_by("path")

    def quizzes(self):
        """Return the course's live quizzes in the order the editor gave them: its
        children other than lessons (``subpage_types``), as plain pages, so that
        courses need not know the quizzes app."""
        return Page.objects.live().child_of(self).not_type(LessonPage).order_by("path")


class LessonPage(AsciiSlugMixin, FastViewRestrictionsMixin, RoutablePageMixin, Page):
    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=300,
        help_text=_("One or two sentences on what the lesson teaches."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("content"))
    estimated_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"),
        default=5,
        help_text=_("About how long the lesson takes, in minutes."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        FoldedSearchField("title", boost=TITLE_BOOST),
        index.SearchField("intro"),
        FoldedSearchField("intro"),
        index.SearchField("body"),
        FoldedSearchField("body"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_navigation

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_navigation(lesson=self, user=request.user))
        return context

    @path("")
    def read(self, request):
        from .offline import is_prefetch
        from .selectors import feedback_answer
        from .services import lesson_visit_record

        context = self.get_context(request)
        # A copy fetched ahead of reading (the service worker keeping the
        # lesson offline) is not where the learner was.
        if context["enrolment"] is not None and not is_prefetch(request):
            lesson_visit_record(enrolment=context["enrolment"], lesson=self)
        if request.user.is_authenticated:
            # Their answer under the lesson, to see and change.
            context["feedback_answer"] = feedback_answer(user=request.user, lesson=self)
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            # The page as every learner sees it, from the cache, with this
            # learner's progress, menu and forms rendered for them alone.
            return render_with_personal_parts(
                request,
                self.get_template(request),
                context,
                personal_key=_personal_key(context),
            )
        response = TemplateResponse(request, self.get_template(request), context)
        if not request.user.is_authenticated:
            mark_anonymous_cacheable(response)
        return response

    @path("complete/", name="complete")
    def complete(self, request):
        from .views import lesson_complete

        return lesson_complete(request, lesson=self)

    def get_course(self) -> "CoursePage":
        course = CoursePage.objects.parent_of(self).first()
        if course is None:
            raise Http404
        return course

    def short_url(self) -> str:
        """Return the lesson's short absolute address (``/b/<id>/``), which its
        printed QR codes open: it follows the lesson when it is moved or
        renamed, and is short enough to type from paper."""
        path = reverse("lesson_short", args=[self.pk])
        return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _personal_key(context: dict) -> str:
    """Name all that a learner's own parts of a lesson show besides who they are
    and the published site: their progress, and their answer to “Bài này có
    giúp bạn không?”."""
    answer = context.get("feedback_answer")
    # The answer's comment as shown, too: erasing comments (personal_data)
    # changes them without changing updated_at.
    said = (
        "-"
        if answer is None
        else f"{answer.pk}:{answer.helpful}:{answer.updated_at.isoformat()}:"
        + hashlib.sha256(answer.comment.encode()).hexdigest()[:16]
    )
    return f"{_progress_key(context)}|{said}"


def _progress_key(context: dict) -> str:
    """Name all that a learner's own parts of a lesson show besides who they are
    and the published site: their enrolment and the lessons they have done."""
    enrolment = context["enrolment"]
    if enrolment is None:
        return "-"
    done = ",".join(str(pk) for pk in sorted(context["done_ids"]))
    return f"{enrolment.pk}:{enrolment.completed_at}:{done}"


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # When the learner last started the course over (certificates.services.
    # enrolment_restart); quiz attempts finished before it no longer count.
    restarted_at = models.DateTimeField(_("restarted at"), null=True, blank=True)
    # Where the learner was last, so they come back to exactly that lesson.
    last_lesson = models.ForeignKey(
        LessonPage,
        verbose_name=_("last lesson opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # The learner's unit and kind when they enrolled, as certificates snapshot
    # them at issue: coverage reports count enrolments here, so moving house
    # later does not move past enrolments (services.enrolment_create sets them).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("unit at enrolment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # enrolment_report_idx starts with it
    )
    learner_kind = models.CharField(
        _("kind of learner at enrolment"),
        max_length=20,
        choices=LearnerKind.choices,
        blank=True,
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="enrolment_unique_user_course"
            ),
        ]
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            # Coverage reports count the enrolments started in a period from
            # their own counts by day (reports.EnrolmentDay and its kin), and
            # the completed ones from this index of completed enrolments alone
            # (a sixth of them).
            models.Index(
                fields=["region", "enrolled_at"],
                include=["learner_kind", "course", "completed_at"],
                condition=models.Q(completed_at__isnull=False),
                name="enrolment_completed_report_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.course}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        LessonPage,
        verbose_name=_("lesson"),
        on_delete=models.PROTECT,
        related_name="progress",
    )
    first_viewed_at = models.DateTimeField(_("first opened"), auto_now_add=True)
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="lesson_progress_unique"
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.lesson}"


class LessonFeedback(models.Model):
    """An answer to “Bài này có giúp bạn không?” under a lesson: one per learner,
    or per browser of an anonymous visitor, changed by answering again. Its
    comment is for the lesson's editors only."""

    lesson = models.ForeignKey(
        LessonPage,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # An anonymous visitor's browser: a random key in a cookie sent to the
    # feedback address alone (courses.views.lesson_feedback); "" for a learner.
    visitor = models.CharField(_("anonymous visitor"), max_length=32, blank=True)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(
        _("comment"), max_length=FEEDBACK_COMMENT_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("first answered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("lesson feedback")
        verbose_name_plural = _("lesson feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "user"],
                condition=models.Q(user__isnull=False),
                name="lesson_feedback_unique_user",
            ),
            models.UniqueConstraint(
                fields=["lesson", "visitor"],
                condition=models.Q(user__isnull=True),
                name="lesson_feedback_unique_visitor",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(visitor=""),
                name="lesson_feedback_someone",
            ),
        ]

    def __str__(self):
        return f"{self.lesson} · {'+' if self.helpful else '-'}"
