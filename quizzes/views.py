"""The learner's side of a quiz: start, answer screen by screen, submit, result.

``QuizPage`` routes hand each request to one of these functions, which read the
form and call a service; nothing here computes a score.
"""

import math

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import EssayMarkForm, QuestionImportForm
from .imports import (
    ACTIVE,
    can_import,
    can_resume,
    import_report,
    is_stalled,
    question_import_resume,
    question_import_start,
    question_imports,
)
from .integrity import client_hashes, unusual_attempts, unusual_attempts_by_class
from .models import (
    CHOICE_TYPES,
    PROCEDURE_TYPES,
    AttemptState,
    QuestionType,
    QuizAttempt,
    QuizLayout,
    QuizPage,
    ShowAnswers,
)
from .selectors import (
    answer_reviews,
    attempt_get,
    attempt_questions,
    attempts_submitted,
    category_results,
    course_completed_by,
    essays_awaiting_marking,
    quiz_item_analysis,
    quiz_overview,
)
from .services import (
    essay_mark,
    quiz_answer_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)


def _own_attempt(request, quiz: QuizPage, attempt_id: int) -> QuizAttempt:
    attempt = QuizAttempt.objects.filter(
        pk=attempt_id, quiz=quiz, user=request.user
    ).first()
    if attempt is None:
        raise Http404
    return attempt


def _attempt_url(quiz: QuizPage, attempt: QuizAttempt, name="attempt") -> str:
    return quiz.url + quiz.reverse_subpage(name, args=[attempt.pk])


@login_required
def my_results(request):
    """The learner's quiz results: each attempt, and the share right per question
    category, so they see which topics to go over again."""
    attempts = attempts_submitted(user=request.user)
    return TemplateResponse(
        request,
        "quizzes/my_results.html",
        {"attempts": attempts, "categories": category_results(user=request.user)},
    )


def quiz_overview_view(request, *, quiz: QuizPage):
    context = quiz.get_context(request)
    context.update(quiz_overview(quiz=quiz, user=request.user))
    return TemplateResponse(request, quiz.get_template(request), context)


