from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.viewsets import ReadOnlyModelViewSet

from .forms import QuestionAdminForm
from .models import Question, QuestionCategory, QuizAttempt, QuizPage
from .views import (
    EssayMarkingView,
    ItemAnalysisView,
    QuestionImportJobView,
    QuestionImportResumeView,
    QuestionImportView,
)


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["__str__", "parent"]
    search_fields = ["name"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "kind", "category"]
    list_filter = ["kind", "category"]
    # No ``search_fields`` here: the listing then searches the question's own
    # index (``Question.search_fields``: its text). Naming fields would pass them
    # to the search backend, whose SQLite version takes them for columns of its
    # full-text table and fails with "no such column"
    # (wagtail/django-modelsearch#47).
    copy_view_enabled = True
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionAdminForm)


class QuestionBankGroup(SnippetViewSetGroup):
    """The question bank: questions reusable across quizzes, in categories."""

    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 250


register_snippet(QuestionBankGroup)


class QuizAttemptViewSet(ReadOnlyModelViewSet):
    """Who took which quiz and how they did; written by learners' own actions, so
    read-only here."""

    model = QuizAttempt
    icon = "tasks"
    menu_label = _("Quiz attempts")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["user", "quiz", "number", "state", "score", "passed"]
    list_filter = ["state", "passed"]
    search_fields = ["user__full_name", "user__phone", "user__email"]
    inspect_view_fields = [
        "user",
        "quiz",
        "number",
        "state",
        "started_at",
        "deadline",
        "submitted_at",
        "score",
        "passed",
        "pass_mark",
    ]


@hooks.register("register_admin_viewset")
def register_quiz_attempt_viewset():
    return QuizAttemptViewSet("quiz_attempts")


@hooks.register("register_admin_urls")
def register_essay_marking_url():
    return [
        path("quizzes/marking/", EssayMarkingView.as_view(), name="quizzes_marking"),
        path("quizzes/import/", QuestionImportView.as_view(), name="quizzes_import"),
        path(
            "quizzes/import/<int:pk>/",
            QuestionImportJobView.as_view(),
            name="quizzes_import_job",
        ),
        path(
            "quizzes/import/<int:pk>/resume/",
            QuestionImportResumeView.as_view(),
            name="quizzes_import_resume",
        ),
        path(
            "quizzes/results/", ItemAnalysisView.as_view(), name="quizzes_item_analysis"
        ),
    ]


@hooks.register("register_admin_urls")
def register_hotspot_picture_url():
    from .bank_views import hotspot_picture

    return [
        path(
            "quizzes/hotspot-picture/<int:pk>/",
            hotspot_picture,
            name="quizzes_hotspot_picture",
        ),
    ]


@hooks.register("insert_editor_js")
def hotspot_editor_js():
    """The drawing of hotspot regions on the question editor's picture."""
    return format_html(
        '<script src="{}" data-hotspot-image-url="{}" defer></script>',
        static("js/hotspot-editor.js"),
        reverse("quizzes_hotspot_picture", args=[0]),
    )


@hooks.register("register_admin_urls")
def register_question_export_url():
    from .bank_views import QuestionExportView

    return [
        path("quizzes/export/", QuestionExportView.as_view(), name="quizzes_export"),
    ]


class EssayMarkingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.mark_essays")


@hooks.register("register_admin_menu_item")
def register_essay_marking_menu_item():
    return EssayMarkingMenuItem(
        _("Essays to mark"),
        reverse("quizzes_marking"),
        icon_name="edit",
        order=320,
    )


class QuestionImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.add_question")


@hooks.register("register_admin_menu_item")
def register_question_import_menu_item():
    return QuestionImportMenuItem(
        _("Import questions"),
        reverse("quizzes_import"),
        icon_name="download",
        order=330,
    )


class ItemAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.view_all_results")


@hooks.register("register_admin_menu_item")
def register_item_analysis_menu_item():
    return ItemAnalysisMenuItem(
        _("Quiz results"),
        reverse("quizzes_item_analysis"),
        icon_name="tasks",
        order=315,
    )


@hooks.register("register_page_listing_more_buttons")
def item_analysis_page_button(page, user, next_url=None):
    """Offer a quiz's item analysis from its row in the page listing."""
    model = page.specific_class
    if (
        model
        and issubclass(model, QuizPage)
        and user.has_perm("quizzes.view_all_results")
    ):
        yield Button(
            _("Results by question"),
            url=f"{reverse('quizzes_item_analysis')}?quiz={page.pk}",
            icon_name="tasks",
            priority=55,
        )
