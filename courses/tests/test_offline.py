"""Lessons kept for reading offline: what the service worker is told to keep,
for whom, and how a lesson marked done offline is sent again (courses.offline)."""

import io
import json
import re

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from core.testing import vi
from courses.models import Enrolment, LessonProgress
from courses.offline import learner_key, session_key
from courses.services import enrolment_create, lesson_progress_record
from quizzes.tests.factories import quiz_create
from users.tests.factories import UserFactory

from .factories import LessonPageFactory, course_with_lessons

pytestmark = pytest.mark.django_db

LIST = reverse("courses:offline_list")


def _urls(data: dict) -> set[str]:
    return {page["url"] for page in data["pages"]}


def _picture(title: str):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 600), (200, 30, 30)).save(buffer, "PNG")
    image = get_image_model()(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="buoc.png")
    )
    image._set_image_file_metadata()
    image.save()
    return image


def _lesson_with_screenshots(course):
    first, second = _picture("Bước 1"), _picture("Kết quả")
    return LessonPageFactory(
        parent=course,
        title="Có ảnh",
        body=[
            {
                "type": "steps",
                "value": {
                    "title": "Các bước",
                    "steps": [
                        {"title": "Mở trang", "text": "", "screenshot": first.pk},
                    ],
                },
            },
            {
                "type": "image",
                "value": {"image": second.pk, "alt": "", "caption": "Kết quả"},
            },
        ],
    )


def test_a_visitor_is_told_to_keep_nothing(client, course):
    """A visitor gets no page, no image, no token: only an empty owner, which
    has the service worker drop whatever it kept."""
    response = client.get(LIST)

    data = response.json()
    assert response.status_code == 200
    assert data["owner"] == ""
    assert data["pages"] == [] and data["images"] == []
    assert "csrf" not in data


def test_the_list_holds_the_learners_own_courses_only(client, learner, catalogue):
    """A learner is told to keep “Học tập của tôi”, the pages on offline use, and
    the courses they are enrolled in with their live lessons; not another
    course's, nor an unpublished lesson, nor what another learner enrolled in."""
    mine = course_with_lessons(parent=catalogue, title="Khóa của tôi", lessons=2)
    theirs = course_with_lessons(parent=catalogue, title="Khóa khác", lessons=2)
    draft = LessonPageFactory(parent=mine, title="Bản nháp", live=False)
    enrolment_create(user=learner, course=mine)
    enrolment_create(user=UserFactory(), course=theirs)
    client.force_login(learner)

    data = client.get(LIST).json()

    expected = {
        reverse("courses:my_learning"),
        reverse("courses:offline"),
        reverse("courses:offline_quiz"),
        mine.url,
        *(lesson.url for lesson in mine.lessons()),
    }
    assert _urls(data) == expected
    assert draft.url not in _urls(data)
    assert not any(url.startswith(theirs.url) for url in _urls(data))
    assert data["owner"] == session_key(client.get(LIST).wsgi_request)
    assert data["learner"] == learner_key(learner)


def test_a_lessons_version_changes_when_it_is_published_again(
    client, learner, course, lessons
):
    """A lesson's version is its published revision: a new publish has the
    service worker fetch it again; the other pages are fetched at every update."""
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    before = {p["url"]: p["v"] for p in client.get(LIST).json()["pages"]}

    lessons[0].title = "Bài 1, sửa lại"
    lessons[0].save_revision().publish()
    after = {p["url"]: p["v"] for p in client.get(LIST).json()["pages"]}

    assert before[lessons[0].url] != after[lessons[0].url]
    assert before[lessons[1].url] == after[lessons[1].url]
    assert after[course.url] is None


def test_the_list_names_the_renditions_the_lesson_page_shows(client, learner, course):
    """The images to keep are the very files the lesson page's pictures offer,
    one group per picture, with their widths and types."""
    lesson = _lesson_with_screenshots(course)
    enrolment_create(user=learner, course=course)
    client.force_login(learner)

    page = client.get(lesson.url).content.decode()
    groups = client.get(LIST).json()["images"]

    shown = set(re.findall(r'(/media/images/[^" ,]+)', page))
    listed = {candidate["src"] for group in groups for candidate in group}
    assert len(groups) == 2
    assert listed == shown
    widths = sorted(
        c["w"] for group in groups for c in group if c["type"] == "image/webp"
    )
    assert widths == [360, 360, 720, 720]


def test_quizzes_are_named_as_needing_a_connection(client, learner, course):
    """The course's quizzes are listed as online only, not as pages to keep."""
    quiz = quiz_create(course=course)
    enrolment_create(user=learner, course=course)
    client.force_login(learner)

    data = client.get(LIST).json()

    assert data["online_only"] == [quiz.url]
    assert quiz.url not in _urls(data)


def test_the_list_is_kept_by_no_cache_on_the_way(client, learner):
    """The list carries a CSRF token of the session: no shared cache keeps it."""
    client.force_login(learner)

    response = client.get(LIST)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_the_session_key_changes_with_the_login_and_the_learner_key_does_not(
    learner,
):
    """Logging in again gives the session a new key (what was kept for the last
    is dropped), while the learner's marks waiting offline stay theirs."""
    first, second = Client(), Client()
    first.force_login(learner)
    second.force_login(learner)

    one = first.get(LIST).json()
    two = second.get(LIST).json()

    assert one["owner"] and two["owner"] and one["owner"] != two["owner"]
    assert one["learner"] == two["learner"]
    assert learner_key(UserFactory()) != one["learner"]