def quiz_start(request, *, quiz: QuizPage):
    """Start the quiz, or resume the open attempt, and go to its questions."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.url)
    try:
        attempt = quiz_attempt_start(
            user=request.user, quiz=quiz, client=client_hashes(request)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(quiz.url)
    return redirect(_attempt_url(quiz, attempt))


def _save_posted_answers(request, attempt: QuizAttempt, questions) -> list[str]:
    """Save the answers to the questions shown on the screen; return the messages
    of those refused."""
    shown_ids = set(request.POST.getlist("shown"))
    errors = []
    for question in questions:
        if str(question.id) not in shown_ids:
            continue
        name = f"q-{question.id}"
        if question.kind in PROCEDURE_TYPES:
            answer = _posted_procedure_answer(request.POST, question, name)
            if answer is None:
                continue
        elif question.kind in CHOICE_TYPES:
            values = request.POST.getlist(name)
            if not values and question.kind != QuestionType.MULTIPLE:
                continue
            answer = {"choice_ids": values}
        else:
            if name not in request.POST:
                continue
            answer = {"text": request.POST[name]}
        try:
            quiz_answer_record(
                attempt=attempt, user=request.user, question_id=question.id, **answer
            )
        except ValidationError as error:
            errors.extend(error.messages)
    return errors


def _posted_procedure_answer(post, question, name: str) -> dict | None:
    """Return the answer posted to a procedure question, with the opaque ids of
    the form turned back into the rows they stand for, or None when the form
    holds no answer to it. An unknown id becomes -1, which the service refuses."""
    parts = question.parts
    keys = parts.keys

    def key(token):
        return keys.get(token, -1) if token else None

    kind = question.kind
    if kind == QuestionType.ORDERING:
        tokens = post.getlist(name)
        if not tokens:
            return None

        def place(pair):
            index, token = pair
            try:
                return (int(post.get(f"{name}-at-{token}", "")), index)
            except ValueError:
                return (index + 1, index)

        ordered = [token for _index, token in sorted(enumerate(tokens), key=place)]
        return {"choice_ids": [key(token) for token in ordered]}
    if kind in (QuestionType.MATCHING, QuestionType.GAP_SELECT):
        count = (
            len(parts.prompts)
            if kind == QuestionType.MATCHING
            else sum(1 for segment in parts.segments if not isinstance(segment, str))
        )
        fields = [f"{name}-{n}" for n in range(count)]
        if not any(field in post for field in fields):
            return None
        return {"choice_ids": [key(post.get(field, "")) for field in fields]}
    if kind == QuestionType.NUMERICAL:
        if name not in post:
            return None
        return {"text": post[name]}
    # The hotspot: a region chosen from the list, or a tap on the picture.
    region, tap = post.get(name, ""), post.get(f"{name}-tap", "")
    if not region and not tap:
        return None
    return {"choice_ids": [key(region)] if region else [], "text": tap}


def quiz_attempt_view(request, *, quiz: QuizPage, attempt_id: int):
    """Show the attempt's questions (one per screen or all) and save answers."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(request, quiz, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect(_attempt_url(quiz, attempt, "result"))
    questions = attempt_questions(attempt=attempt)
    one_per_screen = quiz.layout == QuizLayout.ONE_PER_SCREEN
    try:
        position = int(request.GET.get("q", ""))
    except ValueError:
        position = next(
            (i for i, question in enumerate(questions, 1) if not question.answered),
            1,
        )
    position = min(max(position, 1), len(questions) or 1)
    after_each = attempt.snapshot.get("show_answers") == ShowAnswers.AFTER_EACH
    if request.method == "POST":
        errors = _save_posted_answers(request, attempt, questions)
        if request.htmx:
            # Saved as the learner answers; say so next to the form.
            return TemplateResponse(
                request, "quizzes/includes/save_status.html", {"errors": errors}
            )
        for error in errors:
            messages.error(request, error)
        action = request.POST.get("action", "next")
        # Only the time running out submits from here; the learner's own
        # “Nộp bài” first goes to the confirmation (quiz_submit's GET).
        if not errors and action == "submit":
            return quiz_submit(request, quiz=quiz, attempt_id=attempt.pk)
        if not errors and action == "confirm":
            return redirect(f"{_attempt_url(quiz, attempt, 'submit')}?q={position}")
        # With corrections after each question, stay to show this one's.
        if not errors and action == "next" and one_per_screen and not after_each:
            position = min(position + 1, len(questions))
        elif not errors and action == "previous" and one_per_screen:
            position = max(position - 1, 1)
        return redirect(f"{_attempt_url(quiz, attempt)}?q={position}")
    shown = questions[position - 1 : position] if one_per_screen else questions
    reviews = answer_reviews(
        attempt=attempt, question_ids=[q.id for q in shown if q.answered]
    )
    items = [(question, reviews.get(question.id)) for question in shown]
    context = quiz.get_context(request)
    context.update(
        attempt=attempt,
        items=items,
        position=position,
        total=len(questions),
        answered_count=sum(1 for question in questions if question.answered),
        one_per_screen=one_per_screen,
        after_each=after_each,
        **_time_left(attempt),
    )
    return TemplateResponse(request, "quizzes/quiz_attempt.html", context)


def _time_left(attempt: QuizAttempt) -> dict:
    seconds_left = minutes_left = None
    if attempt.deadline is not None:
        seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
        minutes_left = math.ceil(seconds_left / 60)
    return {"seconds_left": seconds_left, "minutes_left": minutes_left}


def quiz_submit_confirm(request, *, quiz: QuizPage, attempt: QuizAttempt):
    """Ask once before submitting: how many questions are unanswered, which ones,
    and a way back. Nothing is submitted until the learner confirms."""
    questions = attempt_questions(attempt=attempt)
    try:
        position = min(max(int(request.GET.get("q", "")), 1), len(questions) or 1)
    except ValueError:
        position = 1
    unanswered = [i for i, q in enumerate(questions, 1) if not q.answered]
    context = quiz.get_context(request)
    context.update(
        attempt=attempt,
        total=len(questions),
        answered_count=len(questions) - len(unanswered),
        unanswered=unanswered,
        position=position,
        **_time_left(attempt),
    )
    return TemplateResponse(request, "quizzes/quiz_submit_confirm.html", context)


