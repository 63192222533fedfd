"""A logged-in learner's lesson: the page every learner shares, from the cache
(core.pagecache.render_with_personal_parts), and the parts that are their own,
rendered for each request. Nothing of one person may reach another."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from core.pagecache import CSRF_PLACEHOLDER, _shell_key
from courses.services import lesson_progress_record
from regions.tests.factories import ProvinceFactory
from users.models import RegionRole
from users.tests.factories import UserFactory

LOGIN_URL = reverse("users:login")
LOGOUT_URL = reverse("users:logout")
REPORTS_URL = reverse("reports:index")
DONE = "Đánh dấu là chưa học xong"  # the button of a lesson the learner has done
NOT_DONE = "Đánh dấu đã học xong"


def _csrf_secrets(html: str) -> set[str]:
    tokens = set(re.findall(r'csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html))
    tokens |= set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', html))
    return {_unmask_cipher_token(token) for token in tokens}


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _with_message(client: Client, text: str) -> None:
    """Give the client's next request a message, as a redirect after a form
    would (the messages cookie)."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value


@pytest.fixture
def done_learner(lessons, course):
    learner = UserFactory(full_name="Trần Thị Riêng Tư")
    lesson_progress_record(user=learner, lesson=lessons[0], course=course)
    return learner


def _template_names(response) -> set[str]:
    return {template.name for template in response.templates}


def test_a_second_learner_gets_the_shared_page_from_the_cache(lessons, done_learner):
    """After one learner opened a lesson, the next learner's page is the shared
    page from the cache: only their own parts are rendered."""
    url = lessons[0].url
    first = _logged_in(done_learner).get(url)
    assert "courses/lesson_page.html" in _template_names(first)

    response = _logged_in(UserFactory()).get(url)

    assert response.status_code == 200
    assert "courses/lesson_page.html" not in _template_names(response)
    assert "courses/includes/lesson_progress.html" in _template_names(response)
    assert "Mở ứng dụng VNeID trên điện thoại." in response.content.decode()


def test_a_learner_never_gets_another_learners_progress_or_token(lessons, done_learner):
    """The second learner sees their own progress (not done) and CSRF tokens of
    their own secret only, never the first learner's."""
    url = lessons[0].url
    first_client = _logged_in(done_learner)
    first = first_client.get(url)
    first_html = first.content.decode()
    assert DONE in first_html
    first_secret = first_client.cookies["csrftoken"].value
    assert _csrf_secrets(first_html) == {first_secret}

    other_client = _logged_in(UserFactory())
    html = other_client.get(url).content.decode()

    assert NOT_DONE in html
    assert DONE not in html
    assert "is-done" not in html
    assert 'class="progress' not in html  # not enrolled: no progress bar
    secrets = _csrf_secrets(html)
    assert secrets == {other_client.cookies["csrftoken"].value}
    assert first_secret not in secrets
    assert "Trần Thị Riêng Tư" not in html
    # The first learner, coming back, still sees their own progress.
    assert DONE in first_client.get(url).content.decode()


def test_a_learners_page_never_reaches_an_anonymous_visitor(lessons, done_learner):
    """An anonymous visitor after learners gets the login link, and nothing of
    theirs: no logout form, no progress, no token of theirs."""
    url = lessons[0].url
    learner_client = _logged_in(done_learner)
    learner_client.get(url)
    learner_client.get(url)
    learner_secret = learner_client.cookies["csrftoken"].value

    visitor = Client()
    html = visitor.get(url).content.decode()

    assert LOGIN_URL in html
    assert LOGOUT_URL not in html
    assert DONE not in html and NOT_DONE not in html
    assert learner_secret not in _csrf_secrets(html)


def test_the_shared_page_in_the_cache_holds_nothing_personal(lessons, done_learner):
    """What is kept has a placeholder for the CSRF token and markers for the
    personal parts: no token, no menu of the person, no progress."""
    url = lessons[0].url
    response = _logged_in(done_learner).get(url)

    entry = cache.get(_shell_key(response.wsgi_request))

    assert entry is not None
    content = entry["content"].decode()
    assert not _csrf_secrets(content)
    assert CSRF_PLACEHOLDER.decode() in content
    for personal in (LOGOUT_URL, DONE, NOT_DONE, "is-done", "Trần Thị Riêng Tư"):
        assert personal not in content
    assert "courses/includes/lesson_progress.html" in entry["parts"]


def test_an_officials_menu_never_reaches_a_learner(lessons):
    """The menu is each person's own: a learner after an official gets no link
    to the reports."""
    url = lessons[0].url
    official = UserFactory()
    RegionRole.objects.create(
        user=official, region=ProvinceFactory(), role=RegionRole.Role.OFFICIAL
    )
    assert REPORTS_URL in _logged_in(official).get(url).content.decode()

    html = _logged_in(UserFactory()).get(url).content.decode()

    assert LOGOUT_URL in html
    assert REPORTS_URL not in html


def test_a_message_is_shown_only_to_its_learner(lessons):
    """A message waiting for one learner shows on their page and on nobody
    else's, the next learner's or an anonymous visitor's."""
    url = lessons[0].url
    first_client = _logged_in(UserFactory())
    _with_message(first_client, "Chào mừng chị Riêng Tư")
    assert "Chào mừng chị Riêng Tư" in first_client.get(url).content.decode()

    assert "Chào mừng chị Riêng Tư" not in (
        _logged_in(UserFactory()).get(url).content.decode()
    )
    assert "Chào mừng chị Riêng Tư" not in Client().get(url).content.decode()
    assert "Chào mừng chị Riêng Tư" not in first_client.get(url).content.decode()


