import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import etag, require_GET, require_POST

from core import throttle
from core.net import client_ip
from core.pagecache import mark_anonymous_cacheable

from . import offline
from .forms import LessonCompleteForm, LessonFeedbackForm
from .models import CoursePage, Enrolment, LessonPage
from .search import learning_search, visible_pages
from .selectors import learner_courses, lesson_navigation, resume_lesson
from .services import enrolment_create, lesson_feedback_record, lesson_progress_record


def course_enrol(request, *, course: CoursePage):
    """Enrol the learner with one tap, then take them to where they continue."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    enrolment = enrolment_create(user=request.user, course=course)
    lessons = list(course.lessons().defer_streamfields())
    target = resume_lesson(enrolment=enrolment, lessons=lessons, done_ids=set())
    # Tagged so that the page it lands on has the service worker keep the
    # course's lessons for reading offline (courses.offline).
    messages.success(
        request,
        _("You are enrolled in “%(course)s”.") % {"course": course.title},
        extra_tags="offline-sync",
    )
    return redirect(target.url if target else course.url)


def lesson_complete(request, *, lesson: LessonPage):
    """Mark a lesson done (or not done). Works as a plain form; with htmx, answers
    with the updated progress panel only."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    form = LessonCompleteForm(request.POST)
    done = form.cleaned_data["done"] if form.is_valid() else True
    course = lesson.get_course()
    was_complete = Enrolment.objects.filter(
        user=request.user, course=course, completed_at__isnull=False
    ).exists()
    enrolment = lesson_progress_record(
        user=request.user, lesson=lesson, course=course, done=done
    )
    # Congratulate once: when this very action completed the course.
    completed_now = enrolment.is_complete and not was_complete
    context = lesson_navigation(lesson=lesson, user=request.user)
    context["page"] = lesson
    context["just_completed_course"] = completed_now
    if request.htmx:
        return TemplateResponse(
            request, "courses/includes/lesson_progress.html", context
        )
    if completed_now:
        messages.success(
            request,
            _("Well done! You have completed “%(course)s”.") % {"course": course.title},
        )
        return redirect(course.url)
    if done:
        following = context["next_lesson"]
        if following is not None:
            return redirect(following.url)
        # The last lesson: on to the final quiz once every lesson is done.
        step = context["next_step"]
        return redirect(step.url if step is not None else course.url)
    return redirect(lesson.url)


@login_required
def my_learning(request):
    """“Học tập của tôi”: every course the learner is in, with progress."""
    cards = learner_courses(user=request.user)
    return render(
        request,
        "courses/my_learning.html",
        {
            "in_progress": [c for c in cards if not c.enrolment.is_complete],
            "completed": [c for c in cards if c.enrolment.is_complete],
        },
    )


def lesson_short_link(request, pk: int):
    """Open the lesson of a short address (printed under a QR code)."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=pk)
    return redirect(lesson.get_url(request))


# What a query may be at most, in letters; the rest is dropped.
QUERY_LENGTH = 100
# Searches offered to try: names of procedures as the lessons write them (the
# content is Vietnamese in either language of the site).
SEARCH_EXAMPLES = ["khai sinh", "nộp hồ sơ", "đăng ký tài khoản", "VNeID"]


def search(request):
    """“Tìm kiếm”: the courses and lessons that teach what the learner typed,
    accents or not; with nothing found, what to try instead."""
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    results = learning_search(query=query, request=request) if query else None
    courses = []
    if results is None or not results.hits:
        courses = visible_pages(
            CoursePage.objects.live().order_by("path"), request
        ).defer_streamfields()[:6]
    return render(
        request,
        "courses/search.html",
        {
            "query": query,
            "results": results,
            "courses": courses,
            "examples": SEARCH_EXAMPLES,
            "autofocus": not query,
        },
    )


# An anonymous visitor's browser, for their answer under a lesson to replace
# the one they gave before. The cookie goes to the feedback addresses alone
# (lms.urls: "y-kien/<lesson>/"), so that other pages still come to them from
# the shared cache (core.pagecache serves no request with a cookie of its own).
FEEDBACK_COOKIE = "lms_feedback"
FEEDBACK_COOKIE_PATH = "/y-kien/"
FEEDBACK_COOKIE_AGE = 365 * 24 * 60 * 60


def _visitor(request) -> str:
    try:
        return request.get_signed_cookie(FEEDBACK_COOKIE, salt=FEEDBACK_COOKIE)
    except (KeyError, signing.BadSignature):
        return ""


@require_POST
def lesson_feedback(request, lesson_id: int):
    """Record the answer to “Bài này có giúp bạn không?” under a lesson. A plain
    form: back to the lesson with a thank-you; asked by the lesson's script
    (X-Requested-With: fetch), the widget alone, answered or with its errors."""
    lesson = (
        visible_pages(LessonPage.objects.live(), request).filter(pk=lesson_id).first()
    )
    if lesson is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    limits = (
        {"feedback:account": user.pk}
        if user
        else {"feedback:address": client_ip(request)}
    )
    form = LessonFeedbackForm(request.POST)
    refusal = throttle.hit(limits)
    if refusal is not None:
        form.is_valid()
        form.add_error(None, refusal.message)
    elif form.is_valid():
        return _feedback_recorded(request, lesson, form, user)
    context = {"page": lesson, "feedback_form": form}
    template = (
        "courses/includes/lesson_feedback.html"
        if _from_script(request)
        else "courses/lesson_feedback.html"
    )
    return render(request, template, context, status=429 if refusal else 400)


def _from_script(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _feedback_recorded(request, lesson, form, user):
    visitor = "" if user else (_visitor(request) or secrets.token_hex(16))
    feedback = lesson_feedback_record(
        lesson=lesson,
        user=user,
        visitor=visitor,
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    if _from_script(request):
        response = render(
            request,
            "courses/includes/lesson_feedback.html",
            {"page": lesson, "feedback_answer": feedback, "feedback_thanks": True},
        )
    else:
        messages.success(request, _("Thank you! Your answer helps improve the lesson."))
        response = redirect(lesson.url + "#y-kien")
    if visitor:
        response.set_signed_cookie(
            FEEDBACK_COOKIE,
            visitor,
            salt=FEEDBACK_COOKIE,
            max_age=FEEDBACK_COOKIE_AGE,
            path=FEEDBACK_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@never_cache
@require_GET
def offline_list(request):
    """What the service worker keeps for the learner to read offline (see
    courses.offline.offline_copy); nothing for a visitor. Never kept by any
    cache on the way: it carries the session's CSRF token."""
    return JsonResponse(offline.offline_copy(request=request))


@require_GET
@etag(lambda request: offline.service_worker()[1])
def service_worker(request):
    """The service worker, at the root so that it serves every page of the site.
    Browsers ask whether it changed at every visit: the ETag answers that."""
    script, _version = offline.service_worker()
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_help(request):
    """What works without a connection, and what does not; also the page the
    service worker shows offline in place of a page it did not keep."""
    response = TemplateResponse(request, "courses/offline.html", {})
    if not request.user.is_authenticated:
        mark_anonymous_cacheable(response)
    return response


@require_GET
def offline_quiz(request):
    """What the service worker shows offline in place of a quiz."""
    response = TemplateResponse(request, "courses/offline_quiz.html", {})
    if not request.user.is_authenticated:
        mark_anonymous_cacheable(response)
    return response