def quiz_submit(request, *, quiz: QuizPage, attempt_id: int):
    """Ask to confirm (GET), or submit the attempt (POST); a second submit lands
    on the same result."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.url)
    attempt = _own_attempt(request, quiz, attempt_id)
    if request.method == "GET":
        if attempt.state != AttemptState.IN_PROGRESS:
            return redirect(_attempt_url(quiz, attempt, "result"))
        return quiz_submit_confirm(request, quiz=quiz, attempt=attempt)
    quiz_attempt_submit(attempt=attempt, user=request.user)
    return redirect(_attempt_url(quiz, attempt, "result"))


def quiz_result(request, *, quiz: QuizPage, attempt_id: int):
    """Show an attempt's result to its learner, or to someone allowed to see
    other people's results."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = attempt_get(user=request.user, pk=attempt_id)
    if attempt.quiz_id != quiz.pk:
        raise Http404
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect(_attempt_url(quiz, attempt))
    questions = attempt_questions(attempt=attempt)
    reviews = answer_reviews(attempt=attempt, question_ids=[q.id for q in questions])
    context = quiz.get_context(request)
    rows = [(question, reviews[question.id]) for question in questions]
    context.update(
        attempt=attempt,
        rows=rows,
        reviewed=any(review for _question, review in rows),
        completed=course_completed_by(attempt=attempt),
        can_retry=attempt.user_id == request.user.pk
        and not attempt.passed
        and attempt.state == AttemptState.FINISHED
        and (not quiz.max_attempts or attempt.number < quiz.max_attempts),
    )
    return TemplateResponse(request, "quizzes/quiz_result.html", context)