def test_a_publish_renews_the_shared_page(lessons, learner):
    """A learner sees a lesson published anew at once, not the page kept."""
    lesson = lessons[0]
    client = _logged_in(learner)
    client.get(lesson.url)

    lesson.title = "Cài VNeID mức 2"
    lesson.save_revision().publish()

    assert "Cài VNeID mức 2" in client.get(lesson.url).content.decode()


def test_a_warm_lesson_reads_the_sites_generation_once(lessons, learner):
    """Routing, the lesson list and the shared page all belong to the site's
    generation: a warm lesson asks the cache for it once, with the Site."""
    from unittest import mock

    from django.core.cache.backends.locmem import LocMemCache

    from core.pagecache import GENERATION_KEY

    client = _logged_in(learner)
    url = lessons[0].url
    client.get(url)
    asked = []
    inside_get_many = []
    get, get_many = LocMemCache.get, LocMemCache.get_many

    def counting_get(self, key, *args, **kwargs):
        if not inside_get_many:  # get_many calls get for each of its keys
            asked.append([key])
        return get(self, key, *args, **kwargs)

    def counting_get_many(self, keys, *args, **kwargs):
        asked.append(list(keys))
        inside_get_many.append(True)
        try:
            return get_many(self, keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    with (
        mock.patch.object(LocMemCache, "get", counting_get),
        mock.patch.object(LocMemCache, "get_many", counting_get_many),
    ):
        assert client.get(url).status_code == 200

    assert [keys for keys in asked if GENERATION_KEY in keys] == [
        next(keys for keys in asked if GENERATION_KEY in keys)
    ]
    assert len(asked) <= 7, asked


def test_a_learners_own_parts_are_kept_for_them_and_follow_their_progress(
    lessons, course, learner
):
    """A learner's second visit takes their own parts from the cache (nothing is
    rendered), with a CSRF token of their own secret; a lesson they mark done
    shows at once."""
    url = lessons[1].url
    client = _logged_in(learner)
    client.get(url)

    again = client.get(url)

    assert not _template_names(again)
    html = again.content.decode()
    assert NOT_DONE in html and LOGOUT_URL in html
    assert _csrf_secrets(html) == {client.cookies["csrftoken"].value}
    assert CSRF_PLACEHOLDER.decode() not in html

    lesson_progress_record(user=learner, lesson=lessons[1], course=course)

    html = client.get(url).content.decode()
    assert DONE in html
    assert html.count("is-done") == 1


def test_a_message_shows_though_the_learners_parts_are_kept(lessons, learner):
    """A message waiting for a learner whose parts are kept is shown, once."""
    url = lessons[0].url
    client = _logged_in(learner)
    client.get(url)
    client.get(url)
    _with_message(client, "Chào mừng chị Riêng Tư")

    assert "Chào mừng chị Riêng Tư" in client.get(url).content.decode()
    assert "Chào mừng chị Riêng Tư" not in client.get(url).content.decode()


def test_a_learners_kept_parts_never_reach_another_learner(lessons, done_learner):
    """Parts are kept per person: the next learner gets their own, not the
    first one's, however often the first came."""
    url = lessons[0].url
    first = _logged_in(done_learner)
    first.get(url)
    first.get(url)

    other = _logged_in(UserFactory())
    for _ in range(2):
        html = other.get(url).content.decode()
        assert NOT_DONE in html and DONE not in html
        assert _csrf_secrets(html) == {other.cookies["csrftoken"].value}


def test_a_learners_kept_parts_are_those_of_their_session(lessons, learner):
    """Parts are kept per session: logged in on a second phone, the learner's
    menu names that phone's session to the service worker, not the first's."""
    url = lessons[0].url
    owner = re.compile(r'data-offline-owner="([^"]+)"')
    first = _logged_in(learner)
    first.get(url)
    first_owner = owner.search(first.get(url).content.decode()).group(1)

    second = _logged_in(learner)
    for _ in range(2):
        html = second.get(url).content.decode()
        assert owner.search(html).group(1) != first_owner
    assert owner.search(first.get(url).content.decode()).group(1) == first_owner


def test_the_kept_progress_follows_every_change(lessons, course, learner):
    """A learner's progress kept in the cache is forgotten when a lesson is marked
    done or not done, and when they resume elsewhere: each page shows the
    database's rows."""
    from courses.models import Enrolment

    client = _logged_in(learner)
    url = lessons[0].url
    complete = url + "complete/"
    client.get(url)
    assert NOT_DONE in client.get(url).content.decode()

    client.post(complete, {"done": "1"})
    assert DONE in client.get(url).content.decode()

    client.post(complete, {"done": "0"})
    assert NOT_DONE in client.get(url).content.decode()

    client.get(lessons[2].url)
    assert Enrolment.objects.get(user=learner).last_lesson_id == lessons[2].pk
    client.get(url)
    assert Enrolment.objects.get(user=learner).last_lesson_id == lessons[0].pk
