"""Lighthouse's mobile performance score of the pages people use logged in (issue 17).

The five pages of the issue's budget, each opened by the person it is for:
“Học tập của tôi”, a quiz question, a quiz result, the teacher's attendance page
and the province official's coverage dashboard (over the seeded province of
bench/throughput.py). They are served as a deployment serves them: gunicorn on
the bench's database, static files collected and served by WhiteNoise.

Lighthouse (tests/browser/node_modules, installed by ``make test``) runs its
mobile preset: a mid-range phone on slow 4G, simulated from the load it
observes, so a busy machine lowers the score. Each page is scored up to three
times (``--runs``) and its median kept; the metric is the lowest page's median,
and the log lists every page. The accessibility scores and axe-core are held in
the browser tests (tests/browser/test_budgets.py), which do not time anything.
"""

from __future__ import annotations

import statistics
from functools import cache

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.services import lesson_progress_record
from quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.browser.budgets import lighthouse

from .attendance import tap_world
from .fixtures import learner
from .lessons import lesson_world
from .measure import get_ok
from .quizzes import quiz_world
from .registry import Context, metric
from .throughput import Gunicorn, cookie_header, dashboard

# Lighthouse takes 10 to 30 s a page; more runs than this add little.
MOST_RUNS = 3


def _logged_in(client: Client, path: str) -> str:
    """Visit path once (the CSRF cookie, warm caches); return the Cookie header."""
    get_ok(client, path)
    return cookie_header(client)


@cache
def budget_pages(ctx: Context) -> list[tuple[str, str, str]]:
    """Return (name, path, cookie) of the five pages."""
    pages = []
    lessons = lesson_world()
    path = reverse("courses:my_learning")
    pages.append(("Học tập của tôi", path, _logged_in(lessons.client, path)))

    quiz = quiz_world()
    for name, username in (
        ("Câu hỏi bài kiểm tra", "bench-lighthouse-dang-lam"),
        ("Kết quả bài kiểm tra", "bench-lighthouse-da-nop"),
    ):
        user = learner(username=username)
        for lesson in quiz.lessons:
            lesson_progress_record(user=user, lesson=lesson, course=quiz.course)
        attempt = quiz_attempt_start(user=user, quiz=quiz.quiz)
        path = f"{quiz.quiz.url}attempt/{attempt.pk}/"
        if name == "Kết quả bài kiểm tra":
            quiz_attempt_submit(attempt=attempt, user=user)
            path += "result/"
        client = Client()
        client.force_login(user)
        pages.append((name, path, _logged_in(client, path)))

    taps = tap_world()
    path = reverse("classes:session", args=[taps.session.pk])
    pages.append(("Điểm danh (giáo viên)", path, _logged_in(taps.client, path)))

    path, cookie = dashboard(ctx)
    pages.append(("Bảng theo dõi (cán bộ)", path, cookie))
    return pages


@metric("lighthouse_performance_min", unit="score", at_least=95)
def lighthouse_performance_min(ctx: Context) -> float:
    pages = budget_pages(ctx)
    # WhiteNoise serves what collectstatic gathered, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    runs = max(1, min(ctx.runs, MOST_RUNS))
    medians = []
    with Gunicorn(ctx) as server:
        for name, path, cookie in pages:
            scores = [
                lighthouse(server.base + path, cookie)["performance"]
                for _ in range(runs)
            ]
            ctx.log(f"  {name} ({path}): performance {scores}")
            medians.append(statistics.median(scores))
    return min(medians)