class MarkingFilterForm(forms.Form):
    """The marking queue's filters; empty fields filter nothing."""

    quiz = forms.ModelChoiceField(
        label=gettext_lazy("quiz"),
        queryset=QuizPage.objects.order_by("title"),
        required=False,
        empty_label=gettext_lazy("All quizzes"),
    )
    learner = forms.CharField(
        label=gettext_lazy("learner"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Part of the learner's name or phone number."),
    )


class EssayMarkingView(WagtailAdminTemplateMixin, View):
    """The admin's marking queue: essay answers waiting for a person, filtered by
    quiz and learner, each with a form for its points and a comment."""

    template_name = "quizzes/admin/essay_marking.html"
    page_title = gettext_lazy("Essays to mark")
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("quizzes.mark_essays"):
            raise PermissionDenied
        self.filters = MarkingFilterForm(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def queue(self):
        if not self.filters.is_valid():
            return essays_awaiting_marking()
        quiz = self.filters.cleaned_data["quiz"]
        return essays_awaiting_marking(
            quiz_id=quiz.pk if quiz else None,
            learner=self.filters.cleaned_data["learner"],
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data())

    def post(self, request):
        answer_id = request.POST.get("answer", "")
        if not answer_id.isdigit():
            raise Http404
        answer = get_object_or_404(essays_awaiting_marking(), pk=int(answer_id))
        form = EssayMarkForm(request.POST, prefix=f"a{answer.pk}")
        if form.is_valid():
            try:
                essay_mark(
                    answer=answer,
                    marker=request.user,
                    points=form.cleaned_data["points"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error("points", error)
            else:
                messages.success(request, gettext("The answer is marked."))
                # Back to the same filtered queue.
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(failed=(answer.pk, form)))

    def get_context_data(self, failed=None, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = self.queue()
        rows = []
        for answer in queue[:50]:
            item = answer.attempt.snapshot_item(answer.question_id) or {}
            form = EssayMarkForm(prefix=f"a{answer.pk}")
            if failed and failed[0] == answer.pk:
                form = failed[1]
            rows.append((answer, item.get("points", 1), form))
        context.update(
            rows=rows,
            waiting=queue.count(),
            filters=self.filters,
            filtered=any(self.filters.data.get(name) for name in self.filters.fields),
        )
        return context


class ItemAnalysisForm(forms.Form):
    quiz = forms.ModelChoiceField(
        label=gettext_lazy("quiz"),
        queryset=QuizPage.objects.order_by("title"),
        empty_label=gettext_lazy("Choose a quiz"),
    )


class ItemAnalysisView(WagtailAdminTemplateMixin, View):
    """The admin's item analysis: for a chosen quiz, how the finished attempts did
    on each question, weakest first, so editors see which lessons to improve."""

    template_name = "quizzes/admin/item_analysis.html"
    page_title = gettext_lazy("Quiz results")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("quizzes.view_all_results"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = ItemAnalysisForm(request.GET if "quiz" in request.GET else None)
        quiz = stats = None
        if form.is_valid():
            quiz = form.cleaned_data["quiz"]
            stats = quiz_item_analysis(quiz=quiz)
        return self.render_to_response(
            self.get_context_data(form=form, quiz=quiz, stats=stats)
        )


RECENT_IMPORTS = 10


class _ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QuestionImportView(_ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """The admin's import page: upload a Moodle XML or GIFT file, which is then
    imported in the background; the earlier imports are listed below."""

    template_name = "quizzes/admin/question_import.html"
    page_title = gettext_lazy("Import questions")
    header_icon = "download"

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=QuestionImportForm()))

    def post(self, request):
        form = QuestionImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = question_import_start(
                    source=upload.read(),
                    filename=upload.name,
                    created_by=request.user,
                    format=form.cleaned_data["format"] or None,
                    root=form.cleaned_data["category"],
                    all_or_nothing=not form.cleaned_data["valid_only"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("quizzes_import_job", pk=job.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = (
            question_imports()
            .defer("outcomes", "report")
            .select_related("created_by")[:RECENT_IMPORTS]
        )
        return context


class QuestionImportJobView(_ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """An import: its progress bar, which refreshes itself while it goes; then
    what was added, what was refused and why, the unsupported types and notes."""

    template_name = "quizzes/admin/question_import_job.html"
    status_template_name = "quizzes/admin/includes/import_status.html"
    page_title = gettext_lazy("Import questions")
    header_icon = "download"

    def get(self, request, pk):
        self.job = get_object_or_404(
            question_imports().defer("outcomes").select_related("created_by"), pk=pk
        )
        stalled = is_stalled(self.job)
        context = self.get_context_data(
            job=self.job,
            root=self.job.root(),
            report=import_report(self.job),
            polling=self.job.status in ACTIVE and not stalled,
            stalled=stalled,
            can_resume=can_resume(self.job),
        )
        if request.htmx:
            return TemplateResponse(request, self.status_template_name, context)
        return self.render_to_response(context)

    def get_page_subtitle(self):
        return self.job.file_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quizzes_import"), "label": gettext("Import questions")},
            {"url": "", "label": self.job.file_name},
        ]


class QuestionImportResumeView(_ImportPermissionMixin, View):
    """Run a failed or stopped import again from where it stopped."""

    def post(self, request, pk):
        job = get_object_or_404(question_imports(), pk=pk)
        try:
            question_import_resume(job=job, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("quizzes_import_job", pk=job.pk)


@login_required
def unusual_attempts_view(request, pk):
    """“Bài làm bất thường” of a class: for its teachers and the officials over
    its unit (``classes.scopes.class_for``: a 404 for anyone else). A list to
    review; nothing here changes a result."""
    from classes.models import ClassMembership
    from classes.scopes import class_for

    training_class = class_for(request.user, pk)
    members = ClassMembership.objects.filter(training_class=training_class).values_list(
        "user_id", flat=True
    )
    return TemplateResponse(
        request,
        "quizzes/unusual_attempts.html",
        {
            "training_class": training_class,
            "groups": unusual_attempts(user_ids=members),
        },
    )


UNUSUAL_CLASSES_PER_PAGE = 20


@login_required
def unusual_attempts_unit_view(request, pk):
    """“Bài làm bất thường” of every class of a unit and the units below it, for
    the officials over it (``users.scopes.regions_visible_to``: a 404 for anyone
    else, teachers and learners included), grouped by class, the newest class
    first, a page of classes at a time. Four queries a page, whatever the number
    of classes and attempts on it. A list to review; nothing here changes a
    result."""
    from collections import defaultdict

    from django.core.paginator import Paginator

    from classes.models import ClassMembership
    from classes.scopes import classes_visible_to
    from regions.scopes import under_paths
    from users.scopes import regions_visible_to

    unit = get_object_or_404(regions_visible_to(request.user), pk=pk)
    classes = (
        classes_visible_to(request.user)
        .filter(under_paths([unit.path], "region__path"))
        .select_related("region")
        .order_by("-starts_on", "-pk")
    )
    page = Paginator(classes, UNUSUAL_CLASSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    members = {training_class.pk: set() for training_class in page}
    for class_id, user_id in ClassMembership.objects.filter(
        training_class_id__in=list(members)
    ).values_list("training_class_id", "user_id"):
        members[class_id].add(user_id)
    groups = defaultdict(list, unusual_attempts_by_class(members=members))
    return TemplateResponse(
        request,
        "quizzes/unusual_attempts_unit.html",
        {
            "unit": unit,
            "page": page,
            "rows": [(klass, groups[klass.pk]) for klass in page],
        },
    )