def test_a_mark_sent_again_with_the_lists_token_counts_once(learner, course, lessons):
    """A lesson marked done offline is sent again with the CSRF token of the
    list, as htmx would send it; sent twice (the answer to the first was lost),
    the lesson is done once and the course counts one lesson done."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    enrolment_create(user=learner, course=course)
    token = client.get(LIST).json()["csrf"]
    url = lessons[0].url + lessons[0].reverse_subpage("complete")

    answers = [
        client.post(url, {"done": "1"}, HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true")
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    progress = LessonProgress.objects.get(enrolment__user=learner)
    assert progress.lesson_id == lessons[0].pk
    assert progress.completed_at is not None
    assert Enrolment.objects.get(user=learner).lesson_progress.count() == 1


def test_a_mark_without_a_token_is_refused(learner, course, lessons):
    """CSRF is not weakened for the queue: a mark without a token changes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = lessons[0].url + lessons[0].reverse_subpage("complete")

    response = client.post(url, {"done": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_a_lesson_kept_ahead_of_reading_is_not_where_the_learner_was(
    client, learner, course, lessons
):
    """The service worker fetching a lesson to keep it (Purpose: prefetch) does
    not move the learner's place in the course; reading it does."""
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    client.force_login(learner)

    kept = client.get(lessons[2].url, HTTP_PURPOSE="prefetch")
    assert kept.status_code == 200
    assert Enrolment.objects.get(user=learner).last_lesson_id == lessons[0].pk

    client.get(lessons[2].url)
    assert Enrolment.objects.get(user=learner).last_lesson_id == lessons[2].pk


def test_every_page_names_its_session_for_the_service_worker(
    client, learner, course, lessons
):
    """A lesson page names the session it was rendered for, and another
    learner's page (from the same cached shell) names theirs, never the first's;
    a visitor's names none."""
    other = UserFactory()
    client.force_login(learner)
    mine = client.get(lessons[0].url)
    second = Client()
    second.force_login(other)
    theirs = second.get(lessons[0].url)
    visitor = Client().get(lessons[0].url)

    def owner(response):
        return re.search(r'data-offline-owner="([^"]*)"', response.text).group(1)

    assert owner(mine) == session_key(mine.wsgi_request) != ""
    assert owner(theirs) == session_key(theirs.wsgi_request)
    assert owner(mine) != owner(theirs)
    assert owner(visitor) == ""


def test_a_page_rendered_for_a_public_copy_names_no_session(client, learner):
    """The certificate check's result renders its header for a stand-in
    request, the same for everyone: it names no session, so the learner's kept
    lessons stay kept."""
    client.force_login(learner)

    response = client.get(reverse("certificates:verify_token", args=["khong-co"]))

    assert response.status_code == 404
    assert "site-menu" in response.text
    assert "data-offline-owner" not in response.text


def test_enrolling_asks_the_service_worker_to_keep_the_lessons(
    client, learner, course, lessons
):
    """The lesson an enrolment lands on asks for the course to be kept offline,
    as “Học tập của tôi” always does."""
    client.force_login(learner)

    landed = client.post(course.url + course.reverse_subpage("enrol"), follow=True)
    later = client.get(lessons[1].url)

    assert "data-offline-sync" in landed.text
    assert "data-offline-sync" not in later.text
    assert "data-offline-sync" in client.get(reverse("courses:my_learning")).text


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("courses:offline", "What works without a connection"),
        ("courses:offline_quiz", "The quiz needs a connection"),
    ],
)
def test_the_offline_pages_say_what_works(client, db, home, name, says):
    """The pages shown offline say, in Vietnamese, what works without a
    connection, and that quizzes need one."""
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert vi(says) in response.text


def test_the_quiz_page_says_it_needs_a_connection_in_vietnamese(client, home):
    """The quiz's offline page opens with “Bài kiểm tra cần kết nối mạng”."""
    response = client.get(reverse("courses:offline_quiz"))

    assert "Bài kiểm tra cần kết nối mạng" in response.text


# The service worker and the manifest


def test_the_service_worker_is_served_at_the_root(client, db):
    """/sw.js is JavaScript, looked at again by the browser at every visit,
    answered 304 while it is unchanged, and limited by the site's CSP."""
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "worker-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert LIST in body and "lms-static-" in body
    assert "{{" not in body and "{%" not in body
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_service_worker_is_served_before_consent(client, db):
    """A browser fetches the worker on its own, and a redirect would break it:
    a person who has not agreed to the new consent text still gets it."""
    client.force_login(UserFactory(consent=False))

    assert client.get(reverse("courses:my_learning")).status_code == 302
    assert client.get("/sw.js").status_code == 200
    assert client.get("/manifest.webmanifest").status_code == 200


def test_the_manifest_lets_a_phone_install_the_site(client, db):
    """The manifest names the app in Vietnamese, opens at “Học tập của tôi”, and
    offers the 192 and 512 px icons installers ask for, which exist."""
    from django.contrib.staticfiles import finders

    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Kỹ năng số cho mọi người"
    assert data["short_name"] == "Kỹ năng số"
    assert data["start_url"] == reverse("courses:my_learning")
    assert data["display"] == "standalone"
    sizes = {}
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with PILImage.open(path) as image:
            sizes[(icon["sizes"], icon.get("purpose", "any"))] = image.size
    assert sizes == {
        ("192x192", "any"): (192, 192),
        ("512x512", "any"): (512, 512),
        ("512x512", "maskable"): (512, 512),
    }


def test_every_page_links_the_manifest(client, course):
    """Every page links the manifest and sets the theme colour; the CSP allows
    the manifest and the worker from the site only."""
    response = client.get(course.url)

    assert '<link rel="manifest" href="/manifest.webmanifest">' in response.text
    assert '<meta name="theme-color"' in response.text
    policy = response["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy
    assert "worker-src 'self'" in policy
