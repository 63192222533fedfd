from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import etag, require_GET

from core.pagecache import mark_anonymous_cacheable

from . import offline
from .forms import LessonCompleteForm
from .models import CoursePage, Enrolment, LessonPage
from .selectors import learner_courses, lesson_navigation, resume_lesson
from .services import enrolment_create, lesson_progress_record


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
